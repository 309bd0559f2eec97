"""Supervision's signal handlers.

A calendar change moves the due dates of the cases open across it (a holiday added in
December for next January, a make-up day corrected): recompute them when the edit commits."""

from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from supervision.models import CalendarDay


@receiver(post_save, sender=CalendarDay, dispatch_uid="supervision.calendar_saved")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="supervision.calendar_deleted")
def calendar_changed(sender, instance, **kwargs):
    from supervision.workdays import refresh_case_due_dates

    transaction.on_commit(lambda: refresh_case_due_dates(instance.date))


@receiver(post_migrate, dispatch_uid="supervision.install")
def install(sender, **kwargs):
    # post_migrate fires once per app, after every migration has run.
    if sender.name == "supervision":
        from supervision.install import ensure_schedules

        ensure_schedules()

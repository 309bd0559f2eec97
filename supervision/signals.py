"""Supervision's signal handlers.

A calendar change moves the due dates of the cases open across it (a holiday added in
December for next January, a make-up day corrected): recompute them when the edit commits.
A finding's photo replaced, cleared or deleted with its finding leaves no confidential file
behind in private storage. A ranking notice approved or withdrawn changes public pages (评比公示
and the 窗口风采 honours): the page cache is retired. A corrected edition of a monthly bulletin
withdraws the month's notice until a manager approves the corrected ranking."""

from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django.dispatch import Signal, receiver

from cms.caching.invalidation import content_changed
from supervision.choices import BulletinKind
from supervision.models import CalendarDay, Finding, RankingNotice

# A corrected edition (更正版) of a bulletin was made: sender=Bulletin, previous=the edition it
# replaces, bulletin=the new one (supervision.bulletins.editions.reissue, after its PDF is
# rendered and before it is mailed). What was published from the earlier edition — the
# public ranking notice (评比公示) of a month — connects here to withdraw it. A receiver that
# raises does not stop the correction: the owners are alerted.
bulletin_reissued = Signal()


@receiver(post_save, sender=CalendarDay, dispatch_uid="supervision.calendar_saved")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="supervision.calendar_deleted")
def calendar_changed(sender, instance, **kwargs):
    from supervision.workdays import refresh_case_due_dates

    transaction.on_commit(lambda: refresh_case_due_dates(instance.date))


@receiver(post_migrate, dispatch_uid="supervision.install")
def install(sender, **kwargs):
    # post_migrate fires once per app, after every migration has run.
    # cms's setup, which runs first, has created every app's permissions and the groups.
    if sender.name == "supervision":
        from supervision.install import ensure_rules_workflow, ensure_schedules, grant_permissions

        grant_permissions()
        ensure_rules_workflow()
        ensure_schedules()


def _delete_photo_on_commit(name):
    if name:
        storage = Finding._meta.get_field("photo").storage
        transaction.on_commit(lambda: storage.delete(name))


@receiver(pre_save, sender=Finding, dispatch_uid="supervision.finding_photo_replaced")
def photo_replaced(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    old = Finding.objects.filter(pk=instance.pk).values_list("photo", flat=True).first()
    if old and old != instance.photo.name:
        _delete_photo_on_commit(old)


@receiver(post_delete, sender=Finding, dispatch_uid="supervision.finding_photo_deleted")
def photo_deleted(sender, instance, **kwargs):
    _delete_photo_on_commit(instance.photo.name)


# The public pages read notices on every render: the page cache must forget them at once.
post_save.connect(content_changed, sender=RankingNotice, dispatch_uid="supervision.notice_saved")
post_delete.connect(
    content_changed, sender=RankingNotice, dispatch_uid="supervision.notice_deleted"
)


@receiver(bulletin_reissued, dispatch_uid="supervision.withdraw_notice_on_reissue")
def withdraw_notice_on_reissue(sender, previous, bulletin, **kwargs):
    """The month's public ranking came from figures now corrected: take it down until a
    manager approves the corrected edition."""
    if bulletin.kind != BulletinKind.MONTHLY:
        return
    from supervision.notices import REISSUE_REASON, withdraw_month

    withdraw_month(previous.period_start, REISSUE_REASON)

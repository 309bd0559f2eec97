"""Install-time setup that every database needs, run after each `migrate` (idempotent)."""

from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate, dispatch_uid="cms.install")
def install(sender, **kwargs):
    # post_migrate fires once per app; run once, after the last of ours has migrated.
    if sender.name != "cms":
        return
    from cms.install import ensure_editorial_setup, ensure_schedules

    ensure_editorial_setup()
    ensure_schedules()

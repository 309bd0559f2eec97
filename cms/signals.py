"""Install-time setup that every database needs, run after each `migrate` (idempotent)."""

from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate, dispatch_uid="cms.install")
def install(sender, **kwargs):
    # post_migrate fires once per app; run once, after the last of ours has migrated.
    if sender.name != "cms":
        return
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    from cms.install import ensure_editorial_setup, ensure_schedules

    # Django creates each app's permissions in that app's own post_migrate, and cms comes
    # first in INSTALLED_APPS: create them all now so the groups get every permission they
    # name on the very first migrate.
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=kwargs.get("using", "default"))
        create_permissions(app_config, verbosity=0, using=kwargs.get("using", "default"))
    # And the publish/lock/unlock permissions of the moderated snippets, which Wagtail creates
    # in wagtailsnippets' own post_migrate, after ours.
    from wagtail.snippets.models import create_extra_permissions

    create_extra_permissions(
        apps.get_app_config("wagtailsnippets"), using=kwargs.get("using", "default")
    )
    ensure_editorial_setup()
    ensure_schedules()
    # Every deploy runs migrate (make run, compose's migrate service, scripts/stack.sh): pages
    # cached by the code before it (its templates) are retired with it.
    from cms.caching import version

    version.bump()

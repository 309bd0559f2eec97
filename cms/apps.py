from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "内容管理"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import ratelimits, reference_data, signals  # noqa: F401  (imported for: the limits' check; install-time groups, workflow, schedules)
        from .caching import invalidation

        reference_data.connect()
        invalidation.connect()

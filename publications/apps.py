from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = "出版渠道"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, feeds, previews, signals, views  # noqa: F401  (checks; channels registered with cms)

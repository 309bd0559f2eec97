from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "督查考评"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (
            checks,  # noqa: F401  (warns when the working-day calendar runs out)
            signals,  # noqa: F401  (calendar edits move due dates; findings' photos cleaned up)
        )

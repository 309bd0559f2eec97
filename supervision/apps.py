from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "督查考评"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms import window_honours

        from . import (
            checks,  # noqa: F401  (warns when the working-day calendar runs out)
            notices,
            signals,  # noqa: F401  (calendar edits move due dates; findings' photos cleaned up)
        )

        # 窗口风采 shows each window's honours from the approved monthly ranking (评比公示).
        window_honours.register(notices.window_honours)

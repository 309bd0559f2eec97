from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "督查考评"
    default_auto_field = "django.db.models.BigAutoField"

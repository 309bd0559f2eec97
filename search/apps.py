from django.apps import AppConfig


class SearchConfig(AppConfig):
    # Label "portal_search" keeps clear of wagtail.search's tables and of the word "search"
    # in other apps' URL names.
    name = "search"
    label = "portal_search"
    verbose_name = "全文检索"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The index sync's signals, the backend's health check, and the hot queries' cache
        # cleared by editors' changes.
        from search import checks, hot, signals  # noqa: F401

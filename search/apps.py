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
        # Backups keep the index's tables but not their rows (cms/backups): restore rebuilds
        # them from the pages, as rebuild_search_index does.
        from cms.backups import leave_out_rows
        from search import checks, hot, signals  # noqa: F401
        from search.backends.embedded.postgresql import PostgreSQL
        from search.backends.embedded.rows import ENTRY, KEYS
        from search.backends.embedded.sqlite import SQLite

        for generation in (0, 1):  # each dialect's token tables go by the generation's parity
            leave_out_rows(*SQLite().tables(generation))
            leave_out_rows(PostgreSQL.table(generation))
        leave_out_rows(ENTRY, KEYS)

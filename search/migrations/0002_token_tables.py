"""The embedded backend's token storage, which differs by database (search/backends/embedded/).

SQLite: the FTS5 table of generation 1 (rowid = IndexedDocument.id; a rebuild makes the next
generation's table, portal_search_fts_0, and drops this one when it takes over). PostgreSQL: a GIN index on the
tsvector column. Both: (generation, key) in byte order for prefix ranges of suggestions.
"""

from django.db import migrations

from search.migrations._vendor import vendor_sql

SQLITE = [
    "CREATE VIRTUAL TABLE portal_search_fts_1 USING fts5(title, keywords, materials, body)",
    "CREATE INDEX suggestion_prefix ON portal_search_suggestionkey (generation, key)",
]
SQLITE_REVERSE = [
    "DROP TABLE IF EXISTS portal_search_fts_0",
    "DROP TABLE IF EXISTS portal_search_fts_1",
    "DROP INDEX IF EXISTS suggestion_prefix",
]
POSTGRESQL = [
    "CREATE INDEX indexed_document_tokens ON portal_search_indexeddocument USING gin (search_vector)",
    'CREATE INDEX suggestion_prefix ON portal_search_suggestionkey (generation, key COLLATE "C")',
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS indexed_document_tokens",
    "DROP INDEX IF EXISTS suggestion_prefix",
]


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0001_initial")]

    operations = [
        vendor_sql(
            {"sqlite": SQLITE, "postgresql": POSTGRESQL},
            {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE},
        )
    ]

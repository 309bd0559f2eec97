"""The embedded backend's reading paths, measured on 55,000 documents (docs/benchmarks.md):

- Facet values in one column (`facets`) and the title's length in another, so facet counts
  are one GROUP BY and ranking reads no title; and on SQLite an index holding every column a
  search reads for a matching row (search_entry_ranking), so a search over 26,000 matches
  reads that index instead of 26,000 rows with their bodies.
- On SQLite, the three stronger tiers' fields (title, keywords, materials) in an FTS5 table
  of their own, portal_search_tiers_N beside portal_search_fts_N: ranking tests a term
  against their tokens only, not every body's.
- On PostgreSQL, a GIN index on the title tokens, for suggestions from inside titles.
- Suggestion keys by (generation, weight, key): a typed prefix is read one weight level at a
  time, each a range that stops at its LIMIT.

Documents already indexed keep working: their facet values are carried over, and the live
generation's tier tokens are copied from its FTS5 table.
"""

from django.db import migrations, models

from search.migrations._vendor import vendor_sql

SINGLE = ("department", "audience", "item_type")
MULTI = ("theme", "flags")


def facets_of(kind, department, audience, item_type, theme, flags):
    """The `facets` value (facets_column in search/backends/embedded/rows.py) from the old columns."""
    pairs = [("kind", kind), *zip(SINGLE, (department, audience, item_type), strict=True)]
    for name, stored in zip(MULTI, (theme, flags), strict=True):
        pairs += [(name, value) for value in stored.split("|")]  # stored as "|a|b|"
    return "|" + "".join(f"{name}={value}|" for name, value in pairs if value)


def carry_over(apps, schema_editor):
    IndexedDocument = apps.get_model("portal_search", "IndexedDocument")
    rows = IndexedDocument.objects.values_list("id", "title", "kind", *SINGLE, *MULTI)
    batch = []
    for pk, title, *values in rows.iterator(chunk_size=2000):
        batch.append(IndexedDocument(id=pk, facets=facets_of(*values), title_length=len(title)))
        if len(batch) == 2000:
            IndexedDocument.objects.bulk_update(batch, ["facets", "title_length"])
            batch = []
    IndexedDocument.objects.bulk_update(batch, ["facets", "title_length"])


SQLITE = [
    "CREATE INDEX search_entry_ranking ON portal_search_indexeddocument "
    "(id, generation, expire_at, boost, title_length, page_id, facets)",
    "DROP INDEX IF EXISTS suggestion_prefix",
    "CREATE INDEX suggestion_prefix ON portal_search_suggestionkey (generation, weight, key)",
]
SQLITE_REVERSE = [
    "DROP INDEX IF EXISTS search_entry_ranking",
    "DROP INDEX IF EXISTS suggestion_prefix",
    "CREATE INDEX suggestion_prefix ON portal_search_suggestionkey (generation, key)",
]
POSTGRESQL = [
    # Suggestions look inside titles (执照 → 营业执照): without it, a scan of every title.
    "CREATE INDEX indexed_document_title_tokens ON portal_search_indexeddocument "
    "USING gin (title_vector)",
    "DROP INDEX IF EXISTS suggestion_prefix",
    "CREATE INDEX suggestion_prefix ON portal_search_suggestionkey "
    '(generation, weight, key COLLATE "C")',
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS indexed_document_title_tokens",
    "DROP INDEX IF EXISTS suggestion_prefix",
    'CREATE INDEX suggestion_prefix ON portal_search_suggestionkey (generation, key COLLATE "C")',
]


def tier_tokens(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    state = apps.get_model("portal_search", "IndexState").objects.filter(pk=1).first()
    parity = (state.live_generation if state else 1) % 2
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE portal_search_tiers_{parity} "
        "USING fts5(title, keywords, materials, columnsize=0)"
    )
    schema_editor.execute(
        f"INSERT INTO portal_search_tiers_{parity} (rowid, title, keywords, materials) "
        f"SELECT rowid, title, keywords, materials FROM portal_search_fts_{parity}"
    )


def drop_tier_tokens(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for parity in (0, 1):
            schema_editor.execute(f"DROP TABLE IF EXISTS portal_search_tiers_{parity}")


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0003_starter_synonyms")]

    operations = [
        migrations.AddField(
            model_name="indexeddocument",
            name="facets",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="indexeddocument",
            name="title_length",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        *(
            migrations.RemoveField(model_name="indexeddocument", name=name)
            for name in (*SINGLE, *MULTI)
        ),
        vendor_sql(
            {"sqlite": SQLITE, "postgresql": POSTGRESQL},
            {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE},
        ),
        migrations.RunPython(tier_tokens, drop_tier_tokens),
    ]

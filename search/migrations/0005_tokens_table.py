"""PostgreSQL: tokens move from tsvector columns of the documents' rows (positions, phrase
queries) to a narrow table per generation of position-free vectors with trigrams
(search/backends/embedded.py, PostgreSQL, says why). The live generation's table is filled
from the texts its rows hold, so searching goes on without a rebuild. Nothing changes on
SQLite but the removal of the columns, which were empty there."""

from django.db import migrations

FIELDS = ("title", "keywords", "materials", "body")


def tokens_table(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from search.backends.embedded import PostgreSQL

    dialect = PostgreSQL()
    state = apps.get_model("portal_search", "IndexState").objects.filter(pk=1).first()
    live = state.live_generation if state else 1
    IndexedDocument = apps.get_model("portal_search", "IndexedDocument")
    rows = IndexedDocument.objects.filter(generation=live).values(*dialect.RANKED, *FIELDS)
    with schema_editor.connection.cursor() as cursor:
        dialect.reset_tokens(cursor, live)
        batch = []
        for row in rows.iterator(chunk_size=1000):
            batch.append((row, dialect.vector([row[field] for field in FIELDS])))
            if len(batch) == 1000:
                dialect.write_tokens(cursor, live, batch)
                batch = []
        if batch:
            dialect.write_tokens(cursor, live, batch)
        dialect.finish_tokens(cursor, live)


def drop_tokens_tables(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for parity in (0, 1):
            schema_editor.execute(f"DROP TABLE IF EXISTS portal_search_tokens_{parity}")


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0004_faster_reading")]

    operations = [
        migrations.RunPython(tokens_table, drop_tokens_tables),
        *(
            migrations.RemoveField(model_name="indexeddocument", name=f"{field}_vector")
            for field in ("search", "title", "keywords", "materials")
        ),
    ]

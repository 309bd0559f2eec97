"""PostgreSQL: tokens move from tsvector columns of the documents' rows (positions, phrase
queries) to a narrow table per generation of position-free vectors with trigrams
(search/backends/embedded/postgresql.py says why). The live generation's table is filled
from the texts its rows hold, so searching goes on without a rebuild. Nothing changes on
SQLite but the removal of the columns, which were empty there.

The table, its tokens and its indexes are written here as the backend wrote them when this
migration was made (its PostgreSQL dialect as of e608b62, 2026-12-05), not imported from it: a later
change to the backend must not change what this migration does."""

import re
import unicodedata

from django.db import migrations

FIELDS = ("title", "keywords", "materials", "body")
# A tier's tokens carry its mark in the vector; the body's are only among everyone's.
MARKS = {"title": "^t", "keywords": "^k", "materials": "^m"}
# The columns a search reads, copied from the document's row.
RANKED = ["id", "generation", "page_id", "facets", "boost", "title_length", "expire_at"]
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
RUN = re.compile(rf"[{HAN}]+|[0-9a-z]+")


def pieces_of(text):
    """A field's tokens, once each: Latin words; for each run of Chinese characters its
    trigrams, its closing bigram and its last character."""
    found = {}
    for run in RUN.findall(unicodedata.normalize("NFKC", text or "").lower()):
        if len(run) == 1 or run[0] <= "z":  # a lone character, or letters and digits
            found[run] = None
            continue
        if len(run) > 2:
            found.update(dict.fromkeys(map("".join, zip(run, run[1:], run[2:]))))
        found[run[-2:]] = None
        found[run[-1]] = None
    return found


def vector(texts):
    """The tsvector input of a document's texts, in FIELDS order."""
    everything, marked = {}, []
    for field, text in zip(FIELDS, texts):
        found = pieces_of(text)
        everything.update(found)
        if field in MARKS:
            marked += [MARKS[field] + token for token in found]
    return " ".join(f"'{token}'" for token in [*everything, *marked])


def write(cursor, table, rows):
    with cursor.copy(f"COPY {table} ({', '.join([*RANKED, 'tokens'])}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([*(row[column] for column in RANKED), vector(row[f] for f in FIELDS)])


def tokens_table(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    state = apps.get_model("portal_search", "IndexState").objects.filter(pk=1).first()
    live = state.live_generation if state else 1
    table = f"portal_search_tokens_{live % 2}"
    IndexedDocument = apps.get_model("portal_search", "IndexedDocument")
    rows = IndexedDocument.objects.filter(generation=live).values(*RANKED, *FIELDS)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            f"CREATE TABLE {table} (id bigint PRIMARY KEY, generation integer NOT NULL, "
            "page_id integer NOT NULL, facets text NOT NULL, boost double precision NOT NULL, "
            "title_length smallint NOT NULL, expire_at timestamptz, tokens tsvector NOT NULL)"
        )
        cursor.execute(f"CREATE INDEX {table}_page ON {table} (page_id)")
        batch = []
        for row in rows.iterator(chunk_size=1000):
            batch.append(row)
            if len(batch) == 1000:
                write(cursor, table, batch)
                batch = []
        if batch:
            write(cursor, table, batch)
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {table}_gin ON {table} USING gin (tokens)")
        cursor.execute(f"ANALYZE {table}")


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

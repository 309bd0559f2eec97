"""The embedded backend on SQLite: FTS5 tables of the application's tokens (search/text.py)."""

import json

from django.db import connection

from search.backends.embedded.dialect import Dialect
from search.backends.embedded.rows import ENTRY
from search.documents import TEXT_FIELDS
from search.text import index_text

FTS_COLUMNS = "title, keywords, materials, body"
TIER_COLUMNS = "title, keywords, materials"
# SQLite's index of what a search reads for each matching row (migration 0004).
RANKING_INDEX = "search_entry_ranking"


class SQLite(Dialect):
    """FTS5 match strings. Tokens in two FTS5 tables, one row per document: every field (what
    matches), and the three stronger tiers' fields alone (what ranks: a tier test then reads
    only the tokens of titles, keywords and materials, a fifth of the index)."""

    AND, OR = " AND ", " OR "
    contains = "instr(e.facets, %s) > 0"

    @staticmethod
    def leave_out(page_ids):
        return "e.page_id NOT IN (SELECT value FROM json_each(%s))", [json.dumps(page_ids)]

    @staticmethod
    def quote(token):
        # Tokens hold only Chinese characters, letters and digits (search.text.RUN), so a
        # double-quoted FTS5 string needs no escaping; quoting keeps FTS5's own syntax out.
        return f'"{token}"'

    def variant(self, term):
        parts = [self.quote(" ".join(phrase)) for phrase in term.phrases]
        parts += [self.quote(char) + "*" for char in term.prefixes]
        return "(" + " AND ".join(parts) + ")"

    @staticmethod
    def table(generation):
        return f"portal_search_fts_{generation % 2}"

    @staticmethod
    def tiers_table(generation):
        return f"portal_search_tiers_{generation % 2}"

    def tables(self, generation):
        return [self.table(generation), self.tiers_table(generation)]

    def source(self, generation):
        # Driven by the FTS5 match, each row read from the ranking index, never the table;
        # without INDEXED BY, SQLite 3.40 reads the table's rows (4 times slower at 26,000).
        table = self.table(generation)
        return f"{table} JOIN {ENTRY} e INDEXED BY {RANKING_INDEX} ON e.id = {table}.rowid"

    def match(self, term_query, generation):
        return f"{self.table(generation)} MATCH %s", [term_query]

    def frequency(self, term_query, generation):
        # FTS5 counts a term's documents from its index alone: 2 ms for one in 26,000.
        table = self.table(generation)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {table} MATCH %s", [term_query])
            return cursor.fetchone()[0]

    def field_test(self, field, term_query, generation):
        if field:
            table, match = self.tiers_table(generation), f"{{{field}}} : ({term_query})"
        else:
            table, match = self.table(generation), term_query
        # SQLite runs an uncorrelated IN (SELECT ...) once per statement, as a set.
        return f"e.id IN (SELECT rowid FROM {table} WHERE {table} MATCH %s)", [match]

    def prepare(self, doc):
        return [index_text(getattr(doc, name) or "") for name in TEXT_FIELDS]

    def write_tokens(self, cursor, generation, rows):
        cursor.executemany(
            f"INSERT INTO {self.table(generation)} (rowid, {FTS_COLUMNS}) "
            "VALUES (%s, %s, %s, %s, %s)",
            [(row["id"], *prepared) for row, prepared in rows],
        )
        cursor.executemany(
            f"INSERT INTO {self.tiers_table(generation)} (rowid, {TIER_COLUMNS}) "
            "VALUES (%s, %s, %s, %s)",
            [(row["id"], *prepared[:3]) for row, prepared in rows],
        )

    def delete_tokens(self, cursor, generation, page_ids):
        for table in (self.table(generation), self.tiers_table(generation)):
            cursor.execute(
                f"DELETE FROM {table} WHERE rowid IN (SELECT id FROM {ENTRY} "
                f"WHERE generation = %s AND page_id IN ({', '.join(['%s'] * len(page_ids))}))",
                [generation, *page_ids],
            )

    def reset_tokens(self, cursor, generation):
        self.drop_tokens(cursor, generation)
        for table, columns in (
            (self.table(generation), FTS_COLUMNS),
            (self.tiers_table(generation), TIER_COLUMNS),
        ):
            # No per-document column sizes (only bm25 reads them), and segments merged in
            # larger steps while a rebuild writes: a quarter less time writing tokens.
            cursor.execute(f"CREATE VIRTUAL TABLE {table} USING fts5({columns}, columnsize=0)")
            cursor.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', 8)")

    def drop_tokens(self, cursor, generation):
        cursor.execute(f"DROP TABLE IF EXISTS {self.table(generation)}")
        cursor.execute(f"DROP TABLE IF EXISTS {self.tiers_table(generation)}")

    def bulk_loading(self, cursor):
        # A rebuild touches the same index pages chunk after chunk: 2 MB of page cache (the
        # default) re-reads them from the file every time; 256 MB keeps them.
        cursor.execute("PRAGMA cache_size = -262144")

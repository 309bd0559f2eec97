"""The embedded backend on SQLite: FTS5 tables of the application's tokens (search/text.py)."""

import json

from django.db import connection

from search.backends.embedded.dialect import Dialect, necessary
from search.backends.embedded.rows import ENTRY
from search.documents import TEXT_FIELDS
from search.text import index_text

FTS_COLUMNS = "title, keywords, materials, body"
NAME_COLUMNS = "title, keywords"
# SQLite's index of what a search reads for each matching row (migration 0004).
RANKING_INDEX = "search_entry_ranking"


class SQLite(Dialect):
    """FTS5 match strings. Tokens in three FTS5 tables, one row per document: every field (what
    matches), the titles and keywords alone (where items are named: what ranks first, and
    where the lexicon's item names are matched), and the materials alone. A tier test or an
    item name then reads the tokens of titles and keywords only, not the materials lists
    where 居民身份证 is in most guides."""

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

    def variant(self, term, field=None):
        parts = [self.quote(" ".join(phrase)) for phrase in term.phrases]
        parts += [self.quote(char) + "*" for char in term.prefixes]
        found = "(" + " AND ".join(parts) + ")"
        if not term.names or field in self.NAME_FIELDS:
            return found
        # An item name, read in the table of every field: only in titles and keywords.
        return None if field else f"({{{' '.join(self.NAME_FIELDS)}}} : {found})"

    @staticmethod
    def table(generation):
        return f"portal_search_fts_{generation % 2}"

    @staticmethod
    def names_table(generation):
        return f"portal_search_names_{generation % 2}"

    @staticmethod
    def materials_table(generation):
        return f"portal_search_materials_{generation % 2}"

    def tables(self, generation):
        return [
            self.table(generation),
            self.names_table(generation),
            self.materials_table(generation),
        ]

    def source(self, generation):
        # Each row read from the ranking index, never the table; without INDEXED BY,
        # SQLite 3.40 reads the table's rows (4 times slower at 26,000).
        return f"{ENTRY} e INDEXED BY {RANKING_INDEX}"

    def match(self, term_query, generation):
        table = self.table(generation)
        return f"e.id IN (SELECT rowid FROM {table} WHERE {table} MATCH %s)", [term_query]

    def matching(self, query, minimum, generation):
        # Without the variants another one implies (an item name holding a synonym).
        terms = [tuple(necessary(tuple(variants))) for variants in query.terms]
        named = [variants for variants in terms if any(v.names for v in variants)]
        if minimum is not None or not named:
            return super().matching(query, minimum, generation)
        # Every term: those without an item name in one MATCH; each other one as the rows
        # with its words anywhere, or with its item names in the names table.
        clauses, params = [], []
        plain = [variants for variants in terms if variants not in named]
        if plain:
            sql, plain_params = self.match(
                self.AND.join(f"({self.term_query(v)})" for v in plain), generation
            )
            clauses.append(sql)
            params += plain_params
        table, names = self.table(generation), self.names_table(generation)
        for variants in named:
            anywhere = self.term_query([v for v in variants if not v.names])
            names_query = self.term_query([v for v in variants if v.names], "title")
            sets = [(table, anywhere), (names, names_query)]
            clauses.append(
                "e.id IN ("
                + " UNION ".join(f"SELECT rowid FROM {t} WHERE {t} MATCH %s" for t, q in sets if q)
                + ")"
            )
            params += [q for _, q in sets if q]
        return " AND ".join(clauses), params

    def frequency(self, term_query, generation):
        # FTS5 counts a term's documents from its index alone: 2 ms for one in 26,000.
        table = self.table(generation)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {table} MATCH %s", [term_query])
            return cursor.fetchone()[0]

    def field_test(self, field, term_query, generation):
        if not term_query:
            return "FALSE", []
        if field in self.NAME_FIELDS:
            table, match = self.names_table(generation), f"{{{field}}} : ({term_query})"
        elif field:
            table, match = self.materials_table(generation), term_query
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
            f"INSERT INTO {self.names_table(generation)} (rowid, {NAME_COLUMNS}) "
            "VALUES (%s, %s, %s)",
            [(row["id"], *prepared[:2]) for row, prepared in rows],
        )
        cursor.executemany(
            f"INSERT INTO {self.materials_table(generation)} (rowid, materials) VALUES (%s, %s)",
            [(row["id"], prepared[2]) for row, prepared in rows if prepared[2]],
        )

    def delete_tokens(self, cursor, generation, page_ids):
        for table in self.tables(generation):
            cursor.execute(
                f"DELETE FROM {table} WHERE rowid IN (SELECT id FROM {ENTRY} "
                f"WHERE generation = %s AND page_id IN ({', '.join(['%s'] * len(page_ids))}))",
                [generation, *page_ids],
            )

    def reset_tokens(self, cursor, generation):
        self.drop_tokens(cursor, generation)
        for table, columns in zip(
            self.tables(generation), (FTS_COLUMNS, NAME_COLUMNS, "materials"), strict=True
        ):
            # No per-document column sizes (only bm25 reads them), and segments merged in
            # larger steps while a rebuild writes: a quarter less time writing tokens.
            cursor.execute(f"CREATE VIRTUAL TABLE {table} USING fts5({columns}, columnsize=0)")
            cursor.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', 8)")

    def drop_tokens(self, cursor, generation):
        for table in self.tables(generation):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")

    def bulk_loading(self, cursor):
        # A rebuild touches the same index pages chunk after chunk: 2 MB of page cache (the
        # default) re-reads them from the file every time; 256 MB keeps them.
        cursor.execute("PRAGMA cache_size = -262144")

"""The embedded backend: the site's own database as the search engine, nothing to install.

Documents live in IndexedDocument rows; Chinese is tokenised by the application
(search/text.py: character bigrams), so the database only has to match whole tokens, which
both do well:

- SQLite: an FTS5 table (title, keywords, materials, body), rowid = the document's id,
  holding the token text. A term is an FTS5 phrase of its bigrams (营业执照 → "营业 业执
  执照"), so it matches exactly where the text contains it.
- PostgreSQL: a narrow table of position-free tsvectors (trigrams) with a GIN index; a term
  is an AND of its pieces ('营业执' & '业执照'), a bigram a prefix ('社保':*). Why not
  phrases: see the PostgreSQL dialect below.

Ranking is the same on both, and on Elasticsearch: each term scores by the strongest field
it appears in (title 10, keywords 5, materials 2, anywhere else 1), the sum is multiplied by
the high-frequency boost, and a shorter title wins a tie (营业执照 before 营业执照注销).

Generations give the rebuild its atomic swap: a rebuild writes generation N+1 beside the live
N, then one transaction makes N+1 live and deletes N. Searches read only the live generation.
Each generation has its own token tables (SQLite: portal_search_fts_0 and _1, by parity, and
their tiers; PostgreSQL: portal_search_tokens_0 and _1), so retiring a generation drops a
table instead of deleting 55,000 rows from an index, and PostgreSQL builds a generation's GIN
index once, after its rows are written.
"""

import json
import re
from collections import Counter

from django.db import connection, transaction
from django.utils import timezone

from search.backends.base import (
    AUDIENCE_BOTH,
    FACET_FIELDS,
    MULTI_VALUED,
    BaseSearchBackend,
    row_passes,
)
from search.documents import TEXT_FIELDS
from search.models import IndexedDocument, IndexState, SuggestionKey
from search.query import Hit, Suggestion
from search.text import HAN_RUN, RUN, index_text, normalise

ENTRY = IndexedDocument._meta.db_table
KEYS = SuggestionKey._meta.db_table
STATE = IndexState._meta.db_table
FTS_COLUMNS = "title, keywords, materials, body"
TIER_COLUMNS = "title, keywords, materials"
HIT_COLUMNS = "e.id, e.page_id, e.kind, e.title, e.url, e.summary, e.body, e.keywords, e.details"
# SQLite's index of what a search reads for each matching row (migration 0004).
RANKING_INDEX = "search_entry_ranking"
# The columns a document writes, but its id and generation.
ENTRY_FIELDS = [
    f for f in IndexedDocument._meta.concrete_fields if not f.primary_key and f.name != "generation"
]
ENTRY_COLUMNS = ["generation", *(f.column for f in ENTRY_FIELDS)]
KEY_COLUMNS = ["generation", "page_id", "key", "weight"]
# Columns whose Python values the database adapter cannot take as they are.
ADAPTED = {"date", "expire_at", "details"}


def entry_values(doc) -> list:
    """A document's IndexedDocument columns (ENTRY_FIELDS) as Python values; built without
    model instances, since a rebuild writes 55,000."""
    values = {
        "page_id": doc.page_id,
        "kind": doc.kind,
        "facets": facets_column(doc),
        "high_frequency": bool(doc.high_frequency),
        "boost": doc.boost,
        "title_length": len(doc.title),
        "date": doc.date.date() if hasattr(doc.date, "date") else doc.date,
        "expire_at": doc.expire_at,
        "title": doc.title[:255],
        "url": doc.url,
        "summary": doc.summary or "",
        "details": dict(doc.details or {}),
        "keywords": doc.keywords or "",
        "materials": doc.materials or "",
        "body": doc.body or "",
    }
    return [values[field.name] for field in ENTRY_FIELDS]


def adapted(values) -> list:
    """entry_values as the database takes them (dates, JSON): in the writing process, since
    the adapted forms are the connection's (a PostgreSQL Jsonb does not cross a pipe)."""
    return [
        field.get_db_prep_save(value, connection) if field.name in ADAPTED else value
        for field, value in zip(ENTRY_FIELDS, values, strict=True)
    ]


# One past the last character a key can hold: the end of a prefix range.
KEY_END = "\U0010ffff"


def facets_column(doc) -> str:
    """A document's facet values as one string: "|kind=guide|department=D01|theme=t1|…|".
    One value is found with instr(), and grouping by the string counts every facet at once."""
    pairs = [(field, getattr(doc, field)) for field in FACET_FIELDS.values()]
    return "|" + "".join(
        f"{field}={value}|"
        for field, values in pairs
        for value in (values if field in MULTI_VALUED else [values])
        if value
    )


def facet_test(field, value) -> str:
    return f"|{field}={value}|"


def facet_values(column: str) -> dict:
    """facets_column read back: field → value, or field → [values] for multi-valued fields."""
    row = {field: [] if field in MULTI_VALUED else "" for field in FACET_FIELDS.values()}
    for pair in column.strip("|").split("|"):
        field, _, value = pair.partition("=")
        if field in MULTI_VALUED:
            row[field].append(value)
        elif field in row:
            row[field] = value
    return row


class Dialect:
    """How one database matches terms. A term (a tuple of variants, any of which may match)
    becomes one query string in the database's syntax; `field_test` says whether a row has
    it in one field ("title", "keywords", "materials") or anywhere (None)."""

    def variant(self, term) -> str:
        raise NotImplementedError

    def term_query(self, variants) -> str:
        return self.OR.join(self.variant(v) for v in variants)

    def field_test(self, field, term_query, generation) -> tuple[str, list]:
        raise NotImplementedError

    def source(self, generation) -> str:
        """The FROM clause of a search: the documents (alias e) and what matches them."""
        raise NotImplementedError

    def matching(self, query, minimum, generation):
        """Rows with every term anywhere (minimum None), or with at least `minimum` terms."""
        if minimum is None:
            terms = self.AND.join(f"({self.term_query(v)})" for v in query.terms)
            return self.match(terms, generation)
        if minimum <= 1:
            return self.match(
                self.OR.join(f"({self.term_query(v)})" for v in query.terms), generation
            )
        # A row with at least m of n terms has one of any n - m + 1 of them: the rarest
        # n - m + 1 find every candidate (出租车从业资格证: 出租 or 租车…, not 资格 in 10,000 rows).
        drivers = self.rarest(query.terms, len(query.terms) - minimum + 1, generation)
        terms = self.OR.join(f"({self.term_query(v)})" for v in drivers)
        sql, params = self.match(terms, generation)
        counted = []
        for variants in query.terms:
            test, test_params = self.field_test(None, self.term_query(variants), generation)
            counted.append(f"CASE WHEN {test} THEN 1 ELSE 0 END")
            params += test_params
        return f"{sql} AND {' + '.join(counted)} >= %s", [*params, minimum]

    def match(self, term_query, generation) -> tuple[str, list]:
        """The WHERE condition that drives a search (the FTS5 MATCH, the GIN-indexed @@)."""
        raise NotImplementedError

    def leave_out(self, page_ids) -> tuple[str, list]:
        """The condition that leaves these pages' rows (alias e) out, with one parameter for
        any number of pages (a hidden section can hold thousands)."""
        raise NotImplementedError

    def rarest(self, terms, count, generation):
        """`count` of `terms`, those in the fewest documents (each counted from the index)."""
        frequencies = [self.frequency(self.term_query(v), generation) for v in terms]
        by_rarity = sorted(range(len(terms)), key=frequencies.__getitem__)
        return [terms[i] for i in sorted(by_rarity[:count])]

    def frequency(self, term_query, generation) -> int:
        """How many documents of the generation match."""
        raise NotImplementedError

    def score(self, query, relaxed, generation):
        """Each term scores by the strongest field it is found in (title 10, keywords 5,
        materials 2, anywhere else 1), summed over the terms. Outside a relaxed search every
        term is somewhere in every row, so "anywhere" needs no test."""
        weights = list(TEXT_FIELDS.values())
        cases, params = [], []
        for variants in query.terms:
            term_query = self.term_query(variants)
            whens = []
            for field, weight in zip(("title", "keywords", "materials"), weights[:3], strict=True):
                test, test_params = self.field_test(field, term_query, generation)
                whens.append(f"WHEN {test} THEN {weight}")
                params += test_params
            if relaxed:
                test, test_params = self.field_test(None, term_query, generation)
                whens.append(f"WHEN {test} THEN {weights[3]}")
                params += test_params
            cases.append(f"CASE {' '.join(whens)} ELSE {0 if relaxed else weights[3]} END")
        return " + ".join(cases), params

    def title_match(self, term, generation, visible, limit):
        """Rows whose title holds `term`; `visible` (a condition on alias e with its
        params) and `limit` say which of them a suggestion can show."""
        return self.field_test("title", self.variant(term), generation)

    # Token storage. `prepare` runs where documents are built (in worker processes during a
    # rebuild: tokenising is a third of the work); `write_tokens` stores its result.
    def prepare(self, doc):
        raise NotImplementedError

    def write_tokens(self, cursor, generation, rows):
        """Store `(row, prepared)` pairs: a document's row as written (its columns by name,
        id included) and what `prepare` returned for it."""
        raise NotImplementedError

    def delete_tokens(self, cursor, generation, page_ids):
        pass

    def reset_tokens(self, cursor, generation):
        """Empty token storage for a generation about to be written."""

    def finish_tokens(self, cursor, generation):
        """Token storage of a generation completely written, before it goes live."""

    def tables(self, generation) -> list[str]:
        """The tables holding a generation's tokens."""
        return []

    def drop_tokens(self, cursor, generation):
        """Token storage of a generation retired."""

    def insert(self, cursor, table, columns, rows):
        """Rows (tuples in `columns` order) into a table."""
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            rows,
        )

    def bulk_loading(self, cursor):
        """Settings for this connection while a rebuild writes."""


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


class PostgreSQL(Dialect):
    """tsquery strings over one position-free tsvector per document, in a narrow table of
    its own per generation (portal_search_tokens_0 and _1, by parity, like SQLite's FTS5
    tables): id, what a search ranks and counts by, and the vector (out of line in TOAST).

    Why so: a tsquery phrase (<->) needs positions, which GIN does not hold, so every
    candidate's whole vector was read back from TOAST and decompressed (20 µs a row, 300 ms
    for the 17,000 documents with 营业执照); and the documents' own rows, with their texts,
    fill a page with five, so visiting 6,000 matches read 5,000 pages. Here the vector holds
    no positions but trigrams (and each run's closing bigram and character: pieces_of), and
    a term is an AND of its pieces, which GIN answers exactly with no recheck: a
    two-character term is a prefix ('社保':*, any trigram it starts or a closing 社保), a
    three-character one its trigram (both exact, like the phrase), a longer one all its
    trigrams (营业执照 → 营业执 & 业执照: more than the phrase only where a text holds every
    piece but never the whole). The tiers' tokens are in the same vector, marked (^t营业 for a title's), so tier
    tests and partial matches are sets from the same GIN index; a search reads no vector."""

    AND, OR = " & ", " | "
    contains = "strpos(e.facets, %s) > 0"
    # A tier's tokens in the vector carry its mark; the unmarked tokens are all the fields'.
    MARKS = {"title": "^t", "keywords": "^k", "materials": "^m", None: ""}
    QUOTED = re.compile(r"'([^']*)'")
    # The columns a search reads from the tokens table (copied from the document's row).
    RANKED = ["id", "generation", "page_id", "facets", "boost", "title_length", "expire_at"]

    @staticmethod
    def quote(token):
        return f"'{token}'"  # only Chinese characters, letters and digits: nothing to escape

    @staticmethod
    def leave_out(page_ids):
        return "e.page_id <> ALL(%s)", [page_ids]  # one array parameter

    @staticmethod
    def table(generation):
        return f"portal_search_tokens_{generation % 2}"

    @classmethod
    def pieces(cls, phrase) -> list[str]:
        """The tsquery operands a phrase of Term is matched by: a Latin word itself; a bigram
        as a prefix (any trigram it starts, or a run's closing bigram); else the trigrams of
        the characters its bigrams spell."""
        if len(phrase) == 1:
            token = phrase[0]
            return [cls.quote(token) + (":*" if HAN_RUN.fullmatch(token) else "")]
        run = phrase[0] + "".join(bigram[1] for bigram in phrase[1:])
        return [cls.quote(run[i : i + 3]) for i in range(len(run) - 2)]

    def variant(self, term):
        parts = [piece for phrase in term.phrases for piece in self.pieces(phrase)]
        parts += [self.quote(char) + ":*" for char in term.prefixes]
        return "(" + " & ".join(parts) + ")"

    def marked(self, field, term_query):
        return self.QUOTED.sub(lambda m: f"'{self.MARKS[field]}{m[1]}'", term_query)

    def tables(self, generation):
        return [self.table(generation)]

    def source(self, generation):
        return f"{self.table(generation)} e"

    def match(self, term_query, generation):
        return "e.tokens @@ %s::tsquery", [term_query]

    def field_test(self, field, term_query, generation):
        # A set from the GIN index, computed once per statement (a hashed SubPlan).
        table = self.table(generation)
        return (
            f"e.id IN (SELECT id FROM {table} WHERE tokens @@ %s::tsquery)",
            [self.marked(field, term_query)],
        )

    def title_match(self, term, generation, visible, limit):
        # The best-ranked matching titles found in the tokens table, which holds what
        # suggestions are ordered by. Tested as a set from the documents' side instead, the
        # planner walked every document in boost order probing it, 600 ms when few match.
        condition, params = visible
        return (
            f"e.id IN (SELECT e.id FROM {self.table(generation)} e "
            f"WHERE e.tokens @@ %s::tsquery AND {condition} "
            "ORDER BY e.boost DESC, e.title_length, e.page_id LIMIT %s)",
            [self.marked("title", self.variant(term)), *params, limit],
        )

    def frequency(self, term_query, generation):
        # From the GIN index and the visibility map: about a millisecond.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {self.table(generation)} WHERE tokens @@ %s::tsquery",
                [term_query],
            )
            return cursor.fetchone()[0]

    @staticmethod
    def pieces_of(text) -> dict:
        """A field's tokens, once each: Latin words; for each run of Chinese characters its
        trigrams, its closing bigram and its last character. So every bigram of the text
        starts some token (the prefix a bigram term is), and every character too, with half
        the tokens of keeping the bigrams beside the trigrams."""
        found = {}
        for run in RUN.findall(normalise(text)):
            if len(run) == 1 or run[0] <= "z":  # a lone character, or letters and digits
                found[run] = None
                continue
            if len(run) > 2:
                found.update(dict.fromkeys(map("".join, zip(run, run[1:], run[2:], strict=False))))
            found[run[-2:]] = None
            found[run[-1]] = None
        return found

    def vector(self, fields) -> str:
        """The tsvector of a document's texts (TEXT_FIELDS order), as tsvector input."""
        everything = {}
        marked = []
        for field, text in zip(TEXT_FIELDS, fields, strict=True):
            found = self.pieces_of(text)
            everything.update(found)
            mark = self.MARKS.get(field)
            if mark:
                marked += [mark + token for token in found]
        return " ".join(f"'{token}'" for token in [*everything, *marked])

    def prepare(self, doc):
        return self.vector([getattr(doc, name) or "" for name in TEXT_FIELDS])

    def insert(self, cursor, table, columns, rows):
        # COPY: a third of the time of executemany's statement per row, for 55,000
        # documents and a million suggestion keys in a rebuild.
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def write_tokens(self, cursor, generation, rows):
        self.insert(
            cursor,
            self.table(generation),
            [*self.RANKED, "tokens"],
            [(*(row[c] for c in self.RANKED), vector) for row, vector in rows],
        )

    def delete_tokens(self, cursor, generation, page_ids):
        cursor.execute(
            f"DELETE FROM {self.table(generation)} WHERE generation = %s "
            f"AND page_id IN ({', '.join(['%s'] * len(page_ids))})",
            [generation, *page_ids],
        )

    def reset_tokens(self, cursor, generation):
        self.drop_tokens(cursor, generation)
        table = self.table(generation)
        cursor.execute(
            f"CREATE TABLE {table} (id bigint PRIMARY KEY, generation integer NOT NULL, "
            "page_id integer NOT NULL, facets text NOT NULL, boost double precision NOT NULL, "
            "title_length smallint NOT NULL, expire_at timestamptz, tokens tsvector NOT NULL)"
        )
        cursor.execute(f"CREATE INDEX {table}_page ON {table} (page_id)")

    def finish_tokens(self, cursor, generation):
        # Built once over the whole generation, which is several times faster than keeping
        # the index up to date row by row while a rebuild writes.
        table = self.table(generation)
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {table}_gin ON {table} USING gin (tokens)")
        cursor.execute(f"ANALYZE {table}")

    def drop_tokens(self, cursor, generation):
        cursor.execute(f"DROP TABLE IF EXISTS {self.table(generation)}")

    def bulk_loading(self, cursor):
        # Memory for building the GIN index in one pass (the default 64 MB makes it spill).
        cursor.execute("SET maintenance_work_mem = '256MB'")


class SearchBackend(BaseSearchBackend):
    def __init__(self, alias, params):
        super().__init__(alias, params)
        self.dialect = PostgreSQL() if connection.vendor == "postgresql" else SQLite()

    # --- generations ---------------------------------------------------------------------

    @staticmethod
    def state():
        state, _ = IndexState.objects.get_or_create(pk=1)
        return state

    @staticmethod
    def live():
        """The generation searches read: one indexed read per search, no ORM."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT live_generation FROM {STATE} WHERE id = 1")
            row = cursor.fetchone()
        return row[0] if row else SearchBackend.state().live_generation

    def generations(self):
        state = self.state()
        return [g for g in (state.live_generation, state.building_generation) if g]

    # --- writing -------------------------------------------------------------------------

    def _insert(self, generation, documents):
        prepared = [self.prepared(doc) for doc in documents]
        page_ids = [doc.page_id for doc in documents]
        # The dialect's bulk insert (executemany, COPY) rather than bulk_create: Django splits
        # a bulk insert into statements of at most 999 parameters on SQLite (41 rows of this
        # table), and a rebuild writes 55,000 documents and a million suggestion keys.
        with connection.cursor() as cursor:
            rows = [(generation, *adapted(values)) for values, _, _ in prepared]
            self.dialect.insert(cursor, ENTRY, ENTRY_COLUMNS, rows)
            cursor.execute(
                f"SELECT page_id, id FROM {ENTRY} WHERE generation = %s AND page_id >= %s AND page_id <= %s",
                [generation, min(page_ids), max(page_ids)],
            )
            ids = dict(cursor.fetchall())
            self.dialect.insert(
                cursor,
                KEYS,
                KEY_COLUMNS,
                [
                    (generation, page_id, key[:255], weight)
                    for page_id, (_, keys, _) in zip(page_ids, prepared, strict=True)
                    for key, weight in keys
                ],
            )
            self.dialect.write_tokens(
                cursor,
                generation,
                [
                    (dict(zip(ENTRY_COLUMNS, row, strict=True), id=ids[page_id]), tokens)
                    for page_id, row, (_, _, tokens) in zip(page_ids, rows, prepared, strict=True)
                ],
            )

    def prepare(self, doc):
        """Everything `_insert` writes for a document but its generation and row id: computed
        where documents are built, in worker processes during a rebuild
        (sources.public_documents), so the writing process only writes."""
        return entry_values(doc), doc.suggest_keys, self.dialect.prepare(doc)

    def prepared(self, doc):
        return doc.prepared if doc.prepared is not None else self.prepare(doc)

    def _delete(self, page_ids, generations):
        page_ids = list(page_ids)
        with connection.cursor() as cursor:
            for start in range(0, len(page_ids), 500):
                chunk = page_ids[start : start + 500]
                pages = ", ".join(["%s"] * len(chunk))
                for generation in generations:
                    self.dialect.delete_tokens(cursor, generation, chunk)
                in_generations = ", ".join(["%s"] * len(generations))
                for table in (ENTRY, KEYS):
                    cursor.execute(
                        f"DELETE FROM {table} WHERE page_id IN ({pages}) AND generation IN ({in_generations})",
                        [*chunk, *generations],
                    )

    def _written(self, page_ids, generation) -> list[int]:
        """Those of `page_ids` with a document in the generation."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT page_id FROM {ENTRY} WHERE generation = %s "
                f"AND page_id IN ({', '.join(['%s'] * len(page_ids))})",
                [generation, *page_ids],
            )
            return [row[0] for row in cursor.fetchall()]

    def update(self, documents):
        documents = list(documents)
        if not documents:
            return
        with transaction.atomic():
            generations = self.generations()
            self._delete([doc.page_id for doc in documents], generations)
            for generation in generations:
                self._insert(generation, documents)

    def remove(self, page_ids):
        with transaction.atomic():
            self._delete(list(page_ids), self.generations())

    def rebuild(self, chunks):
        with transaction.atomic():
            state = IndexState.objects.select_for_update().get_or_create(pk=1)[0]
            # Whatever a crashed rebuild left goes first; the new generation then takes the
            # other FTS5 table than the live one.
            self._retire_all_but(state.live_generation)
            generation = state.live_generation + 1
            with connection.cursor() as cursor:
                self.dialect.reset_tokens(cursor, generation)
                self.dialect.bulk_loading(cursor)
            state.building_generation = generation
            state.save()
        try:
            for documents in chunks:
                with transaction.atomic():
                    # Pages an update wrote to the new generation meanwhile are replaced:
                    # seldom any, so looked for first (deleting blindly from every table took
                    # a tenth of a rebuild on PostgreSQL).
                    written = self._written([doc.page_id for doc in documents], generation)
                    if written:
                        self._delete(written, [generation])
                    self._insert(generation, documents)
                yield len(documents)
        except BaseException:
            with transaction.atomic():
                IndexState.objects.filter(pk=1).update(building_generation=None)
                self._retire_all_but(self.state().live_generation)
            raise
        with transaction.atomic():
            with connection.cursor() as cursor:
                self.dialect.finish_tokens(cursor, generation)
            IndexState.objects.filter(pk=1).update(
                live_generation=generation, building_generation=None
            )
            self._retire_all_but(generation)

    def _retire_all_but(self, generation):
        with connection.cursor() as cursor:
            for table in (ENTRY, KEYS):
                cursor.execute(f"DELETE FROM {table} WHERE generation <> %s", [generation])
            self.dialect.drop_tokens(cursor, generation + 1)  # the other parity's table

    def clear(self):
        with transaction.atomic(), connection.cursor() as cursor:
            live = self.state().live_generation
            self._retire_all_but(live)
            for table in (ENTRY, KEYS):
                cursor.execute(f"DELETE FROM {table}")
            self.dialect.reset_tokens(cursor, live)
            self.dialect.finish_tokens(cursor, live)

    def page_ids(self):
        live = self.state().live_generation
        return set(
            IndexedDocument.objects.filter(generation=live).values_list("page_id", flat=True)
        )

    # --- reading -------------------------------------------------------------------------

    def _visible(self, generation, hidden):
        """Rows a visitor may see: of the live generation, unexpired, and not of a page hidden
        since it was written (search/hidden.py)."""
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        sql = "e.generation = %s AND (e.expire_at IS NULL OR e.expire_at > %s)"
        if not hidden:
            return sql, [generation, now]
        left_out, params = self.dialect.leave_out(sorted(hidden))
        return f"{sql} AND {left_out}", [generation, now, *params]

    def _filters(self, filters):
        contains = self.dialect.contains
        clauses, params = [], []
        for name, wanted in filters.items():
            field = FACET_FIELDS[name]
            for value in wanted if isinstance(wanted, list | tuple) else [wanted]:
                if name == "audience":
                    clauses.append(f"({contains} OR {contains})")
                    params += [facet_test(field, value), facet_test(field, AUDIENCE_BOTH)]
                else:
                    clauses.append(contains)
                    params.append(facet_test(field, value))
        return "".join(f" AND {clause}" for clause in clauses), params

    def _search(self, request, hidden):
        live = self.live()
        visible, visible_params = self._visible(live, hidden)
        minimum = request.minimum_match if request.relaxed else None
        matching, matching_params = self.dialect.matching(request.query, minimum, live)
        score, score_params = self.dialect.score(request.query, request.relaxed, live)
        filters, filter_params = self._filters(request.filters)
        # One statement, one pass over the matches (m): every matching row is found and
        # scored once, then grouped by facet values for the counts, and ranked within the
        # filters for the page. Ties go to the shorter title (营业执照 before 营业执照注销 for
        # 营业执照), then to the older page, so a page's place never depends on the order of
        # writing. Only ids are ranked; the page's rows are read after.
        sql = (
            "WITH m AS MATERIALIZED ("
            f"SELECT e.id, e.facets, ({score}) * e.boost AS score, e.title_length, e.page_id "
            f"FROM {self.dialect.source(live)} WHERE {matching} AND {visible}) "
            "SELECT CAST(NULL AS INTEGER), facets, COUNT(*), CAST(NULL AS INTEGER), "
            "CAST(NULL AS INTEGER) FROM m GROUP BY facets "
            "UNION ALL SELECT * FROM (SELECT id, NULL, score, title_length, page_id FROM m e "
            f"WHERE TRUE{filters} ORDER BY score DESC, title_length, page_id "
            "LIMIT %s OFFSET %s) ranked"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                # In the order of the SQL text.
                score_params
                + matching_params
                + visible_params
                + filter_params
                + [request.page_size, request.offset],
            )
            rows = cursor.fetchall()
            # The counts share a column with the scores: a float on PostgreSQL.
            groups = [(facets, int(count)) for pk, facets, count, _, _ in rows if pk is None]
            total, facets = self._count(groups, request.filters)
            # A UNION keeps no order: the page is sorted again by the same keys.
            ranked = sorted((r for r in rows if r[0] is not None), key=lambda r: (-r[2], *r[3:]))
            ids = [r[0] for r in ranked]
            if not ids:
                return total, [], facets
            cursor.execute(
                f"SELECT {HIT_COLUMNS} FROM {ENTRY} e WHERE e.id IN ({', '.join(['%s'] * len(ids))})",
                ids,
            )
            found = {row[0]: row for row in cursor.fetchall()}
            hits = [self._hit(found[pk]) for pk in ids]
        return total, hits, facets

    @staticmethod
    def _count(groups, filters):
        """Total and facet counts from the match set grouped by its facet values."""
        total = 0
        facets = {name: Counter() for name in FACET_FIELDS.values()}
        for column, count in groups:
            row = facet_values(column)
            if row_passes(row, filters, skip=("type",)):
                facets["kind"][row["kind"]] += count
            if not row_passes(row, filters):
                continue
            total += count
            for field in ("department", "audience", "item_type"):
                facets[field][row[field]] += count
            for field in MULTI_VALUED:
                for value in row[field]:
                    facets[field][value] += count
        return total, {name: dict(counts) for name, counts in facets.items()}

    @staticmethod
    def _hit(row):
        _, page_id, kind, title, url, summary, body, keywords, details = row
        return Hit(
            page_id=page_id,
            kind=kind,
            title=title,
            url=url,
            summary=summary,
            body=body,
            keywords=keywords,
            details=json.loads(details) if isinstance(details, str) else details,
        )

    def _suggest(self, key, phrase, limit, hidden):
        live = self.state().live_generation
        column = self._key_column()
        with connection.cursor() as cursor:
            # Weights are a few levels (kind, high frequency, start of title), and keys are
            # indexed by (generation, weight, key). The levels come from one recursive walk
            # down that index, then every level is one short range read that stops at its
            # LIMIT, all in one statement: a two-letter prefix that 30,000 keys share costs no
            # more than a rare one, and two round trips serve any prefix.
            cursor.execute(
                f"WITH RECURSIVE levels(weight) AS ("
                f"SELECT MAX(weight) FROM {KEYS} WHERE generation = %s UNION ALL "
                f"SELECT (SELECT MAX(s.weight) FROM {KEYS} s WHERE s.generation = %s "
                f"AND s.weight < levels.weight) FROM levels WHERE levels.weight IS NOT NULL) "
                f"SELECT weight FROM levels WHERE weight IS NOT NULL",
                [live, live],
            )
            levels = [level for (level,) in cursor.fetchall()]
            rows = []
            if levels:
                per_level = (
                    f"SELECT * FROM (SELECT s.weight, {column} AS key, s.page_id FROM {KEYS} s "
                    f"WHERE s.generation = %s AND s.weight = %s AND {column} >= %s "
                    f"AND {column} < %s ORDER BY {column} LIMIT %s) AS level_{{}}"
                )
                cursor.execute(
                    " UNION ALL ".join(per_level.format(n) for n in range(len(levels))),
                    [p for level in levels for p in (live, level, key, key + KEY_END, limit * 3)],
                )
                # UNION ALL promises no order: highest level first, each in key order (UTF-8
                # byte order, the "C" collation, is code point order, as Python compares).
                rows = sorted(cursor.fetchall(), key=lambda row: (-row[0], row[1]))
            # Whole levels from the top until enough pages are found.
            weights, level = {}, None
            for weight, _, page_id in rows:
                if weight != level and len(weights) >= limit * 2:
                    break
                weights.setdefault(page_id, weight)
                level = weight
            found = self._suggestion_rows(
                cursor, live, hidden, "e.page_id IN ({})", list(weights), len(weights)
            )
            found.sort(key=lambda row: (-weights[row[0]], len(row[1]), row[1]))
            if phrase and len(found) < limit:
                # Titles that contain what was typed (执照 → 营业执照), after those that start with it.
                match, params = self.dialect.title_match(
                    phrase, live, self._visible(live, hidden), limit * 2
                )
                seen = {row[0] for row in found}
                extra = self._suggestion_rows(
                    cursor, live, hidden, match, params, limit * 2, order=True
                )
                found += [row for row in extra if row[0] not in seen]
        return [Suggestion(text=title, url=url, kind=kind) for _, title, url, kind in found[:limit]]

    def _key_column(self):
        return 's.key COLLATE "C"' if connection.vendor == "postgresql" else "s.key"

    def _suggestion_rows(self, cursor, live, hidden, condition, params, limit, order=False):
        if "{}" in condition:
            if not params:
                return []
            condition = condition.format(", ".join(["%s"] * len(params)))
        visible, visible_params = self._visible(live, hidden)
        ordering = " ORDER BY e.boost DESC, e.title_length, e.page_id" if order else ""
        cursor.execute(
            f"SELECT e.page_id, e.title, e.url, e.kind FROM {ENTRY} e WHERE {condition} AND {visible}"
            f"{ordering} LIMIT %s",
            [*params, *visible_params, limit],
        )
        return cursor.fetchall()

    def problems(self):
        live = self.state().live_generation
        present = set(connection.introspection.table_names())
        return [
            f"缺少全文检索表 {table}：请运行 python manage.py rebuild_search_index"
            for table in self.dialect.tables(live)
            if table not in present
        ][:1]

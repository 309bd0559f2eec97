"""The embedded backend: the site's own database as the search engine, nothing to install.

Documents live in IndexedDocument rows; Chinese is tokenised by the application
(search/text.py: character bigrams), so the database only has to match whole tokens, which
both do well:

- SQLite: an FTS5 table (title, keywords, materials, body), rowid = the document's id,
  holding the token text. A term is an FTS5 phrase of its bigrams (营业执照 → "营业 业执
  执照"), so it matches exactly where the text contains it.
- PostgreSQL: tsvector columns (positions included) with a GIN index; a term is a tsquery
  phrase ('营业' <-> '业执' <-> '执照').

Ranking is the same on both, and on Elasticsearch: each term scores by the strongest field
it appears in (title 10, keywords 5, materials 2, anywhere else 1), the sum is multiplied by
the high-frequency boost, and a shorter title wins a tie (营业执照 before 营业执照注销).

Generations give the rebuild its atomic swap: a rebuild writes generation N+1 beside the live
N, then one transaction makes N+1 live and deletes N. Searches read only the live generation.
On SQLite each generation has its own FTS5 table (portal_search_fts_0 and _1, by parity), so
retiring a generation drops a table instead of deleting 55,000 rows from an FTS5 index.
"""

import json
from collections import Counter, defaultdict

from django.db import connection, transaction
from django.utils import timezone

from search.backends.base import FACET_FIELDS, MULTI_VALUED, BaseSearchBackend, row_passes
from search.documents import TEXT_FIELDS
from search.models import IndexedDocument, IndexState, SuggestionKey
from search.query import Hit, Suggestion
from search.text import index_text, tokens

ENTRY = IndexedDocument._meta.db_table
KEYS = SuggestionKey._meta.db_table
FTS_COLUMNS = "title, keywords, materials, body"
HIT_COLUMNS = "e.id, e.page_id, e.kind, e.title, e.url, e.summary, e.body, e.keywords, e.details"
FACET_COLUMNS = "e.kind, e.department, e.theme, e.audience, e.item_type, e.flags"
ENTRY_FIELDS = [
    f
    for f in IndexedDocument._meta.concrete_fields
    if not f.primary_key and not f.column.endswith("_vector")
]
INSERT_ENTRY = (
    f"INSERT INTO {ENTRY} ({', '.join(f.column for f in ENTRY_FIELDS)}) "
    f"VALUES ({', '.join(['%s'] * len(ENTRY_FIELDS))})"
)
INSERT_KEY = f"INSERT INTO {KEYS} (generation, page_id, key, weight) VALUES (%s, %s, %s, %s)"


def row_values(entry):
    """An entry's column values exactly as Model.save() would write them."""
    return [
        field.get_db_prep_save(getattr(entry, field.attname), connection) for field in ENTRY_FIELDS
    ]


# One past the last character a key can hold: the end of a prefix range.
KEY_END = "\U0010ffff"


def plain_dict(value) -> dict:
    """An elasticsearch.dsl AttrDict (lists inside are AttrLists) as JSON-ready data."""
    return value.to_dict() if hasattr(value, "to_dict") else dict(value or {})


def multi(values) -> str:
    """Multi-valued facets are stored "|a|b|", so one value is found with "|a|" inside."""
    return "|" + "|".join(values) + "|" if values else ""


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

    def matching(self, query, relaxed, generation):
        """Rows with every term anywhere (with any term, relaxed)."""
        joiner = self.OR if relaxed else self.AND
        terms = joiner.join(f"({self.term_query(v)})" for v in query.terms)
        return self.field_test(None, terms, generation)

    def score(self, query, generation):
        """Each term scores by the strongest field it is found in (title 10, keywords 5,
        materials 2, anywhere else 1), summed over the terms."""
        weights = list(TEXT_FIELDS.values())
        cases, params = [], []
        for variants in query.terms:
            term_query = self.term_query(variants)
            whens = []
            for field, weight in zip(
                ("title", "keywords", "materials", None), weights, strict=True
            ):
                test, test_params = self.field_test(field, term_query, generation)
                whens.append(f"WHEN {test} THEN {weight}")
                params += test_params
            cases.append(f"CASE {' '.join(whens)} ELSE 0 END")
        return " + ".join(cases), params

    def title_match(self, term, generation):
        return self.field_test("title", self.variant(term), generation)

    # Token storage. `prepare` runs where documents are built (in worker processes during a
    # rebuild: tokenising is a third of the work); `write_tokens` stores its result.
    def prepare(self, doc):
        raise NotImplementedError

    def write_tokens(self, cursor, generation, rows):
        raise NotImplementedError

    def delete_tokens(self, cursor, generation, page_ids):
        pass

    def reset_tokens(self, cursor, generation):
        """Empty token storage for a generation about to be written."""

    def drop_tokens(self, cursor, generation):
        """Token storage of a generation retired."""

    def bulk_loading(self, cursor):
        """Settings for this connection while a rebuild writes."""


class SQLite(Dialect):
    """FTS5 match strings; tokens in the FTS5 table, one row per document."""

    AND, OR = " AND ", " OR "
    contains = "instr({column}, %s) > 0"
    title_length = "length(e.title)"

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

    def field_test(self, field, term_query, generation):
        match = f"{{{field}}} : ({term_query})" if field else term_query
        table = self.table(generation)
        # SQLite runs an uncorrelated IN (SELECT ...) once per statement, as a set.
        return f"e.id IN (SELECT rowid FROM {table} WHERE {table} MATCH %s)", [match]

    def prepare(self, doc):
        return [index_text(getattr(doc, name) or "") for name in TEXT_FIELDS]

    def write_tokens(self, cursor, generation, rows):
        cursor.executemany(
            f"INSERT INTO {self.table(generation)} (rowid, {FTS_COLUMNS}) VALUES (%s, %s, %s, %s, %s)",
            [(pk, *prepared) for pk, prepared in rows],
        )

    def delete_tokens(self, cursor, generation, page_ids):
        cursor.execute(
            f"DELETE FROM {self.table(generation)} WHERE rowid IN (SELECT id FROM {ENTRY} "
            f"WHERE generation = %s AND page_id IN ({', '.join(['%s'] * len(page_ids))}))",
            [generation, *page_ids],
        )

    def reset_tokens(self, cursor, generation):
        self.drop_tokens(cursor, generation)
        cursor.execute(f"CREATE VIRTUAL TABLE {self.table(generation)} USING fts5({FTS_COLUMNS})")

    def drop_tokens(self, cursor, generation):
        cursor.execute(f"DROP TABLE IF EXISTS {self.table(generation)}")

    def bulk_loading(self, cursor):
        # A rebuild touches the same index pages chunk after chunk: 2 MB of page cache (the
        # default) re-reads them from the file every time; 256 MB keeps them.
        cursor.execute("PRAGMA cache_size = -262144")


class PostgreSQL(Dialect):
    """tsquery strings; tsvectors (with positions) in columns of the document's row."""

    AND, OR = " & ", " | "
    contains = "strpos({column}, %s) > 0"
    title_length = "char_length(e.title)"
    VECTORS = {
        "title": "title_vector",
        "keywords": "keywords_vector",
        "materials": "materials_vector",
        None: "search_vector",
    }
    # PostgreSQL keeps positions up to 16383 and at most 256 per lexeme.
    MAX_POSITION = 16383

    @staticmethod
    def quote(token):
        return f"'{token}'"  # only Chinese characters, letters and digits: nothing to escape

    def variant(self, term):
        parts = ["(" + " <-> ".join(map(self.quote, phrase)) + ")" for phrase in term.phrases]
        parts += [self.quote(char) + ":*" for char in term.prefixes]
        return "(" + " & ".join(parts) + ")"

    def field_test(self, field, term_query, generation):
        return f"e.{self.VECTORS[field]} @@ %s::tsquery", [term_query]

    def vector(self, token_list) -> str:
        positions = defaultdict(list)
        for position, token in enumerate(token_list, start=1):
            if token:  # "" is a gap between fields: it takes a position, and holds none
                positions[token].append(min(position, self.MAX_POSITION))
        return " ".join(
            f"'{token}':{','.join(map(str, list(dict.fromkeys(found))[:256]))}"
            for token, found in positions.items()
        )

    def prepare(self, doc):
        fields = [tokens(getattr(doc, name) or "") for name in TEXT_FIELDS]
        # One empty position between fields, so no phrase runs from one into the next.
        everything = [t for field in fields for t in [*field, ""]]
        return [self.vector(everything), *(self.vector(f) for f in fields[:3])]

    def write_tokens(self, cursor, generation, rows):
        cursor.executemany(
            f"UPDATE {ENTRY} SET search_vector = %s::tsvector, title_vector = %s::tsvector, "
            "keywords_vector = %s::tsvector, materials_vector = %s::tsvector WHERE id = %s",
            [(*prepared, pk) for pk, prepared in rows],
        )


class SearchBackend(BaseSearchBackend):
    def __init__(self, alias, params):
        super().__init__(alias, params)
        self.dialect = PostgreSQL() if connection.vendor == "postgresql" else SQLite()

    # --- generations ---------------------------------------------------------------------

    @staticmethod
    def state():
        state, _ = IndexState.objects.get_or_create(pk=1)
        return state

    def generations(self):
        state = self.state()
        return [g for g in (state.live_generation, state.building_generation) if g]

    # --- writing -------------------------------------------------------------------------

    def _insert(self, generation, documents):
        entries = [
            IndexedDocument(
                generation=generation,
                page_id=doc.page_id,
                kind=doc.kind,
                title=doc.title[:255],
                url=doc.url,
                keywords=doc.keywords or "",
                materials=doc.materials or "",
                body=doc.body or "",
                summary=doc.summary or "",
                details=plain_dict(doc.details),
                department=doc.department or "",
                theme=multi(doc.theme),
                audience=doc.audience or "",
                item_type=doc.item_type or "",
                flags=multi(doc.flags),
                high_frequency=bool(doc.high_frequency),
                boost=doc.boost,
                date=doc.date.date() if hasattr(doc.date, "date") else doc.date,
                expire_at=doc.expire_at,
            )
            for doc in documents
        ]
        # One executemany per table rather than bulk_create: Django splits a bulk insert into
        # statements of at most 999 parameters on SQLite (41 rows of this table), and a
        # rebuild writes 55,000 documents and 800,000 suggestion keys.
        with connection.cursor() as cursor:
            cursor.executemany(INSERT_ENTRY, [row_values(entry) for entry in entries])
            cursor.execute(
                f"SELECT page_id, id FROM {ENTRY} WHERE generation = %s AND page_id >= %s AND page_id <= %s",
                [generation, min(e.page_id for e in entries), max(e.page_id for e in entries)],
            )
            ids = dict(cursor.fetchall())
            cursor.executemany(
                INSERT_KEY,
                [
                    (generation, page_id, key[:255], weight)
                    for page_id, weight, keys in (
                        (doc.page_id, doc.suggest_weight, doc.suggest_inputs) for doc in documents
                    )
                    for key in keys
                ],
            )
            self.dialect.write_tokens(
                cursor, generation, [(ids[doc.page_id], self.prepared(doc)) for doc in documents]
            )

    def prepare(self, doc):
        """What a worker process can compute for `_insert` (see sources.public_documents)."""
        return self.dialect.prepare(doc)

    def prepared(self, doc):
        return doc.meta.to_dict().get("prepared") or self.dialect.prepare(doc)

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
                    # Pages an update wrote to the new generation meanwhile are replaced.
                    self._delete([doc.page_id for doc in documents], [generation])
                    self._insert(generation, documents)
                yield len(documents)
        except BaseException:
            with transaction.atomic():
                IndexState.objects.filter(pk=1).update(building_generation=None)
                self._retire_all_but(self.state().live_generation)
            raise
        with transaction.atomic():
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

    def page_ids(self):
        live = self.state().live_generation
        return set(
            IndexedDocument.objects.filter(generation=live).values_list("page_id", flat=True)
        )

    # --- reading -------------------------------------------------------------------------

    def _visible(self, generation):
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        return "e.generation = %s AND (e.expire_at IS NULL OR e.expire_at > %s)", [generation, now]

    def _filters(self, filters):
        clauses, params = [], []
        for name, wanted in filters.items():
            column = "e." + FACET_FIELDS[name]
            if FACET_FIELDS[name] in MULTI_VALUED:
                for value in wanted if isinstance(wanted, list | tuple) else [wanted]:
                    clauses.append(self.dialect.contains.format(column=column))
                    params.append(f"|{value}|")
            elif name == "audience":
                clauses.append(f"{column} IN (%s, 'both')")
                params.append(wanted)
            else:
                clauses.append(f"{column} = %s")
                params.append(wanted)
        return "".join(f" AND {clause}" for clause in clauses), params

    def _search(self, request):
        live = self.state().live_generation
        visible, visible_params = self._visible(live)
        matching, matching_params = self.dialect.matching(request.query, request.relaxed, live)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {FACET_COLUMNS}, COUNT(*) FROM {ENTRY} e WHERE {matching} AND {visible} "
                "GROUP BY 1, 2, 3, 4, 5, 6",
                matching_params + visible_params,
            )
            groups = cursor.fetchall()
            total, facets = self._count(groups, request.filters)
            if not total:
                return 0, [], facets
            score, score_params = self.dialect.score(request.query, live)
            filters, filter_params = self._filters(request.filters)
            # Ties go to the shorter title (营业执照 before 营业执照注销 for 营业执照), then to
            # the older page, so a page's place never depends on the order of writing.
            # Rank ids only (the sort then carries no texts), and read the page's rows after.
            cursor.execute(
                f"SELECT e.id FROM {ENTRY} e WHERE {matching} AND {visible}{filters} "
                f"ORDER BY ({score}) * e.boost DESC, {self.dialect.title_length}, e.page_id "
                "LIMIT %s OFFSET %s",
                # In the order of the SQL text: the WHERE's parameters, then the score's.
                matching_params
                + visible_params
                + filter_params
                + score_params
                + [request.page_size, request.offset],
            )
            ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                return total, [], facets
            cursor.execute(
                f"SELECT {HIT_COLUMNS} FROM {ENTRY} e WHERE e.id IN ({', '.join(['%s'] * len(ids))})",
                ids,
            )
            rows = {row[0]: row for row in cursor.fetchall()}
            hits = [self._hit(rows[pk]) for pk in ids]
        return total, hits, facets

    @staticmethod
    def _count(groups, filters):
        """Total and facet counts from the match set grouped by its facet values."""
        total = 0
        facets = {name: Counter() for name in FACET_FIELDS.values()}
        for kind, department, theme, audience, item_type, flags, count in groups:
            row = {
                "kind": kind,
                "department": department,
                "theme": [v for v in theme.split("|") if v],
                "audience": audience,
                "item_type": item_type,
                "flags": [v for v in flags.split("|") if v],
            }
            if row_passes(row, filters, skip=("type",)):
                facets["kind"][kind] += count
            if not row_passes(row, filters):
                continue
            total += count
            for name in ("department", "audience", "item_type"):
                facets[name][row[name]] += count
            for name in MULTI_VALUED:
                for value in row[name]:
                    facets[name][value] += count
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

    def _suggest(self, key, phrase, limit):
        live = self.state().live_generation
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.page_id, MAX(s.weight) FROM {KEYS} s WHERE s.generation = %s "
                f"AND {self._key_column()} >= %s AND {self._key_column()} < %s "
                "GROUP BY s.page_id ORDER BY MAX(s.weight) DESC LIMIT %s",
                [live, key, key + KEY_END, limit * 3],
            )
            weights = dict(cursor.fetchall())
            found = self._suggestion_rows(
                cursor, live, "e.page_id IN ({})", list(weights), len(weights)
            )
            found.sort(key=lambda row: (-weights[row[0]], len(row[1]), row[1]))
            if phrase and len(found) < limit:
                # Titles that contain what was typed (执照 → 营业执照), after those that start with it.
                match, params = self.dialect.title_match(phrase, live)
                seen = {row[0] for row in found}
                extra = self._suggestion_rows(cursor, live, match, params, limit * 2, order=True)
                found += [row for row in extra if row[0] not in seen]
        return [Suggestion(text=title, url=url, kind=kind) for _, title, url, kind in found[:limit]]

    def _key_column(self):
        return 's.key COLLATE "C"' if connection.vendor == "postgresql" else "s.key"

    def _suggestion_rows(self, cursor, live, condition, params, limit, order=False):
        if "{}" in condition:
            if not params:
                return []
            condition = condition.format(", ".join(["%s"] * len(params)))
        visible, visible_params = self._visible(live)
        ordering = (
            f" ORDER BY e.boost DESC, {self.dialect.title_length}, e.page_id" if order else ""
        )
        cursor.execute(
            f"SELECT e.page_id, e.title, e.url, e.kind FROM {ENTRY} e WHERE {condition} AND {visible}"
            f"{ordering} LIMIT %s",
            [*params, *visible_params, limit],
        )
        return cursor.fetchall()

    def problems(self):
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                table = self.dialect.table(self.state().live_generation)
                cursor.execute("SELECT name FROM sqlite_master WHERE name = %s", [table])
                if not cursor.fetchone():
                    return [f"缺少全文检索表 {table}：请运行 python manage.py rebuild_search_index"]
        return []

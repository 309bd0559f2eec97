"""The embedded backend: the site's own database as the search engine, nothing to install.

Documents live in IndexedDocument rows; Chinese is tokenised by the application
(search/text.py: character bigrams), so the database only has to match whole tokens, which
both do well:

- SQLite: an FTS5 table (title, keywords, materials, body), rowid = the document's id,
  holding the token text. A term is an FTS5 phrase of its bigrams (营业执照 → "营业 业执
  执照"), so it matches exactly where the text contains it.
- PostgreSQL: a narrow table of position-free tsvectors (trigrams) with a GIN index; a term
  is an AND of its pieces ('营业执' & '业执照'), a bigram a prefix ('社保':*). Why not
  phrases: see the PostgreSQL dialect.

One module per database, behind the factory `SearchBackend` at the end of this module (the
name PORTAL_SEARCH_BACKENDS's loader takes, as Wagtail's database backend does): the backend
here writes, ranks, counts and suggests through a dialect (dialect.py: what every database
shares; sqlite.py, postgresql.py: each one's syntax and token storage), and rows.py turns a
document into its rows. Any other database stops the backend loading with an explanation.

Ranking is the same on both, and on Elasticsearch: each term scores by the strongest field
it appears in (title 10, keywords 5, materials 2, anywhere else 1), the sum is multiplied by
the high-frequency boost, and a shorter title wins a tie (营业执照 before 营业执照注销).

Generations give the rebuild its atomic swap: a rebuild writes generation N+1 beside the live
N, then one transaction makes N+1 live and deletes N. Searches read only the live generation.
Each generation has its own token tables (SQLite: portal_search_fts_0 and _1, by parity, and
their names and materials tables; PostgreSQL: portal_search_tokens_0 and _1), so retiring a generation drops a
table instead of deleting 55,000 rows from an index, and PostgreSQL builds a generation's GIN
index once, after its rows are written.
"""

import json
from collections import Counter
from dataclasses import replace

from django.db import connection, transaction
from django.utils import timezone

from search.backends import InvalidSearchBackendError
from search.backends.base import (
    AUDIENCE_BOTH,
    FACET_FIELDS,
    MULTI_VALUED,
    BaseSearchBackend,
    row_passes,
)
from search.backends.embedded.rows import (
    ENTRY,
    ENTRY_COLUMNS,
    KEY_COLUMNS,
    KEYS,
    STATE,
    adapted,
    entry_values,
    facet_test,
    facet_values,
)
from search.models import IndexedDocument, IndexState
from search.query import Hit, Suggestion

HIT_COLUMNS = "e.id, e.page_id, e.kind, e.title, e.url, e.summary, e.body, e.keywords, e.details"
# One past the last character a key can hold: the end of a prefix range.
KEY_END = "\U0010ffff"


class EmbeddedSearchBackend(BaseSearchBackend):
    """The backend on one database, through that database's dialect (SearchBackend below)."""

    def __init__(self, alias, params, dialect):
        super().__init__(alias, params)
        self.dialect = dialect

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
        return row[0] if row else EmbeddedSearchBackend.state().live_generation

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
        if request.relaxed:
            return self._relaxed(request, [(request.query, request.minimum_match)], hidden)[1:]
        live = self.live()
        visible, visible_params = self._visible(live, hidden)
        matching, matching_params = self.dialect.matching(request.query, None, live)
        score, score_params = self.dialect.score(request.query, False, live)
        source = f"{self.dialect.source(live)} WHERE {matching} AND {visible}"
        columns = "e.boost, e.title_length, e.page_id"
        matches = (
            f"m AS MATERIALIZED (SELECT e.id, e.facets, ({score}) * e.boost AS score, "
            f"{columns} FROM {source})"
        )
        return self._ranked(request, matches, score_params + matching_params + visible_params)[:3]

    def _first_found(self, request, attempts, hidden):
        # Every attempt in one statement where the database reads a later attempt's
        # candidates only when it needs them (PostgreSQL's one-time filter): the second
        # one's terms are mostly the first's, and a first attempt that finds nothing cost a
        # statement of its own (小学入学 at 55,000 documents on PostgreSQL: 15 ms, then 7).
        # SQLite 3.40 read the second attempt's candidates anyway (出租车从业资格证: 20 → 60
        # ms), so it asks one attempt after another.
        if not self.dialect.ATTEMPTS_IN_ONE_STATEMENT:
            return super()._first_found(request, attempts, hidden)
        return self._relaxed(request, attempts, hidden)

    def _relaxed(self, request, attempts, hidden):
        """(index, total, hits, facets) of the first of `attempts`, (query, minimum) pairs,
        with rows holding at least `minimum` of its query's terms (the last if none has),
        in one statement. An attempt's candidates are read only where every attempt before
        it found no row within the filters (a CTE behind a one-time filter).

        Which terms each candidate holds (columns h0, h1…, one per distinct term) is
        computed once, and the score reads "anywhere" from those columns: each term's set is
        built once, not once to count and again to score (PostgreSQL: 资格's 10,000 rows
        twice for 出租车从业资格证). With m of n terms to hold, a term in more rows than any
        driver is tested only on the candidates already holding m - c of the others (c such
        terms, at most m - 2): where none does (小学入学 read as item names: half of 12
        terms, found nowhere), its set (登记 in the titles of 15,000 guides) is never built."""
        dialect = self.dialect
        live = self.live()
        visible, visible_params = self._visible(live, hidden)
        filters, filter_params = self._filters(request.filters)
        columns = "e.boost, e.title_length, e.page_id"
        kept = self._answerable(attempts, live)
        if not kept:
            return len(attempts) - 1, 0, [], self._count([], request.filters)[1]
        ctes, params, branches, branch_params = [], [], [], []
        for i, (index, query, minimum, frequencies) in enumerate(kept):
            # The attempt's distinct terms → column numbers; its terms as column numbers.
            number, distinct = {}, []
            for variants in query.terms:
                key = dialect.term_query(variants)
                if key not in number:
                    number[key] = len(number)
                    distinct.append(variants)
            held = [number[dialect.term_query(variants)] for variants in query.terms]
            later = []  # the columns tested after a first count
            by_rarity = None
            if minimum > 1:
                by_rarity = sorted(range(len(frequencies)), key=frequencies.__getitem__)
                # A term in more rows than any driver (PostgreSQL's estimates only tell the
                # common tokens apart); at least two terms are counted first.
                commonest_driver = frequencies[by_rarity[len(by_rarity) - minimum]]
                common = [t for t in reversed(by_rarity) if frequencies[t] > commonest_driver]
                later = sorted({held[t] for t in common[: minimum - 2]})
            drivers = dialect.drivers(query.terms, minimum, live, by_rarity)
            matching, matching_params = dialect.match(dialect.any_of(drivers), live)

            first, first_params = self._holds(
                distinct, [n for n in range(len(distinct)) if n not in later], live
            )
            ctes.append(
                f"t{i} AS MATERIALIZED (SELECT e.id, e.facets, {columns}{first} "
                f"FROM {dialect.source(live)} WHERE {matching} AND {visible})"
            )
            params += first_params + matching_params + visible_params
            source = f"t{i}"
            if later:
                rest, rest_params = self._holds(distinct, later, live)
                counted = [n for n in held if n not in later]
                ctes.append(
                    f"d{i} AS MATERIALIZED (SELECT e.*{rest} FROM t{i} e "
                    f"WHERE {self._total(counted)} >= %s)"
                )
                params += rest_params + [minimum - sum(n in later for n in held)]
                source = f"d{i}"
            ctes.append(
                f"a{i} AS MATERIALIZED (SELECT e.* FROM {source} e WHERE {self._total(held)} >= %s)"
            )
            params.append(minimum)
            score, score_params = dialect.score(query, True, live, held=[f"e.h{n}" for n in held])
            # The rows of the first attempt with a row within the filters (of the last if
            # none has one), as one attempt after another would answer.
            found = [f"EXISTS (SELECT 1 FROM a{j} e WHERE TRUE{filters})" for j in range(i + 1)]
            chosen = [f"NOT {f}" for f in found[:i]] + found[i:][: int(index < len(attempts) - 1)]
            branches.append(
                f"SELECT {i} AS attempt, e.id, e.facets, ({score}) AS score, {columns} "
                f"FROM a{i} e WHERE {' AND '.join(chosen) or 'TRUE'}"
            )
            branch_params += score_params + filter_params * len(chosen)
        ctes.append(f"m AS MATERIALIZED ({' UNION ALL '.join(branches)})")
        total_, hits, facets, answered = self._ranked(
            request, ", ".join(ctes), params + branch_params, attempts=True
        )
        return (len(attempts) - 1 if answered is None else kept[answered][0]), total_, hits, facets

    def _answerable(self, attempts, live):
        """The attempts that can find a row, as (index in attempts, query, minimum,
        frequencies or None), without the terms no document holds.

        A term in no document is held by no row: an attempt without it finds the same rows,
        and one left with fewer terms than its minimum finds none and is not asked. Terms are
        looked up where drivers are chosen (a minimum of two or more), and in an attempt reading the
        lexicon's item names where the dialect looks for them cheaply (PROBES_ITEM_NAMES):
        小学入学 read as 小学一年级新生入学登记, half of whose 12 words no document holds, is
        answered by the visitor's own words without its first attempt (15 ms → 8 ms at
        55,000 documents on PostgreSQL). All the attempts' terms are looked up at once."""
        dialect = self.dialect
        looked_up = [
            minimum > 1 or (dialect.PROBES_ITEM_NAMES and names_in(query))
            for query, minimum in attempts
        ]
        asked, probed = {}, set()
        for (query, _), look in zip(attempts, looked_up, strict=True):
            for variants in query.terms if look else ():
                asked[dialect.term_query(variants)] = variants
                if names_in(query):
                    probed.add(dialect.term_query(variants))
        found = dialect.frequencies(list(asked.values()), live, [k in probed for k in asked])
        frequency = dict(zip(asked, found, strict=True))
        kept = []
        for index, ((query, minimum), look) in enumerate(zip(attempts, looked_up, strict=True)):
            # A term found in no document by another attempt's look-up is left out too.
            held = [frequency.get(dialect.term_query(v)) != 0 for v in query.terms]
            query = replace(
                query, terms=tuple(t for t, h in zip(query.terms, held, strict=True) if h)
            )
            frequencies = [frequency[dialect.term_query(v)] for v in query.terms] if look else None
            if len(query.terms) >= max(1, minimum):
                kept.append((index, query, minimum, frequencies))
        return kept

    def _holds(self, distinct, numbers, live):
        """Columns h<n>: whether a row holds the term distinct[n] anywhere, for each n."""
        sql, params = [], []
        for n in numbers:
            case, case_params = self.dialect.hold(distinct[n], live)
            sql.append(f", {case} AS h{n}")
            params += case_params
        return "".join(sql), params

    @staticmethod
    def _total(numbers):
        return " + ".join(f"e.h{n}" for n in numbers) or "0"

    def _ranked(self, request, matches, params, attempts=False):
        """Counts and the page of hits from the matches `m` (id, facets, score, boost,
        title_length, page_id; with `attempts`, first the attempt column, which is returned
        too: the attempt of the rows found, None if none)."""
        filters, filter_params = self._filters(request.filters)
        # One statement, one pass over the matches (m): every matching row is found and
        # scored once, then grouped by facet values for the counts, and ranked within the
        # filters for the page. Ties go to the shorter title (营业执照 before 营业执照注销 for
        # 营业执照), then to the older page, so a page's place never depends on the order of
        # writing. Only ids are ranked; the page's rows are read after.
        # A partial match ranks by how much of the query it holds and where, then by the
        # boost (high frequency, follow-up item), then by length: the boost only breaks ties.
        attempt = "attempt" if attempts else "CAST(NULL AS FLOAT)"
        sql = (
            f"WITH {matches} "
            f"SELECT CAST(NULL AS INTEGER), facets, COUNT(*), {attempt}, "
            "CAST(NULL AS INTEGER), CAST(NULL AS INTEGER) FROM m GROUP BY facets"
            f"{', attempt' if attempts else ''} "
            "UNION ALL SELECT * FROM (SELECT id, NULL, score, boost, title_length, page_id "
            f"FROM m e WHERE TRUE{filters} ORDER BY score DESC, boost DESC, title_length, "
            "page_id LIMIT %s OFFSET %s) ranked"
        )
        with connection.cursor() as cursor:
            self.dialect.execute(
                cursor,
                sql,
                # In the order of the SQL text.
                params + filter_params + [request.page_size, request.offset],
            )
            rows = cursor.fetchall()
            # The counts share a column with the scores: a float on PostgreSQL.
            groups = [(facets, int(count)) for pk, facets, count, *_ in rows if pk is None]
            total, facets = self._count(groups, request.filters)
            # The attempt the matches are of (_relaxed), in the group rows' fourth column.
            answered = next((int(r[3]) for r in rows if r[0] is None), None) if attempts else None
            # A UNION keeps no order: the page is sorted again by the same keys.
            ranked = sorted(
                (r for r in rows if r[0] is not None), key=lambda r: (-r[2], -r[3], *r[4:])
            )
            ids = [r[0] for r in ranked]
            if not ids:
                return total, [], facets, answered
            cursor.execute(
                f"SELECT {HIT_COLUMNS} FROM {ENTRY} e WHERE e.id IN ({', '.join(['%s'] * len(ids))})",
                ids,
            )
            found = {row[0]: row for row in cursor.fetchall()}
            # Written in one transaction, the ranking rows and the documents agree; a row
            # whose document is gone (a table emptied by hand) is left out, never a 500.
            hits = [self._hit(found[r[0]], score=float(r[2])) for r in ranked if r[0] in found]
        return total, hits, facets, answered

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
    def _hit(row, score=0.0):
        _, page_id, kind, title, url, summary, body, keywords, details = row
        return Hit(
            score=score,
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
        column = self.dialect.key_column
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
        return (
            self.dialect.problems()
            + [
                f"缺少全文检索表 {table}：请运行 python manage.py rebuild_search_index"
                for table in self.dialect.tables(live)
                if table not in present
            ][:1]
        )


def names_in(query) -> bool:
    """Whether a query holds words of the lexicon's item names (text.Term.names)."""
    return any(variant.names for variants in query.terms for variant in variants)


def SearchBackend(alias, params):
    """The embedded backend in the dialect of the site's database: a factory under the name
    the loader calls (search/backends/__init__.py). Each dialect's module is imported only on
    its own database, as in wagtail/search/backends/database/__init__.py."""
    if connection.vendor == "sqlite":
        from search.backends.embedded.sqlite import SQLite as Dialect
    elif connection.vendor == "postgresql":
        from search.backends.embedded.postgresql import PostgreSQL as Dialect
    else:
        # Each dialect relies on its database's own full-text machinery (FTS5, tsvector and
        # GIN): another database would fail at the first search, or match wrongly.
        raise InvalidSearchBackendError(
            f"内置检索后端（search.backends.embedded）只支持 SQLite 和 PostgreSQL，"
            f"当前数据库是 {connection.vendor}：请改用其中之一，或设置 ELASTICSEARCH_URL "
            f"使用 Elasticsearch 后端。 The embedded search backend runs on SQLite or "
            f"PostgreSQL only, not {connection.vendor}."
        )
    return EmbeddedSearchBackend(alias, params, Dialect())

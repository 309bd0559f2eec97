"""The embedded backend on PostgreSQL: position-free tsvectors of trigrams with a GIN index."""

import re

from django.db import connection

from search.backends.embedded.dialect import Dialect
from search.documents import TEXT_FIELDS
from search.text import HAN_RUN, RUN, normalise


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
    # A later attempt's candidates are read only when the earlier ones found nothing (a
    # one-time filter on its branch): the retry's attempts are one statement.
    ATTEMPTS_IN_ONE_STATEMENT = True
    # Estimates cannot tell a term in no document; an item name's words often are (a centre
    # names its items otherwise), and are in titles and keywords only: cheap to look for.
    PROBES_ITEM_NAMES = True
    contains = "strpos(e.facets, %s) > 0"
    # UTF-8 byte order, the "C" collation, is code point order, as Python compares; the
    # (generation, weight, key) index is built with it (migration 0004).
    key_column = 's.key COLLATE "C"'
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

    def variant(self, term, field=None):
        parts = [piece for phrase in term.phrases for piece in self.pieces(phrase)]
        parts += [self.quote(char) + ":*" for char in term.prefixes]
        found = "(" + " & ".join(parts) + ")"
        if not term.names:
            return self.marked(field, found)
        if field is None:
            return "(" + " | ".join(self.marked(f, found) for f in self.NAME_FIELDS) + ")"
        return self.marked(field, found) if field in self.NAME_FIELDS else None

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
        if not term_query:
            return "FALSE", []
        table = self.table(generation)
        return (
            f"e.id IN (SELECT id FROM {table} WHERE tokens @@ %s::tsquery)",
            [term_query],
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
            [self.variant(term, "title"), *params, limit],
        )

    def frequency(self, term_query, generation):
        """The share of documents with the term, estimated from the statistics ANALYZE keeps
        of the tokens (finish_tokens), or counted where there are none.

        Why estimated: only the order matters (which terms drive a relaxed search, dialect
        .rarest; any choice finds the same rows), and the relaxed retry of a query read as
        item names holds twenty tokens or more. Counting each took 1–6 ms, 27 ms for
        小学入学's 22 at 55,000 documents; the estimate costs microseconds once a process
        has read the generation's statistics."""
        shares = self.token_shares(generation)
        if shares is None:
            with connection.cursor() as cursor:
                self.execute(
                    cursor,
                    f"SELECT COUNT(*) FROM {self.table(generation)} WHERE tokens @@ %s::tsquery",
                    [term_query],
                )
                return cursor.fetchone()[0]
        return estimated_share(term_query, *shares)

    def execute(self, cursor, sql, params):
        """A search statement, planned with the table scan ruled out. The planner counts a
        token test on a row as cheap, but each reads the row's vector out of TOAST (20 µs):
        the set of 证明, in half of 55,000 documents, took 530 ms by scanning the table
        against 25 ms from the index, and a probe asked for one row would scan every row
        for a term that is in none. One round trip: the statements of one query string
        run as one transaction (or inside an enclosing one), and the setting is reset to its
        default after.
        (Several statements with parameters need client-side binding, Django's default.)"""
        cursor.execute(
            f"SET LOCAL enable_seqscan = off; {sql}\n; SET LOCAL enable_seqscan TO DEFAULT",
            params,
        )
        cursor.nextset()

    @staticmethod
    def problems():
        if connection.settings_dict.get("OPTIONS", {}).get("server_side_binding"):
            return [
                "内置检索后端在 PostgreSQL 上需要客户端参数绑定：请去掉数据库设置 OPTIONS 中的 "
                "server_side_binding（一次发送的多条语句不能带服务端参数）。"
            ]
        return []

    def frequencies(self, terms, generation, probe=None):
        """Estimated shares (frequency), and 0 for a term to `probe` that no document holds:
        the statistics know only their 1,000 commonest tokens (at 55,000 documents, those in
        a tenth of them or more), so such a term they do not know is looked for in the
        index, all in one statement (from a few hundredths of a millisecond for a term in no
        document to half a millisecond for one in 5,000); without statistics every term is
        counted (frequency). A relaxed search then leaves it out: 学入 and 学上 of 小学入学,
        the words of the item name 小学一年级新生入学登记 that no title holds."""
        queries = [self.term_query(variants) for variants in terms]
        shares = self.token_shares(generation)
        if shares is None:
            return [self.frequency(query, generation) for query in queries]
        estimates = [estimated_share(query, *shares) for query in queries]
        # A term of tokens unknown to the statistics (one, or a name's title and keywords
        # marks: two) may be in no document; a known token is in some.
        unknown = [
            i
            for i, share in enumerate(estimates)
            if share <= 2 * shares[1] and probe is not None and probe[i]
        ]
        if unknown:
            table = self.table(generation)
            probes = ", ".join(
                f"EXISTS (SELECT 1 FROM {table} WHERE tokens @@ %s::tsquery)" for _ in unknown
            )
            with connection.cursor() as cursor:
                self.execute(cursor, f"SELECT {probes}", [queries[i] for i in unknown])
                found = cursor.fetchone()
            for i, held in zip(unknown, found, strict=True):
                if not held:
                    estimates[i] = 0
        return estimates

    # generation → (share by token and by token prefix, share of a token not among them) or
    # None; per process, emptied where this process rewrites a generation's tokens. Another
    # process's rewrite leaves an older estimate here, which costs speed, never results.
    _shares = {}

    def token_shares(self, generation):
        shares = self._shares.get(generation, False)
        if shares is False:
            with connection.cursor() as cursor:
                # The most common tokens (up to ten times the statistics target: 1,000) and
                # the share of sampled documents holding each.
                cursor.execute(
                    "SELECT most_common_elems::text::text[], most_common_elem_freqs "
                    "FROM pg_stats WHERE schemaname = current_schema() "
                    "AND tablename = %s AND attname = 'tokens'",
                    [self.table(generation)],
                )
                row = cursor.fetchone()
            shares = token_shares(*row) if row and row[0] else None
            # One generation at a time (the live one; after a rebuild the new one), the
            # dictionary replaced whole: threads of one process read it meanwhile. None is
            # not kept: a generation emptied by `clear` gains statistics as pages come back.
            PostgreSQL._shares = {generation: shares} if shares else {}
        return shares

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
        self._shares.pop(generation, None)
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
        self._shares.pop(generation, None)

    def drop_tokens(self, cursor, generation):
        cursor.execute(f"DROP TABLE IF EXISTS {self.table(generation)}")

    def bulk_loading(self, cursor):
        # Memory for building the GIN index in one pass (the default 64 MB makes it spill).
        cursor.execute("SET maintenance_work_mem = '256MB'")


def token_shares(tokens, frequencies):
    """What estimated_share reads, from a tsvector column's statistics: each common token's
    share of documents, each prefix of them the sum of its tokens' shares (a prefix term,
    '社保':*, matches any), and for a token not among them half the least common's share."""
    shares = {}
    for token, share in zip(tokens, frequencies, strict=False):  # then min, max, null share
        for end in range(1, len(token) + 1):
            prefix = token[:end] + ":*"
            shares[prefix] = min(1.0, shares.get(prefix, 0.0) + share)
        shares[token] = share
    return shares, min(frequencies[: len(tokens)]) / 2


QUERY_PIECE = re.compile(r"\s*(?:'([^']*)'(:\*)?|([()&|]))")


def estimated_share(term_query, shares, rare) -> float:
    """The share of documents matching a tsquery of quoted tokens, & and | (what
    Dialect.term_query writes): a token's share from `shares`, `rare` if it is not there;
    the least of an AND, the sum of an OR (at most all)."""
    pieces = [
        (m[1] + (m[2] or "") if m[1] is not None else None, m[3])
        for m in QUERY_PIECE.finditer(term_query)
    ]
    position = 0

    def either():  # a | b | …
        nonlocal position
        share = both()
        while position < len(pieces) and pieces[position][1] == "|":
            position += 1
            share = min(1.0, share + both())
        return share

    def both():  # a & b & …
        nonlocal position
        share = one()
        while position < len(pieces) and pieces[position][1] == "&":
            position += 1
            share = min(share, one())
        return share

    def one():  # a token or a parenthesised query
        nonlocal position
        token, operator = pieces[position]
        position += 1
        if operator == "(":
            share = either()
            position += 1  # the closing parenthesis
            return share
        return shares.get(token, rare)

    return either()

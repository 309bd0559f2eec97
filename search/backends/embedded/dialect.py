"""What the embedded backend asks of a database, and the part every database shares: how
a parsed query becomes one matching and scoring statement. search/backends/embedded/sqlite.py
and postgresql.py each answer in their own syntax and store tokens their own way."""

from functools import lru_cache

from search.documents import NAME_FIELDS, NAME_WORD_WEIGHT, TEXT_FIELDS
from search.text import HAN_RUN


class Dialect:
    """How one database matches terms. A term (a tuple of variants, any of which may match)
    becomes one query string in the database's syntax; `field_test` says whether a row has
    it in one field ("title", "keywords", "materials") or anywhere (None)."""

    # The query syntax's operators between terms, and the condition finding one facet value
    # (rows.facet_test) in a row's `facets` (alias e).
    AND: str
    OR: str
    contains: str
    # The suggestion key column (alias s) as prefix ranges compare it: in code point order.
    key_column = "s.key"

    NAME_FIELDS = NAME_FIELDS  # where an item name (text.Term.names) may match
    # Whether the relaxed retry's attempts are asked in one statement (EmbeddedSearchBackend
    # ._first_found): only where a later attempt's candidates are read only when needed.
    ATTEMPTS_IN_ONE_STATEMENT = False
    # Whether a relaxed attempt reading the lexicon's item names has its terms looked for in
    # the index even where it needs no drivers (one term of several): only where `frequency`
    # cannot otherwise tell a term in no document, and looking is cheap.
    PROBES_ITEM_NAMES = False

    def execute(self, cursor, sql, params):
        """Run a search statement; its rows are then read from `cursor`."""
        cursor.execute(sql, params)

    @staticmethod
    def problems() -> list[str]:
        """What in the database's settings stops this dialect from working."""
        return []

    def variant(self, term, field=None) -> str | None:
        """One variant of a term, as matched in `field` (None: in any field it may be in);
        None if it may not be in that field (an item name in the materials)."""
        raise NotImplementedError

    def term_query(self, variants, field=None) -> str:
        """The variants that may be in `field`, any of them ("" if none may), without those
        another one implies (necessary)."""
        return self.OR.join(
            q for q in (self.variant(v, field) for v in necessary(tuple(variants))) if q
        )

    def field_test(self, field, term_query, generation) -> tuple[str, list]:
        """`term_query` made by term_query(variants, field); FALSE for an empty one."""
        raise NotImplementedError

    def source(self, generation) -> str:
        """The FROM clause of a search: the documents (alias e) and what matches them."""
        raise NotImplementedError

    def matching(self, query, minimum, generation):
        """Rows with every term anywhere (minimum None); in a relaxed search, the rows that may
        hold `minimum` of the terms, which EmbeddedSearchBackend._relaxed then counts (hold)."""
        if minimum is None:
            terms = self.AND.join(f"({self.term_query(v)})" for v in query.terms)
            return self.match(terms, generation)
        return self.match(self.any_of(self.drivers(query.terms, minimum, generation)), generation)

    def drivers(self, terms, minimum, generation, by_rarity=None):
        """The terms of which a row with at least `minimum` of `terms` holds one: with m of n,
        any n - m + 1 of them; the rarest find every candidate (出租车从业资格证: 出租 or
        租车…, not 资格 in 10,000 rows). `by_rarity`: the terms' order if already known."""
        if minimum <= 1:
            return list(terms)
        if by_rarity is None:
            by_rarity = self.by_rarity(terms, generation)
        count = len(terms) - minimum + 1
        return [terms[i] for i in sorted(by_rarity[:count])]

    def any_of(self, terms) -> str:
        """One query string: any of the terms."""
        return self.OR.join(f"({self.term_query(v)})" for v in terms)

    def hold(self, variants, generation):
        """1 where a row holds the term anywhere, else 0 (a relaxed search's count)."""
        test, params = self.field_test(None, self.term_query(variants), generation)
        return f"CASE WHEN {test} THEN 1 ELSE 0 END", params

    def match(self, term_query, generation) -> tuple[str, list]:
        """The WHERE condition that drives a search (the FTS5 MATCH, the GIN-indexed @@)."""
        raise NotImplementedError

    def leave_out(self, page_ids) -> tuple[str, list]:
        """The condition that leaves these pages' rows (alias e) out, with one parameter for
        any number of pages (a hidden section can hold thousands)."""
        raise NotImplementedError

    def rarest(self, terms, count, generation):
        """`count` of `terms`, those in the fewest documents (each counted from the index)."""
        return self.drivers(terms, len(terms) - count + 1, generation)

    def by_rarity(self, terms, generation) -> list[int]:
        """The indexes of `terms`, the term in the fewest documents first."""
        frequencies = self.frequencies(terms, generation)
        return sorted(range(len(terms)), key=frequencies.__getitem__)

    def frequencies(self, terms, generation, probe=None) -> list:
        """Each term's frequency (what `frequency` says: comparable within one call); 0 only
        where no document of the generation holds the term. `probe` (one flag per term): the
        terms worth looking for in the index where the frequency is an estimate."""
        return [self.frequency(self.term_query(v), generation) for v in terms]

    def frequency(self, term_query, generation) -> int:
        """How many documents of the generation match."""
        raise NotImplementedError

    def score(self, query, relaxed, generation, held=None):
        """Each term scores by the strongest field it is found in (title 10, keywords 5,
        materials 2, anywhere else 1), summed over the terms. Outside a relaxed search every
        term is somewhere in every row, so "anywhere" needs no test; in one, the row's
        column `held[i]` says (hold, counted before the scores; h<i> by default)."""
        cases, params = [], []
        for i, variants in enumerate(query.terms):
            weights = list(TEXT_FIELDS.values())
            if relaxed and all(variant.names for variant in variants):
                weights = [weight * NAME_WORD_WEIGHT for weight in weights]
            whens = []
            for field, weight in zip(("title", "keywords", "materials"), weights[:3], strict=True):
                test, test_params = self.field_test(
                    field, self.term_query(variants, field), generation
                )
                whens.append(f"WHEN {test} THEN {weight}")
                params += test_params
            if relaxed:
                column = held[i] if held else f"e.h{i}"
                whens.append(f"WHEN {column} = 1 THEN {weights[3]}")
            cases.append(f"CASE {' '.join(whens)} ELSE {0 if relaxed else weights[3]} END")
        return " + ".join(cases), params

    def title_match(self, term, generation, visible, limit):
        """Rows whose title holds `term`; `visible` (a condition on alias e with its
        params) and `limit` say which of them a suggestion can show."""
        return self.field_test("title", self.variant(term, "title"), generation)

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


@lru_cache(maxsize=4096)
def necessary(variants: tuple) -> list:
    """The variants of a term less those matched only where another one is: Chinese that
    contains another variant (最低生活保障审批, an item name, holds the synonym 最低生活保障), in
    no more fields than it (an item name is in titles and keywords only). Any of the variants
    matches exactly where any of these does, in every field, on both databases (a phrase
    holds its parts' bigrams in order; on PostgreSQL, their trigrams and the tokens starting
    each character), so the statement is shorter and its sets smaller with the same rows.
    Latin words are kept as they are (a word is one token: abc does not hold ab)."""
    if len(variants) < 2:
        return list(variants)

    def implied(i, variant):
        return any(
            other.text in variant.text
            and (other.text != variant.text or j < i)
            and (variant.names or not other.names)
            and HAN_RUN.fullmatch(other.text)
            for j, other in enumerate(variants)
            if j != i and HAN_RUN.fullmatch(variant.text)
        )

    return [variant for i, variant in enumerate(variants) if not implied(i, variant)]

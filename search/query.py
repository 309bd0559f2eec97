"""A search as the backends receive it, and what they give back.

The visitor's words are parsed once, here, the same way for every backend: normalised
(full-width, case, traditional → simplified), split into terms, question words dropped,
each term widened by the editors' synonyms. A backend only has to match "every term, each
through any of its variants" and count facets; highlighting, labels and paging are shared.
"""

import math
from dataclasses import dataclass, field

from search import text

MAX_QUERY_LENGTH = 100
MAX_TERMS = 8
MAX_VARIANTS = 6
DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 50
# Deeper pages are never useful and cost the engines most (Elasticsearch refuses beyond
# 10,000 by default).
MAX_PAGE = 100
# The relaxed retry matches some of a query's tokens; this many at most.
MAX_LOOSE_TOKENS = 12

# Words that carry the question, not what is asked about: 怎么办理营业执照 means 营业执照.
# Longest first, so 怎么办理 goes before 怎么. Where one is cut out, the query splits into
# separate terms (新生儿落户需要什么材料 → 新生儿落户, 材料).
QUESTION_WORDS = (
    "怎么办理",
    "如何办理",
    "怎样办理",
    "在哪里办",
    "去哪里办",
    "怎么办",
    "怎么",
    "怎样",
    "如何",
    "在哪里",
    "在哪儿",
    "在哪",
    "哪里",
    "什么",
    "需要",
    "我要",
    "我想",
    "想要",
    "请问",
    "吗",
    "呢",
)


@dataclass(frozen=True)
class ParsedQuery:
    """`terms`: all must match; each is a tuple of variants, any of which may match."""

    text: str
    terms: tuple[tuple[text.Term, ...], ...] = ()

    def __bool__(self):
        return bool(self.terms)

    @property
    def needles(self) -> list[str]:
        """Every variant's text, longest first: what highlighting marks."""
        seen = {variant.text for variants in self.terms for variant in variants}
        return sorted(seen, key=len, reverse=True)

    @property
    def token_count(self) -> int:
        return sum(len(v[0].tokens) + len(v[0].prefixes) for v in self.terms)


def split_terms(query: str) -> list[str]:
    pieces = [piece for piece in text.TERM_SEPARATOR.split(query) if piece]
    result = []
    for piece in pieces:
        for word in QUESTION_WORDS:
            piece = piece.replace(word, " ")
        result.extend(part for part in piece.split() if part)
    # A query of nothing but question words (怎么办) is meant as typed.
    return result or pieces


def parse(raw: str, synonyms=None) -> ParsedQuery:
    """The visitor's query, normalised and split; `synonyms` (a search.synonyms.Synonyms)
    adds variants to each term."""
    query = text.normalise_query((raw or "")[:MAX_QUERY_LENGTH]).strip()
    terms = []
    for word in split_terms(query)[:MAX_TERMS]:
        variants = [word, *(synonyms.variants(word) if synonyms else [])][:MAX_VARIANTS]
        parsed = tuple(term for term in map(text.Term, dict.fromkeys(variants)) if term)
        if parsed:
            terms.append(parsed)
    return ParsedQuery(text=" ".join(query.split()), terms=tuple(terms))


def loosened(query: ParsedQuery) -> ParsedQuery:
    """The same query with each token a term of its own (新生儿落户 → 新生 生儿 儿落 落户), for the
    relaxed retry: some of the terms must match, and a document scores by which it has, where."""
    pieces = []
    for variants in query.terms:
        for variant in variants:
            pieces += [token for phrase in variant.phrases for token in phrase] + variant.prefixes
    unique = list(dict.fromkeys(pieces))[:MAX_LOOSE_TOKENS]
    return ParsedQuery(text=query.text, terms=tuple((text.Term(piece),) for piece in unique))


@dataclass
class SearchRequest:
    query: ParsedQuery
    filters: dict = field(default_factory=dict)  # facet name → value (list for "flag")
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    # Some terms instead of all (at least minimum_match of them): the fallback when the strict
    # search finds nothing.
    relaxed: bool = False
    minimum_match: int = 1

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


@dataclass
class Hit:
    page_id: int
    kind: str
    title: str
    url: str
    summary: str = ""
    body: str = ""
    keywords: str = ""
    details: dict = field(default_factory=dict)
    # Filled by the shared code after the backend answers.
    kind_label: str = ""
    title_highlight: str = ""
    highlight: str = ""


@dataclass
class SearchResults:
    request: SearchRequest
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    # facet name → {value: count}; "type" counts ignore every filter (they are the tabs),
    # the others count within the current filters.
    facets: dict = field(default_factory=dict)
    relaxed: bool = False

    @property
    def pages(self) -> int:
        return max(
            1,
            math.ceil(min(self.total, MAX_PAGE * self.request.page_size) / self.request.page_size),
        )


@dataclass(frozen=True)
class Suggestion:
    text: str
    url: str
    kind: str

"""What every search backend does, and the part of a search they all share.

A backend stores PortalDocuments and answers three questions: which documents match a
parsed query (ranked, filtered, counted by facet), which titles start with a typed prefix,
and which pages it holds. Everything after that (highlighting, labels, facets merged for
display, the relaxed retry when nothing matches) is done here, once, so both backends give
the same answers to the same question.
"""

import logging
from dataclasses import replace

from search import attachments, hidden, text
from search.documents import FOLLOW_UP_BOOST, KINDS, TEXT_FIELDS
from search.query import Hit, SearchRequest, SearchResults, Suggestion, loosened, texts_of

logger = logging.getLogger("search")

# Facets as the search page and the API name them → the document field counted.
FACET_FIELDS = {
    "type": "kind",
    "department": "department",
    "theme": "theme",
    "audience": "audience",
    "item_type": "item_type",
    "flag": "flags",
}
MULTI_VALUED = {"theme", "flags"}
# A guide for both individuals and legal persons answers a filter on either.
AUDIENCE_BOTH = "both"

# A relaxed retry (half the tokens instead of all) only helps a query long enough to be worth
# loosening: 新生儿办理户口登记流程 rather than 社保.
RELAX_MIN_TOKENS = 2
# Matches where no term is in a title or keywords score below this (documents.TEXT_FIELDS:
# keywords 5, a follow-up item's boost 0.8): found in bodies only. Such a query is also
# searched loosely, and a title holding at least two of its words is the better answer (营业
# 执照年报 in one notice's body, 企业年度报告公示 by its title).
BODY_ONLY_SCORE = TEXT_FIELDS["keywords"] * FOLLOW_UP_BOOST
TITLE_MATCHES_SCORE = 2 * TEXT_FIELDS["title"] * FOLLOW_UP_BOOST
# The loose search scores every page the exact one found: past this many it costs more than
# the search itself (医保报销 in 997 bodies at 55,000 documents: 39 ms more), and a phrase in
# that many bodies is a common one. Not tried then.
BODY_ONLY_MAX_MATCHES = 200


class SearchUnavailable(Exception):
    """The engine did not answer (Elasticsearch down or timing out): the page says so."""


class BaseSearchBackend:
    def __init__(self, alias, params):
        self.alias = alias
        self.params = params

    # --- writing -------------------------------------------------------------------------

    def update(self, documents):
        """Add or replace these documents (in the live index and in one being rebuilt)."""
        raise NotImplementedError

    def remove(self, page_ids):
        raise NotImplementedError

    def rebuild(self, chunks):
        """Build a new index from `chunks` (lists of documents) beside the live one and swap
        it in at the end. A generator: yields after each chunk, with how many it wrote."""
        raise NotImplementedError

    def clear(self):
        raise NotImplementedError

    def page_ids(self) -> set[int]:
        """The pages the live index holds."""
        raise NotImplementedError

    def problems(self) -> list[str]:
        """What stops this backend from working, in words for the operator (empty: none)."""
        return []

    def prepare(self, document):
        """This backend's own work on one document (tokens, rows), done where documents are
        built: in a rebuild's worker processes (search/sources.py, public_documents), so only
        the result crosses the pipe back. What it returns reaches `rebuild` as
        `document.prepared`, on a document holding nothing else but its page_id.

        None, the default: nothing to prepare, and the whole document crosses the pipe."""
        return None

    # --- reading -------------------------------------------------------------------------

    def _search(self, request: SearchRequest, hidden: frozenset[int]):
        """(total, [Hit], {field: {value: count}}) for one page of a non-empty query.

        Every term must match, or with `request.relaxed` request.minimum_match of them.
        No document of a page in `hidden` is a hit or counted, nor one past its expiry.
        Facet counts: `kind` within every filter but the type filter, the others within all
        filters; multi-valued fields count each value."""
        raise NotImplementedError

    def _suggest(
        self, prefix: str, han_phrase, limit: int, hidden: frozenset[int]
    ) -> list[Suggestion]:
        """Suggestions, none of a page in `hidden` or expired."""
        raise NotImplementedError

    def search(self, request: SearchRequest) -> SearchResults:
        if not request.query:
            return SearchResults(request)
        # Pages hidden since their documents were written (search/hidden.py): read once per
        # search and left out by the engine, so totals, facets and pages are counted without them.
        left_out = hidden.page_ids()
        total, hits, facets = self._search(request, left_out)
        query = request.query
        for reading in () if request.relaxed else query.fallbacks:
            # 补办社保卡: the certificate and the loss, then the certificate alone.
            if total:
                break
            query = reading
            total, hits, facets = self._search(replace(request, query=query), left_out)
        relaxed = bool(total) and query.partial
        needles = query.needles
        if request.relaxed or query.token_count < RELAX_MIN_TOKENS:
            pass
        elif not total:
            # Half the tokens first (出生证明 → 出生 生证 证明, two of three: 出生医学证明, not
            # every page that says 证明), of the last reading tried (the item names a centre
            # words otherwise: 生育登记 finds 生育服务登记); then two of the visitor's own
            # tokens, then any one (one of an item name's, 许可, would be any licence). Two
            # before one: a page with two of 小学 入学 上学 before every page with one (1,166
            # pages at 55,000 documents, half the time of 小学入学 on PostgreSQL), and the
            # evaluation set's top-1 87.3 → 87.6 %, top-3 the same.
            loose = loosened(query)
            own = loosened(request.query.own_words())
            attempts = [
                (loose, (len(loose.terms) + 1) // 2),
                (own, max(1, min(2, len(own.terms)))),
                (own, 1),
            ]
            # Each attempt once, and none after one of the same terms needing fewer (a short
            # query's half is 2 or 1: two of 社保 保卡 after any one would find nothing more).
            attempts = [
                (q, m)
                for i, (q, m) in enumerate(attempts)
                if not any(
                    texts_of(q.terms) == texts_of(k.terms) and n <= m for k, n in attempts[:i]
                )
            ]
            answered, total, hits, facets = self._first_found(request, attempts, left_out)
            relaxed = bool(total)
            needles = attempts[answered][0].needles
        elif (
            total <= BODY_ONLY_MAX_MATCHES
            and self._best_score(request, query, hits, left_out) < BODY_ONLY_SCORE
        ):
            # Found in bodies only: a title with most of the words is a better answer. The
            # loose search holds every page the exact one found, ranked among the titles.
            # No more of them than the fewest an exact match holds, so it is among them.
            loose = loosened(query)
            minimum = max(1, min((len(loose.terms) + 1) // 2, query.fewest_tokens))
            retry = replace(request, query=loose, relaxed=True, minimum_match=minimum)
            first = replace(retry, page=1, page_size=1) if request.page != 1 else retry
            answer = self._search(first, left_out)
            if answer[1] and answer[1][0].score >= TITLE_MATCHES_SCORE:
                total, hits, facets = answer if first is retry else self._search(retry, left_out)
                relaxed, needles = True, loose.needles
        for hit in hits:
            decorate(hit, needles)
        return SearchResults(request, total, hits, display_facets(facets), relaxed)

    def _first_found(self, request, attempts, hidden):
        """(index, total, hits, facets) of the first of `attempts`, (query, minimum) pairs,
        that finds anything searched relaxed (at least `minimum` of its terms); of the last
        if none does. A backend may answer them all at once."""
        for index, (query, minimum) in enumerate(attempts):
            retry = replace(request, query=query, relaxed=True, minimum_match=minimum)
            total, hits, facets = self._search(retry, hidden)
            if total or index == len(attempts) - 1:
                return index, total, hits, facets

    def _best_score(self, request, query, hits, left_out) -> float:
        """The first hit's score of the query's first page (the one asked for, if it is)."""
        if request.page != 1:
            hits = self._search(replace(request, query=query, page=1, page_size=1), left_out)[1]
        return hits[0].score if hits else 0.0

    def suggest(self, typed: str, limit: int = 8) -> list[Suggestion]:
        """Titles for what a visitor has typed so far: by prefix (as written, full pinyin or
        initials), then, for Chinese, titles containing it."""
        key = text.suggestion_key(text.normalise_query(typed[:50]))
        if not key:
            return []
        # Inside titles only from two characters on: one character is in thousands of titles,
        # and those starting with it are already found by prefix.
        phrase = text.Term(key) if len(key) >= 2 and text.HAN_RUN.search(key) else None
        return self._suggest(key, phrase, limit, hidden.page_ids())


def decorate(hit: Hit, needles):
    hit.kind_label = KINDS.get(hit.kind, hit.kind)
    hit.title_highlight = text.highlight(hit.title, needles)
    # The snippet comes from the first text that mentions the query: a summary reads better
    # than a body, and a body is where most matches are. A body may end in attached files'
    # texts (search/attachments.py): each is a text of its own, and a snippet from one
    # names it.
    sections = hit.details.pop(attachments.DETAILS_KEY, None)
    body_parts = attachments.parts(hit.body, sections)
    for section, candidate in [(None, hit.summary), *body_parts, (None, hit.keywords)]:
        if text.mentions(candidate, needles):
            hit.highlight = text.snippet(candidate, needles)
            if section:
                hit.attachment = {"title": section["title"], "url": section["url"]}
                hit.highlight = attachments.named(section, hit.highlight)
            break
    else:
        hit.highlight = text.snippet(hit.summary or body_parts[0][1], needles)


def display_facets(raw: dict) -> dict:
    """Raw counts per document field → counts per facet name, with 个人和法人 counted
    under both 个人 and 法人 (what a filter on either would find)."""
    facets = {}
    for name, field_name in FACET_FIELDS.items():
        counts = dict(raw.get(field_name, {}))
        counts.pop("", None)
        if name == "audience":
            both = counts.pop(AUDIENCE_BOTH, 0)
            for value in ("person", "legal"):
                if counts.get(value, 0) + both:
                    counts[value] = counts.get(value, 0) + both
        facets[name] = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return facets


def row_passes(row: dict, filters: dict, skip=()) -> bool:
    """Whether a document's facet values (one row) pass the filters: the embedded backend's
    facet counting, and the definition the Elasticsearch query mirrors."""
    for name, wanted in filters.items():
        if name in skip:
            continue
        field_name = FACET_FIELDS[name]
        value = row[field_name]
        if field_name in MULTI_VALUED:
            if not all(item in value for item in wanted_list(wanted)):
                return False
        elif name == "audience":
            if value not in (wanted, AUDIENCE_BOTH):
                return False
        elif value != wanted:
            return False
    return True


def wanted_list(wanted) -> list:
    return list(wanted) if isinstance(wanted, list | tuple) else [wanted]

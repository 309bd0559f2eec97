"""One search as the page and the API both run it: read the visitor's parameters, ask the
backend, add what editors and other visitors contribute (best bets, hot queries), log it.

Nothing a visitor sends can fail here: unknown filter values are dropped, page numbers are
clamped, the query is cut to MAX_QUERY_LENGTH and parsed into plain tokens, so no engine ever
sees its own syntax. Only the engine being down surfaces (SearchUnavailable → a 503 page).
"""

from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits, SearchPromotion
from wagtail.search.utils import normalise_query_string

from cms.models import ServiceGuidePage
from cms.models.mixins import public_pages
from search import hot, lexicon, pinyin, sources, stats, synonyms
from search import query as search_query
from search.backends import get_search_backend
from search.backends.base import FACET_FIELDS
from search.query import SearchRequest, SearchResults

HIGH_FREQUENCY_COUNT = 12


@dataclass
class BestBet:
    title: str
    url: str
    description: str = ""
    page_id: int | None = None  # a page's, whose link on the search page counts clicks


@dataclass(frozen=True)
class Asked:
    """What the logs count of one search (see `log`): kept with an answer served again from
    the cache, so that a repeated search still counts."""

    query_text: str
    filtered: bool
    total: int
    relaxed: bool
    best_bets: bool


@dataclass
class SearchOutcome:
    raw_query: str
    results: SearchResults
    labels: dict
    best_bets: list[BestBet] = field(default_factory=list)
    suggestions: list = field(default_factory=list)  # on a zero-result page; always in the API
    asked: Asked | None = None  # a new question (page 1 of a query), logged

    @property
    def request(self) -> SearchRequest:
        return self.results.request


def int_param(value, default, low, high):
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return min(max(number, low), high)


def read_filters(params, labels) -> dict:
    """The filters a visitor asked for, keeping only values that exist (a stale or made-up
    value is dropped rather than answered with an error or an empty page)."""
    filters = {}
    for name in FACET_FIELDS:
        if name == "flag":
            wanted = [v for v in params.getlist("flag") if v in labels["flag"]]
            if wanted:
                filters["flag"] = list(dict.fromkeys(wanted))[:5]
        else:
            value = params.get(name, "")
            if value in labels[name]:
                filters[name] = value
    return filters


def run(params, page_size=None, always_suggest=False, visitor="", on_page=False) -> SearchOutcome:
    """`params`: a QueryDict (request.GET); `visitor`: search.hot.visitor_key of the request,
    who counts towards hot queries and the statistics; `on_page`: the search page asks, whose
    result links count clicks. Raises SearchUnavailable if the engine is down.
    Suggestions are looked up when nothing is found, or always with `always_suggest`."""
    # Cut before anything reads it: templates, links, logs and engines see at most this much.
    raw = params.get("q", "")[: search_query.MAX_QUERY_LENGTH]
    labels = sources.facet_labels()
    parsed = search_query.parse(
        raw, synonyms.current(), lexicon.current(), pinyin.Lazy(pinyin.current)
    )
    request = SearchRequest(
        query=parsed,
        filters=read_filters(params, labels),
        page=int_param(params.get("page"), 1, 1, search_query.MAX_PAGE),
        page_size=page_size
        or int_param(
            params.get("page_size"), search_query.DEFAULT_PAGE_SIZE, 1, search_query.MAX_PAGE_SIZE
        ),
    )
    backend = get_search_backend()
    results = backend.search(request)
    asked_first_page = request.page == 1  # a later page is not a new search: not logged
    if results.total and request.page > results.pages:
        # A page past the end (an old link, a hand-edited URL) shows the last page.
        request.page = results.pages
        results = backend.search(request)
    outcome = SearchOutcome(raw_query=raw, results=results, labels=labels)
    if parsed and asked_first_page:
        outcome.best_bets = best_bets(parsed.text)
        outcome.asked = Asked(
            query_text=parsed.text[:100],
            filtered=bool(results.request.filters),
            total=results.total,
            relaxed=results.relaxed,
            best_bets=bool(outcome.best_bets),
        )
        log(outcome.asked, visitor, on_page=on_page)
    if parsed and (always_suggest or not results.total):
        outcome.suggestions = backend.suggest(parsed.text)
    return outcome


def best_bets(query_text) -> list[BestBet]:
    """Editors' promotions for this query (Wagtail's search promotions), public pages only."""
    promotions = SearchPromotion.objects.filter(
        query__query_string=normalise_query_string(query_text)
    ).select_related("page")
    result = []
    for promotion in promotions.order_by("sort_order"):
        if promotion.page_id:
            page = public_pages(type(promotion.page).objects.filter(pk=promotion.page_id)).first()
            if page:
                result.append(BestBet(page.title, page.url, promotion.description, page.pk))
        elif promotion.external_link_url:
            result.append(
                BestBet(
                    promotion.external_link_text or promotion.external_link_url,
                    promotion.external_link_url,
                    promotion.description,
                )
            )
    return result


def log(asked: Asked, visitor, on_page=False):
    """Every question goes to the daily statistics (search/stats.py: searches, found nothing,
    results shown on the page), which the editors' reports read. Answered queries also go to
    Wagtail's query log (its 搜索词 report, the popular queries of best bets), and those that
    found results as typed count towards hot queries, once per visitor a day (search/hot.py).
    A search narrowed by filters is not a new question and is not counted again; a query
    holding a phone or ID card number is not recorded anywhere."""
    if asked.filtered or stats.holds_personal_number(asked.query_text):
        return
    query_text = asked.query_text
    answered = bool(asked.total or asked.best_bets)
    if asked.total and not asked.relaxed:
        hot.record(query_text, visitor)
    if answered:
        count_hit(query_text)
    stats.record_search(query_text, visitor, answered=answered, on_page=on_page)


def count_hit(query_text):
    """Wagtail's daily count of a query (the 搜索词 report, best bets), in one UPDATE on every
    search but the day's first, which makes the rows as Wagtail does."""
    today = timezone.now().date()  # as Query.add_hit dates it
    counted = QueryDailyHits.objects.filter(
        query__query_string=normalise_query_string(query_text), date=today
    ).update(hits=F("hits") + 1)
    if not counted:
        Query.get(query_text).add_hit(date=today)


def high_frequency_guides(count=HIGH_FREQUENCY_COUNT):
    guides = public_pages(ServiceGuidePage.objects.filter(high_frequency=True))
    return list(guides.order_by("title")[:count])

"""One search as the page and the API both run it: read the visitor's parameters, ask the
backend, add what editors and other visitors contribute (best bets, hot queries), log it.

Nothing a visitor sends can fail here: unknown filter values are dropped, page numbers are
clamped, the query is cut to MAX_QUERY_LENGTH and parsed into plain tokens, so no engine ever
sees its own syntax. Only the engine being down surfaces (SearchUnavailable → a 503 page).
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.search.utils import normalise_query_string

from cms.models import ServiceGuidePage
from cms.models.mixins import public_pages
from search import query as search_query
from search import sources, synonyms
from search.backends import get_search_backend
from search.backends.base import FACET_FIELDS
from search.models import UnansweredQuery
from search.query import SearchRequest, SearchResults

HOT_QUERY_DAYS = 30
HOT_QUERY_COUNT = 10
HOT_QUERY_MIN_SEARCHES = 3
PRIVATE_LOOKING = re.compile(r"\d{6,}")
HIGH_FREQUENCY_COUNT = 12


@dataclass
class BestBet:
    title: str
    url: str
    description: str = ""


@dataclass
class SearchOutcome:
    raw_query: str
    results: SearchResults
    labels: dict
    best_bets: list[BestBet] = field(default_factory=list)
    suggestions: list = field(default_factory=list)  # on a zero-result page; always in the API

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


def run(params, page_size=None, always_suggest=False) -> SearchOutcome:
    """`params`: a QueryDict (request.GET). Raises SearchUnavailable if the engine is down.
    Suggestions are looked up when nothing is found, or always with `always_suggest`."""
    raw = params.get("q", "")
    labels = sources.facet_labels()
    parsed = search_query.parse(raw, synonyms.current())
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
    outcome = SearchOutcome(
        raw_query=raw[: search_query.MAX_QUERY_LENGTH], results=results, labels=labels
    )
    if parsed and asked_first_page:
        outcome.best_bets = best_bets(parsed.text)
        log(
            parsed.text,
            answered=bool(results.total or outcome.best_bets),
            filtered=bool(request.filters),
        )
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
                result.append(BestBet(page.title, page.url, promotion.description))
        elif promotion.external_link_url:
            result.append(
                BestBet(
                    promotion.external_link_text or promotion.external_link_url,
                    promotion.external_link_url,
                    promotion.description,
                )
            )
    return result


def log(query_text, answered, filtered):
    """Answered queries count towards hot queries (Wagtail's Query log); unanswered ones are
    kept apart for editors, who answer them with a synonym or a best bet. A search narrowed
    by filters is not a new question and is not counted again."""
    if filtered:
        return
    query_text = query_text[:100]
    if answered:
        Query.get(query_text).add_hit()
    else:
        entry, created = UnansweredQuery.objects.get_or_create(
            query_string=query_text, defaults={"searches": 1}
        )
        if not created:
            UnansweredQuery.objects.filter(pk=entry.pk).update(
                searches=F("searches") + 1, last_searched_at=timezone.now()
            )


def hot_queries(count=HOT_QUERY_COUNT) -> list[str]:
    """The most searched answered queries of the last 30 days, shown to every visitor: only
    those several visitors asked (one person's query is not "hot", and may be private), and
    never one holding a long run of digits (an ID card, phone or case number)."""
    since = timezone.localdate() - datetime.timedelta(days=HOT_QUERY_DAYS)
    popular = Query.get_most_popular(date_since=since).filter(_hits__gte=HOT_QUERY_MIN_SEARCHES)
    return [
        q.query_string for q in popular[: count * 2] if not PRIVATE_LOOKING.search(q.query_string)
    ][:count]


def high_frequency_guides(count=HIGH_FREQUENCY_COUNT):
    guides = public_pages(ServiceGuidePage.objects.filter(high_frequency=True))
    return list(guides.order_by("title")[:count])

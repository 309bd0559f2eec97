"""The search page (`/search/`, plain HTML, works without JavaScript), its result links
(`/search/go/`, which count a click) and the JSON API (`/api/search/`, `/api/search/suggest/`)
for apps, WeChat and kiosks. Both run the same search (search/service.py) and differ only in
how they show it."""

import logging
from urllib.parse import urlencode

from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.models import Page

from cms.caching import version as content_version
from cms.caching.middleware import answer_key
from cms.models.mixins import public_pages
from search import hot, service, stats
from search.backends import get_search_backend
from search.backends.base import SearchUnavailable
from search.query import DEFAULT_PAGE_SIZE, MAX_QUERY_LENGTH

logger = logging.getLogger("search")
RETRY_AFTER_SECONDS = "30"


def unavailable(request, error, json=False):
    logger.error("检索服务不可用：%s", error)
    if json:
        response = JsonResponse({"error": "检索服务暂时不可用，请稍后再试。"}, status=503)
    else:
        response = TemplateResponse(
            request,
            "search/unavailable.html",
            {"query": request.GET.get("q", "")[:MAX_QUERY_LENGTH]},
            status=503,
        )
    response["Retry-After"] = RETRY_AFTER_SECONDS
    return response


def page_link(outcome, **changes):
    """The current search's URL with some parameters changed (None removes one).

    Built from what the search used, not from the URL it came by: the query as searched
    (cut to MAX_QUERY_LENGTH), the filters whose values exist, the page size if not the
    default. Whatever else a URL held (a 60,000-character query, made-up parameters) is in
    no link, so a page's size does not grow with its URL."""
    request = outcome.request
    merged = {"q": [outcome.raw_query], **request.filters}
    if request.page_size != DEFAULT_PAGE_SIZE:
        merged["page_size"] = request.page_size
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return "?" + urlencode(merged, doseq=True)


def facet_links(outcome):
    """Per facet: (label, count, url, active) for each value, for the filter sidebar."""
    request = outcome.request
    groups = []
    for name, counts in outcome.results.facets.items():
        labels = outcome.labels[name]
        active = request.filters.get(name)
        entries = []
        for value, count in counts.items():
            if value not in labels:
                continue
            if name == "flag":
                chosen = list(active or [])
                on = value in chosen
                new = [v for v in chosen if v != value] if on else [*chosen, value]
                url = page_link(outcome, flag=new or None)
            else:
                on = value == active
                url = page_link(outcome, **{name: None if on else value})
            entries.append({"label": labels[value], "count": count, "url": url, "active": on})
        if entries:
            groups.append({"name": name, "entries": entries})
    return groups


def click_link(outcome, page_id):
    """A result's link on the search page: through /search/go/, which counts the click and
    redirects to the page (`go`). The query is the one the statistics count under."""
    return f"{reverse('search_go')}?{urlencode({'q': outcome.request.query.text[:100], 'page': page_id})}"


@require_GET
def search(request):
    try:
        outcome = service.run(request.GET, visitor=hot.visitor_key(request), on_page=True)
    except SearchUnavailable as error:
        return unavailable(request, error)
    results = outcome.results
    context = {
        "query": outcome.raw_query,
        "outcome": outcome,
        "results": results,
        "hits": [(hit, click_link(outcome, hit.page_id)) for hit in results.hits],
        "best_bets": [
            (bet, click_link(outcome, bet.page_id) if bet.page_id else bet.url)
            for bet in outcome.best_bets
        ],
        "type_tabs": type_tabs(outcome),
        "facet_groups": [g for g in facet_links(outcome) if g["name"] != "type"],
        "hot_queries": hot.hot_queries(),
        "clear_filters": page_link(outcome, **dict.fromkeys(outcome.request.filters)),
    }
    if results.total:
        page = outcome.request.page
        context["previous_url"] = page_link(outcome, page=page - 1) if page > 1 else None
        context["next_url"] = page_link(outcome, page=page + 1) if page < results.pages else None
    else:
        context["high_frequency"] = service.high_frequency_guides()
    return TemplateResponse(request, "search/search.html", context)


# Why a redirect and not a script (navigator.sendBeacon): it sees every click, with
# JavaScript or without (kiosk browsers, screen readers, scripts blocked), needs no POST
# endpoint, CSRF exemption or CSP change, and a link opened in a new tab or copied still leads
# to the page. Its cost is one redirect, and a link that shows /search/go/ on hover.
@never_cache
@require_GET
def go(request):
    """`/search/go/?q=<query>&page=<page id>`: count a click on a search result and redirect
    (302) to that page's own URL. Only a public page's (cms public_pages, the one definition):
    nothing in the link names where to go, so it is no open redirect. An unknown, unpublished
    or private page id goes back to the search for the query. Rate limited as /search/
    (settings.RATE_LIMITED_PATHS)."""
    query_text = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    page_id = service.int_param(request.GET.get("page"), 0, 0, 2**31 - 1)
    page = public_pages(Page.objects.filter(pk=page_id)).first() if page_id else None
    url = page.get_url(request) if page else None
    if not url:
        return HttpResponseRedirect(f"{reverse('search')}?{urlencode({'q': query_text})}")
    stats.record_click(query_text, hot.visitor_key(request))
    return HttpResponseRedirect(url)


def type_tabs(outcome):
    counts = outcome.results.facets.get("type", {})
    active = outcome.request.filters.get("type")
    tabs = [
        {
            "label": "全部",
            "count": sum(counts.values()),
            "url": page_link(outcome, type=None),
            "active": not active,
        }
    ]
    for value, label in outcome.labels["type"].items():
        if counts.get(value):
            tabs.append(
                {
                    "label": label,
                    "count": counts[value],
                    "url": page_link(outcome, type=value),
                    "active": value == active,
                }
            )
    return tabs


def hit_json(hit, request):
    attachment = None
    if hit.attachment:  # the attached file the snippet quotes, to link to it
        url = request.build_absolute_uri(hit.attachment["url"])
        attachment = {"title": hit.attachment["title"], "url": url}
    return {
        "title": hit.title,
        "url": request.build_absolute_uri(hit.url) if hit.url.startswith("/") else hit.url,
        "type": hit.kind,
        "type_label": hit.kind_label,
        "highlight": {"title": str(hit.title_highlight), "snippet": str(hit.highlight)},
        "details": hit.details,
        "attachment": attachment,
    }


@require_GET
def api_search(request):
    """`/api/search/?q=&type=&department=&theme=&audience=&item_type=&flag=&page=&page_size=`

    The answer is kept under the content version (cms.caching) and served again to anyone
    asking the same, until the index or what it shows changes; each repeat is still logged."""
    visitor = hot.visitor_key(request)
    key = answer_key(request, "search-api")
    kept = content_version.read(key)
    if kept is not None:
        content, asked = kept
        if asked is not None:
            service.log(asked, visitor)
        return HttpResponse(content, content_type="application/json")
    try:
        # An app shows suggestions beside the hits, not only when there are none.
        outcome = service.run(request.GET, always_suggest=True, visitor=visitor)
    except SearchUnavailable as error:
        return unavailable(request, error, json=True)
    results = outcome.results
    response = JsonResponse(
        {
            "query": outcome.request.query.text,
            "total": results.total,
            "page": outcome.request.page,
            "pages": results.pages,
            "page_size": outcome.request.page_size,
            "relaxed": results.relaxed,
            "filters": outcome.request.filters,
            "best_bets": [
                {"title": bet.title, "url": bet.url, "description": bet.description}
                for bet in outcome.best_bets
            ],
            "hits": [hit_json(hit, request) for hit in results.hits],
            "facets": {
                name: [
                    {
                        "value": value,
                        "label": outcome.labels[name].get(value, value),
                        "count": count,
                    }
                    for value, count in counts.items()
                ]
                for name, counts in results.facets.items()
            },
            "suggestions": [
                {"text": s.text, "url": request.build_absolute_uri(s.url), "type": s.kind}
                for s in outcome.suggestions
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
    content_version.write(key, (response.content, outcome.asked))
    return response


@require_GET
def api_suggest(request):
    """`/api/search/suggest/?q=yyzz`: titles for what has been typed so far."""
    typed = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    try:
        suggestions = get_search_backend().suggest(typed)
    except SearchUnavailable as error:
        return unavailable(request, error, json=True)
    return JsonResponse(
        {
            "query": typed,
            "suggestions": [
                {
                    "text": s.text,
                    "url": request.build_absolute_uri(s.url) if s.url.startswith("/") else s.url,
                    "type": s.kind,
                }
                for s in suggestions
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )

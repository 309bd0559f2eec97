"""The public search page.

Interim: substring matching on titles, popular names, codes and 文号, which does find Chinese
text (Wagtail's stock database backend does not). The search issue replaces the lookup with
the unified, ranked, Chinese-tokenised index; the page's URL and parameters stay.
"""

from django.core.paginator import Paginator
from django.db.models import Q
from django.template.response import TemplateResponse

from cms.models import OneThingPage, PolicyPage, ServiceGuidePage
from cms.models.mixins import public_pages

MAX_QUERY_LENGTH = 100
RESULTS_PER_PAGE = 20


def find(query):
    guides = public_pages(ServiceGuidePage.objects.all()).filter(
        Q(title__icontains=query)
        | Q(popular_names__icontains=query)
        | Q(implementation_code__iexact=query)
        | Q(department__name__icontains=query)
    )
    bundles = public_pages(OneThingPage.objects.all()).filter(title__icontains=query)
    policies = public_pages(PolicyPage.objects.all()).filter(
        Q(title__icontains=query) | Q(document_number__icontains=query)
    )
    results = [("一件事", page) for page in bundles]
    results += [("办事指南", page) for page in guides.order_by("-high_frequency", "title")]
    results += [("政策文件", page) for page in policies.order_by("-issued_on")]
    return results


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = find(query) if query else []
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    popular = public_pages(ServiceGuidePage.objects.filter(high_frequency=True)).order_by("title")[
        :10
    ]
    return TemplateResponse(
        request,
        "search/search.html",
        {"query": query, "results": page, "total": len(results), "popular": popular},
    )

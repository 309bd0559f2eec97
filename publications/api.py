"""The JSON channel: Wagtail's API v2 with every guide element, live public pages only.

Every request gets an answer below 500: what Wagtail passes to the database unchecked is
checked here first, with a 400 and a message saying what is wrong.
"""

from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from rest_framework.renderers import JSONRenderer
from wagtail.api.v2 import filters
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Page

from cms.caching.middleware import cache_for_public
from cms.models import MagazineArticlePage, PolicyPage, ServiceGuidePage
from cms.models.guides import guide_rows
from cms.models.mixins import public_pages
from cms.models.policies import public_citations

# What each page type's API fields read from other tables, as prefetch_related lookups: a list
# of 100 guides then costs one query per relation, not one per guide and relation. Every page
# also shows its locale (meta.locale with fields=*).
RELATED_ROWS = {
    ServiceGuidePage: guide_rows,
    PolicyPage: lambda: ("attachments__document", public_citations()),
    MagazineArticlePage: lambda: ("column",),
}

# Offsets above this are refused before they reach SQL: larger numbers overflow the databases'
# 64-bit integers (an IntegrityError on SQLite, a DataError on PostgreSQL), and no catalogue
# holds a billion pages.
MAX_OFFSET = 10**9

# What Wagtail's search backends accept; anything else is a ValueError inside them.
SEARCH_OPERATORS = ("and", "or")


def prefetch_related_rows(pages):
    """Fetch what the API fields of `pages` (all of one type) read, for all of them at once."""
    if pages:
        rows = RELATED_ROWS.get(type(pages[0]))
        prefetch_related_objects(pages, "locale", *(rows() if rows else ()))


class Pagination(WagtailPagination):
    """Wagtail's limit and offset, with offsets too large for the database refused."""

    def paginate_queryset(self, queryset, request, view=None):
        try:
            offset = int(request.GET.get("offset", 0))  # as Wagtail reads it
        except ValueError:  # no number: Wagtail answers 400 itself
            offset = 0
        if offset > MAX_OFFSET:
            raise BadRequestError(f"offset 不能大于 {MAX_OFFSET}")
        return super().paginate_queryset(queryset, request, view)


class SearchFilter(filters.SearchFilter):
    """Wagtail's ?search=, with search_operator checked first: the search backends raise a
    ValueError on anything but "and" and "or". Detail requests run the filters too."""

    def filter_queryset(self, request, queryset, view):
        if request.GET.get("search_operator", "and") not in SEARCH_OPERATORS:
            raise BadRequestError("search_operator 只能是 and 或 or")
        return super().filter_queryset(request, queryset, view)


class PublicPagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's pages endpoint, minus pages past their expiry time.

    Wagtail already limits the endpoint to live pages outside view restrictions; an expired
    page stays `live` until `publish_scheduled` runs, so we exclude it here too.
    """

    pagination_class = Pagination
    # JSON only: DRF's browsable HTML view needs inline styles the site's CSP refuses.
    renderer_classes = [JSONRenderer]
    filter_backends = [
        SearchFilter if backend is filters.SearchFilter else backend
        for backend in PagesAPIViewSet.filter_backends
    ]

    def get_base_queryset(self):
        # Narrowed by primary key, as Wagtail narrows a list of one type: search backends accept
        # filters on indexed fields only, and Page does not index expire_at, so ?search= across
        # every page type (no `type`, or several) would otherwise be refused.
        public = public_pages(super().get_base_queryset())
        return Page.objects.filter(pk__in=public.values("pk"))

    def find_object(self, queryset, request):
        # Wagtail looks the id up as given: text that is no number was a 500.
        page_id = request.GET.get("id")
        if page_id is not None and not (page_id.isascii() and page_id.isdigit()):
            raise BadRequestError("id 必须是正整数")
        return super().find_object(queryset, request)

    def paginate_queryset(self, queryset):
        pages = list(super().paginate_queryset(queryset))
        prefetch_related_rows(pages)
        return pages

    def finalize_response(self, request, response, *args, **kwargs):
        # Public pages only, the same for every visitor of the URL (cms.caching).
        return cache_for_public(super().finalize_response(request, response, *args, **kwargs))

    def detail_view(self, request, pk):
        prefetch_related_rows([self.get_object()])  # the object is kept for the view's own call
        return super().detail_view(request, pk)


# Only pages: Wagtail's images and documents endpoints list every file, including the
# attachments of unpublished pages. A page's fields carry the URLs of the files it uses.
api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)


def page_detail_response(request, page):
    """The endpoint's detail answer for `page` as given, not as stored: an editor's preview of
    a draft shows the JSON apps will read once it is published.

    The object is serialised as it is (no prefetch: that would read the published child rows
    over the draft's), with the endpoint's default detail fields, and answered without
    `cache_for_public`.
    """
    request.wagtailapi_router = api_router  # what the router sets on its own requests
    view = PublicPagesAPIViewSet(
        request=request, action="detail_view", format_kwarg=None, kwargs={"pk": page.pk}
    )
    view._cached_object = page  # Wagtail's get_object() keeps its object there
    # The endpoint's default detail fields; a page not saved yet (the add form's preview) has
    # no detail address to link.
    fields = [] if page.pk else [("detail_url", True, None)]
    serializer = view._get_serializer_class(api_router, type(page), fields, show_details=True)
    data = serializer(page, context=view.get_serializer_context()).data
    content = JSONRenderer().render(data, renderer_context=view.get_renderer_context())
    return HttpResponse(content, content_type="application/json")

"""The JSON channel: Wagtail's API v2 with every guide element, live public pages only."""

from django.db.models import prefetch_related_objects
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

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


def prefetch_related_rows(pages):
    """Fetch what the API fields of `pages` (all of one type) read, for all of them at once."""
    if pages:
        rows = RELATED_ROWS.get(type(pages[0]))
        prefetch_related_objects(pages, "locale", *(rows() if rows else ()))


class PublicPagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's pages endpoint, minus pages past their expiry time.

    Wagtail already limits the endpoint to live pages outside view restrictions; an expired
    page stays `live` until `publish_scheduled` runs, so we exclude it here too.
    """

    def get_base_queryset(self):
        return public_pages(super().get_base_queryset())

    def paginate_queryset(self, queryset):
        pages = list(super().paginate_queryset(queryset))
        prefetch_related_rows(pages)
        return pages

    def detail_view(self, request, pk):
        prefetch_related_rows([self.get_object()])  # the object is kept for the view's own call
        return super().detail_view(request, pk)


# Only pages: Wagtail's images and documents endpoints list every file, including the
# attachments of unpublished pages. A page's fields carry the URLs of the files it uses.
api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)

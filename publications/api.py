"""The JSON channel: Wagtail's API v2 with every guide element, live public pages only."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from cms.models.mixins import public_pages


class PublicPagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's pages endpoint, minus pages past their expiry time.

    Wagtail already limits the endpoint to live pages outside view restrictions; an expired
    page stays `live` until `publish_scheduled` runs, so we exclude it here too.
    """

    def get_base_queryset(self):
        return public_pages(super().get_base_queryset())


# Only pages: Wagtail's images and documents endpoints list every file, including the
# attachments of unpublished pages. A page's fields carry the URLs of the files it uses.
api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)

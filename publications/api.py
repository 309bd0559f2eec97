"""The JSON channel: Wagtail's API v2 with every guide element, live public pages only."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from cms.models.mixins import public_pages


class PublicPagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's pages endpoint, minus pages past their expiry time.

    Wagtail already limits the endpoint to live pages outside view restrictions; an expired
    page stays `live` until `publish_scheduled` runs, so we exclude it here too.
    """

    def get_base_queryset(self):
        return public_pages(super().get_base_queryset())


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)

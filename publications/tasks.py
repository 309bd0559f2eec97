"""Jobs the django-q2 worker runs for publications."""

from cms.models import ServiceGuidePage
from cms.models.mixins import public_pages
from publications import cache


def render_guide_pdf(page_id):
    """Render a just-published guide's PDF into the cache, so no visitor waits for it.

    Skipped when the guide is no longer public by the time the job runs; a later revision
    simply renders under its own key.
    """
    guide = public_pages(ServiceGuidePage.objects.filter(pk=page_id)).first()
    if guide is not None:
        cache.guide_pdf(guide)

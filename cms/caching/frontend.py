"""A front cache (Varnish, nginx with a purge module, a CDN) purged whenever the content
version changes, through Wagtail's frontend cache module (WAGTAILFRONTENDCACHE, set from
FRONTEND_CACHE_URL).

The version retires everything, so the purge does too: every public page at each of its
cached paths (a guide's kiosk view and PDF beside it) and its page API detail. A proxy may
only keep what can be purged this way — addresses without a query string — so only those are
sent with `s-maxage` (cms.caching.middleware.proxy_cache_control); the rest revalidate.

Purges run in the job worker, one at a time: changes arriving while one is queued join it.
"""

from django.conf import settings
from django.core.cache import cache
from django_q.tasks import async_task
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page

QUEUED = "cms:frontend-purge-queued"


def configured() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def queue_purge():
    if configured() and cache.add(QUEUED, True, 600):
        async_task("cms.caching.frontend.purge_public_pages", group="前端缓存")


def purge_public_pages():
    """Every public page's cached addresses and page API detail, purged in one batch."""
    from cms.models.mixins import public_pages

    cache.delete(QUEUED)  # a change from now on queues the next purge
    pages = list(public_pages(Page.objects.all()).specific())
    batch = PurgeBatch()
    batch.add_pages(pages)
    root = settings.WAGTAILAPI_BASE_URL.rstrip("/")
    batch.add_urls(f"{root}/api/v2/pages/{page.pk}/" for page in pages)
    batch.purge()
    return len(batch.urls)

"""The site's content version: one stamp that every public cache entry is keyed by.

It lives in the "pages" cache (Redis when REDIS_URL is set, so every web and worker process
on every machine sees one stamp; otherwise files under VAR_DIR shared by the processes of the
one machine). With it is stored the moment it stops being valid: the next page expiry (a page
is hidden at its expiry time, before `publish_scheduled` unpublishes it) or the next local
midnight (pages print the year), whichever comes first. Reading it past that moment, or
finding it evicted, makes a new one.
"""

import datetime
import logging
import secrets

from django.conf import settings
from django.core.cache import caches
from django.db.models import Min
from django.utils import timezone

KEY = "site-content-version"
logger = logging.getLogger(__name__)


def cache():
    return caches["pages"]


def read(key):
    """A cached value, or None; a cache that fails (Redis restarting, a full disk) is a miss,
    never an error page."""
    try:
        return cache().get(key)
    except Exception:
        logger.warning("页面缓存读取失败，按未缓存处理", exc_info=True)
        return None


def write(key, value, timeout=None):
    try:
        cache().set(key, value, timeout=timeout or settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("页面缓存写入失败，本次不缓存", exc_info=True)


def current() -> str:
    """The stamp now: a short random token."""
    stored = read(KEY)
    if stored is not None:
        token, valid_until = stored
        if timezone.now() < valid_until:
            return token
    token = secrets.token_hex(6)
    try:
        cache().set(KEY, (token, next_change()), timeout=None)
    except Exception:
        logger.warning("页面缓存不可用：内容版本未保存", exc_info=True)
    return token


def bump():
    """Retire the stamp: everything cached under it is no longer served. The next reader
    makes a new one (a delete, so that an import saving thousands of rows costs little).
    A cache that cannot be reached fails the change: a stale stamp must not outlive it."""
    cache().delete(KEY)


def next_change() -> datetime.datetime:
    """When the public site next changes by itself: a live page's expiry, or midnight."""
    from wagtail.models import Page

    now = timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    midnight = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time()))
    expiry = Page.objects.filter(live=True, expire_at__gt=now).aggregate(at=Min("expire_at"))["at"]
    return min(midnight, expiry) if expiry else midnight

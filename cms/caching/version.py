"""The site's content version: one stamp that every public cache entry is keyed by.

It lives in the "pages" cache (Redis when REDIS_URL is set, so every web and worker process
on every machine sees one stamp; otherwise files under VAR_DIR shared by the processes of the
one machine). With it is stored the moment it stops being valid: the next page expiry (a page
is hidden at its expiry time, before `publish_scheduled` unpublishes it) or the next local
midnight (pages print the year), whichever comes first. Reading it past that moment, or
finding it evicted, makes a new one.
"""

import datetime
import secrets

from django.core.cache import caches
from django.db.models import Min
from django.utils import timezone

KEY = "site-content-version"


def cache():
    return caches["pages"]


def current() -> str:
    """The stamp now: a short random token."""
    stored = cache().get(KEY)
    if stored is not None:
        token, valid_until = stored
        if timezone.now() < valid_until:
            return token
    token = secrets.token_hex(6)
    cache().set(KEY, (token, next_change()), timeout=None)
    return token


def bump():
    """Retire the stamp: everything cached under it is no longer served. The next reader
    makes a new one (a delete, so that an import saving thousands of rows costs little)."""
    cache().delete(KEY)


def next_change() -> datetime.datetime:
    """When the public site next changes by itself: a live page's expiry, or midnight."""
    from wagtail.models import Page

    now = timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    midnight = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time()))
    expiry = Page.objects.filter(live=True, expire_at__gt=now).aggregate(at=Min("expire_at"))["at"]
    return min(midnight, expiry) if expiry else midnight

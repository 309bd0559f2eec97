"""Public answers served from the cache, before sessions, users and views are touched.

A view opts in with `cache_for_public(response)`: the public page types (PublicPageMixin,
so every page, kiosk and print view of a public page), the page API and the search API. The
middleware stores an opted-in answer only when nothing in it is personal: an anonymous GET
(no session cookie, no Authorization header: whatever the view read of the session or user
was empty), status 200, no cookie set, no CSP nonce (the print view's inline style) and no
`Cache-Control: private/no-store`. The answer keeps its `Vary: Cookie`, which tells a proxy
that a logged-in visitor gets another page. A visitor who is logged in, previews or passes a page
password sends a session cookie and never reaches the cache; nor does Wagtail's preview request,
cookie or not (a draft must neither be served a cached live page nor be cached itself).

Answers carry an ETag and Last-Modified (a conditional request gets 304) and a
Cache-Control that lets a reverse proxy keep them only as long as it can be told to drop
them (settings.PAGE_CACHE_PROXY_SECONDS, see docs/deployment.md).
"""

import hashlib
import time

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_http_date

from cms import elder_mode
from cms.caching import frontend, version

# Headers set here on every answer; a stored answer keeps all its others (content type, the
# policy and frame options of the middleware inside this one: CSP, clickjacking). The outer
# ones (security) add theirs to every answer, stored or not.
OWN_HEADERS = {"etag", "last-modified", "cache-control", "expires", "x-cache"}
MAX_QUERY_LENGTH = 256


def cache_for_public(response, file=None):
    """Mark `response` as the same for every anonymous visitor of this URL. `file`: the path
    of the file a FileResponse sends (a rendered PDF), kept instead of the bytes; the next
    visitor is sent that file without routing or the view, while it exists."""
    response.cache_for_public = True
    response.public_file = file or getattr(response, "public_file", None)
    return response


def never_cache_for_public(response):
    response.cache_for_public = False
    return response


def may_use_cache(request):
    return (
        request.method in ("GET", "HEAD")
        # Wagtail's previews run the middleware on a made-up request for the page's public
        # address (PreviewableMixin.make_preview_request): a draft neither reads nor fills it.
        and not getattr(request, "is_dummy", False)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_LENGTH
    )


def storable(request, response):
    cache_control = response.get("Cache-Control", "")
    return (
        getattr(response, "cache_for_public", False)
        and request.method == "GET"
        and response.status_code == 200
        and (not response.streaming or getattr(response, "public_file", None))
        and not response.cookies
        and getattr(request, "_csp_nonce", None) is None
        and not any(word in cache_control for word in ("private", "no-store"))
    )


def answer_key(request, kind="page"):
    """The cache key of the answer to `request` under the current content version."""
    # The scheme too: answers hold absolute links (the search API's hits).
    where = f"{request.scheme}://{request.get_host()}\n{request.get_full_path()}"
    digest = hashlib.sha256(where.encode()).hexdigest()[:32]
    # And the elder-friendly mode (cms.elder_mode): its pages differ from the standard ones.
    # Keyed rather than bypassed, so a visitor in that mode is served from the cache too; every
    # answer, not only pages, so no view can forget it. Two modes at most double the entries.
    mode = "elder" if elder_mode.is_on(request) else "standard"
    return f"{kind}:{version.current()}:{mode}:{digest}"


def proxy_cache_control(request):
    """A front cache may keep an answer only if it is purged when it changes: with
    PAGE_CACHE_PROXY_SECONDS, a purged front cache (cms.caching.frontend) and an address it
    purges (no query string). Otherwise it must ask each time (the app answers 304)."""
    seconds = settings.PAGE_CACHE_PROXY_SECONDS
    if seconds and frontend.configured() and not request.META.get("QUERY_STRING"):
        return f"public, max-age=0, s-maxage={seconds}"
    return "public, no-cache"


class PublicCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_use_cache(request):
            return self.get_response(request)
        key = answer_key(request)
        entry = version.read(key)
        if entry is not None:
            return self.answer(request, entry, hit=True)
        response = self.get_response(request)
        if not storable(request, response):
            return response
        if response.streaming:
            return self.store_file(key, response)
        if hasattr(response, "render"):
            response.render()
        entry = {
            "content": response.content,
            "headers": {k: v for k, v in response.items() if k.lower() not in OWN_HEADERS},
            "etag": f'"{hashlib.sha256(response.content).hexdigest()[:24]}"',
            "last_modified": int(time.time()),
        }
        version.write(key, entry)
        return self.answer(request, entry, hit=False)

    def store_file(self, key, response):
        """A file's answer keeps its path and the view's own validators."""
        entry = {
            "file": response.public_file,
            "headers": {k: v for k, v in response.items() if k.lower() not in OWN_HEADERS},
            "etag": response["ETag"],
            "last_modified": int(parse_http_date(response["Last-Modified"])),
        }
        version.write(key, entry)
        response["X-Cache"] = "miss"
        return response

    def answer(self, request, entry, *, hit):
        response = get_conditional_response(
            request, etag=entry["etag"], last_modified=entry["last_modified"]
        )
        if response is None:
            if "file" in entry:
                try:
                    response = FileResponse(open(entry["file"], "rb"))  # noqa: SIM115 (closed by the response)
                except FileNotFoundError:  # removed by a newer render: the view answers
                    version.write(answer_key(request), None, timeout=1)
                    return self.get_response(request)
            else:
                response = HttpResponse(entry["content"])
            for name, value in entry["headers"].items():
                response[name] = value
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = http_date(entry["last_modified"])
        response["Cache-Control"] = proxy_cache_control(request)
        # A front cache keeps one copy per Cookie header: the elder-friendly mode's cookie
        # must never get the standard page, nor the reverse (docs/accessibility.md).
        patch_vary_headers(response, ["Cookie"])
        response["X-Cache"] = "hit" if hit else "miss"
        return response

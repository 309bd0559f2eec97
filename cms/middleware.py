"""Request hygiene that protects every view at once: no NUL bytes, and bounded request rates.

Rate limits count requests per client address in the cache (shared by every web process when
REDIS_URL is set; per process on the embedded default's local-memory cache). They cover what
costs the server most per request: search, suggestions, the page API, admin logins, and (in
publications/views.py) PDFs rendered on a cache miss. Failed logins lock an account for a
client by django-axes (settings: AXES_*). A refused request gets 429, Retry-After and a page
in Chinese (JSON under /api/). docs/security.md has the figures.
"""

import ipaddress

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited


class RejectNulBytesMiddleware:
    """Answer 400 to a path, query string or form field containing a NUL character.

    PostgreSQL refuses NUL in text ("A string literal cannot contain NUL characters"), so such
    input would otherwise surface as a 500 in whichever view first filters on it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "\x00" in query or "%00" in query:
            return HttpResponseBadRequest("请求中含有非法字符。")
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            if any("\x00" in value for values in request.POST.lists() for value in values[1]):
                return HttpResponseBadRequest("请求中含有非法字符。")
        return self.get_response(request)


def client_ip(request):
    """The visitor's address: REMOTE_ADDR, or behind TRUSTED_PROXIES reverse proxies the
    address the outermost of them saw (the last entries of X-Forwarded-For are theirs; the
    ones before can be typed by anyone)."""
    address = request.META.get("REMOTE_ADDR", "")
    if settings.TRUSTED_PROXIES:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= settings.TRUSTED_PROXIES:
            address = hops[-settings.TRUSTED_PROXIES]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return "0.0.0.0"  # a malformed header counts against one shared bucket, never a 500


def limit(request, group):
    """Count this request in `group` (a key of settings.RATE_LIMITS); raise Ratelimited when
    the client is over the rate. Addresses in RATE_LIMIT_EXEMPT (the hall's kiosks, the
    centre's own network) are never limited."""
    if client_ip(request) in settings.RATE_LIMIT_EXEMPT:
        return
    usage = get_usage(
        request, group=group, key="ip", rate=settings.RATE_LIMITS[group], increment=True
    )
    if usage and usage["should_limit"]:
        raise Ratelimited(usage["time_left"])


class RateLimitMiddleware:
    """Limits by path (RATE_LIMITED_PATHS: prefix → group), so one table shows what is limited;
    answers every Ratelimited raised below it, from here or from a view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for prefix, group, method in settings.RATE_LIMITED_PATHS:
            if request.path.startswith(prefix) and method in (None, request.method):
                try:
                    limit(request, group)
                except Ratelimited as refused:
                    return too_many_requests(request, refused)
                break
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Ratelimited):
            return too_many_requests(request, exception)
        return None


def too_many_requests(request, exception=None, seconds=None):
    """429 with Retry-After, in JSON for the API and as a page for people."""
    if seconds is None:
        seconds = exception.args[0] if exception and exception.args else 60
    seconds = max(1, int(seconds))
    message = f"访问过于频繁：您在短时间内的请求次数过多，请 {seconds} 秒后再试。"
    if request.path.startswith("/api/"):
        response = JsonResponse({"error": message, "retry_after": seconds}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once a user name has failed too often from one address."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(
        request,
        "429.html",
        {
            "message": f"登录失败次数过多，该账号在此设备上已暂时锁定，请 {seconds // 60} 分钟后再试；"
            "如忘记密码，请联系系统管理员重置。",
            "seconds": seconds,
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response

"""Bounded request rates, and who the visitor is for counting them.

Rates are counted per client address in the cache (django-ratelimit): shared by every web
process when REDIS_URL is set, per process on the embedded default's local-memory cache. They
cover what costs the server most per request or invites guessing: search, suggestions, the
page API, every login and password form, and (publications/views.py) PDFs rendered on a cache
miss. Failed logins lock a (user name, address) pair through django-axes (settings: AXES_*),
whose lockout page is here too. A refused request gets 429, Retry-After and a page in Chinese
(JSON under /api/). docs/security.md has the figures and the settings.
"""

import ipaddress
from functools import cache

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

UNKNOWN_ADDRESS = "0.0.0.0"  # a malformed address counts against one shared bucket


@cache
def networks(entries):
    """Parsed networks from a tuple of strings ("10.1.2.3", "10.1.2.0/24", " ::1 ")."""
    return tuple(
        ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip()
    )


def _address(text):
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # ::ffff:10.1.2.3 is 10.1.2.3 (a dual-stack server reports IPv4 clients that way).
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def client_ip(request):
    """The visitor's address as text.

    REMOTE_ADDR, unless it is one of the reverse proxies declared in TRUSTED_PROXY_NETWORKS and
    TRUSTED_PROXIES says how many there are: then the address the outermost of them saw, the
    TRUSTED_PROXIES-th entry of X-Forwarded-For from the right (the entries before it can be
    typed by anyone, and a client that reaches the app directly cannot pose as a proxy).
    """
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return UNKNOWN_ADDRESS
    count = settings.TRUSTED_PROXIES
    if count and any(peer in net for net in networks(tuple(settings.TRUSTED_PROXY_NETWORKS))):
        hops = [
            hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()
        ]
        if len(hops) >= count:
            forwarded = _address(hops[-count])
            return str(forwarded) if forwarded else UNKNOWN_ADDRESS
    return str(peer)


def visitor_network(request):
    """The address as counting sees it: IPv4 whole, IPv6 by its /64 (one household or phone
    holds a whole /64, so its addresses are one visitor), as django-ratelimit masks them."""
    address = ipaddress.ip_address(client_ip(request))
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def is_exempt(request):
    address = ipaddress.ip_address(client_ip(request))
    return any(address in net for net in networks(tuple(settings.RATE_LIMIT_EXEMPT)))


def limit(request, group):
    """Count this request in `group` (a key of settings.RATE_LIMITS); raise Ratelimited when
    the client is over the rate. Addresses in RATE_LIMIT_EXEMPT (the hall's kiosks and offices,
    as addresses or networks) are never limited."""
    if is_exempt(request):
        return
    usage = get_usage(
        request, group=group, key="ip", rate=settings.RATE_LIMITS[group], increment=True
    )
    if usage and usage["should_limit"]:
        raise Ratelimited(usage["time_left"])


class RateLimitMiddleware:
    """Limits by path (RATE_LIMITED_PATHS: prefix, group, method), so one table shows what is
    limited; answers every Ratelimited raised below it, from here or from a view."""

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


def _refusal(request, message, seconds):
    if request.path.startswith("/api/"):
        response = JsonResponse({"error": message, "retry_after": seconds}, status=429)
    else:
        # A plain page that reads no database: refusals come in floods.
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def too_many_requests(request, exception):
    """429 for a client over a rate: JSON for the API, a page for people."""
    seconds = max(1, int(exception.args[0])) if exception.args else 60
    return _refusal(
        request, f"访问过于频繁：您在短时间内的请求次数过多，请 {seconds} 秒后再试。", seconds
    )


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once a user name has failed too often from one address."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    return _refusal(
        request,
        f"登录失败次数过多，该账号在此设备上已暂时锁定，请 {seconds // 60} 分钟后再试；"
        "如忘记密码，请联系系统管理员重置。",
        seconds,
    )

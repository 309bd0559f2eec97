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
from django.core import checks
from django.http import JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

UNKNOWN_ADDRESS = "0.0.0.0"  # a malformed address counts against one shared bucket


def _network(entry):
    try:
        return ipaddress.ip_network(entry.strip(), strict=False)
    except ValueError:
        return None


@cache
def networks(entries):
    """Parsed networks from a tuple of strings ("10.1.2.3", "10.1.2.0/24", " ::1 "). A
    mistyped entry is left out here, so it never costs a visitor a 500; the system check
    `limits_check` refuses to start with one."""
    return tuple(net for net in map(_network, entries) if net is not None)


def invalid_networks(entries):
    """The entries `networks` would leave out (for the system check)."""
    return [entry for entry in entries if entry.strip() and _network(entry) is None]


def _address(text):
    """An address from REMOTE_ADDR or an X-Forwarded-For hop, with any port or brackets
    removed ("203.0.113.5:4711", "[2001:db8::1]:443"); None if it is not one."""
    text = text.strip()
    if text.startswith("["):  # [IPv6]:port
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # IPv4:port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # ::ffff:10.1.2.3 is 10.1.2.3 (a dual-stack server reports IPv4 clients that way).
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def client_ip(request):
    """The visitor's address as text.

    REMOTE_ADDR, unless the peer is one of the reverse proxies (an address in
    TRUSTED_PROXY_NETWORKS, or a Unix socket, which has none) and TRUSTED_PROXIES says how many
    there are: then the address the outermost of them saw, the TRUSTED_PROXIES-th entry of
    X-Forwarded-For from the right. The entries before it can be typed by anyone, and a client
    that reaches the app directly cannot pose as a proxy.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    peer = _address(remote)
    count = settings.TRUSTED_PROXIES
    from_proxy = (not remote and count) or (
        peer is not None
        and count
        and any(peer in net for net in networks(tuple(settings.TRUSTED_PROXY_NETWORKS)))
    )
    if from_proxy:
        hops = [
            hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()
        ]
        if len(hops) >= count:
            forwarded = _address(hops[-count])
            return str(forwarded) if forwarded else UNKNOWN_ADDRESS
    return str(peer) if peer else UNKNOWN_ADDRESS


def visitor_network(request, ipv6_prefix=64):
    """The address as counting sees it: IPv4 whole, IPv6 by its network (by default the /64
    django-ratelimit masks with: one household or phone holds at least a /64)."""
    address = ipaddress.ip_address(client_ip(request))
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/{ipv6_prefix}", strict=False))
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


@checks.register(checks.Tags.security)
def limits_check(app_configs, **kwargs):
    """A mistyped address in the limits' settings would otherwise be silently ignored."""
    return [
        checks.Error(
            f"{name} 中的 {entry!r} 不是 IP 地址或网段。",
            hint="例如 10.1.2.3 或 10.1.2.0/24，多个用英文逗号分隔。",
            id="cms.E001",
        )
        for name in ("RATE_LIMIT_EXEMPT", "TRUSTED_PROXY_NETWORKS")
        for entry in invalid_networks(getattr(settings, name))
    ]

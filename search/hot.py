"""Hot queries (热门搜索): what visitors ask most, shown to every visitor on the search page.

Visitor text shown to other visitors, so only what passes every rule:

- counted once per visitor a day: a visitor is a keyed hash (HMAC of SECRET_KEY) of the day,
  the address and the browser, so five requests from one person are one, and neither the
  address nor a link between days is stored;
- only queries that found results as typed: not one that found nothing, nor one answered by
  the relaxed retry (partial matches), nor a later page or a narrowing by filters;
- at least HOT_QUERY_MIN_VISITORS visitors within HOT_QUERY_DAYS;
- never a query holding a blocked word (editors' list, HotQueryBlockedWord: 微信, 加群, 代办,
  贷款…), a run of six digits or more (ID card, phone, QQ or case numbers, separators
  allowed), a web or e-mail address;
- never one an editor has hidden (设置 → 热门搜索词 → 隐藏).
"""

import datetime
import hashlib
import re

from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.crypto import salted_hmac

from cms.ratelimits import visitor_network
from search import text
from search.models import HotQuery, HotQueryBlockedWord, HotQueryVisitor

HOT_QUERY_DAYS = 30
HOT_QUERY_COUNT = 10
HOT_QUERY_MIN_VISITORS = 3
# Never shown, whatever the word list says: six digits or more (spaces, dots and dashes between
# them allowed), a web address, an e-mail address.
NEVER_SHOWN = re.compile(
    r"(?:\d[\s.\-]*){6,}|https?:|www\.|\.(?:com|cn|net|org|top|xyz|vip|cc|info|io|me)\b|@"
)
# The list changes when a visitor becomes the threshold's visitor or an editor acts; between
# those, a new order of the hot queries may take this long to show.
CACHE_KEY = "search:hot-queries"
WORDS_CACHE_KEY = "search:hot-query-blocked-words"
CACHE_SECONDS = 300


def visitor_key(request) -> str:
    """Today's name for the visitor making `request`: a keyed hash of the day and their address
    as the rate limits see it (behind TRUSTED_PROXIES the forwarded one; IPv6 by its /48).
    Nothing the client chooses, such as its User-Agent, goes in: one client cannot pose as
    several. People sharing one address (a family, a hall's Wi-Fi) count as one visitor, so
    fewer visitors are counted, never more."""
    # IPv6 by its /48: ISPs hand a household up to a /48, which must not count as many.
    seen_as = f"{timezone.localdate().isoformat()}\n{visitor_network(request, ipv6_prefix=48)}"
    return salted_hmac("search.hot.visitor", seen_as, algorithm="sha256").hexdigest()[:32]


def compact(query: str) -> str:
    """A query as its characters, letters and digits alone: 微 信、加-群 → 微信加群."""
    return "".join(text.RUN.findall(text.normalise_query(query)))


def blocked(query: str, words=None) -> bool:
    if NEVER_SHOWN.search(text.normalise_query(query)):
        return True
    words = blocked_words() if words is None else words
    squeezed = compact(query)
    return any(word in squeezed for word in words)


def blocked_words() -> list[str]:
    """The editors' words as queries are compared with them; cached, as every counted search
    reads them."""
    return cache.get_or_set(
        WORDS_CACHE_KEY,
        lambda: [compact(w) for w in HotQueryBlockedWord.objects.values_list("word", flat=True)],
        CACHE_SECONDS,
    )


def record(query_text: str, visitor: str):
    """One visitor asked `query_text` and it found results as typed (the caller checks)."""
    if not visitor or not query_text or blocked(query_text):
        return
    today = timezone.localdate()
    # A visitor counts once a day: their repeats (a reload, a cached answer asked again) end
    # here without a database write. The rows below stay the truth; this only spares them.
    query_key = hashlib.sha256(query_text[:100].encode()).hexdigest()[:16]
    if not cache.add(f"search:hot-visit:{today}:{query_key}:{visitor}", True, 26 * 3600):
        return
    forget_old_visits(today)
    entry, _ = HotQuery.objects.get_or_create(query_string=query_text[:100])
    _, new = HotQueryVisitor.objects.get_or_create(query=entry, day=today, visitor=visitor)
    since = today - datetime.timedelta(days=HOT_QUERY_DAYS)
    if new and entry.visitors.filter(day__gt=since).count() == HOT_QUERY_MIN_VISITORS:
        cache.delete(CACHE_KEY)  # it has just become hot: show it now, not in five minutes


def forget_old_visits(today):
    """Once a day: visits older than the window, and the queries left without any (those an
    editor hid stay, with their decision)."""
    if cache.add(f"search:hot-queries-pruned:{today}", True, 24 * 3600):
        since = today - datetime.timedelta(days=HOT_QUERY_DAYS)
        HotQueryVisitor.objects.filter(day__lte=since).delete()
        HotQuery.objects.filter(hidden=False, visitors__isnull=True).delete()


def with_visitor_counts(queryset):
    """Each query with `visitor_count`: its visitors within the window."""
    since = timezone.localdate() - datetime.timedelta(days=HOT_QUERY_DAYS)
    return queryset.annotate(visitor_count=Count("visitors", filter=Q(visitors__day__gt=since)))


def hot_queries(count=HOT_QUERY_COUNT) -> list[str]:
    """The queries most visitors asked within the window, by the rules above; cached."""
    found = cache.get(CACHE_KEY)
    if found is None:
        popular = (
            with_visitor_counts(HotQuery.objects.filter(hidden=False))
            .filter(visitor_count__gte=HOT_QUERY_MIN_VISITORS)
            .order_by("-visitor_count", "query_string")
        )
        words = blocked_words()
        found = [
            q.query_string for q in popular[: count * 3] if not blocked(q.query_string, words)
        ][:count]
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return found


def editors_changed(sender, created=False, **kwargs):
    # A hidden query or a new blocked word leaves the list at once. A query's entry created
    # by its first visitor changes nothing shown.
    if not (sender is HotQuery and created):
        cache.delete_many([CACHE_KEY, WORDS_CACHE_KEY])


for model in (HotQuery, HotQueryBlockedWord):
    post_save.connect(editors_changed, sender=model, dispatch_uid=f"hot_{model.__name__}_saved")
    post_delete.connect(editors_changed, sender=model, dispatch_uid=f"hot_{model.__name__}_gone")

"""Search statistics (搜索统计) for editors: per query and day, how many visitors asked it,
how many of those found nothing, how many saw results on the search page and how many of
those clicked one. The two reports (搜索无结果 and 搜索低点击, search/admin_views.py) read it.

- Counts, never people: a visitor counts once a day per query (for a search, a page of
  results and a click alike) through the same keyed day hash as hot queries
  (search.hot.visitor_key), held only in the cache; no address, browser or hash is stored.
- A query holding a mobile or ID card number is not recorded at all (here, in Wagtail's query
  log or in hot queries): it is a person's data, and no synonym answers it.
- Dates are the centre's (TIME_ZONE, Asia/Shanghai). Rows older than KEEP_DAYS go nightly
  (search.tasks.prune_search_statistics).
"""

import datetime
import hashlib
import re

from django.core.cache import cache
from django.db.models import F, Max, Q, Sum
from django.utils import timezone

from search.models import SearchDay

KEEP_DAYS = 180
REPORT_DAYS = (7, 30, 90)
DEFAULT_REPORT_DAYS = 30
# Low click-through: shown results at least this often in the window, and fewer than this
# share of those visitors clicked a result.
LOW_CLICK_MIN_IMPRESSIONS = 5
LOW_CLICK_PERCENT = 25
# A mainland mobile number (11 digits from 13…19, maybe after 86 or 0086) or a resident ID
# card number (18, the last may be X; or the old 15 digits), not inside a longer run of
# digits: 12-digit item codes are kept. Read with the separators people type between the
# digits removed (+86 138-0013-8000, 138.0013.8000, (0086)13800138000).
PERSONAL_NUMBER = re.compile(r"(?<!\d)(?:(?:0086|86)?1[3-9]\d{9}|\d{17}[\dXx]|\d{15})(?!\d)")
NUMBER_SEPARATORS = re.compile(r"[\s\-.+()（）·—_/]")


def holds_personal_number(query_text: str) -> bool:
    return bool(PERSONAL_NUMBER.search(NUMBER_SEPARATORS.sub("", query_text)))


def first_today(what: str, query_text: str, visitor: str) -> bool:
    """True the first time today `visitor` does `what` for this query ("search", "results",
    "click"); without a visitor (a caller outside a request) every time. In the cache: shared
    by every process with REDIS_URL, per process otherwise (then a repeat may count again)."""
    if not visitor:
        return True
    query_key = hashlib.sha256(query_text.encode()).hexdigest()[:16]
    key = f"search:stats:{what}:{timezone.localdate()}:{query_key}:{visitor}"
    return cache.add(key, True, 26 * 3600)


def add_today(query_text: str, **counts):
    """Add `counts` to today's row of the query: one UPDATE, and a row made on the day's
    first."""
    changes = {name: F(name) + number for name, number in counts.items()}
    row = SearchDay.objects.filter(query_string=query_text, date=timezone.localdate())
    if not row.update(**changes):
        SearchDay.objects.get_or_create(query_string=query_text, date=timezone.localdate())
        row.update(**changes)


def record_search(query_text: str, visitor: str, *, answered: bool, on_page: bool):
    """A search for `query_text` (the first page, not narrowed by filters; the caller checks).
    `answered`: it found results or an editor's best bet. `on_page`: the search page showed
    them, whose links count clicks; the API's answers do not."""
    counts = {}
    if first_today("search", query_text, visitor):
        counts["searches"] = 1
        if not answered:
            counts["zero_results"] = 1
    if answered and on_page and first_today("results", query_text, visitor):
        counts["impressions"] = 1
    if counts:
        add_today(query_text, **counts)


def record_click(query_text: str, visitor: str):
    """A visitor followed a result of `query_text` on the search page. Counted only on a row
    whose results were shown today, so a made-up link adds no query to the editors' report."""
    if query_text and first_today("click", query_text, visitor):
        SearchDay.objects.filter(
            query_string=query_text, date=timezone.localdate(), impressions__gt=0
        ).update(clicks=F("clicks") + 1)


def first_day(days: int) -> datetime.date:
    """The first date of the last `days` days, today included."""
    return timezone.localdate() - datetime.timedelta(days=days - 1)


def totals(rows):
    """`rows` summed per query: searches, zero_results, impressions, clicks, last_searched."""
    return rows.values("query_string").annotate(
        total_searches=Sum("searches"),
        total_zero_results=Sum("zero_results"),
        total_impressions=Sum("impressions"),
        total_clicks=Sum("clicks"),
        last_searched=Max("date"),
        last_unanswered=Max("date", filter=Q(zero_results__gt=0)),
    )


def zero_result_queries(rows):
    """Queries that found nothing for at least one visitor in `rows`."""
    return totals(rows).filter(total_zero_results__gt=0)


def low_click_queries(rows):
    """Queries whose results were shown often and seldom clicked."""
    # clicks / impressions < LOW_CLICK_PERCENT %, compared in integers on every database
    return (
        totals(rows)
        .annotate(clicks_in_percent=F("total_clicks") * 100)
        .filter(
            total_impressions__gte=LOW_CLICK_MIN_IMPRESSIONS,
            clicks_in_percent__lt=F("total_impressions") * LOW_CLICK_PERCENT,
        )
    )


def prune():
    """Forget the days before the last KEEP_DAYS."""
    deleted, _ = SearchDay.objects.filter(date__lt=first_day(KEEP_DAYS)).delete()
    return deleted

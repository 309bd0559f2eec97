"""The guides' external links and their periodic check (外部链接检查).

A scheduled job (cms.tasks.check_guide_links, daily: cms/install.py) gathers every external
address the guides show, checks the ones checked longest ago (at most LINKS_PER_RUN a run,
WORKERS at a time, each within TIMEOUT seconds, none started after RUN_SECONDS) and stores the
outcome in LinkCheck after each round. The audit reads only those rows: a page view never
waits for another site.

A link is dead (已失效) when the site says it is gone (404, 410), or when it failed
FAILURES_BEFORE_DEAD checks in a row (errors, time-outs, other 4xx/5xx): one bad night of a
provincial portal does not mark every guide.
"""

import html
import http.client
import re
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from types import SimpleNamespace

from django.db.models import F
from django.utils import timezone

from cms.models import LinkCheck, ServiceGuidePage

LINKS_PER_RUN = 300
TIMEOUT = 10  # seconds, for connecting and again for the answer
WORKERS = 8
# No round of checks starts after this many seconds: with a round's worst case (HEAD and GET,
# each connecting and answering within TIMEOUT) the job ends before django-q2 stops it
# (Q_CLUSTER["timeout"], 300 s), and what it checked is stored round by round.
RUN_SECONDS = 180
GONE = {404, 410}
FAILURES_BEFORE_DEAD = 2
# Servers that refuse HEAD (or answer it wrongly) are asked again with GET.
HEAD_REFUSED = {400, 403, 405, 501}
USER_AGENT = "zhengwu-cms-linkcheck/1.0"
# External links in rich text: Wagtail stores internal ones as <a linktype="page" id="…">.
HREF = re.compile(r"""<a\s[^>]*href=["'](https?://[^"']+)["']""", re.IGNORECASE)
MAX_URL = LinkCheck._meta.get_field("url").max_length
ADDRESS_FIELDS = ("online_url", "status_url", "conditions")


def guide_links(guide):
    """(element, address) for every external address the guide shows, each address once."""
    links = [("网上办理地址", guide.online_url), ("办件进度查询", guide.status_url)]
    links += [("受理条件中的链接", html.unescape(url)) for url in HREF.findall(guide.conditions)]
    seen = set()
    found = []
    for element, url in links:
        url = (url or "").strip()
        if url.startswith(("http://", "https://")) and len(url) <= MAX_URL and url not in seen:
            seen.add(url)
            found.append((element, url))
    return found


def dead_links(urls=None):
    """address → LinkCheck of the links found dead, among `urls` (all when None)."""
    checks = LinkCheck.objects.filter(is_dead=True)
    if urls is not None:
        checks = checks.filter(url__in=list(urls))
    return {check.url: check for check in checks}


def current_addresses():
    """Every external address a guide shows (the guides' own rows: their published text)."""
    addresses = set()
    rows = ServiceGuidePage.objects.values_list(*ADDRESS_FIELDS)
    for values in rows.iterator(chunk_size=2000):
        guide = SimpleNamespace(**dict(zip(ADDRESS_FIELDS, values, strict=True)))
        addresses.update(url for _element, url in guide_links(guide))
    return addresses


def sync_addresses():
    """A LinkCheck row for each address the guides show, and none for an address they no
    longer show."""
    wanted = current_addresses()
    known = set(LinkCheck.objects.values_list("url", flat=True))
    LinkCheck.objects.bulk_create(
        [LinkCheck(url=url) for url in sorted(wanted - known)],
        batch_size=500,
        ignore_conflicts=True,  # a check run by hand at the same time
    )
    gone = sorted(known - wanted)
    for start in range(0, len(gone), 500):
        LinkCheck.objects.filter(url__in=gone[start : start + 500]).delete()
    return len(wanted)


def probe(url, timeout=TIMEOUT):
    """(HTTP status, error) of one address: HEAD, then GET where HEAD is refused. Redirects
    are followed; the status is the last answer's. Network I/O: the job's, never a view's."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, ""
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in HEAD_REFUSED:
                continue
            return error.code, ""
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
            reason = getattr(error, "reason", None) or error
            return None, f"{type(reason).__name__}: {reason}"[:300]
    return None, "未知错误"  # not reached: GET returns or raises


def record(check, status, error, now):
    """Write one outcome into its LinkCheck (not saved)."""
    ok = status is not None and status < 400
    check.checked_at = now
    check.status_code = status
    check.error = "" if ok else error
    check.failures = 0 if ok else check.failures + 1
    check.is_dead = not ok and (status in GONE or check.failures >= FAILURES_BEFORE_DEAD)


def check_links(limit=LINKS_PER_RUN, timeout=TIMEOUT, workers=WORKERS, seconds=RUN_SECONDS):
    """One run of the job: sync the addresses, check the `limit` checked longest ago (never
    checked first) in rounds of `workers`, store each round's outcomes, start no round after
    `seconds`. Returns the figures of the run."""
    started = time.monotonic()
    total = sync_addresses()
    due = list(LinkCheck.objects.order_by(F("checked_at").asc(nulls_first=True), "pk")[:limit])
    checked = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for start in range(0, len(due), workers):
            if time.monotonic() - started > seconds:
                break
            batch = due[start : start + workers]
            outcomes = pool.map(partial(probe, timeout=timeout), [c.url for c in batch])
            now = timezone.now()
            for check, (status, error) in zip(batch, outcomes, strict=True):
                record(check, status, error, now)
            LinkCheck.objects.bulk_update(
                batch, ["checked_at", "status_code", "error", "failures", "is_dead"]
            )
            checked += batch
    return {
        "links": total,
        "checked": len(checked),
        "failed": sum(1 for check in checked if check.failures),
        "dead": LinkCheck.objects.filter(is_dead=True).count(),
    }

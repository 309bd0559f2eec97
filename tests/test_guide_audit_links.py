"""The scheduled check of the guides' external links (cms/audit/links.py), against an HTTP
server on 127.0.0.1 in a thread: a live page, a dead one, a server that refuses HEAD, one that
answers too late. The audit then reads the stored outcome (tests/test_guide_audit_rules.py)."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django_q.models import Schedule

from cms.audit import links
from cms.audit.scoring import audit_guide
from cms.caching import version
from cms.models import LinkCheck
from cms.tasks import check_guide_links
from tests.audit import complete_guide

pytestmark = pytest.mark.django_db


class Site(BaseHTTPRequestHandler):
    """/live and /z-live answer 200, /no-head refuses HEAD (405) and answers GET, /slow answers
    after a second, anything else 404. Every request is counted in `seen`."""

    seen = []

    def answer(self, body):
        Site.seen.append((self.command, self.path))
        if self.path == "/slow":
            time.sleep(1)
        if self.path == "/no-head" and self.command == "HEAD":
            status = 405
        else:
            status = 200 if self.path in ("/live", "/z-live", "/no-head", "/slow") else 404
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    Site.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_live_link_is_alive_and_a_missing_page_is_dead_at_once(site):
    guide = complete_guide(online_url=f"{site}/live", status_url=f"{site}/gone")

    figures = links.check_links()

    assert figures == {"links": 2, "checked": 2, "failed": 1, "dead": 1}
    live = LinkCheck.objects.get(url=f"{site}/live")
    assert (live.status_code, live.is_dead, live.failures) == (200, False, 0)
    assert live.checked_at is not None
    dead = LinkCheck.objects.get(url=f"{site}/gone")
    assert (dead.status_code, dead.is_dead, dead.outcome) == (404, True, "HTTP 404")
    assert ("HEAD", "/live") in Site.seen and ("GET", "/live") not in Site.seen
    # The audit reads it: one finding, 2 points of weight lost out of 20.
    audit = audit_guide(guide)
    assert [f.element for f in audit.findings] == ["办件进度查询"]
    assert "无法访问（HTTP 404" in audit.findings[0].message
    assert audit.score == 90.0


def test_a_server_refusing_head_is_asked_with_get(site):
    complete_guide(online_url=f"{site}/no-head", status_url="")
    links.check_links()
    check = LinkCheck.objects.get()
    assert (check.status_code, check.is_dead) == (200, False)
    assert Site.seen == [("HEAD", "/no-head"), ("GET", "/no-head")]


def test_a_timeout_or_an_error_is_dead_only_after_failing_twice_in_a_row(site):
    complete_guide(online_url=f"{site}/slow", status_url="http://127.0.0.1:9/closed")
    links.check_links(timeout=0.3)
    slow = LinkCheck.objects.get(url=f"{site}/slow")
    closed = LinkCheck.objects.get(url="http://127.0.0.1:9/closed")
    for check in (slow, closed):
        assert check.status_code is None and check.failures == 1 and not check.is_dead
        assert check.error
    assert "timed out" in slow.error

    links.check_links(timeout=0.3)
    slow.refresh_from_db()
    assert slow.failures == 2 and slow.is_dead

    links.check_links(timeout=5)  # back again: alive, the count starts over
    slow.refresh_from_db()
    assert (slow.status_code, slow.failures, slow.is_dead, slow.error) == (200, 0, False, "")


def test_a_run_checks_at_most_its_limit_oldest_check_first(site):
    complete_guide(online_url=f"{site}/live", status_url=f"{site}/gone")
    complete_guide(
        online_url=f"{site}/live",
        status_url=f"{site}/gone",
        conditions=f'<p>见<a href="{site}/no-head">说明</a>。</p>',
    )
    assert links.check_links(limit=2)["checked"] == 2
    assert LinkCheck.objects.count() == 3  # one row per address, however many guides show it
    never_checked = LinkCheck.objects.get(checked_at__isnull=True)
    links.check_links(limit=1)
    never_checked.refresh_from_db()
    assert never_checked.checked_at is not None


def test_no_round_of_checks_starts_after_the_runs_time_and_what_was_checked_is_kept(site):
    complete_guide(online_url=f"{site}/slow", status_url=f"{site}/z-live")
    figures = links.check_links(workers=1, seconds=0.5)  # /slow first: addresses in order
    assert figures["checked"] == 1
    assert LinkCheck.objects.get(url=f"{site}/slow").status_code == 200
    assert LinkCheck.objects.get(url=f"{site}/z-live").checked_at is None  # the next run's


def test_a_run_ends_before_the_job_worker_would_stop_it(settings):
    # A round started at the last moment: HEAD then GET, each connecting and answering late.
    worst = links.RUN_SECONDS + 2 * 2 * links.TIMEOUT
    assert worst < settings.Q_CLUSTER["timeout"]


def test_a_check_leaves_the_public_pages_cached(site):
    complete_guide(online_url=f"{site}/live", status_url=f"{site}/gone")
    links.check_links()  # creates the rows
    stamp = version.current()
    LinkCheck.objects.create(url="https://old.example.gov.cn/")  # no guide shows it
    links.check_links()  # checks, updates and deletes rows: nothing the public sees
    assert version.current() == stamp


def test_an_address_no_guide_shows_any_more_is_forgotten(site):
    guide = complete_guide(online_url=f"{site}/live", status_url=f"{site}/gone")
    links.check_links()
    guide.status_url = ""
    guide.save_revision().publish()
    links.check_links()
    assert list(LinkCheck.objects.values_list("url", flat=True)) == [f"{site}/live"]


def test_the_check_runs_nightly_from_the_job_worker(site):
    schedule = Schedule.objects.get(name="检查指南外部链接")
    assert schedule.func == "cms.tasks.check_guide_links"
    assert schedule.schedule_type == Schedule.DAILY
    complete_guide(online_url=f"{site}/live", status_url="")
    assert check_guide_links()["checked"] == 1


def test_only_web_addresses_are_collected_from_a_guide():
    guide = complete_guide(
        online_url="https://zwfw.example.gov.cn/apply/1",
        status_url="https://zwfw.example.gov.cn/apply/1",  # the same address once
        conditions=(
            '<p><a href="mailto:banshi@example.gov.cn">邮件</a>'
            '<a linktype="page" id="3">内部页面</a>'
            "<a href='http://example.gov.cn/a?x=1&amp;y=2'>外部</a></p>"
        ),
    )
    assert links.guide_links(guide) == [
        ("网上办理地址", "https://zwfw.example.gov.cn/apply/1"),
        ("受理条件中的链接", "http://example.gov.cn/a?x=1&y=2"),
    ]

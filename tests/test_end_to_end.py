"""End to end, against the product running as production runs it (tests/running_site.py):
an editor writes a guide in the admin, a reviewer publishes it, and every web process, the
search, the API, the kiosk and the PDF show it; a visitor picks a situation; the scheduled
daily bulletin runs once across two workers and mails each subscriber once; the manager
downloads it and an anonymous visitor cannot.

No Django test client and no test database: the site has its own database and processes,
reached over HTTP by a headless Chromium (tests/e2e_people.py) and urllib, and read through
`manage.py shell` for what only the database can say (how many bulletins, how many runs).

About 70 s on SQLite, 90 s on PostgreSQL (two shared cores), half of it starting the site:
it is part of the default suite; `make e2e` runs it alone, `-m "not e2e"` leaves it out.
Screenshots and the processes' logs go to $E2E_ARTEFACTS (default: the test's tmp_path).
E2E_STACK=1 runs it against scripts/stack.sh instead (tests/running_site.py, StackSite).
"""

import contextlib
import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from tests import e2e_data
from tests.browser import make_browser
from tests.e2e_people import approve, log_in, wait, write_guide
from tests.running_site import ACCESS_LINE, EmbeddedSite, StackSite, wait_until
from tests.smtp import Server

pytestmark = pytest.mark.e2e

CATALOGUE = "/ban-shi-zhi-nan/"
# The guide the editor writes: the standard elements the admin form requires (DOMAIN.md §1),
# a legal basis, a step, and two handling situations with a material each.
GUIDE = {
    "title": "市场主体设立登记",
    "code": "11370600MB-XK-9001",
    "basic_code": "00001234500Y",
    "summary": "设立有限责任公司或合伙企业，一次申请、当场受理。",
    "item_type": "行政许可",
    "audience": "法人",
    "department": "示范市市场监督管理局",
    "basis": "《中华人民共和国市场主体登记管理条例》",
    "article": "第三条　市场主体应当依照本条例办理登记。",
    "applicant_scope": "拟设立有限责任公司或合伙企业的投资人",
    "materials": ["公司章程", "合伙协议"],
    "situations": [
        {"name": "设立有限责任公司", "material": "公司章程", "promised_days": 1},
        {"name": "设立合伙企业", "material": "合伙协议", "promised_days": 2},
    ],
    "step": "窗口受理",
    "legal_days": 15,
    "promised_days": 3,
    "phone": "0535-12345678",
}
GUIDE_PATH = f"{CATALOGUE}{GUIDE['code'].lower()}/"
DAILY_SCHEDULE = "每日督查通报"  # supervision.install.SCHEDULES
DEADLINE = 120  # seconds for the workers: the search index, the bulletin job


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture
def smtp():
    server = Server()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def artefacts(tmp_path):
    where = Path(os.environ.get("E2E_ARTEFACTS") or tmp_path / "artefacts")
    where.mkdir(parents=True, exist_ok=True)
    return where


@contextlib.contextmanager
def own_database():
    """On CI's PostgreSQL run (DATABASE_URL names a PostgreSQL server) the site gets a database
    of its own on that server, dropped afterwards: the same scenario then runs on PostgreSQL,
    where two schedulers contend through real row locks. Otherwise SQLite under VAR_DIR."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield None
        return
    import psycopg

    name = f"zhengwu_e2e_{uuid.uuid4().hex[:12]}"
    server = urllib.parse.urlsplit(url)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlunsplit(server._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def running_site(tmp_path, smtp, artefacts):
    """The product started like production: the embedded default (two gunicorn processes,
    two default-queue workers and the search worker) or, with E2E_STACK=1, the scale-out
    stack. Logs are copied to the artefacts afterwards, passed or failed."""
    with contextlib.ExitStack() as cleanup:
        if os.environ.get("E2E_STACK") == "1":
            site = StackSite(tmp_path / "site", smtp_port=smtp.port)
        else:
            database_url = cleanup.enter_context(own_database())
            site = EmbeddedSite(tmp_path / "site", smtp_port=smtp.port, database_url=database_url)
        try:
            site.start()
            yield site
        finally:
            site.stop()
            if site.log_dir.exists():
                shutil.copytree(site.log_dir, artefacts / "logs", dirs_exist_ok=True)
            (artefacts / "timings.json").write_text(json.dumps(site.timings))
            print(f"\nend-to-end site timings (s): {site.timings}; artefacts: {artefacts}")


@contextlib.contextmanager
def person(artefacts, steps):
    """A browser of one's own: no cookie of another person's login carries over."""
    browser = make_browser()

    def shoot(name):
        steps.append(name)
        browser.save_screenshot(str(artefacts / f"{len(steps):02d}-{name}.png"))

    try:
        yield browser, shoot
    except Exception:
        with contextlib.suppress(Exception):  # a crashed browser takes no screenshot
            shoot("failed")
        raise
    finally:
        browser.quit()


# --- plain HTTP, as an app or a crawler asks ------------------------------------------------


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url):
    """GET without cookies and without following redirects."""
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(url, timeout=60) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())


def quoted(text):
    return urllib.parse.quote(text)


# --- the scenario ---------------------------------------------------------------------------


def test_a_guide_reaches_every_channel_and_the_daily_bulletin_goes_out_once(
    running_site, smtp, artefacts
):
    site, steps = running_site, []
    started = time.monotonic()
    first, last = site.urls[0], site.urls[-1]

    # The scheduled daily bulletin, due now: both default-queue workers run django-q2's
    # scheduler; the job must run once. Made due first, so it runs while the editors work.
    site.shell(
        "import json, datetime; from django.utils import timezone; "
        "from django_q.models import Schedule; "
        f"n = Schedule.objects.filter(name={DAILY_SCHEDULE!r}).update("
        "next_run=timezone.now() - datetime.timedelta(seconds=1)); print(json.dumps(n))"
    )

    # The catalogue, cached in every web process before anything changes.
    for url in site.urls:
        before = [get(url + CATALOGUE) for _ in range(2)]
        assert [a.status for a in before] == [200, 200]
        assert [a.headers["X-Cache"] for a in before] == ["miss", "hit"], url
        assert GUIDE["title"] not in before[1].text

    # The editor writes the guide in the admin of the first process and submits it...
    with person(artefacts, steps) as (browser, shoot):
        log_in(browser, first, "editor")
        write_guide(browser, first, GUIDE, shoot)
        assert "审核中" in browser.find_element(By.TAG_NAME, "body").text
    assert get(first + GUIDE_PATH).status == 404  # submitted is not published

    # ...and the reviewer approves it in the admin of the other: that publishes it.
    with person(artefacts, steps) as (browser, shoot):
        log_in(browser, last, "reviewer")
        approve(browser, last, GUIDE["title"], shoot)

    # Every web process lists it at once: the publish retired the cached catalogue in each.
    for url in site.urls:
        after = get(url + CATALOGUE)
        assert after.status == 200 and GUIDE["title"] in after.text, url
        assert after.headers["X-Cache"] == "miss", url

    # Its page, kiosk view, page API entry and PDF, all from the one record.
    page = get(first + GUIDE_PATH)
    assert page.status == 200 and GUIDE["title"] in page.text
    kiosk = get(last + GUIDE_PATH + "kiosk/")
    assert kiosk.status == 200
    assert all(s["name"] in kiosk.text for s in GUIDE["situations"])
    listing = get(first + "/api/v2/pages/?type=cms.ServiceGuidePage&fields=implementation_code")
    assert listing.status == 200
    (item,) = [i for i in listing.json()["items"] if i["title"] == GUIDE["title"]]
    detail = get(first + f"/api/v2/pages/{item['id']}/").json()
    assert detail["implementation_code"] == GUIDE["code"]
    assert [s["name"] for s in detail["situations"]] == [s["name"] for s in GUIDE["situations"]]
    assert [m["name"] for m in detail["materials"]] == GUIDE["materials"]
    pdf = get(last + GUIDE_PATH + "pdf/")
    assert pdf.status == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.body.startswith(b"%PDF")
    (artefacts / "guide.pdf").write_bytes(pdf.body)
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.body, capture_output=True, check=True
    ).stdout.decode()
    assert GUIDE["title"] in text

    # Search finds it once the search worker has updated the index.
    def found():
        answer = get(first + f"/api/search/?q={quoted(GUIDE['title'])}")
        assert answer.status == 200
        return any(hit["title"] == GUIDE["title"] for hit in answer.json()["hits"])

    wait_until(found, DEADLINE, "the search API to find the new guide")

    # A visitor picks one situation and sees its material, not the other's.
    chosen, other = GUIDE["situations"]
    with person(artefacts, steps) as (browser, shoot):
        browser.get(last + GUIDE_PATH)
        shoot("visitor-guide")
        option = browser.find_element(
            By.XPATH, f"//button[@name='situation'][contains(., '{chosen['name']}')]"
        )
        browser.execute_script("arguments[0].click()", option)
        wait(browser).until(lambda b: not material_visible(b, other["material"]))
        assert material_visible(browser, chosen["material"])
        assert "situation=" in browser.current_url
        browser.execute_script(
            "document.querySelector('[data-situation-picker]').scrollIntoView({behavior: 'instant'})"
        )
        shoot("visitor-situation")

    # The bulletin job ran once, made one bulletin and mailed each subscriber once.
    def delivered():
        state = site.shell(BULLETIN_STATE)
        done = state["delivered"] and state["runs"] and not state["pending_runs"]
        return state if done else None

    state = wait_until(delivered, DEADLINE, "the daily bulletin to be made and delivered")
    assert state["bulletins"] == 1, state
    assert state["runs"] == 1, state  # fired once across both schedulers
    assert state["next_run_in_future"], state
    mails = {"bulletin": [], "other": []}
    for recipients, message in smtp.inbox.messages:
        kind = "bulletin" if "【督查简报】" in message["Subject"] else "other"
        mails[kind] += [(address, message) for address in recipients]
    assert sorted(a for a, _ in mails["bulletin"]) == sorted(e2e_data.SUBSCRIBERS.values())
    for _, message in mails["bulletin"]:
        (attachment,) = list(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_content().startswith(b"%PDF")
    # The rest is Wagtail's workflow mail (submitted: to the reviewers; approved: to the
    # editor), never a failure alert to the owners (settings.ADMINS).
    assert "owner@zwfw.example.gov.cn" not in [a for a, _ in mails["other"]]
    assert "reviewer@zwfw.example.gov.cn" in [a for a, _ in mails["other"]]

    # The manager downloads it from the archive; an anonymous visitor gets no file.
    with person(artefacts, steps) as (browser, shoot):
        log_in(browser, first, "manager")
        browser.get(first + "/admin/bulletins/")
        link = browser.find_element(By.CSS_SELECTOR, "a[href^='/admin/bulletins/'][href$='/pdf/']")
        shoot("manager-archive")
        pdf_path = urllib.parse.urlsplit(link.get_attribute("href")).path
        download = browser.execute_async_script(FETCH_IN_PAGE, pdf_path)
    assert download == {"status": 200, "type": "application/pdf", "start": "%PDF"}, download
    anonymous = get(last + pdf_path)
    assert anonymous.status in (302, 403, 404), anonymous.status
    assert not anonymous.body.startswith(b"%PDF")
    if anonymous.status == 302:
        assert anonymous.headers["Location"].startswith("/admin/login/")

    # Every request got a real answer, and no process died on the way.
    errors = [
        f"{name}: {line}"
        for name, log in site.web_logs().items()
        for line in log.splitlines()
        if (match := ACCESS_LINE.search(line)) and match["status"].startswith("5")
    ]
    assert not errors, errors
    tracebacks = [name for name, log in site.logs().items() if "Traceback" in log]
    assert not tracebacks, f"tracebacks in the logs of {tracebacks} (see {artefacts}/logs)"
    assert not site.exited(), site.exited()
    site.timings["scenario"] = round(time.monotonic() - started, 1)


def material_visible(browser, name):
    rows = browser.find_elements(By.CSS_SELECTOR, "[data-material-code]")
    return any(name in row.text and row.is_displayed() for row in rows)


# Read in the site's database (one JSON line): the daily bulletins, whether all went out, and
# the runs of the daily schedule (django-q2 names a scheduled task's group after it).
BULLETIN_STATE = f"""
import json
from django.utils import timezone
from django_q.models import OrmQ, Schedule, Task
from supervision.models import Bulletin
bulletins = Bulletin.objects.filter(kind="daily")
queued = [q for q in OrmQ.objects.all() if q.task.get("group") == {DAILY_SCHEDULE!r}]
print(json.dumps({{
    "bulletins": bulletins.count(),
    "delivered": bulletins.exists() and not bulletins.filter(delivered_at__isnull=True).exists(),
    "runs": Task.objects.filter(group={DAILY_SCHEDULE!r}).count(),
    "pending_runs": len(queued),
    "next_run_in_future": Schedule.objects.get(name={DAILY_SCHEDULE!r}).next_run > timezone.now(),
}}))
"""

# The browser fetches the file with its own session, as its download would.
FETCH_IN_PAGE = """
const [path, done] = arguments;
fetch(path, {credentials: "same-origin"}).then(async (response) => {
  const bytes = new Uint8Array(await response.arrayBuffer()).slice(0, 4);
  done({status: response.status, type: response.headers.get("Content-Type"),
        start: String.fromCharCode(...bytes)});
}).catch((error) => done({error: String(error)}));
"""

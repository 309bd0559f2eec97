"""The scale-out topology, for real on this machine: scripts/stack.sh starts nginx (Debian's,
from deploy/nginx/), two gunicorn processes, a worker, the one scheduler and the search worker
on PostgreSQL, Redis and osmem-server, with production settings; these tests go through nginx
as a browser would and then take it all down.

Slow (about a minute and a half) and needs PostgreSQL on 127.0.0.1:5432 (trust auth, user
postgres), Redis on 127.0.0.1:6379 and nginx, so it is left out of the default run:
    python -m pytest -m stack tests/test_stack.py
STACK_REDIS_DB picks the Redis database it uses and empties (default 7).
"""

import gzip
import html
import http.cookiejar
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

pytestmark = [
    pytest.mark.stack,
    pytest.mark.skipif(not shutil.which("nginx"), reason="needs nginx"),
    pytest.mark.skipif(not importlib.util.find_spec("gunicorn"), reason="needs gunicorn"),
]

ROOT = Path(__file__).resolve().parent.parent
PROBE_TITLE = "关于集群部署探针的通知"
PROBE_SCHEDULE = "stack-probe"
MANAGER_PASSWORD = "pw-123456"

# Run in the stack's settings by `manage.py shell`: a manager, a bulletin in private storage, a
# published policy (its index update goes through the search queue), and a schedule due now.
SETUP = f"""
import datetime, json
from django.core.files.base import ContentFile
from django.utils import timezone
from django_q.models import Schedule
from supervision.models import Bulletin
from tests import factories

manager = factories.user("stack-manager", "管理人员")
bulletin = Bulletin(
    kind="daily", period_start=datetime.date(2026, 10, 9), period_end=datetime.date(2026, 10, 9),
    issue_number=1, title="督查日报 探针", content={{}}, delivered_at=timezone.now(),
)
bulletin.pdf.save("probe.pdf", ContentFile(b"%PDF-1.4 stack probe " + b"x" * 2000), save=False)
bulletin.save()
factories.policy(title="{PROBE_TITLE}")
Schedule.objects.create(
    name="{PROBE_SCHEDULE}", func="django.utils.timezone.now",
    schedule_type=Schedule.MINUTES, minutes=60, next_run=timezone.now(),
)
print(json.dumps({{"bulletin": bulletin.pk, "pdf": bulletin.pdf.name}}))
"""


def read_env(path):
    values = {}
    for line in path.read_text().splitlines():
        name, _, value = line.partition("=")
        values[name] = value.strip('"')
    return values


class Stack:
    def __init__(self, run_dir):
        self.run_dir = run_dir
        self.redis_db = os.environ.get("STACK_REDIS_DB", "7")
        self.database = f"zhengwu_stack_{uuid.uuid4().hex[:8]}"

    def script(self, action):
        environment = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/tmp"),
            "PY": sys.executable,
            "STACK_DIR": str(self.run_dir),
            "STACK_DB": self.database,
            "STACK_REDIS_DB": self.redis_db,
        }
        return subprocess.run(
            [str(ROOT / "scripts" / "stack.sh"), action],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def up(self):
        run = self.script("up")
        assert run.returncode == 0, run.stdout + run.stderr
        self.env = read_env(self.run_dir / "env")
        self.url = f"http://127.0.0.1:{self.env['STACK_NGINX_PORT']}"
        self.web_ports = self.env["STACK_WEB_PORTS"].split()
        self.var = Path(self.env["VAR_DIR"])

    def manage(self, *args):
        environment = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
        environment.update(self.env)
        run = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        return run.stdout

    def pids(self):
        """Every process of the stack: each pid file's process and its session's members."""
        leaders = {int(path.read_text()) for path in (self.run_dir / "pids").glob("*.pid")}
        table = subprocess.run(
            ["ps", "-e", "-o", "pid=,sid="], capture_output=True, text=True
        ).stdout.split()
        pairs = zip(table[::2], table[1::2], strict=True)
        return {int(pid) for pid, sid in pairs if int(sid) in leaders}

    def log(self, name):
        return (self.run_dir / f"{name}.log").read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("stack"))
    try:
        stack.up()
        stack.probe = json.loads(stack.manage("shell", "-c", SETUP).strip().splitlines()[-1])
        yield stack
    finally:
        stack.script("purge")


def get(url, headers=None, opener=None):
    """(status, headers, body) of a GET; redirects are not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = opener or urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def access_lines(stack, number):
    return (stack.run_dir / f"web-{number}-access.log").read_text().splitlines()


def test_both_gunicorn_processes_answer_behind_nginx(stack):
    for port in stack.web_ports:
        assert get(f"http://127.0.0.1:{port}/healthz")[0] == 200
    before = [len(access_lines(stack, n)) for n in (1, 2)]
    for _ in range(6):
        status, headers, body = get(f"{stack.url}/healthz")
        assert (status, body) == (200, b"ok")
        assert headers["Server"] == "nginx"
    after = [len(access_lines(stack, n)) for n in (1, 2)]
    # nginx's round robin: each process answered some of the six.
    assert all(a > b for a, b in zip(after, before, strict=True)), (before, after)


def test_the_home_page_is_served_through_nginx_with_gzip(stack):
    status, headers, body = get(f"{stack.url}/", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "</html>" in gzip.decompress(body).decode()


def test_static_files_come_from_nginx_precompressed(stack):
    manifest = json.loads((stack.var / "static" / "staticfiles.json").read_text())
    name = next(
        hashed
        for original, hashed in manifest["paths"].items()
        if original.endswith(".css") and (stack.var / "static" / hashed).stat().st_size > 2000
    )
    status, headers, body = get(f"{stack.url}/static/{name}", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == (stack.var / "static" / name).read_bytes()
    assert "max-age" in headers["Cache-Control"]
    served_by_app = [line for n in (1, 2) for line in access_lines(stack, n) if "/static/" in line]
    assert served_by_app == []


def test_media_serves_the_public_image_folders_and_nothing_else(stack):
    media = stack.var / "media"
    for folder in ("images", "original_images", "documents", "bulletins"):
        (media / folder).mkdir(parents=True, exist_ok=True)
        (media / folder / "probe.txt").write_text(folder)
    assert get(f"{stack.url}/media/images/probe.txt")[0] == 200
    assert get(f"{stack.url}/media/original_images/probe.txt")[0] == 200
    for path in (
        "/media/documents/probe.txt",
        "/media/bulletins/probe.txt",
        "/media/images/../documents/probe.txt",
        "/media/images/%2e%2e/documents/probe.txt",
        f"/media/../private/{stack.probe['pdf']}",
    ):
        assert get(stack.url + path)[0] == 404, path


def test_a_bulletin_reaches_a_manager_only_through_the_app(stack):
    archive_url = f"{stack.url}/admin/bulletins/{stack.probe['bulletin']}/pdf/"
    direct_url = f"{stack.url}{stack.env['PRIVATE_FILES_URL']}{stack.probe['pdf']}"
    stored = (stack.var / "private" / stack.probe["pdf"]).read_bytes()

    status, headers, body = get(archive_url)
    assert status == 302 and "/admin/login/" in headers["Location"]
    assert stored not in body
    assert get(direct_url)[0] == 404

    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = get(f"{stack.url}/admin/login/", opener=browser)[2].decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    login = urllib.request.Request(
        f"{stack.url}/admin/login/",
        data=urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "username": "stack-manager",
                "password": MANAGER_PASSWORD,
            }
        ).encode(),
        headers={"Referer": f"{stack.url}/admin/login/"},
    )
    with browser.open(login, timeout=30) as response:
        assert "/admin/login/" not in response.url, "login failed"

    status, headers, body = get(archive_url, opener=browser)
    assert status == 200
    assert body == stored
    assert "X-Accel-Redirect" not in headers
    assert "no-store" in headers["Cache-Control"]
    # The internal location answers only the app's X-Accel-Redirect, whoever asks.
    assert get(direct_url, opener=browser)[0] == 404


def test_search_goes_through_the_search_queue_to_the_engine(stack):
    # Publishing queued the index update; the search worker wrote it to osmem.
    query = urllib.parse.quote("集群部署探针")
    deadline = time.monotonic() + 40
    while True:
        status, _, body = get(f"{stack.url}/api/search/?q={query}")
        assert status == 200
        hits = {hit["title"]: hit["url"] for hit in json.loads(body)["hits"]}
        if PROBE_TITLE in hits or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert PROBE_TITLE in hits
    # The search page lists it too: its links count the click and lead to the page
    # (/search/go/, a 302 to the page's own address).
    status, _, body = get(f"{stack.url}/search/?q={query}")
    assert status == 200
    clicks = re.findall(r'href="(/search/go/\?[^"]+)"', body.decode())
    leads_to = set()
    for link in clicks:
        status, headers, _ = get(stack.url + html.unescape(link))
        assert status == 302
        leads_to.add(urllib.parse.urlsplit(headers["Location"]).path)
    assert urllib.parse.urlsplit(hits[PROBE_TITLE]).path in leads_to
    # The engine behind ELASTICSEARCH_URL holds it (osmem-server, the stand-in for the cluster).
    status, _, body = get(f"{stack.env['ELASTICSEARCH_URL']}/zhengwu-portal/_count")
    assert status == 200 and json.loads(body)["count"] >= 1


def scheduled_lines(log, schedule):
    """Lines where a cluster's scheduler turned `schedule` into a task (django-q2's own message,
    in the language the stack logs in)."""
    with translation.override(settings.LANGUAGE_CODE):
        template = gettext(
            "%(process_name)s created task %(task_name)s from schedule [%(schedule)s]"
        )
    pattern = (
        re.escape(template)
        .replace(re.escape("%(process_name)s"), r"\S+")
        .replace(re.escape("%(task_name)s"), r"\S+")
        .replace(re.escape("%(schedule)s"), re.escape(schedule))
    )
    return re.findall(pattern, log)


def count_probe_tasks(stack):
    import psycopg

    with psycopg.connect(stack.env["DATABASE_URL"]) as connection:
        return connection.execute(
            'SELECT count(*) FROM django_q_task WHERE "group" = %s', [PROBE_SCHEDULE]
        ).fetchone()[0]


def test_exactly_one_worker_runs_the_scheduler(stack):
    # django-q2's scheduler runs about every 30 seconds in the cluster that has it on.
    deadline = time.monotonic() + 60
    while count_probe_tasks(stack) == 0 and time.monotonic() < deadline:
        time.sleep(1)
    time.sleep(3)  # room for a second firing, which must not happen
    assert count_probe_tasks(stack) == 1
    assert len(scheduled_lines(stack.log("scheduler"), PROBE_SCHEDULE)) == 1
    for name in ("worker", "search-worker"):
        assert scheduled_lines(stack.log(name), PROBE_SCHEDULE) == [], name
    # The scheduler started the migrations' schedules too (发布定时内容 every minute); the
    # others never schedule anything.
    assert scheduled_lines(stack.log("scheduler"), "发布定时内容")
    for name in ("worker", "search-worker"):
        assert scheduled_lines(stack.log(name), r"发布定时内容") == [], name


def test_down_stops_every_process(stack):
    running = stack.pids()
    assert len(running) >= 7
    status = stack.script("status")
    assert status.returncode == 0, status.stdout
    down = stack.script("down")
    assert down.returncode == 0, down.stderr
    left = [pid for pid in running if Path(f"/proc/{pid}").exists()]
    assert left == [], left
    assert stack.script("status").returncode != 0
    assert stack.script("down").returncode == 0  # nothing to stop is fine

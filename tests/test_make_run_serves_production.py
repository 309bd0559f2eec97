"""`make run`'s launcher (scripts/run-embedded.sh) serves the site the production way: gunicorn
under production settings with DEBUG off, static files by their hashed names, compressed and
cached for a year, the site's own error pages, both job workers beside it, and every process
gone after one Ctrl-C.

One launch for the module, on a fresh VAR_DIR and a free port, with LOAD_DEMO=0: the launcher
still migrates, builds the index and collects static files, but skips the demo centre (minutes).
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 120  # seconds; about 40 on a busy two-core machine
# What the test run's own environment may hold that would point the launched site elsewhere.
NOT_INHERITED = {
    "DATABASE_URL",
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "HTTPS",
    "REDIS_URL",
    "ELASTICSEARCH_URL",
    "MEDIA_ROOT",
    "PRIVATE_ROOT",
    "PDF_CACHE_DIR",
    "BASE_URL",
}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def session_processes(session_id):
    """pid → command line of every live process in the launcher's session."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        state, session = fields[0], int(fields[3])
        if session == session_id and state != "Z":
            found[int(entry.name)] = cmdline
    return found


def environment_of(pid):
    """The environment a process was started with; None for one that exited since it was
    listed (django-q2 recycles its workers: an exiting process shows an empty environment)."""
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except (FileNotFoundError, ProcessLookupError):
        return None
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item) or None


class Site:
    def __init__(self, port, launcher, var_dir):
        self.port, self.launcher, self.var_dir = port, launcher, var_dir

    def get(self, path, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response, response.read()
        finally:
            connection.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("var")
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    environment.update(PY=sys.executable, VAR_DIR=str(var_dir), LOAD_DEMO="0", WEB_WORKERS="2")
    log = open(var_dir / "launcher.log", "wb")  # closed at teardown
    launcher = subprocess.Popen(
        ["scripts/run-embedded.sh", "127.0.0.1", str(port)],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    running = Site(port, launcher, var_dir)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            running.get("/")
            break
        except OSError:
            if launcher.poll() is not None or time.monotonic() > deadline:
                os.killpg(launcher.pid, signal.SIGKILL)
                log.close()
                pytest.fail("launcher did not serve:\n" + (var_dir / "launcher.log").read_text())
            time.sleep(0.5)
    yield running
    # Whatever a failed test left running.
    if session_processes(launcher.pid):
        os.killpg(launcher.pid, signal.SIGKILL)
    launcher.wait(timeout=10)
    log.close()


def test_home_page_is_served_by_gunicorn(site):
    response, body = site.get("/")
    assert response.status == 200
    assert response.getheader("Server") == "gunicorn"
    assert "示范市政务服务中心" in body.decode()


def test_every_process_runs_production_settings_with_a_kept_secret_key(site):
    processes = session_processes(site.launcher.pid)
    servers = [pid for pid, command in processes.items() if "gunicorn config.wsgi" in command]
    assert len(servers) == 3  # the master and WEB_WORKERS=2 sync workers
    checked = 0
    for pid in servers + [pid for pid, command in processes.items() if "qcluster" in command]:
        environment = environment_of(pid)
        if environment is None and pid not in servers:  # a job worker recycled meanwhile
            continue
        checked += 1
        assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert environment["HTTPS"] == "0"
        assert environment["VAR_DIR"] == str(site.var_dir)
    assert checked > len(servers)  # the web servers and at least one job process
    key = site.var_dir / "secret_key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert len(key.read_text().strip()) >= 50


def test_both_job_workers_run_beside_the_server(site):
    processes = session_processes(site.launcher.pid)
    # The clusters' own processes: children of the launcher (each forks its worker processes).
    clusters = [
        pid
        for pid, command in processes.items()
        if "manage.py qcluster" in command
        and int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        == site.launcher.pid
    ]
    names = sorted(environment_of(pid).get("Q_CLUSTER_NAME", "default") for pid in clusters)
    assert names == ["default", "search"]
    # Each cluster forks its sentinel and workers once it has started: on a busy machine,
    # seconds after the server answers.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        processes = session_processes(site.launcher.pid)
        if len([c for c in processes.values() if "qcluster" in c]) > len(clusters):
            break
        time.sleep(0.5)
    assert len([c for c in processes.values() if "qcluster" in c]) > len(clusters)


def test_static_files_have_hashed_names_compressed_copies_and_a_year_of_caching(site):
    _, body = site.get("/")
    stylesheet = re.search(r'href="(/static/cms/css/site\.[0-9a-f]{12}\.css)"', body.decode())
    assert stylesheet, "the home page links the manifest's hashed stylesheet"
    for encoding in ("br", "gzip"):
        response, _ = site.get(stylesheet[1], {"Accept-Encoding": encoding})
        assert response.status == 200
        assert response.getheader("Content-Encoding") == encoding
        assert response.getheader("Cache-Control") == "max-age=315360000, public, immutable"


def test_a_missing_page_gets_the_sites_404_page_not_a_debug_page(site):
    response, body = site.get("/no-such-page/")
    text = body.decode()
    assert response.status == 404
    assert "页面未找到" in text
    assert "DEBUG = True" not in text and "URLconf" not in text


@pytest.mark.parametrize(
    ("path", "headers"),
    [("/", {"Host": "not-this-site.example"}), ("/search/?q=%00", {})],
    ids=["unknown host", "NUL byte"],
)
def test_a_bad_request_gets_the_sites_400_page(site, path, headers):
    response, body = site.get(path, headers)
    text = body.decode()
    assert response.status == 400
    assert "请求有误" in text
    assert "Traceback" not in text and "DisallowedHost" not in text


def test_ctrl_c_on_the_launcher_stops_every_process(site):
    """Last in the module: stops the site. SIGINT to the launcher alone (not its process
    group, as a terminal would): its trap must stop gunicorn and the workers itself. SIGTERM
    goes through the same trap."""
    assert len(session_processes(site.launcher.pid)) > 5
    os.kill(site.launcher.pid, signal.SIGINT)
    site.launcher.wait(timeout=40)
    deadline = time.monotonic() + 10
    while session_processes(site.launcher.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert session_processes(site.launcher.pid) == {}
    with pytest.raises(OSError):
        site.get("/")

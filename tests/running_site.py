"""The product running as production runs it, for the end-to-end test (tests/test_end_to_end.py).

`EmbeddedSite` starts it the way a centre runs the embedded default on one machine: production
settings, a VAR_DIR of its own, `migrate`, the reference data (tests/e2e_data.py),
`collectstatic`, then TWO gunicorn web processes (one worker each, on two ports: what one
process caches or forgets, the other must agree with) and THREE django-q2 clusters: two on the
default queue (both run django-q2's scheduler, so a scheduled job must still run once) and the
search queue's worker. Mail goes to the test's SMTP server on loopback.

`StackSite` (E2E_STACK=1) is the hook for the scale-out stack, `scripts/stack.sh` (nginx, two
gunicorn, two django-q2 workers with one scheduler, PostgreSQL, Redis, an Elasticsearch);
see its docstring for what the script must offer.

Every site offers the same three things to the test: `urls` (one base URL per web process,
or the front server's), `shell(code)` (Python in the site's own settings and database: how
the test reads what happened, never through its own Django), and `logs()`.
"""

import importlib.util
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# Variables of the test run that must not reach the site: it configures its own.
SCRUBBED = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "REDIS_URL",
    "ELASTICSEARCH_URL",
    "EMAIL_URL",
    "Q_CLUSTER_NAME",
    "MEDIA_ROOT",
    "PRIVATE_ROOT",
    "PDF_CACHE_DIR",
    # What a shell that sourced scripts/stack.sh's env would carry over.
    "SERVE_MEDIA",
    "PRIVATE_FILES_SERVE",
    "PRIVATE_FILES_URL",
    "FRONTEND_CACHE_URL",
    "Q_SCHEDULER",
    "TRUSTED_PROXIES",
    "TRUSTED_PROXY_NETWORKS",
)
# A gunicorn access log line: `"GET /path HTTP/1.1" 200 1234` (the format set below).
ACCESS_LINE = re.compile(r'"(?P<request>[A-Z]+ \S+ [^"]*)" (?P<status>\d{3}) ')
STARTUP_SECONDS = 60
# django-q2's "Q Cluster <name> [<queue>] running.", in the site's language (zh-hans).
CLUSTER_RUNNING = re.compile(r"\[\w+\] (running|正在运行)")


def checked(argv, env, timeout=300):
    """`argv` run in the checkout with `env`: its output, or an error that shows it."""
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"{' '.join(argv[:3])} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.25)
    raise TimeoutError(f"{what}: not within {seconds} s")


def answers(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


class EmbeddedSite:
    """The embedded default (SQLite under VAR_DIR, or the database `database_url` names),
    two gunicorn processes and three django-q2 clusters, started from this checkout."""

    def __init__(self, root, *, smtp_port, database_url=None, web_processes=2):
        self.root = Path(root)
        self.var_dir = self.root / "var"
        self.log_dir = self.root / "logs"
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.ports = [free_port() for _ in range(web_processes)]
        self.urls = [f"http://127.0.0.1:{port}" for port in self.ports]
        self.processes = {}  # name → Popen
        self.timings = {}  # step → seconds
        self.env = {k: v for k, v in os.environ.items() if k not in SCRUBBED} | {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "VAR_DIR": str(self.var_dir),
            "SECRET_KEY": secrets.token_urlsafe(50),  # 67 characters
            "HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "RATE_LIMIT_EXEMPT": "127.0.0.1",
            "BASE_URL": self.urls[0],
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            # Failure alerts would land in the test's inbox too, where the test sees them.
            "ADMINS": "owner@zwfw.example.gov.cn",
            "Q_WORKERS": "1",
            "PYTHONUNBUFFERED": "1",
        }
        if database_url:
            self.env["DATABASE_URL"] = database_url

    # --- running commands in the site's settings ------------------------------------------

    def manage(self, *args, log=None):
        """`manage.py *args` in the site's environment; its output, or an error that shows it."""
        started = time.monotonic()
        done = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        (self.log_dir / f"{log or args[0]}.log").write_text(done.stdout + done.stderr)
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        if log != "shell":  # the test's reads are not set-up steps
            self.timings[log or args[0]] = round(time.monotonic() - started, 1)
        return done.stdout

    def shell(self, code):
        """Run `code` in `manage.py shell`; it prints one JSON line last, returned decoded."""
        output = self.manage("shell", "-c", code, log="shell")
        return json.loads(output.strip().splitlines()[-1])

    # --- starting and stopping ------------------------------------------------------------

    def spawn(self, name, command, **extra_env):
        log = open(self.log_dir / f"{name}.log", "w")  # noqa: SIM115 (closed in stop())
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env | extra_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group: stop() ends it and the children it forks, nothing else.
            start_new_session=True,
        )
        self.processes[name].log = log

    def start(self):
        if importlib.util.find_spec("gunicorn") is None:
            raise RuntimeError(
                "The end-to-end test serves through gunicorn: pip install -e '.[test]'"
            )
        started = time.monotonic()
        # collectstatic needs no database: it runs while the database is set up.
        static = subprocess.Popen(
            [PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage(
            "shell", "-c", "from tests.e2e_data import build; build()", log="reference-data"
        )
        output, _ = static.communicate(timeout=300)
        if static.returncode:
            raise RuntimeError(f"collectstatic failed:\n{output}")
        self.timings["set-up"] = round(time.monotonic() - started, 1)

        for n, port in enumerate(self.ports, start=1):
            self.spawn(
                f"web{n}",
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "config.wsgi",
                    "--workers=1",
                    f"--bind=127.0.0.1:{port}",
                    "--timeout=120",
                    # Gunicorn's control socket has one default path per user: two servers
                    # (or another checkout's) would take it from each other.
                    "--no-control-socket",
                    "--access-logfile=-",
                    '--access-logformat=%(h)s "%(r)s" %(s)s %(b)s',
                ],
            )
        self.spawn("worker1", [PYTHON, "manage.py", "qcluster"])
        self.spawn("worker2", [PYTHON, "manage.py", "qcluster"])
        self.spawn("search-worker", [PYTHON, "manage.py", "qcluster"], Q_CLUSTER_NAME="search")
        for url in self.urls:
            wait_until(lambda url=url: answers(url + "/"), STARTUP_SECONDS, f"{url} to answer")
        for name in ("worker1", "worker2", "search-worker"):
            wait_until(
                lambda name=name: CLUSTER_RUNNING.search(self.log(name)),
                STARTUP_SECONDS,
                f"{name} to start",
            )
        self.timings["started"] = round(time.monotonic() - started, 1)

    def stop(self):
        """SIGTERM to each process we started (gunicorn and django-q2 stop their own children
        on it), then SIGKILL to whatever is left of their process groups after 15 s."""
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass  # the whole group is gone
            process.wait()
            process.log.close()

    # --- what happened --------------------------------------------------------------------

    def log(self, name):
        return (self.log_dir / f"{name}.log").read_text(errors="replace")

    def logs(self):
        return {name: self.log(name) for name in self.processes}

    def web_logs(self):
        return {name: text for name, text in self.logs().items() if name.startswith("web")}

    def exited(self):
        """Processes that stopped on their own (a crash), by name."""
        return [name for name, process in self.processes.items() if process.poll() is not None]


class StackSite:
    """The scale-out stack (E2E_STACK=1): `scripts/stack.sh up` runs nginx in front of two gunicorn processes, one default-queue worker, the one
    scheduler, the search worker, PostgreSQL, Redis and osmem-server as Elasticsearch, on
    this machine without containers, with its settings in $STACK_DIR/env.

    What this hook relies on, as that script stands: STACK_DIR and STACK_DB choose its run
    directory and database; the processes inherit the caller's environment (EMAIL_URL and
    ADMINS here: the env file sets neither); `purge` stops everything and drops the database
    and Redis data; the env file names STACK_NGINX_PORT and STACK_WEB_PORTS; logs are
    $STACK_DIR/*.log, gunicorn's access logs `web-N-access.log`. The front server is the first
    URL (private files go out through its X-Accel-Redirect), each gunicorn comes after it.
    """

    def __init__(self, root, *, smtp_port):
        self.root = Path(root)
        self.log_dir = self.root / "stack"
        self.script = ROOT / "scripts" / "stack.sh"
        self.timings = {}
        self.env = {k: v for k, v in os.environ.items() if k not in SCRUBBED} | {
            "STACK_DIR": str(self.log_dir),
            "STACK_DB": f"zhengwu_e2e_{secrets.token_hex(6)}",
            # `purge` empties this Redis database: not the stack test's (7) nor a live one.
            "STACK_REDIS_DB": os.environ.get("E2E_STACK_REDIS_DB", "8"),
            "PY": PYTHON,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "ADMINS": "owner@zwfw.example.gov.cn",
            "PYTHONUNBUFFERED": "1",
        }
        self.urls = []

    def run(self, *args):
        return checked([str(self.script), *args], self.env, timeout=600)

    def start(self):
        if not self.script.exists():
            raise FileNotFoundError(f"E2E_STACK=1 needs {self.script}")
        started = time.monotonic()
        self.run("up")
        settings = {}
        for line in (self.log_dir / "env").read_text().splitlines():
            name, _, value = line.partition("=")
            settings[name] = value.strip('"')
        self.env |= settings
        self.urls = [f"http://127.0.0.1:{settings['STACK_NGINX_PORT']}"] + [
            f"http://127.0.0.1:{port}" for port in settings["STACK_WEB_PORTS"].split()
        ]
        self.timings["up"] = round(time.monotonic() - started, 1)
        self.manage("shell", "-c", "from tests.e2e_data import build; build()")
        self.timings["started"] = round(time.monotonic() - started, 1)

    def manage(self, *args, log=None):
        return checked([PYTHON, "manage.py", *args], self.env)

    def shell(self, code):
        return json.loads(self.manage("shell", "-c", code).strip().splitlines()[-1])

    def stop(self):
        if not self.script.exists():
            return
        # The logs are the test's artefacts: kept aside before purge removes STACK_DIR.
        kept = self.root / "stack-logs"
        kept.mkdir(parents=True, exist_ok=True)
        for log in self.log_dir.glob("*.log"):
            kept.joinpath(log.name).write_bytes(log.read_bytes())
        self.run("purge")
        self.log_dir = kept

    def logs(self):
        return {
            log.stem: log.read_text(errors="replace") for log in sorted(self.log_dir.glob("*.log"))
        }

    def web_logs(self):
        return {name: text for name, text in self.logs().items() if name.endswith("-access")}

    def exited(self):
        try:
            self.run("status")
        except RuntimeError as error:
            return [str(error)]
        return []

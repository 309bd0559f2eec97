"""The deployment files hold together without a Docker engine: docker-compose.yml parses and
names the stack's services, every Django service runs production settings, exactly one runs
the scheduler, nginx and the app agree on the private files' URL, `.env.example` lists every
variable the settings read, and deploy/nginx/ passes `nginx -t`.

What this does not prove (no Docker engine in CI): that the images build and the containers
start. scripts/stack.sh runs the same topology on the machine (tests/test_stack.py).
"""

import re
import shutil
import string
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NGINX_DIR = ROOT / "deploy" / "nginx"


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def runs_django(service):
    command = service.get("command") or ""
    command = " ".join(command) if isinstance(command, list) else command
    return "manage.py" in command or "gunicorn" in command


def runs_a_cluster(service):
    return "qcluster" in str(service.get("command", ""))


def test_compose_names_every_service_of_the_stack(compose):
    assert {
        "nginx",
        "web",
        "worker",
        "scheduler",
        "search-worker",
        "migrate",
        "db",
        "redis",
        "elasticsearch",
    } <= set(compose["services"])


def test_every_django_service_runs_production_settings_on_the_shared_services(compose):
    django = {name: s for name, s in compose["services"].items() if runs_django(s)}
    assert set(django) == {"web", "worker", "scheduler", "search-worker", "migrate"}
    for name, service in django.items():
        env = service["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production", name
        assert env["DATABASE_URL"].startswith("postgres://"), name
        assert env["REDIS_URL"].startswith("redis://redis:"), name
        assert env["ELASTICSEARCH_URL"] == "http://elasticsearch:9200", name
        assert "${SECRET_KEY:?" in env["SECRET_KEY"], name


def test_exactly_one_service_runs_the_scheduler(compose):
    # django-q2 runs its scheduler unless Q_SCHEDULER=0 turns it off (config/settings/base.py).
    clusters = {name: s for name, s in compose["services"].items() if runs_a_cluster(s)}
    assert set(clusters) == {"worker", "scheduler", "search-worker"}
    scheduling = [
        name for name, s in clusters.items() if s["environment"].get("Q_SCHEDULER", "1") != "0"
    ]
    assert scheduling == ["scheduler"]
    assert compose["services"]["scheduler"].get("deploy", {}).get("replicas", 1) == 1
    assert compose["services"]["search-worker"]["environment"]["Q_CLUSTER_NAME"] == "search"


def test_web_and_workers_start_after_the_migrations(compose):
    for name in ("web", "worker", "scheduler", "search-worker"):
        depends = compose["services"][name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
    assert "migrate" in compose["services"]["migrate"]["command"]
    assert "collectstatic" in compose["services"]["migrate"]["command"]


def test_every_long_running_service_has_a_health_check(compose):
    for name, service in compose["services"].items():
        if name != "migrate":
            assert "healthcheck" in service, name
    assert "/healthz" in str(compose["services"]["web"]["healthcheck"]["test"])


def test_only_nginx_publishes_a_port(compose):
    published = [name for name, s in compose["services"].items() if s.get("ports")]
    assert published == ["nginx"]


def test_nginx_and_the_app_agree_on_private_files(compose):
    nginx = compose["services"]["nginx"]["environment"]
    app = compose["services"]["web"]["environment"]
    assert app["PRIVATE_FILES_SERVE"] == "x-accel-redirect"
    assert app["SERVE_MEDIA"] == "0"
    assert nginx["PRIVATE_FILES_URL"] == app["PRIVATE_FILES_URL"]
    assert nginx["PRIVATE_ROOT"] == app["VAR_DIR"] + "/private"
    # The app trusts X-Forwarded-For from the network nginx is on, and from one proxy.
    assert app["TRUSTED_PROXIES"] == "${TRUSTED_PROXIES:-1}"
    subnet = compose["networks"]["default"]["ipam"]["config"][0]["subnet"]
    assert app["TRUSTED_PROXY_NETWORKS"] == subnet


def placeholders(text):
    """The ${NAME} placeholders of a template, outside its comments."""
    code = "\n".join(line.split("#")[0] for line in text.splitlines())
    return set(re.findall(r"\$\{([A-Z_]+)\}", code))


def test_the_compose_nginx_fills_in_every_placeholder_of_the_site_template(compose):
    nginx = compose["services"]["nginx"]
    site = (NGINX_DIR / "zhengwu.conf.template").read_text()
    assert placeholders(site) <= set(nginx["environment"])
    assert any("zhengwu.conf.template:/etc/nginx/templates/" in v for v in nginx["volumes"])


# --- every environment variable the settings read -------------------------------------------

# Read by libraries the settings call, not by a line the scan below can see.
READ_INDIRECTLY = {
    "DATABASE_URL": "dj_database_url.config() in config/settings/base.py",
    "Q_CLUSTER_NAME": "django_q.conf: the search index's worker picks its alt cluster",
    "WEB_CONCURRENCY": "gunicorn's worker count in docker-compose.yml's web",
}
ENV_READ = re.compile(
    r"""os\.(?:environ\.get|environ\.setdefault|getenv)\(\s*["']([A-Z_0-9]+)["']"""
    r"""|os\.environ\[\s*["']([A-Z_0-9]+)["']\s*\]"""
)


def variables_read_by_the_product():
    names = set(READ_INDIRECTLY)
    for folder in ("config", "cms", "publications", "search", "supervision", "imports"):
        for path in (ROOT / folder).rglob("*.py"):
            for match in ENV_READ.finditer(path.read_text(encoding="utf-8")):
                names.add(match.group(1) or match.group(2))
    return names


def test_the_scan_finds_the_settings_reads():
    names = variables_read_by_the_product()
    assert {"SECRET_KEY", "REDIS_URL", "HSTS_SECONDS", "Q_SCHEDULER", "DATABASE_URL"} <= names


def test_env_example_lists_every_variable_the_settings_read():
    # A line "NAME=value" or "# NAME=default" documents NAME.
    listed = set(
        re.findall(r"^#?\s*([A-Z_0-9]+)=", (ROOT / ".env.example").read_text(), flags=re.M)
    )
    missing = variables_read_by_the_product() - listed
    assert not missing, f".env.example does not mention {sorted(missing)}"


# --- nginx -t ----------------------------------------------------------------------------------


def render(template, values):
    return string.Template(template.read_text()).safe_substitute(values)


@pytest.mark.skipif(not shutil.which("nginx"), reason="needs nginx (scripts/system-packages.sh)")
@pytest.mark.parametrize("user_line", ["", "user root root;"])
def test_nginx_accepts_the_configuration(tmp_path, user_line):
    values = {
        "NGINX_RUN_DIR": str(tmp_path),
        "NGINX_USER_LINE": user_line,
        "NGINX_LISTEN": "127.0.0.1:8080",
        "NGINX_UPSTREAM_SERVERS": "server 127.0.0.1:8001; server 127.0.0.1:8002;",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_ROOT": str(tmp_path / "private"),
        "PRIVATE_FILES_URL": "/private-files/",
    }
    (tmp_path / "nginx-tmp").mkdir()
    (tmp_path / "nginx.conf").write_text(render(NGINX_DIR / "nginx.conf.template", values))
    site = render(NGINX_DIR / "zhengwu.conf.template", values)
    assert not placeholders(site), "a placeholder was left unfilled"
    (tmp_path / "zhengwu.conf").write_text(site)
    run = subprocess.run(
        ["nginx", "-t", "-e", "stderr", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "test is successful" in run.stderr

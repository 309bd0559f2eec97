"""Production settings refuse a placeholder secret and, with HTTPS on, enforce it."""

import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
READ = (
    "import json, django; from django.conf import settings; django.setup(); print(json.dumps("
    "{k: getattr(settings, k) for k in ('DEBUG', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', "
    "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE')}))"
)


def production(tmp_path, script=READ, **env):
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "VAR_DIR": str(tmp_path),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "key",
    [
        "",
        "change-me-in-production",
        "dev-only-secret-key-change-me",
        "django-insecure-" + "x" * 50,
        "too-short",
    ],
)
def test_production_refuses_to_start_with_a_placeholder_or_short_secret(tmp_path, key):
    run = production(tmp_path, SECRET_KEY=key)
    assert run.returncode != 0
    assert "SECRET_KEY 未设置或为示例值" in run.stderr


def test_production_with_https_redirects_and_sends_hsts(tmp_path):
    run = production(tmp_path, SECRET_KEY=secrets.token_urlsafe(50))
    assert run.returncode == 0, run.stderr
    values = json.loads(run.stdout)
    assert values["DEBUG"] is False and values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]


def test_production_over_plain_http_sends_no_hsts(tmp_path):
    run = production(tmp_path, SECRET_KEY=secrets.token_urlsafe(50), HTTPS="0")
    values = json.loads(run.stdout)
    assert values["SECURE_SSL_REDIRECT"] is False and values["SECURE_HSTS_SECONDS"] == 0


READ_DATABASE = (
    "import django; from django.conf import settings; django.setup(); "
    "print(settings.DATABASES['default']['ENGINE'])"
)


@pytest.mark.parametrize("password", ["zhengwu", "postgres", "change-me"])
def test_production_refuses_an_example_database_password(tmp_path, password):
    run = production(
        tmp_path,
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"postgres://zhengwu:{password}@db:5432/zhengwu",
    )
    assert run.returncode != 0
    assert "数据库密码为示例值" in run.stderr


def test_production_accepts_a_database_without_password(tmp_path):
    # Trust or peer authentication on loopback (CI's PostgreSQL, scripts/stack.sh).
    run = production(
        tmp_path,
        script=READ_DATABASE,
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/zhengwu",
    )
    assert run.returncode == 0, run.stderr
    assert "postgresql" in run.stdout


READ_SCHEDULER = (
    "import django; django.setup(); from django_q.conf import Conf; print(Conf.SCHEDULER)"
)


@pytest.mark.parametrize(("value", "runs"), [(None, "True"), ("1", "True"), ("0", "False")])
def test_q_scheduler_zero_leaves_the_scheduler_to_another_worker(tmp_path, value, runs):
    env = {} if value is None else {"Q_SCHEDULER": value}
    run = production(tmp_path, script=READ_SCHEDULER, SECRET_KEY=secrets.token_urlsafe(50), **env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == runs


HEALTH_OVER_HTTP = (
    "import django; django.setup(); from django.http import HttpResponse;"
    " from django.middleware.security import SecurityMiddleware;"
    " from django.test import RequestFactory;"
    " middleware = SecurityMiddleware(lambda request: HttpResponse('ok'));"
    " ask = lambda path: middleware(RequestFactory().get(path, HTTP_HOST='zwfw.example.gov.cn'));"
    " print(ask('/healthz').status_code, ask('/').status_code)"
)


def test_a_load_balancers_plain_http_health_probe_is_not_redirected(tmp_path):
    run = production(
        tmp_path,
        script=HEALTH_OVER_HTTP,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="zwfw.example.gov.cn",
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["200", "301"]  # the site itself still goes to https

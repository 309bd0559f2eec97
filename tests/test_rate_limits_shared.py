"""With REDIS_URL, every web process counts against the same limit: a client refused by one
process is refused by another. Runs against the Redis server on 127.0.0.1:6379 (CI has one)."""

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parent.parent

# A second process: the same settings, the same cache, one more search from the same client.
OTHER_PROCESS = """
import django, sys
django.setup()
from django.conf import settings
from django.test import RequestFactory
from django_ratelimit.exceptions import Ratelimited
from cms.ratelimits import limit
settings.CACHES["default"]["KEY_PREFIX"] = sys.argv[1]
request = RequestFactory().get("/search/", {"q": "a"}, REMOTE_ADDR="198.51.100.30")
try:
    limit(request, "search")
except Ratelimited:
    print("refused")
else:
    print("allowed")
"""


def redis_reachable():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture
def shared_cache(settings):
    if not redis_reachable():
        if os.environ.get("CI"):
            pytest.fail("CI machines run Redis on 127.0.0.1:6379; it did not answer")
        pytest.skip("no Redis server on 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        },
    }
    # A day-long window: the count cannot start again between this process and the other.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "5/d"}
    yield prefix
    import redis

    server = redis.Redis.from_url(REDIS_URL)
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


def other_process(prefix, rate):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "REDIS_URL": REDIS_URL,
        "RATE_LIMIT_SEARCH": rate,
    }
    run = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, prefix],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.strip().splitlines()[-1]


@pytest.mark.django_db
def test_a_client_refused_in_one_process_is_refused_in_another(client, shared_cache):
    statuses = [
        client.get("/search/?q=a", REMOTE_ADDR="198.51.100.30").status_code for _ in range(5)
    ]
    assert 429 not in statuses
    # The limit is spent here; another process, sharing Redis, refuses the sixth search.
    assert other_process(shared_cache, "5/d") == "refused"
    # Another client is still allowed: the shared count is per client, not global.
    assert client.get("/search/?q=a", REMOTE_ADDR="198.51.100.31").status_code == 200

"""The embedded default needs nothing of the Elasticsearch client: a site without it (or with
a broken install of it) still starts, indexes and searches. Only the Elasticsearch backend
imports it (search/backends/elasticsearch.py).

Proved in a fresh interpreter where importing `elasticsearch` (or its transport) fails, as a
test process that has loaded the contract suite cannot unload it."""

import json
import os
import subprocess
import sys

from django.conf import settings

# Every module a site on the embedded backend loads, on either database.
EMBEDDED_PATH = [
    "search.apps",
    "search.backends",
    "search.backends.base",
    "search.backends.embedded",
    "search.backends.embedded.dialect",
    "search.backends.embedded.postgresql",
    "search.backends.embedded.rows",
    "search.backends.embedded.sqlite",
    "search.checks",
    "search.documents",
    "search.hidden",
    "search.hot",
    "search.index",
    "search.query",
    "search.service",
    "search.signals",
    "search.sources",
    "search.tasks",
    "search.text",
    "search.views",
    "search.management.commands.rebuild_search_index",
]

SCRIPT = """
import importlib, json, sys

# None in sys.modules makes every import of the package, or of anything in it, fail.
sys.modules["elasticsearch"] = None
sys.modules["elastic_transport"] = None

import django

django.setup()
from django.core.management import call_command

call_command("migrate", verbosity=0)
for name in sys.argv[1:]:
    importlib.import_module(name)
call_command("check", "--fail-level", "ERROR")

from search.backends import get_search_backend
from search.documents import PortalDocument
from search.query import SearchRequest, parse
from search.sources import suggestion
from search.synonyms import Synonyms

backend = get_search_backend()
backend.update([
    PortalDocument(
        page_id=page_id, kind="guide", title=title, url=f"/p/{page_id}/",
        suggest=suggestion([title], 20),
    )
    for page_id, title in [(1, "营业执照遗失补领"), (2, "结婚登记")]
])
hits = backend.search(SearchRequest(parse("营业执照", Synonyms([])))).hits
try:
    import search.backends.elasticsearch
    blocked = False
except ImportError:
    blocked = True
print(json.dumps({
    "backend": type(backend).__module__,
    "hits": [hit.title for hit in hits],
    "suggest": [s.text for s in backend.suggest("jhdj")],
    "elasticsearch_blocked": blocked,
}))
"""


def test_the_embedded_default_indexes_and_searches_without_the_elasticsearch_client(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        # Its own SQLite file: the child cannot see the test database's uncommitted rows.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("ELASTICSEARCH_URL", None)
    child = subprocess.run(
        [sys.executable, "-c", SCRIPT, *EMBEDDED_PATH],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    result = json.loads(child.stdout.strip().splitlines()[-1])
    assert result["elasticsearch_blocked"], "the child could still import elasticsearch"
    assert result["backend"].startswith("search.backends.embedded")
    assert result["hits"] == ["营业执照遗失补领"]
    assert result["suggest"] == ["结婚登记"]

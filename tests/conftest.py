from contextlib import contextmanager

import pytest
from django.core.cache import cache, caches


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files, rendered PDFs and cached values of one test never leak into another."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_ROOT = str(tmp_path / "private")
    settings.PDF_CACHE_DIR = str(tmp_path / "pdf")
    cache.clear()
    caches["pages"].clear()
    caches["progress"].clear()


@pytest.fixture(autouse=True)
def _live_search_tables(request):
    """A transactional test starts with the live generation's search tables in place.

    pytest-django empties such a test's database after it and puts back the migrated rows,
    the index's live generation number included; but the token tables (FTS5 on SQLite, the
    tokens table on PostgreSQL) are no Django models: a test that rebuilt the index dropped
    the old generation's, and every later search failed with "no such table"; or they kept
    an earlier test's rows, whose documents were gone."""
    marker = request.node.get_closest_marker("django_db")
    if not (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or (marker and marker.kwargs.get("transaction"))
    ):
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    from search.backends import get_search_backend

    backend = get_search_backend()
    dialect = getattr(backend, "dialect", None)
    if dialect is None:  # Elasticsearch: no tables here
        return
    # The emptied database has no indexed documents, but the token tables keep what an
    # earlier test wrote (PostgreSQL's tokens table is no model either): they start empty too.
    from search.models import IndexedDocument

    existing = set(connection.introspection.table_names())
    if not set(dialect.tables(backend.live())) <= existing or not IndexedDocument.objects.exists():
        backend.clear()


@pytest.fixture
def run_queued_tasks():
    """Run the queued tasks whose function starts with `prefix`, as the worker would, and
    return their names. Queue them first: tests run in a transaction that never commits, so
    wrap the change in `django_capture_on_commit_callbacks(execute=True)`."""
    from django_q.models import OrmQ

    def run(prefix):
        ran = []
        for entry in OrmQ.objects.order_by("pk"):
            task = entry.task
            if task["func"].startswith(prefix):
                module, _, name = task["func"].rpartition(".")
                function = getattr(__import__(module, fromlist=[name]), name)
                function(*task["args"], **task["kwargs"])
                ran.append(task["func"])
            entry.delete()
        return ran

    return run


@pytest.fixture
def changes(django_capture_on_commit_callbacks, run_queued_tasks):
    """`with changes():` a block whose queued index updates run when it ends, as the
    search worker would run them."""

    @contextmanager
    def block():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        run_queued_tasks("search.")

    return block

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

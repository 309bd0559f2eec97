"""The index update as a django-q2 task, queued after the change commits, in the search
queue (settings.SEARCH_TASK_QUEUE), where no PDF render is ahead of it; and search's nightly
jobs (scheduled in search/install.py)."""

from django.conf import settings
from django.db import transaction
from django_q.tasks import async_task

from search import index, stats

GROUP = "检索索引"


def sync_pages(page_ids):
    return index.sync(page_ids)


def reconcile_index():
    return index.reconcile()


def prune_search_statistics():
    return stats.prune()


def queue_sync(page_ids):
    """Queue an index update for these pages once the current transaction commits (the worker
    must see the change; a rolled-back change queues nothing)."""
    page_ids = sorted(set(page_ids))
    if page_ids:
        transaction.on_commit(
            lambda: async_task(
                "search.tasks.sync_pages",
                page_ids,
                group=GROUP,
                cluster=settings.SEARCH_TASK_QUEUE,
            )
        )

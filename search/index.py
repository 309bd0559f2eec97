"""Keeping every configured backend in step with what is public.

Signals (search/signals.py) name the pages that may have changed; the task runs `sync` on
them, which rebuilds each page's document from the database and writes it, or removes the
page where it is no longer public. Asking "what is this page now?" instead of trusting the
event makes a late, repeated or out-of-order task harmless.
"""

import logging

from django.conf import settings
from django.utils import timezone

from cms.caching import version as content_version
from search import hidden, sources
from search.backends import get_search_backend

logger = logging.getLogger("search")


def backends():
    return [get_search_backend(alias) for alias in settings.PORTAL_SEARCH_BACKENDS]


def sync(page_ids, chunk_size=500) -> tuple[int, int]:
    """Update or remove each page in every backend: (documents written, pages removed).
    In chunks: publishing a section names its whole subtree, tens of thousands of pages."""
    page_ids = sorted(set(page_ids))
    written = removed = 0
    for start in range(0, len(page_ids), chunk_size):
        read_at = timezone.now()
        documents = sources.documents_for(page_ids[start : start + chunk_size])
        current = [doc for doc in documents.values() if doc is not None]
        gone = [page_id for page_id, doc in documents.items() if doc is None]
        for backend in backends():
            backend.update(current)
            backend.remove(gone)
        # Every backend now holds these pages as they are: searches need not leave them out.
        hidden.forget(documents, noted_before=read_at)
        written, removed = written + len(current), removed + len(gone)
    # Search answers cached before the index held these pages are retired (cms.caching).
    content_version.bump()
    logger.info("检索索引已更新：%d 条写入，%d 条移除", written, removed)
    return written, removed


def rebuild(backend, chunk_size=500, jobs=1):
    """Every public page into a new index of `backend`, swapped in at the end: a generator
    yielding the number of documents written after each chunk (for a progress bar).
    Documents are built in `jobs` processes while this one writes."""
    documents = sources.public_documents(chunk_size=chunk_size, jobs=jobs, prepare=backend.prepare)
    yield from backend.rebuild(documents)
    # A page unpublished or restricted while the rebuild ran was removed from both indexes,
    # then written back if the rebuild had read it before: the new index holds only what is
    # public now.
    stale = backend.page_ids() - sources.public_page_ids()
    if stale:
        backend.remove(sorted(stale))
        logger.info("重建期间下线的 %d 个页面已从检索索引移除", len(stale))
    content_version.bump()


def reconcile() -> tuple[int, int]:
    """Bring every backend's set of pages back to what is public: (written, removed).

    The nightly safety net for changes whose task could not run (Elasticsearch down past
    the task's retries, a worker lost): the pages some backend holds wrongly or lacks are
    synced like any changed page. An edit to a page the index holds is not seen here; a
    rebuild corrects those."""
    public = sources.public_page_ids()
    differing = set().union(*(backend.page_ids() ^ public for backend in backends()))
    # Pages still left out of searches because their sync never ran.
    differing |= hidden.page_ids()
    # Policies with attachments are written again: a document moved into a private
    # collection without a signal (a collection moved in the tree, Wagtail's bulk "add to
    # collection", an UPDATE) leaves its text in their documents until then. Their text is
    # remembered (search.models.AttachmentText), so this reads no file.
    attached = (sources.pages_with_attachments() & public) - differing
    if attached:
        sync(attached)
    if not differing:
        return 0, 0
    written, removed = sync(differing)
    logger.warning("检索索引核对：%d 个页面与公开内容不符，已同步", len(differing))
    return written, removed

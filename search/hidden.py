"""Pages that stopped being public while the task that removes them from the index waits.

The index follows a change through a queued task (search/tasks.py), seconds after it, or
minutes when the queue is long. Until then an unpublished, restricted, moved-away or deleted
page would still be found, with its title and a snippet of its text. So the signal handlers
(search/signals.py), in the same transaction as the change, note here which of the pages
they name are no longer public; every search reads this list, nearly always empty, and the
backends leave those pages out of hits, counts and suggestions. The sync forgets a page once
every backend has been brought up to date for it.

Expiry needs none of this: a document carries the earliest expiry of its page and their
ancestors, and every backend compares it with the time of the search.
"""

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from cms.models.mixins import public_pages
from search.models import HiddenPage

# Pages per query: a section's subtree can hold more pages than SQLite takes parameters.
CHUNK = 500


def note(page_ids):
    """After a change that may have hidden or shown these pages: remember those that are not
    public now, and forget those that are (published again, restriction lifted)."""
    page_ids = sorted(set(page_ids))
    for start in range(0, len(page_ids), CHUNK):
        chunk = page_ids[start : start + CHUNK]
        public = set(public_pages(Page.objects.filter(pk__in=chunk)).values_list("pk", flat=True))
        hidden_ids = [pk for pk in chunk if pk not in public]
        HiddenPage.objects.bulk_create(
            [HiddenPage(page_id=pk) for pk in hidden_ids], ignore_conflicts=True
        )
        # Stamped again once the change is committed: a sync that read the page before the
        # commit (and so saw it public) must not forget it (forget() compares with noted_at).
        transaction.on_commit(
            lambda ids=hidden_ids: HiddenPage.objects.filter(page_id__in=ids).update(
                noted_at=timezone.now()
            )
        )
        if public:
            HiddenPage.objects.filter(page_id__in=public).delete()


def page_ids() -> frozenset[int]:
    """What every search leaves out: one read of a table that is empty but for the seconds
    between a page being hidden and its sync."""
    return frozenset(HiddenPage.objects.values_list("page_id", flat=True))


def forget(page_ids, noted_before):
    """The index is up to date for these pages, as read after `noted_before`. A page hidden
    again since then stays left out until its own sync."""
    HiddenPage.objects.filter(page_id__in=list(page_ids), noted_at__lt=noted_before).delete()

"""What search sets up after every `migrate` (idempotent): its nightly job and who edits what
the search answers. Run from search's own post_migrate (search/apps.py)."""

import datetime

from django.utils import timezone

from cms.install import MANAGERS, REVIEWERS, grant_model_permissions


def ensure_setup():
    from django_q.models import Schedule

    # Synonyms, hot-query words and best bets: what the search answers is an editorial decision.
    for group in (REVIEWERS, MANAGERS):
        grant_model_permissions(group, "portal_search", ["add", "change", "view", "delete"])
        grant_model_permissions(group, "wagtailsearchpromotions", ["add", "change", "delete"])
    # Nightly, when nobody publishes: pages the index missed (search.index.reconcile).
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    Schedule.objects.get_or_create(
        name="核对检索索引",
        defaults={
            "func": "search.tasks.reconcile_index",
            "schedule_type": Schedule.DAILY,
            "repeats": -1,
            "next_run": timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(3))),
        },
    )
    # Its own job rather than a step of the reconcile: that one fails while Elasticsearch is
    # down, and the failure mail should name what failed.
    Schedule.objects.get_or_create(
        name="清理搜索统计",
        defaults={
            "func": "search.tasks.prune_search_statistics",
            "schedule_type": Schedule.DAILY,
            "repeats": -1,
            "next_run": timezone.make_aware(
                datetime.datetime.combine(tomorrow, datetime.time(3, 30))
            ),
        },
    )

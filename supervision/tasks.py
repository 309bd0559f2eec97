"""Jobs the django-q2 worker runs for supervision (schedules: supervision.install). Thin: each
calls the service functions of supervision.bulletins and supervision.delivery.

Every job is safe to run twice, at once or after a crash: bulletins are unique per (kind,
period) and deliveries per (bulletin, address), see those modules.
"""

import logging

from django.utils import timezone

from supervision import delivery
from supervision.bulletins import due_periods, make_bulletin
from supervision.choices import BulletinKind

logger = logging.getLogger(__name__)

# How far back a job catches up after downtime (periods). A new installation starts with
# the latest period only.
LOOK_BACK = {BulletinKind.DAILY: 31, BulletinKind.WEEKLY: 8, BulletinKind.MONTHLY: 12}


def produce_bulletins(kind):
    """Make and deliver every bulletin of `kind` that is due and missing (oldest first), then
    deliver what an earlier run made but did not send."""
    kind = BulletinKind(kind)
    try:
        made = []
        for day in due_periods(kind, timezone.localdate(), look_back=LOOK_BACK[kind]):
            bulletin = make_bulletin(kind, day)
            made.append(bulletin)
            delivery.deliver(bulletin)
        return [bulletin.pk for bulletin in made]
    except Exception as error:
        delivery.alert_owners(f"{kind.label}生成失败", f"{type(error).__name__}: {error}")
        raise  # django-q2 records the failure and retries (Q_CLUSTER max_attempts)


def retry_failed_deliveries():
    return delivery.retry_failed()

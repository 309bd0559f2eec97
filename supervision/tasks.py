"""Jobs the django-q2 worker runs for supervision (schedules: supervision.install). Thin: each
calls the service functions of supervision.bulletins, supervision.delivery and
supervision.import_runs, one step after the other.

Every job is safe to run twice, at once or after a crash: bulletins are unique per (kind,
period) and deliveries per (bulletin, address), see those modules.
"""

import logging

from django.utils import timezone
from django_q.exceptions import TimeoutException

from supervision import delivery, import_runs
from supervision.bulletins import due_periods, editions, readiness
from supervision.choices import BulletinKind
from supervision.models import Bulletin

logger = logging.getLogger(__name__)

# How far back a job catches up after downtime (periods). A new installation starts with
# the latest period only.
LOOK_BACK = {BulletinKind.DAILY: 31, BulletinKind.WEEKLY: 8, BulletinKind.MONTHLY: 12}


def produce_bulletins(kind, *, alert=True):
    """Make and deliver every bulletin of `kind` that is due and missing, and finish any an
    earlier run made but did not deliver (killed mid-way, or made by hand), oldest first.
    A due bulletin whose data is not in waits (until its deadline: readiness); one made
    数据不完整 gets its corrected edition once the data is in (editions).
    Nothing here is public: a monthly ranking's red flag reaches 窗口风采 when a manager
    approves the month's 评比公示 (supervision.notices)."""
    kind = BulletinKind(kind)
    try:
        now = timezone.now()
        due = [
            day
            for day in due_periods(kind, timezone.localdate(), look_back=LOOK_BACK[kind])
            if readiness.is_scheduled(kind, day, now)  # the 15-minute check is not early
        ]
        unfinished = Bulletin.objects.filter(
            kind=kind, delivered_at__isnull=True, superseded_at__isnull=True
        )
        done = []
        for day in sorted({*due, *unfinished.values_list("period_start", flat=True)}):
            bulletin = readiness.make_when_ready(kind, day, now)  # renders a missing PDF
            if bulletin is None:
                continue  # its data is not in: check_waiting_bulletins tries again
            delivery.deliver(bulletin)
            done.append(bulletin.pk)
        done += [edition.pk for edition in editions.reissue_completed(kind)]
        return done
    # django-q2 stops a job over its timeout by raising TimeoutException, a SystemExit.
    except (Exception, TimeoutException) as error:
        if alert:  # the 15-minute check does not: a lasting failure would mail 96 times a day
            delivery.alert_owners(f"{kind.label}生成失败", f"{type(error).__name__}: {error}")
        raise  # django-q2 records the failure and retries (Q_CLUSTER max_attempts)


def retry_failed_deliveries():
    return delivery.retry_failed()


def import_upload(run_id):
    """An admin upload of hall data: import it and record the result on its ImportRun."""
    return import_runs.execute(run_id)


def check_waiting_bulletins():
    """Every 15 minutes: each kind's job again, for the bulletins waiting for their data (made
    when it is in or their deadline passes) and those made 数据不完整 (corrected once it is
    in). A kind whose run fails does not stop the others; it has alerted the owners."""
    done = []
    for kind in BulletinKind:
        try:
            done += produce_bulletins(kind, alert=False)
        except Exception:
            logger.exception("%s检查失败", kind.label)
    return done

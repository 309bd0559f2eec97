"""The demo's bulletin archive: the demo manager subscribed to every bulletin, and the
bulletins of the demo's year of hall data already made, so a new user finds real bulletins in
the admin (督查简报) and in var/mail/ right after `make run`.

Made through the same `make_bulletin` and `deliver` as the scheduled jobs, so a second
`load_demo` makes and sends nothing new.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from cms.choices import Honour
from cms.models import GalleryHonour
from supervision import delivery, notices
from supervision.bulletins import (
    latest_complete_period,
    make_bulletin,
    period_label,
    period_of,
    previous_period,
)
from supervision.choices import BulletinKind
from supervision.gallery import red_flag_gallery
from supervision.models import Bulletin, Evaluation, Subscription

MANAGER = "manager"
MANAGER_EMAIL = "manager@zwfw.example.gov.cn"
# How many past periods of each kind the demo archive holds; the newest of each is mailed.
PERIODS = {BulletinKind.MONTHLY: 12, BulletinKind.WEEKLY: 4, BulletinKind.DAILY: 5}


def demo_periods(kind, today, count):
    start, _ = latest_complete_period(kind, today)
    periods = [start]
    while len(periods) < count:
        start = previous_period(kind, start)[0]
        if kind == BulletinKind.DAILY:
            start, _ = latest_complete_period(kind, start + datetime.timedelta(days=1))
        periods.append(start)
    return sorted(periods)


def ensure_demo_archive(today=None, progress=None):
    """Subscribe the demo manager and make the archive; returns the number of bulletins."""
    today = today or timezone.localdate()
    manager = get_user_model().objects.filter(username=MANAGER).first()
    if manager is None:
        return 0
    if not manager.email:
        manager.email = MANAGER_EMAIL
        manager.save(update_fields=["email"])
    for kind in BulletinKind.values:
        Subscription.objects.get_or_create(user=manager, kind=kind)
    first_evaluation = Evaluation.objects.order_by("evaluated_at").first()
    if first_evaluation is None:
        return 0
    data_from = timezone.localdate(first_evaluation.evaluated_at)
    made = 0
    flagged = red_flag_months()
    for kind, count in PERIODS.items():
        periods = [
            day for day in demo_periods(kind, today, count) if period_of(kind, day)[1] >= data_from
        ]
        bulletin = None
        archive = []
        for day in periods:
            bulletin = make_bulletin(kind, day)
            if (
                kind == BulletinKind.MONTHLY
                and period_label(kind, bulletin.period_start, bulletin.period_end) not in flagged
            ):
                # The month's ranking approved for the public (评比公示): its page, and the
                # red flag in 窗口风采, as a manager's approval gives them.
                if notices.in_force_for(bulletin.period_start) is None:
                    notices.approve(bulletin)
            archive.append(bulletin.pk)
            made += 1
            if progress:
                progress(bulletin)
        if bulletin is not None:
            delivery.deliver(bulletin)
            # The older ones stand for bulletins a centre had before: counted as delivered,
            # or the first scheduled run would mail the manager the whole archive.
            Bulletin.objects.filter(pk__in=archive, delivered_at__isnull=True).update(
                delivered_at=timezone.now()
            )
    return made


def red_flag_months():
    """The months whose red flag the gallery already shows: the demo site's hand-written
    winners (demo.site.texts) keep their months, so no month shows two windows."""
    gallery = red_flag_gallery()
    citations = GalleryHonour.objects.filter(gallery=gallery, honour=Honour.RED_FLAG).values_list(
        "citation", flat=True
    )
    return {citation.partition("月")[0] + "月" for citation in citations if "月" in citation}

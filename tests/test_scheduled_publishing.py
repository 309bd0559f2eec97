"""Scheduled publishing fires: the installed django-q2 schedule runs Wagtail's publish_scheduled."""

import datetime

import pytest
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task  # noqa: F401  (the scheduler enqueues through it)

from cms.models import PolicyPage
from tests import factories

pytestmark = pytest.mark.django_db


def run_due_schedules(settings):
    """Run django-q2's own scheduler once, with tasks executed synchronously."""
    from django_q.brokers import get_broker
    from django_q.conf import Conf
    from django_q.scheduler import scheduler

    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    Conf.SYNC = True
    try:
        scheduler(broker=get_broker())
    finally:
        Conf.SYNC = False


def test_install_creates_a_schedule_that_runs_every_minute():
    schedule = Schedule.objects.get(func="cms.tasks.publish_scheduled_pages")
    assert schedule.schedule_type == Schedule.MINUTES and schedule.minutes == 1


def test_a_page_scheduled_for_the_past_goes_live_when_the_scheduler_runs(settings):
    draft = factories.policy(title="定时发布的文件", live=False)
    revision = draft.save_revision(
        approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert revision.approved_go_live_at is not None
    Schedule.objects.filter(func="cms.tasks.publish_scheduled_pages").update(
        next_run=timezone.now() - datetime.timedelta(seconds=5)
    )
    run_due_schedules(settings)
    assert PolicyPage.objects.get(pk=draft.pk).live


def test_an_expired_page_is_unpublished_when_the_scheduler_runs(settings):
    page = factories.policy(title="到期下线的文件")
    PolicyPage.objects.filter(pk=page.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    Schedule.objects.filter(func="cms.tasks.publish_scheduled_pages").update(
        next_run=timezone.now() - datetime.timedelta(seconds=5)
    )
    run_due_schedules(settings)
    page.refresh_from_db()
    assert not page.live and page.expired

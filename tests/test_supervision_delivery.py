"""Bulletin jobs and delivery against a real SMTP server on loopback (aiosmtpd): once per
period, once per address, retried when the server was down."""

import datetime
import hashlib

import pytest
from django.utils import timezone

from supervision import delivery, tasks
from supervision.bulletins import make_bulletin
from supervision.choices import BulletinKind, DeliveryStatus
from supervision.install import next_run
from supervision.models import Bulletin, DataConfirmation, Delivery, Subscription
from tests import factories
from tests.hall import fill_october, make_hall
from tests.smtp import mail_through_loopback

D = datetime.date


@pytest.fixture
def smtp(settings):
    yield from mail_through_loopback(settings)


@pytest.fixture
def october(db):
    hall = make_hall()
    fill_october(hall)
    manager = factories.user("manager", "管理人员")
    manager.email = "chen.haiyan@zwfw.example.gov.cn"
    manager.save()
    Subscription.objects.create(user=manager, kind=BulletinKind.MONTHLY)
    # fill_october's records end before 10-30, October's last working day: without a manager's
    # word that the month is complete the job would wait for the rest (readiness).
    DataConfirmation.objects.create(kind=BulletinKind.MONTHLY, period_start=D(2026, 10, 1))
    return hall


def freeze_today(monkeypatch, day):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 5)))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_the_monthly_job_run_twice_makes_one_bulletin_and_sends_one_email(
    october, smtp, monkeypatch
):
    freeze_today(monkeypatch, D(2026, 11, 1))
    tasks.produce_bulletins("monthly")
    tasks.produce_bulletins("monthly")
    assert Bulletin.objects.filter(kind="monthly").count() == 1
    assert len(smtp.inbox.messages) == 1
    recipients, message = smtp.inbox.messages[0]
    assert recipients == ["chen.haiyan@zwfw.example.gov.cn"]
    assert "2026年10月" in message["Subject"] and "月度考评排名通报" in message["Subject"]
    (attachment,) = list(message.iter_attachments())
    data = attachment.get_content()
    assert attachment.get_content_type() == "application/pdf" and data.startswith(b"%PDF")
    sent = Delivery.objects.get()
    assert sent.status == DeliveryStatus.SENT
    assert sent.pdf_sha256 == hashlib.sha256(data).hexdigest() == Bulletin.objects.get().pdf_sha256


def test_a_job_killed_after_making_the_bulletin_finishes_and_mails_it_on_its_next_run(
    october, smtp, monkeypatch
):
    # The first run dies while rendering (a timeout kill, a full disk): the bulletin's row
    # exists without its PDF. The next scheduled run must finish it and send it, once.
    from supervision.bulletins import making

    freeze_today(monkeypatch, D(2026, 11, 1))
    render = making.render

    def dies(bulletin):
        raise TimeoutError("killed")

    monkeypatch.setattr(making, "render", dies)
    with pytest.raises(TimeoutError):
        tasks.produce_bulletins("monthly")
    stranded = Bulletin.objects.get(kind="monthly")
    assert not stranded.pdf and stranded.delivered_at is None and not smtp.inbox.messages

    monkeypatch.setattr(making, "render", render)
    tasks.produce_bulletins("monthly")
    tasks.produce_bulletins("monthly")
    finished = Bulletin.objects.get(kind="monthly")
    assert finished.pk == stranded.pk and finished.pdf and finished.delivered_at is not None
    assert len(smtp.inbox.messages) == 1


@pytest.mark.parametrize("failure", [RuntimeError("磁盘已满"), "timeout"])
def test_a_failed_or_timed_out_job_alerts_the_owners_and_fails(
    october, settings, monkeypatch, mailoutbox, failure
):
    from django_q.exceptions import TimeoutException

    from supervision.bulletins import making

    if failure == "timeout":
        failure = TimeoutException("Task exceeded maximum timeout value (300 seconds)")
    settings.ADMINS = [("", "owner@zwfw.example.gov.cn")]
    freeze_today(monkeypatch, D(2026, 11, 1))

    def fails(bulletin):
        raise failure

    monkeypatch.setattr(making, "render", fails)
    with pytest.raises(type(failure)):
        tasks.produce_bulletins("monthly")
    (alert,) = mailoutbox
    assert alert.to == ["owner@zwfw.example.gov.cn"] and "月度考评排名通报生成失败" in alert.subject
    assert str(failure) in alert.body


def test_a_bulletin_made_by_hand_is_mailed_by_the_next_scheduled_run(october, smtp, monkeypatch):
    make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    assert not smtp.inbox.messages
    freeze_today(monkeypatch, D(2026, 11, 1))
    tasks.produce_bulletins("monthly")
    assert len(smtp.inbox.messages) == 1 and Bulletin.objects.count() == 1


def test_a_delivery_queued_by_a_killed_job_and_never_tried_is_sent_by_the_retry_job(october, smtp):
    bulletin = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    manager = Subscription.objects.get().user
    Delivery.objects.create(bulletin=bulletin, user=manager, email=manager.email)
    assert delivery.retry_failed() == 1
    assert delivery.retry_failed() == 0
    assert len(smtp.inbox.messages) == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_a_delivery_that_found_the_server_down_is_retried_and_sent_once(october, smtp):
    bulletin = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    smtp.stop()
    assert delivery.deliver(bulletin) == []
    failed = Delivery.objects.get()
    assert failed.status == DeliveryStatus.FAILED and failed.attempts == 1
    assert "Connection" in failed.last_error or "refused" in failed.last_error

    smtp.start()
    assert delivery.retry_failed() == 1
    assert delivery.retry_failed() == 0
    delivery.deliver(bulletin)
    assert len(smtp.inbox.messages) == 1
    sent = Delivery.objects.get()
    assert (sent.status, sent.attempts) == (DeliveryStatus.SENT, 2)


def test_retries_stop_after_the_last_attempt_and_the_owners_are_alerted(
    october, smtp, settings, caplog
):
    settings.ADMINS = [("", "owner@zwfw.example.gov.cn")]
    bulletin = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    smtp.stop()
    delivery.deliver(bulletin)
    for _ in range(delivery.MAX_ATTEMPTS + 2):
        delivery.retry_failed()
    assert Delivery.objects.get().attempts == delivery.MAX_ATTEMPTS
    # The alert mail goes to the same (down) server, so the log line is what remains.
    alerts = [r for r in caplog.records if r.levelname == "ERROR" and "仍失败" in r.getMessage()]
    assert len(alerts) == 1
    smtp.start()
    assert delivery.retry_failed() == 0
    assert smtp.inbox.messages == []


def test_a_claimed_delivery_is_not_sent_by_a_second_worker(october, smtp):
    bulletin = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    queued = Delivery.objects.create(bulletin=bulletin, email="a@zwfw.example.gov.cn")
    Delivery.objects.filter(pk=queued.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now()
    )
    assert not delivery.send(queued)
    assert smtp.inbox.messages == []


def test_a_department_subscription_gets_daily_bulletins_only_when_they_concern_it(october, smtp):
    head = factories.user("head", "管理人员")
    head.email = "head@zwfw.example.gov.cn"
    head.save()
    subscription = Subscription.objects.create(user=head, kind=BulletinKind.DAILY)
    subscription.departments.add(october["Y"])  # 乙局: window C only
    # 10-09: a finding at window A (甲局) only; 10-12: a finding at A and C has a red case.
    quiet = make_bulletin(BulletinKind.DAILY, D(2026, 10, 9))
    assert delivery.recipients(quiet) == []
    concerned = make_bulletin(BulletinKind.DAILY, D(2026, 10, 13))
    assert [address for _, address in delivery.recipients(concerned)] == [head.email]


def test_send_me_a_test_sends_to_the_asking_user_and_logs_it_as_a_test(october, smtp):
    bulletin = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    manager = Subscription.objects.get().user
    first = delivery.send_test(bulletin, manager)
    second = delivery.send_test(bulletin, manager)
    assert first.status == second.status == DeliveryStatus.SENT and first.is_test
    assert [
        message["Subject"].strip().startswith("[测试]") for _, message in smtp.inbox.messages
    ] == [
        True,
        True,
    ]
    # The real delivery is still due: a test does not count as the manager's copy.
    delivery.deliver(bulletin)
    assert len(smtp.inbox.messages) == 3


def test_schedules_are_created_on_install_at_shanghai_times(db):
    from django_q.models import Schedule

    schedules = {s.name: s for s in Schedule.objects.filter(func__startswith="supervision.")}
    daily, weekly, monthly = (
        timezone.localtime(schedules[name].next_run)
        for name in ("每日督查通报", "每周督查小结", "月度考评排名通报")
    )
    assert (daily.hour, daily.minute) == (8, 0)
    assert (weekly.weekday(), weekly.hour, weekly.minute) == (0, 8, 30)
    assert (monthly.day, monthly.hour) == (1, 9)
    assert str(daily.tzinfo) == "Asia/Shanghai"


def test_the_next_monthly_run_after_the_first_at_nine_is_next_month():
    now = timezone.make_aware(datetime.datetime(2026, 12, 1, 9, 30))
    assert next_run("monthly", 1, 9, 0, now=now) == timezone.make_aware(
        datetime.datetime(2027, 1, 1, 9, 0)
    )

"""Corrected editions (更正版) and department extracts (部门专报) together: a department head's
correction names only their department's windows and figures, a correction reaches an earlier
recipient as the corrected edition did (never the whole hall because a subscription was
deleted), and a superseded edition is never sent late. Found by the review of issue 25."""

import datetime
import io

import pypdf
import pytest

from supervision import delivery, notices, tasks
from supervision.bulletins import editions, make_bulletin
from supervision.choices import BulletinKind, DeliveryStatus
from supervision.models import Bulletin, DataConfirmation, Delivery, Subscription
from tests import factories
from tests.hall import at, evaluations, fill_october, make_hall

D = datetime.date


@pytest.fixture
def october(db, settings):
    settings.ADMINS = [("", "owner@zwfw.example.gov.cn")]
    hall = make_hall()  # 甲局: A01 甲窗口, B01 乙窗口; 乙局: C01 丙窗口
    fill_october(hall)
    DataConfirmation.objects.create(kind=BulletinKind.MONTHLY, period_start=D(2026, 10, 1))
    return hall


def late_data_for_c(hall):
    """C01 (乙局) overtakes B01 (甲局) for the red flag: its case completed in time and a fourth
    非常满意 (as tests/test_supervision_editions.py)."""
    from supervision.models import Case

    Case.objects.filter(window=hall["C"]).update(completed_at=at(D(2026, 10, 10), 15))
    evaluations(hall["C"], D(2026, 10, 30), 5)


def head_of(username, department, group=None):
    user = factories.user(username, group)
    user.email = f"{username}@zwfw.example.gov.cn"
    user.save()
    subscription = Subscription.objects.create(user=user, kind=BulletinKind.MONTHLY)
    subscription.departments.set([department])
    return user, subscription


def text_of(data):
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    return text.replace(" ", "").replace("\n", "")


def attachment(mail):
    return text_of(mail.attachments[0][1])


def test_a_department_heads_correction_names_only_their_windows_and_figures(october, mailoutbox):
    head_of("yi", october["Y"])  # 乙局: C01 only
    original = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    delivery.deliver(original)
    mailoutbox.clear()
    late_data_for_c(october)
    edition = editions.reissue(original, "补录10月30日好差评")
    # The hall's correction names B01 (甲局) and the hall's totals...
    assert any("B01" in line for line in edition.changes)
    (mail,) = mailoutbox
    assert mail.subject.startswith("【更正】")
    text = attachment(mail)
    box = text[text.index("本期更正说明") : text.index("本版替代此前各版")]
    # ...乙局's names C01 and its own figures only.
    assert "C01" in box and "B01" not in box and "A01" not in box
    assert "有效评价：3条→4条" in box  # 乙局's own evaluations, not the hall's 12 → 13
    assert "B01" not in text and "A01" not in text and "乙窗口" not in text
    assert Delivery.objects.get(bulletin=edition).extract is not None


def test_a_red_flag_won_elsewhere_is_not_named_in_an_extract(october, mailoutbox):
    head_of("yi", october["Y"])
    delivery.deliver(make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1)))  # B01 (甲局) wins
    text = attachment(mailoutbox[0])
    assert "流动红旗由其他部门的窗口获得" in text and "乙窗口" not in text


def test_a_correction_reaches_a_reader_whose_subscription_was_deleted_as_their_extract(
    october, mailoutbox
):
    _, subscription = head_of("yi", october["Y"])
    original = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    delivery.deliver(original)
    subscription.delete()
    mailoutbox.clear()
    late_data_for_c(october)
    edition = editions.reissue(original, "补录")
    sent = Delivery.objects.get(bulletin=edition, email="yi@zwfw.example.gov.cn")
    assert sent.status == DeliveryStatus.SENT and sent.extract is not None
    assert "甲窗口" not in attachment(mailoutbox[0])


def test_a_correction_skips_a_deleted_account_and_a_reader_who_never_had_an_extract(
    october, mailoutbox
):
    gone, _ = head_of("gone", october["Y"])
    whole = factories.user("whole")  # an unlimited subscriber, not a manager
    whole.email = "whole@zwfw.example.gov.cn"
    whole.save()
    subscription = Subscription.objects.create(user=whole, kind=BulletinKind.MONTHLY)
    original = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    delivery.deliver(original)
    gone.delete()
    subscription.delete()
    mailoutbox.clear()
    late_data_for_c(october)
    edition = editions.reissue(original, "补录")
    assert not Delivery.objects.filter(bulletin=edition).exists()
    assert mailoutbox == []


def test_a_superseded_edition_that_failed_is_never_sent_after_its_correction(october, mailoutbox):
    manager = factories.user("manager", "管理人员")
    manager.email = "manager@zwfw.example.gov.cn"
    manager.save()
    Subscription.objects.create(user=manager, kind=BulletinKind.MONTHLY)
    original = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    delivery.deliver(original)
    Delivery.objects.filter(bulletin=original).update(status=DeliveryStatus.FAILED)
    late_data_for_c(october)
    editions.reissue(original, "补录")
    mailoutbox.clear()
    assert delivery.retry_failed() == 0
    assert mailoutbox == []


def test_an_incomplete_ranking_is_not_approved_for_the_public(october):
    bulletin = make_bulletin(
        BulletinKind.MONTHLY,
        D(2026, 10, 1),
        missing_data=[{"source": "cases", "label": "办件", "text": "办件：未导入"}],
    )
    with pytest.raises(notices.NoticeRefused, match="不完整数据"):
        notices.approve(bulletin)
    Bulletin.objects.filter(pk=bulletin.pk).update(data_completed_at=at(D(2026, 11, 5)))
    bulletin.refresh_from_db()
    assert notices.approve(bulletin).bulletin == bulletin


def test_the_fifteen_minute_check_does_not_alert_the_owners_but_the_scheduled_run_does(
    october, monkeypatch, mailoutbox
):
    def broken(*args, **kwargs):
        raise RuntimeError("字体缺失")

    monkeypatch.setattr(tasks.readiness, "make_when_ready", broken)
    moment = timezone_at(D(2026, 11, 1), 9, 30)
    monkeypatch.setattr(tasks.timezone, "now", lambda: moment)
    tasks.check_waiting_bulletins()
    assert not [m for m in mailoutbox if "生成失败" in m.subject]
    with pytest.raises(RuntimeError):
        tasks.produce_bulletins(BulletinKind.MONTHLY)
    assert [m for m in mailoutbox if "生成失败" in m.subject]


def timezone_at(day, hour, minute):
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

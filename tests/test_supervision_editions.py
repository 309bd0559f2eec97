"""Corrected editions (更正版): the next edition of a period from the current data, with its
changes listed, the same issue number, the same recipients, the red flag following the
corrected ranking, both editions in the archive, and the button managers reissue with."""

import datetime
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cms.models import GalleryHonour, GalleryPage
from supervision import delivery, notices, tasks
from supervision.bulletins import editions, make_bulletin
from supervision.choices import BulletinKind, DeliveryStatus, FindingCategory
from supervision.gallery import award_red_flag
from supervision.models import Bulletin, Case, DataConfirmation, Delivery, Subscription
from supervision.signals import bulletin_reissued
from tests import factories
from tests.hall import at, evaluations, fill_october, finding, make_hall, red_flag_gallery

D = datetime.date
needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


def pdf_text(bulletin):
    result = subprocess.run(
        ["pdftotext", "-layout", bulletin.pdf.path, "-"], capture_output=True, check=True
    )
    return result.stdout.decode().replace(" ", "")


def subscriber(username, kind=BulletinKind.MONTHLY, group="管理人员"):
    user = factories.user(username, group)
    Subscription.objects.create(user=user, kind=kind)
    return user


def late_data_for_c(hall):
    """What a late export brings: C01's case was completed on 10-10 (in time, so neither
    overdue nor red), and one more 非常满意 reaches the minimum sample: C01 scores
    100 + 2.5 = 102.50 and overtakes B01 (101.50) for the red flag."""
    Case.objects.filter(window=hall["C"]).update(completed_at=at(D(2026, 10, 10), 15))
    evaluations(hall["C"], D(2026, 10, 30), 5)


@pytest.fixture
def october(db, settings):
    settings.ADMINS = [("", "owner@zwfw.example.gov.cn")]
    hall = make_hall()
    fill_october(hall)
    DataConfirmation.objects.create(kind=BulletinKind.MONTHLY, period_start=D(2026, 10, 1))
    return hall


@pytest.fixture
def sent_october(october, mailoutbox):
    """October's ranking made and mailed to one manager (B01 wins the red flag)."""
    subscriber("chen")
    bulletin = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    delivery.deliver(bulletin)
    mailoutbox.clear()
    return bulletin


@needs_pdftotext
def test_a_reissue_is_the_next_edition_with_the_same_issue_number_and_what_moved(
    october, sent_october, mailoutbox
):
    late_data_for_c(october)
    manager = factories.user("manager", "管理人员")
    edition = editions.reissue(sent_october, "补录丙窗口10月办结和评价数据", user=manager)
    assert (edition.edition, edition.issue_number) == (2, sent_october.issue_number)
    assert edition.reissued_by == manager and edition.is_current
    sent_october.refresh_from_db()
    assert not sent_october.is_current and sent_october.superseded_at is not None
    assert "窗口排名 · C01 丙窗口：得分 96.00 → 102.50，排名 第2名 → 第1名" in edition.changes
    assert "窗口排名 · B01 乙窗口：排名 第1名 → 第2名" in edition.changes
    assert "流动红旗：B01 乙窗口 → C01 丙窗口" in edition.changes
    assert "红灯办件：1件 → 0件" in edition.changes
    text = pdf_text(edition)
    assert f"第{edition.issue_number}期（更正版，第2版）" in text
    assert "本期更正说明" in text and "补录丙窗口10月办结和评价数据" in text
    assert "流动红旗：B01乙窗口→C01丙窗口" in text
    assert "本期更正说明" not in pdf_text(sent_october)  # the original stays as it was


def test_the_daily_corrected_edition_lists_its_changed_figures(db):
    hall = make_hall()
    fill_october(hall)
    daily = make_bulletin(BulletinKind.DAILY, D(2026, 10, 9))
    finding(hall["B"], D(2026, 10, 9), FindingCategory.DISCIPLINE)  # entered late
    edition = editions.reissue(daily, "补录巡查问题")
    assert "发现问题：1条 → 2条" in edition.changes
    assert "涉及窗口：1个 → 2个" in edition.changes
    assert "扣分：1分 → 3分" in edition.changes


def test_a_reissue_without_any_change_is_refused(sent_october):
    with pytest.raises(editions.NothingChanged):
        editions.reissue(sent_october, "核对")
    assert Bulletin.objects.count() == 1


@pytest.mark.parametrize("reason", ["", "   ", "长" * 501])
def test_a_reissue_needs_a_reason_of_at_most_500_characters(october, sent_october, reason):
    late_data_for_c(october)
    with pytest.raises(ValueError):
        editions.reissue(sent_october, reason)
    assert Bulletin.objects.count() == 1


def test_the_corrected_edition_goes_to_the_earlier_recipients_only_once_marked_as_a_correction(
    october, sent_october, mailoutbox, monkeypatch
):
    moment = timezone.make_aware(datetime.datetime(2026, 11, 1, 9, 5))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    subscriber("newcomer")  # subscribed after October was sent: not a recipient of it
    subscriber("daily-reader", kind=BulletinKind.DAILY)
    late_data_for_c(october)
    edition = editions.reissue(sent_october, "补录数据")
    (mail,) = mailoutbox
    assert mail.to == ["chen@example.gov.cn"]
    assert mail.subject.startswith("【更正】【督查简报】")
    assert f"第{edition.issue_number}期（更正版，第2版）" in mail.subject
    assert "更正原因：补录数据" in mail.body
    delivery.deliver(edition)
    tasks.produce_bulletins(BulletinKind.MONTHLY)
    assert len(mailoutbox) == 1
    assert Delivery.objects.filter(bulletin=edition, status=DeliveryStatus.SENT).count() == 1


def test_a_bulletin_corrected_before_it_was_mailed_goes_to_the_subscribers_in_its_new_edition(
    october, mailoutbox, monkeypatch
):
    subscriber("chen")
    original = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))  # by hand, not yet mailed
    late_data_for_c(october)
    monkeypatch.setattr(delivery, "deliver", lambda bulletin: [])  # the job mails it instead
    editions.reissue(original, "生成后发现漏导数据")
    monkeypatch.undo()
    moment = timezone.make_aware(datetime.datetime(2026, 11, 1, 9, 5))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    tasks.produce_bulletins(BulletinKind.MONTHLY)
    (mail,) = mailoutbox
    assert "第2版" in mail.subject  # the superseded edition is never sent
    assert not Delivery.objects.filter(bulletin=original).exists()


def test_reissued_is_signalled_with_both_editions_and_a_failing_receiver_alerts_the_owners(
    october, sent_october, mailoutbox
):
    heard = []

    def withdraw_notice(sender, previous, bulletin, **kwargs):
        heard.append((sender, previous.pk, bulletin.edition))
        raise RuntimeError("公示撤回失败")

    bulletin_reissued.connect(withdraw_notice)
    try:
        late_data_for_c(october)
        edition = editions.reissue(sent_october, "补录数据")
    finally:
        bulletin_reissued.disconnect(withdraw_notice)
    assert heard == [(Bulletin, sent_october.pk, 2)]
    subjects = sorted(mail.subject for mail in mailoutbox)
    assert any("更正后续处理失败" in subject for subject in subjects)  # the owners' alert
    assert any(subject.startswith("【更正】") for subject in subjects)  # still delivered
    assert Bulletin.objects.get(pk=edition.pk).delivered_at is not None


# --- The red flag follows the corrected ranking ------------------------------------------


@pytest.fixture
def flags(db):
    world = red_flag_gallery()  # B01 乙窗口 wins October; C01 has a photo (September's flag)
    DataConfirmation.objects.create(kind=BulletinKind.MONTHLY, period_start=D(2026, 10, 1))
    return world


def october_flags():
    return list(
        GalleryHonour.objects.filter(citation__startswith="2026年10月流动红旗").values_list(
            "window__number", flat=True
        )
    )


def approve(bulletin):
    return notices.approve(Bulletin.objects.get(pk=bulletin.pk))


def test_a_correction_takes_the_flag_back_and_approving_it_gives_the_flag_to_the_new_winner(
    flags,
):
    original = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    notice = approve(original)
    assert october_flags() == ["B01"]
    late_data_for_c(flags["hall"])
    edition = editions.reissue(original, "补录数据")
    # The month's notice is withdrawn with the correction, and its flag with it: the corrected
    # ranking is public only once a manager approves it.
    notice.refresh_from_db()
    assert not notice.in_force and october_flags() == []
    approve(edition)
    assert october_flags() == ["C01"]
    revision = GalleryPage.objects.get(pk=flags["gallery"].pk).live_revision_id
    award_red_flag(edition)
    award_red_flag(original)  # a superseded edition's ranking awards nothing
    assert october_flags() == ["C01"]
    assert GalleryPage.objects.get(pk=flags["gallery"].pk).live_revision_id == revision


def test_a_window_that_no_longer_wins_loses_a_flag_given_before_approvals_existed(flags):
    # A flag awarded when bulletins were made (before 评比公示): no notice to withdraw, yet the
    # correction must not leave it with a window the corrected ranking does not name.
    original = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    award_red_flag(original)
    late_data_for_c(flags["hall"])
    editions.reissue(original, "补录数据")
    assert october_flags() == []


def test_reruns_of_the_job_after_a_correction_change_nothing_in_the_gallery(flags, monkeypatch):
    moment = timezone.make_aware(datetime.datetime(2026, 11, 1, 9, 5))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    tasks.produce_bulletins(BulletinKind.MONTHLY)
    assert october_flags() == []  # made and mailed, not approved: nothing public
    approve(Bulletin.objects.get())
    late_data_for_c(flags["hall"])
    edition = editions.reissue(Bulletin.objects.get(), "补录数据")
    approve(edition)
    revision = GalleryPage.objects.get(pk=flags["gallery"].pk).live_revision_id
    tasks.produce_bulletins(BulletinKind.MONTHLY)
    tasks.produce_bulletins(BulletinKind.MONTHLY)
    assert october_flags() == ["C01"]
    assert GalleryPage.objects.get(pk=flags["gallery"].pk).live_revision_id == revision
    page = Client().get(GalleryPage.objects.get(pk=flags["gallery"].pk).url).content.decode()
    assert "2026年10月流动红旗：丙窗口" in page and "2026年10月流动红旗：乙窗口" not in page


def test_a_corrected_ranking_without_a_winner_takes_the_flag_back(flags):
    original = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    approve(original)
    evaluations(flags["hall"]["B"], D(2026, 10, 30), 1, 1)  # B01 falls to 80.83
    edition = editions.reissue(original, "补录差评")
    assert edition.content["red_flag"] is None
    assert "流动红旗：B01 乙窗口 → 无" in edition.changes
    assert october_flags() == []


# --- The archive -------------------------------------------------------------------------


def archive(client):
    return client.get(reverse("supervision_archive")).content.decode()


def test_the_archive_lists_both_editions_the_newer_marked_current(october, sent_october, client):
    late_data_for_c(october)
    edition = editions.reissue(sent_october, "补录数据")
    client.force_login(factories.user("manager", "管理人员"))
    html = archive(client)
    assert f"第{edition.issue_number}期（更正版，第2版）" in html
    assert html.count("data-current") == 1 and html.count("data-superseded") == 1
    assert html.index("第2版") < html.index("data-superseded")  # the newer edition first
    assert "更正原因：补录数据（定时任务）" in html
    for bulletin in (edition, sent_october):
        pdf = client.get(reverse("supervision_bulletin_pdf", args=[bulletin.pk]))
        assert pdf.status_code == 200
    # Only the current edition can be reissued.
    assert html.count("data-reissue") == 1
    assert reverse("supervision_bulletin_reissue", args=[edition.pk]) in html
    assert reverse("supervision_bulletin_reissue", args=[sent_october.pk]) not in html


def test_a_manager_reissues_from_the_archive_with_a_reason(october, sent_october, mailoutbox):
    late_data_for_c(october)
    manager = Client(enforce_csrf_checks=True)
    manager.force_login(factories.user("manager", "管理人员"))
    page = manager.get(reverse("supervision_archive"))
    token = page.cookies["csrftoken"].value
    url = reverse("supervision_bulletin_reissue", args=[sent_october.pk])
    done = manager.post(
        url, {"reason": "补录丙窗口数据", "csrfmiddlewaretoken": token}, follow=True
    )
    assert done.status_code == 200
    edition = Bulletin.objects.get(edition=2)
    assert (
        edition.correction_reason == "补录丙窗口数据" and edition.reissued_by.username == "manager"
    )
    assert "已发送给1位原收件人" in done.content.decode()
    assert [mail.to for mail in mailoutbox] == [["chen@example.gov.cn"]]


@pytest.mark.parametrize(
    ("reason", "message"), [("", "请填写更正原因"), ("长" * 600, "不能超过500个字")]
)
def test_a_reissue_without_a_proper_reason_is_refused_with_a_message(
    october, sent_october, client, reason, message
):
    late_data_for_c(october)
    client.force_login(factories.user("manager", "管理人员"))
    url = reverse("supervision_bulletin_reissue", args=[sent_october.pk])
    answer = client.post(url, {"reason": reason}, follow=True)
    assert answer.status_code == 200 and message in answer.content.decode()
    assert Bulletin.objects.count() == 1


def test_reissuing_an_unchanged_or_superseded_edition_is_refused_with_a_message(
    october, sent_october, client
):
    client.force_login(factories.user("manager", "管理人员"))
    url = reverse("supervision_bulletin_reissue", args=[sent_october.pk])
    answer = client.post(url, {"reason": "核对"}, follow=True).content.decode()
    assert "各项数据没有变化，无需更正" in answer
    late_data_for_c(october)
    client.post(url, {"reason": "补录"})
    answer = client.post(url, {"reason": "再次补录"}, follow=True).content.decode()
    assert "已被更正，请在最新一版上操作" in answer
    assert Bulletin.objects.count() == 2


def test_only_managers_see_and_use_the_reissue_button(october, sent_october):
    late_data_for_c(october)
    url = reverse("supervision_bulletin_reissue", args=[sent_october.pk])
    reader = factories.user("reader", "编辑")
    Subscription.objects.create(user=reader, kind=BulletinKind.MONTHLY)
    client = Client()
    client.force_login(reader)
    html = archive(client)
    assert sent_october.title in html and "data-reissue" not in html
    refused = client.post(url, {"reason": "补录"})
    assert refused.status_code in (302, 403) and Bulletin.objects.count() == 1
    assert Client().post(url, {"reason": "补录"}).status_code == 302  # to the login page
    manager = Client(enforce_csrf_checks=True)
    manager.force_login(factories.user("manager", "管理人员"))
    assert manager.get(url).status_code == 405
    assert manager.post(url, {"reason": "补录"}).status_code == 403  # no CSRF token
    assert Bulletin.objects.count() == 1

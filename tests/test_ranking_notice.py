"""评比公示: a month's ranking reaches the public only after a manager approves it, only its
public part (never a staff member's or an inspector's name, a finding, a review or a case),
on the portal, the hall screen, the printed notice, the sitemap and the 窗口风采 honours; an
unapproved or withdrawn month appears nowhere public; a corrected edition withdraws it."""

import datetime
import json
import subprocess

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import Collection

from cms.models import GalleryPage
from supervision import notices
from supervision.bulletins import make_bulletin
from supervision.choices import BulletinKind, FindingCategory, Rating
from supervision.gallery import award_red_flag
from supervision.models import (
    Bulletin,
    DataConfirmation,
    Evaluation,
    InspectionRound,
    RankingNotice,
    Staff,
)
from supervision.signals import bulletin_reissued
from tests import factories
from tests.hall import case, finding, red_flag_gallery

D = datetime.date
MONTH = "2026-10"
TITLE = "2026年10月窗口服务评比结果公示"

# Names and details the hall data holds and the public must never see. Distinctive, so that
# finding one in a page can only mean it leaked.
STAFF = ["欧阳靖瑶", "司马骁骐"]
INSPECTORS = "诸葛望舒、上官砚秋"
FINDING = "窗口人员离岗未挂暂离牌，群众等候二十分钟"
COMMENT = "工作人员态度冷淡让我白跑三趟"
FOLLOW_UP = "已约谈当事人并回访申请人"
CASE_NUMBER = "BJ2026XK0099887"
SECRETS = [*STAFF, "诸葛望舒", "上官砚秋", FINDING, COMMENT, FOLLOW_UP, CASE_NUMBER]


@pytest.fixture
def hall(db):
    """October of tests/hall.py (B01 乙窗口 101.50 wins the red flag and is commended; C01
    96.00; A01 86.50), with staff, inspectors, a finding, a bad review and a red case that
    carry the names above."""
    world = red_flag_gallery()
    halls = world["hall"]
    a, c = halls["A"], halls["C"]
    staff_a = Staff.objects.create(number="GH001", name=STAFF[0], window=a, department=halls["X"])
    Staff.objects.create(number="GH002", name=STAFF[1], window=c, department=halls["Y"])
    found = finding(a, D(2026, 10, 14), FindingCategory.ETIQUETTE)
    found.staff, found.description = staff_a, FINDING
    found.save()
    InspectionRound.objects.filter(date=D(2026, 10, 14)).update(inspectors=INSPECTORS)
    Evaluation.objects.filter(window=a, rating=Rating.DISSATISFIED).update(
        staff=staff_a, comment=COMMENT, case_number=CASE_NUMBER, follow_up=FOLLOW_UP
    )
    red = case(c, D(2026, 10, 20), 1, 2)
    red.number = CASE_NUMBER + "R"
    red.save()
    bulletin = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    # The confidential bulletin holds them (so a leak would show): the bad review's staff
    # member, comment and follow-up, the red case's number.
    stored = json.dumps(bulletin.content, ensure_ascii=False)
    assert all(secret in stored for secret in [STAFF[0], COMMENT, FOLLOW_UP, CASE_NUMBER])
    return {"bulletin": bulletin, "manager": factories.user("manager", "管理人员"), **world}


@pytest.fixture
def approved(hall):
    return notices.approve(hall["bulletin"], hall["manager"])


def poppler(*command):
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def pdf_text(response, tmp_path):
    path = tmp_path / "notice.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    return poppler("pdftotext", "-layout", str(path), "-")


def public_answers(client, tmp_path):
    """Every public rendering of October's notice: {address: text}."""
    answers = {}
    for url in ["/pingbi/", f"/pingbi/{MONTH}/", "/kiosk/pingbi/", f"/kiosk/pingbi/{MONTH}/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        answers[url] = response.content.decode()
    response = client.get(f"/pingbi/{MONTH}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    answers["pdf"] = pdf_text(response, tmp_path)
    return answers


def leaks(text):
    return [secret for secret in SECRETS if secret in text]


# --- an approved month ---------------------------------------------------------------------


def test_an_approved_month_shows_on_the_portal_hall_screen_and_printed_notice_without_names(
    approved, client, tmp_path
):
    for where, text in public_answers(client, tmp_path).items():
        assert TITLE in text, where
        assert "B01" in text and "乙窗口" in text and "101.50" in text, where
        assert "流动红旗" in text, where
        assert "甲局" in text and "乙局" in text, where  # the department ranking
        assert leaks(text) == [], where


def test_the_printed_notice_has_the_board_notice_parts(approved, client, tmp_path):
    text = pdf_text(client.get(f"/pingbi/{MONTH}/pdf/"), tmp_path)
    # Every font embedded, and the CJK one: the notice prints the same on any printer.
    fonts = poppler("pdffonts", str(tmp_path / "notice.pdf")).splitlines()[2:]
    assert fonts and all(" yes yes " in line for line in fonts)
    assert any("Noto-Sans-CJK-SC" in line for line in fonts)
    flat = " ".join(text.split())
    assert "政务服务中心" in flat and TITLE in flat.replace(" ", "")
    for part in ["窗口排名", "部门排名", "流动红旗：B01 乙窗口", "通报表扬", "公示期", "个工作日"]:
        assert part in flat, part
    assert "第1页/共1页" in flat.replace(" ", "")


def test_the_public_copy_is_made_from_an_allow_list(hall):
    """A field the bulletin gains later (here a staff name in each row) never reaches the
    public: the copy names the fields it takes."""
    bulletin = hall["bulletin"]
    for row in bulletin.content["windows"] + bulletin.content["departments"]:
        row["staff"], row["inspectors"] = STAFF[1], INSPECTORS
    bulletin.content["red_flag"]["inspectors"] = INSPECTORS
    bulletin.save()
    copy = notices.approve(bulletin, hall["manager"]).content
    assert set(copy) == {"windows", "departments", "red_flag", "commended", "rules"}
    assert {key for row in copy["windows"] for key in row} == {
        "rank",
        "number",
        "name",
        "score",
        "on_time",
        "satisfaction",
    }
    assert {key for row in copy["departments"] for key in row} == {
        "rank",
        "name",
        "score",
        "on_time",
        "satisfaction",
    }
    assert set(copy["red_flag"]) == {"number", "name", "score"}
    assert copy["red_flag"] == {"number": "B01", "name": "乙窗口", "score": "101.50"}
    assert [(r["number"], r["rank"]) for r in copy["commended"]] == [("B01", 1)]
    assert leaks(json.dumps(copy, ensure_ascii=False)) == []


def test_a_rate_over_too_small_a_sample_is_left_out(approved):
    rows = {row["number"]: row for row in approved.content["windows"]}
    # C01 has three evaluations, under the rules' minimum sample of four.
    assert rows["C01"]["satisfaction"] is None
    assert rows["B01"]["satisfaction"] == 100.0


def test_an_approved_month_is_in_the_sitemap(approved, client):
    assert f"/pingbi/{MONTH}/" in client.get("/sitemap.xml").content.decode()


# --- an unapproved month -------------------------------------------------------------------


def test_an_unapproved_month_appears_nowhere_public(hall, client):
    award_red_flag(hall["bulletin"])  # B01's photo in the gallery, where its honours would go
    factories.policy(title="关于公布窗口服务考评办法的通知")
    feeds = [factories.policy_index().url + "rss/", factories.policy_index().url + "atom/"]
    for url in [f"/pingbi/{MONTH}/", f"/pingbi/{MONTH}/pdf/", f"/kiosk/pingbi/{MONTH}/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "2026年10月的窗口服务评比结果尚未公示" in response.content.decode(), url
    for url in ["/pingbi/", "/kiosk/pingbi/"]:
        html = client.get(url).content.decode()
        assert "暂无评比公示" in html and "101.50" not in html and TITLE not in html
    for url in [
        "/sitemap.xml",
        "/search/?q=评比公示",
        "/api/search/?q=评比公示",
        "/api/search/?q=乙窗口",
        "/api/v2/pages/?search=评比",
        "/api/v2/pages/",
        hall["gallery"].url,
        *feeds,
    ]:
        text = client.get(url).content.decode()
        assert "pingbi" not in text and TITLE not in text and "窗口服务评比" not in text, url
        assert leaks(text) == [], url


def test_a_month_that_is_no_month_gets_the_chinese_404(client, db):
    for url in ["/pingbi/2026-13/", "/pingbi/0000-00/pdf/", "/kiosk/pingbi/2026-00/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "未找到该月的评比公示" in response.content.decode(), url


# --- withdrawal ----------------------------------------------------------------------------


def test_withdrawing_removes_the_month_from_every_public_place(approved, hall, client, tmp_path):
    award_red_flag(hall["bulletin"])  # B01's photo in the gallery, as the monthly job puts it
    public_answers(client, tmp_path)  # seen, and cached for anonymous visitors
    assert "窗口服务评比" in client.get(hall["gallery"].url).content.decode()

    notices.withdraw(approved, "发现评价数据导入有误", hall["manager"])

    for url in [f"/pingbi/{MONTH}/", f"/pingbi/{MONTH}/pdf/", f"/kiosk/pingbi/{MONTH}/"]:
        assert client.get(url).status_code == 404, url
    for url in ["/pingbi/", "/kiosk/pingbi/", "/sitemap.xml", hall["gallery"].url]:
        text = client.get(url).content.decode()
        assert TITLE not in text and f"pingbi/{MONTH}" not in text, url
    approved.refresh_from_db()
    assert approved.withdrawal_reason == "发现评价数据导入有误"
    assert approved.withdrawn_by == hall["manager"]


def test_a_withdrawal_needs_a_reason(approved):
    for reason in ["", "   ", "原" * 201]:
        with pytest.raises(notices.NoticeRefused):
            notices.withdraw(approved, reason)
    assert RankingNotice.objects.in_force().count() == 1


def test_a_corrected_edition_withdraws_the_months_notice(approved, hall):
    previous = hall["bulletin"]
    corrected = Bulletin(
        kind=BulletinKind.MONTHLY,
        period_start=previous.period_start,
        period_end=previous.period_end,
        issue_number=previous.issue_number,
        title=previous.title + "（更正版）",
        content=previous.content,
    )
    bulletin_reissued.send(sender=Bulletin, previous=previous, bulletin=corrected)
    approved.refresh_from_db()
    assert not approved.in_force
    assert approved.withdrawal_reason == "考评结果已更正，待重新审核公示"


def test_a_corrected_daily_bulletin_leaves_the_notice_alone(approved, hall):
    daily = make_bulletin(BulletinKind.DAILY, D(2026, 10, 14))
    bulletin_reissued.send(sender=Bulletin, previous=daily, bulletin=daily)
    approved.refresh_from_db()
    assert approved.in_force


def test_a_withdrawn_month_can_be_approved_again(approved, hall, client):
    notices.withdraw(approved, "数据更正")
    again = notices.approve(hall["bulletin"], hall["manager"])
    assert client.get(f"/pingbi/{MONTH}/").status_code == 200
    assert list(RankingNotice.objects.in_force()) == [again]


def test_a_month_is_approved_once(approved, hall):
    with pytest.raises(notices.NoticeRefused, match="已经公示"):
        notices.approve(hall["bulletin"], hall["manager"])


# --- 窗口风采 ------------------------------------------------------------------------------


def test_the_gallery_shows_the_windows_current_honours_from_the_approved_month(hall, client):
    stars = Collection.objects.get(name="服务之星")
    photos = factories.add_page(
        hall["gallery"].get_parent(), GalleryPage(title="服务之星风采", collection=stars)
    )
    line = "2026年10月窗口服务评比：流动红旗、通报表扬（第1名）"
    assert line not in client.get(photos.url).content.decode()  # not approved yet

    notices.approve(hall["bulletin"], hall["manager"])
    html = client.get(photos.url).content.decode()
    # Under the photo whose title starts with B01, linked to the notice; once.
    assert html.count(line) == 1 and f'href="/pingbi/{MONTH}/"' in html
    # The approval put the red flag in 窗口风采, and its copy of B01's photo (an honour naming
    # the window) gets the line too.
    flags = client.get(hall["gallery"].url).content.decode()
    assert "2026年10月流动红旗：乙窗口" in flags and line in flags


def test_a_title_is_read_for_its_whole_window_number():
    from cms.window_honours import window_of

    assert window_of("B01窗口王丽帮助企业在线申报", {"B01", "B0"}) == "B01"
    assert window_of("B12窗口", {"B1"}) is None
    assert window_of("王丽在B01窗口", {"B01"}) is None


# --- the admin: approving and withdrawing --------------------------------------------------


def test_a_manager_approves_a_month_after_seeing_what_will_be_public(hall):
    client = Client(enforce_csrf_checks=True)
    client.force_login(hall["manager"])
    url = reverse("supervision_notice_approve", args=[hall["bulletin"].pk])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "确认公示" in html and "乙窗口" in html
    assert leaks(html) == []
    # Without the form's CSRF token the post is refused and nothing is published.
    assert client.post(url).status_code == 403
    assert not RankingNotice.objects.exists()
    token = client.cookies["csrftoken"].value
    done = client.post(url, {"csrfmiddlewaretoken": token}, follow=True)
    assert "已公示" in done.content.decode()
    notice = RankingNotice.objects.get()
    assert notice.approved_by == hall["manager"] and notice.bulletin == hall["bulletin"]
    archive = client.get(reverse("supervision_archive")).content.decode()
    assert reverse("supervision_notice_withdraw", args=[notice.pk]) in archive


def test_a_manager_withdraws_with_a_reason(approved, hall, client):
    client.force_login(hall["manager"])
    url = reverse("supervision_notice_withdraw", args=[approved.pk])
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 200 and "请填写撤回原因" in refused.content.decode()
    assert RankingNotice.objects.in_force().exists()
    client.post(url, {"reason": "考评数据有误"})
    assert not RankingNotice.objects.in_force().exists()
    # A withdrawn notice has no withdrawal page any more.
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("group", ["编辑", "审核员"])
def test_only_managers_approve_or_withdraw(hall, client, group):
    client.force_login(factories.user("someone", group))
    for url in [
        reverse("supervision_notice_approve", args=[hall["bulletin"].pk]),
        reverse("supervision_notice_withdraw", args=[999]),
    ]:
        refused = client.post(url, {"reason": "x"})
        # Wagtail turns a refusal in the admin into a redirect to its dashboard.
        assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    assert not RankingNotice.objects.exists()


def test_only_a_monthly_ranking_can_be_approved(hall, client):
    client.force_login(hall["manager"])
    daily = make_bulletin(BulletinKind.DAILY, D(2026, 10, 14))
    for pk in [daily.pk, 999999]:
        url = reverse("supervision_notice_approve", args=[pk])
        assert client.get(url).status_code == 404 and client.post(url).status_code == 404
    assert not RankingNotice.objects.exists()


def test_the_managers_group_holds_the_approval_permission(db):
    managers = Group.objects.get(name="管理人员")
    assert managers.permissions.filter(codename="approve_rankingnotice").exists()


def test_a_real_corrected_edition_withdraws_the_notice_and_only_it_can_be_approved(
    approved, hall, client
):
    """The two helpers' halves joined: editions.reissue sends the signal this app listens to,
    the month leaves every public page, and the superseded edition cannot be approved again."""
    from supervision.bulletins import editions

    # The manager confirmed October's data complete: the corrected edition is not 数据不完整.
    DataConfirmation.objects.create(kind=BulletinKind.MONTHLY, period_start=D(2026, 10, 1))
    late = finding(hall["hall"]["B"], D(2026, 10, 28), FindingCategory.ETIQUETTE)
    assert late.pk  # B01 loses points: the corrected ranking differs
    corrected = editions.reissue(hall["bulletin"], "补录10月28日巡查问题")
    approved.refresh_from_db()
    assert not approved.in_force
    assert client.get(f"/pingbi/{MONTH}/").status_code == 404
    hall["bulletin"].refresh_from_db()
    with pytest.raises(notices.NoticeRefused, match="已被更正"):
        notices.approve(hall["bulletin"], hall["manager"])
    again = notices.approve(corrected, hall["manager"])
    assert again.bulletin == corrected
    assert client.get(f"/pingbi/{MONTH}/").status_code == 200

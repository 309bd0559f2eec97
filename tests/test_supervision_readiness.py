"""Readiness before sending: which data each bulletin needs, when a source counts as in, how
long the scheduled job waits (简报设置), the 数据不完整 bulletin and alert past the deadline, the
15-minute check, and the 督查看板's data status with its 确认数据已齐 button."""

import datetime
import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule

from supervision import tasks
from supervision.bulletins import readiness
from supervision.choices import BulletinKind, FindingCategory
from supervision.models import Bulletin, BulletinSettings, DataConfirmation, InspectionRound
from tests import factories
from tests.hall import at, case, evaluations, fill_october, finding, make_hall

D = datetime.date
OCTOBER = (D(2026, 10, 1), D(2026, 10, 31))  # last working day: Friday 10-30


def freeze(monkeypatch, day, hour=9, minute=5):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def pdf_text(bulletin):
    result = subprocess.run(
        ["pdftotext", "-layout", bulletin.pdf.path, "-"], capture_output=True, check=True
    )
    return result.stdout.decode()


def states(status):
    return {state.source: state.ready for state in status.sources}


@pytest.fixture
def hall(db):
    return make_hall()


@pytest.fixture
def october(hall, settings):
    """fill_october's records end on 10-21 (evaluations), 10-12 (cases, rounds)."""
    settings.ADMINS = [("", "owner@zwfw.example.gov.cn")]
    fill_october(hall)
    return hall


def october_complete(hall):
    """The rest of October as the hall's next exports bring it: records on 10-30."""
    InspectionRound.objects.create(date=D(2026, 10, 30), kind="daily", inspectors="王敏")
    evaluations(hall["A"], D(2026, 10, 30), 5)
    case(hall["B"], D(2026, 10, 30), 3, 5)


def test_each_bulletin_kind_declares_the_sources_it_needs():
    assert readiness.NEEDS[BulletinKind.DAILY] == ("inspections",)
    assert set(readiness.NEEDS[BulletinKind.WEEKLY]) == {"inspections", "evaluations", "cases"}
    assert set(readiness.NEEDS[BulletinKind.MONTHLY]) == {"inspections", "evaluations", "cases"}


def test_a_source_is_in_once_its_newest_record_reaches_the_periods_last_working_day(hall):
    InspectionRound.objects.create(date=D(2026, 10, 29), kind="daily")  # a day short
    evaluations(hall["A"], D(2026, 10, 30), 5)  # the last working day itself
    case(hall["B"], D(2026, 10, 12), 3, 5, completed=D(2026, 10, 31))  # completed after it
    status = readiness.data_status(BulletinKind.MONTHLY, *OCTOBER)
    assert states(status) == {"inspections": False, "evaluations": True, "cases": True}
    assert not status.ready
    (missing,) = status.missing
    assert missing.text == "巡查记录：最新记录为10月29日，未覆盖本期最后一个工作日（10月30日）"


def test_a_record_dated_after_the_period_counts_as_an_export_made_after_it_ended(hall):
    finding(hall["A"], D(2026, 11, 2), FindingCategory.ATTENDANCE)  # November's first round
    status = readiness.data_status(BulletinKind.MONTHLY, *OCTOBER)
    assert states(status)["inspections"] is True


def test_a_source_with_no_record_at_all_is_missing_and_says_so(hall):
    status = readiness.data_status(BulletinKind.WEEKLY, D(2026, 10, 26), D(2026, 11, 1))
    assert not any(states(status).values())
    assert "好差评：尚无任何记录，未覆盖本期最后一个工作日（10月30日）" in [
        state.text for state in status.missing
    ]


def test_the_daily_bulletin_waits_only_for_the_days_inspections(hall):
    finding(hall["A"], D(2026, 10, 9), FindingCategory.ATTENDANCE)
    status = readiness.data_status(BulletinKind.DAILY, D(2026, 10, 9), D(2026, 10, 9))
    assert states(status) == {"inspections": True} and status.ready


def test_a_week_without_a_working_day_waits_for_nothing(hall):
    # 2026-02-16 … 02-22: the Spring Festival holiday, every day of the week.
    status = readiness.data_status(BulletinKind.WEEKLY, D(2026, 2, 16), D(2026, 2, 22))
    assert status.ready
    assert status.sources[0].text.endswith("本期无工作日，无需等待")


def test_a_managers_confirmation_makes_the_period_ready_whatever_is_missing(hall):
    DataConfirmation.objects.create(kind=BulletinKind.MONTHLY, period_start=OCTOBER[0])
    status = readiness.data_status(BulletinKind.MONTHLY, *OCTOBER)
    assert status.ready and status.missing == []
    # Only that kind and period.
    assert not readiness.data_status(BulletinKind.WEEKLY, D(2026, 10, 26), D(2026, 11, 1)).ready


def test_the_deadline_is_the_schedule_time_after_the_period_plus_the_hours_of_the_settings(hall):
    monthly = readiness.data_status(BulletinKind.MONTHLY, *OCTOBER)
    assert timezone.localtime(monthly.scheduled_at) == at(D(2026, 11, 1), 9)
    assert timezone.localtime(monthly.deadline) == at(D(2026, 11, 4), 9)  # 72 h by default
    daily = readiness.data_status(BulletinKind.DAILY, D(2026, 10, 9), D(2026, 10, 9))
    assert timezone.localtime(daily.deadline) == at(D(2026, 10, 10), 10)  # 08:00 + 2 h
    weekly = readiness.data_status(BulletinKind.WEEKLY, D(2026, 10, 19), D(2026, 10, 25))
    assert timezone.localtime(weekly.deadline) == timezone.make_aware(
        datetime.datetime(2026, 10, 27, 8, 30)
    )

    BulletinSettings.objects.create(monthly_wait_hours=6)
    monthly = readiness.data_status(BulletinKind.MONTHLY, *OCTOBER)
    assert timezone.localtime(monthly.deadline) == at(D(2026, 11, 1), 15)


def test_the_deadline_follows_a_schedule_moved_in_the_admin(hall):
    Schedule.objects.filter(name="月度考评排名通报").update(
        next_run=timezone.make_aware(datetime.datetime(2026, 12, 1, 7, 30))
    )
    monthly = readiness.data_status(BulletinKind.MONTHLY, *OCTOBER)
    assert timezone.localtime(monthly.scheduled_at) == timezone.make_aware(
        datetime.datetime(2026, 11, 1, 7, 30)
    )


def test_the_settings_refuse_a_daily_wait_past_the_next_daily_bulletin(db):
    settings_row = BulletinSettings(daily_wait_hours=25)
    with pytest.raises(ValidationError) as refused:
        settings_row.full_clean()
    assert "日报最多等待24小时" in str(refused.value)


def test_the_monthly_job_waits_while_the_months_data_is_not_in(october, monkeypatch, mailoutbox):
    freeze(monkeypatch, D(2026, 11, 1))
    assert tasks.produce_bulletins(BulletinKind.MONTHLY) == []
    freeze(monkeypatch, D(2026, 11, 4), 8, 59)  # one minute before the deadline
    assert tasks.produce_bulletins(BulletinKind.MONTHLY) == []
    assert not Bulletin.objects.exists() and mailoutbox == []


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_past_its_deadline_the_bulletin_is_made_marked_incomplete_and_the_owners_alerted_once(
    october, monkeypatch, mailoutbox
):
    freeze(monkeypatch, D(2026, 11, 4), 9, 0)
    (pk,) = tasks.produce_bulletins(BulletinKind.MONTHLY)
    bulletin = Bulletin.objects.get(pk=pk)
    assert [source["source"] for source in bulletin.missing_data] == [
        "evaluations",
        "cases",
        "inspections",
    ]
    text = pdf_text(bulletin)
    assert "数据不完整" in text
    assert "好差评：最新记录为10月21日，未覆盖本期最后一个工作日（10月30日）" in text.replace(
        " ", ""
    )
    (alert,) = mailoutbox
    assert alert.to == ["owner@zwfw.example.gov.cn"]
    assert "月度考评排名通报（2026年10月）数据不完整" in alert.subject
    assert "办件：最新记录为10月12日" in alert.body
    tasks.produce_bulletins(BulletinKind.MONTHLY)
    assert len(mailoutbox) == 1 and Bulletin.objects.count() == 1


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_a_bulletin_whose_data_is_in_is_made_at_its_schedule_without_a_notice(
    october, monkeypatch, mailoutbox
):
    october_complete(october)
    freeze(monkeypatch, D(2026, 11, 1), 9, 0)
    (pk,) = tasks.produce_bulletins(BulletinKind.MONTHLY)
    bulletin = Bulletin.objects.get(pk=pk)
    assert bulletin.missing_data == [] and "数据不完整" not in pdf_text(bulletin)
    assert mailoutbox == []  # no alert


def test_the_fifteen_minute_check_makes_a_waiting_bulletin_once_its_data_is_in(
    october, monkeypatch
):
    freeze(monkeypatch, D(2026, 11, 1))
    tasks.produce_bulletins(BulletinKind.MONTHLY)
    october_complete(october)
    freeze(monkeypatch, D(2026, 11, 2), 10, 15)
    tasks.check_waiting_bulletins()
    monthly = Bulletin.objects.get(kind=BulletinKind.MONTHLY)
    assert monthly.missing_data == [] and monthly.period_start == OCTOBER[0]


def test_the_fifteen_minute_check_never_makes_a_bulletin_before_its_schedule(october, monkeypatch):
    october_complete(october)
    freeze(monkeypatch, D(2026, 11, 1), 8, 45)  # the monthly schedule runs at 09:00
    tasks.check_waiting_bulletins()
    assert not Bulletin.objects.filter(kind=BulletinKind.MONTHLY).exists()


def test_an_incomplete_bulletin_whose_late_data_changes_nothing_gets_no_corrected_edition(
    october, monkeypatch, mailoutbox
):
    freeze(monkeypatch, D(2026, 11, 4), 9, 0)
    tasks.produce_bulletins(BulletinKind.MONTHLY)
    # The manager confirms the month: nothing more is coming.
    DataConfirmation.objects.create(kind=BulletinKind.MONTHLY, period_start=OCTOBER[0])
    freeze(monkeypatch, D(2026, 11, 4), 9, 15)
    tasks.produce_bulletins(BulletinKind.MONTHLY)
    bulletin = Bulletin.objects.get()
    assert bulletin.edition == 1 and bulletin.data_completed_at is not None
    assert len(mailoutbox) == 1  # the alert only


# --- The 督查看板 ------------------------------------------------------------------------


def dashboard(client):
    return client.get(reverse("supervision_dashboard")).content.decode()


def row_of(html, kind, start):
    table = html[html.index(f'data-readiness="{kind}"') :]
    row = table[table.index(f'data-period="{start}"') :]
    return row[: row.index("</tr>")]


def test_the_dashboard_shows_each_periods_data_status_and_confirms_a_period(
    october, monkeypatch, client
):
    freeze(monkeypatch, D(2026, 11, 2), 10, 0)
    client.force_login(factories.user("manager", "管理人员"))
    html = dashboard(client)
    assert "data-readiness-warning" in html
    row = row_of(html, "monthly", "2026-10-01")
    assert "等待数据，最迟11月4日 09:00生成" in row
    assert "好差评：最新记录为10月21日" in row and "确认数据已齐" in row

    confirmed = client.post(
        reverse("supervision_confirm_data"), {"kind": "monthly", "period": "2026-10-01"}
    )
    assert confirmed.status_code == 302
    confirmation = DataConfirmation.objects.get()
    assert confirmation.confirmed_by.username == "manager"
    assert "好差评：最新记录为10月21日" in confirmation.missing
    row = row_of(dashboard(client), "monthly", "2026-10-01")
    assert "已确认数据已齐（manager" in row and "数据已齐，待生成" in row
    assert "确认数据已齐</button>" not in row


def test_the_dashboard_shows_a_bulletin_made_incomplete(october, monkeypatch, client):
    freeze(monkeypatch, D(2026, 11, 4), 9, 0)
    tasks.produce_bulletins(BulletinKind.MONTHLY)
    client.force_login(factories.user("manager", "管理人员"))
    row = row_of(dashboard(client), "monthly", "2026-10-01")
    # The monthly issue number is the month (supervision.bulletins.issue_number).
    assert "已生成第10期，数据不完整（缺好差评、办件、巡查记录）" in row


def test_a_period_before_the_first_bulletin_offers_nothing_to_confirm(october, monkeypatch, client):
    freeze(monkeypatch, D(2026, 11, 4), 9, 0)
    tasks.produce_bulletins(BulletinKind.MONTHLY)  # October: the kind's first bulletin
    client.force_login(factories.user("manager", "管理人员"))
    html = dashboard(client)
    september = row_of(html, "monthly", "2026-09-01")
    assert "早于本系统的第一期简报，不生成" in september
    assert "确认数据已齐</button>" not in september
    assert "确认数据已齐</button>" in row_of(html, "monthly", "2026-10-01")  # made incomplete


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "yearly", "period": "2026-10-01"},
        {"kind": "monthly", "period": "2026-13-01"},
        {"kind": "monthly", "period": "x" * 10000},
        {"kind": "monthly", "period": "2026-10-05"},  # not a month's first day
        {"kind": "monthly", "period": "2026-11-01"},  # not over yet
        {"kind": "daily", "period": "2026-10-03"},  # a holiday
        {"kind": "weekly", "period": "9999-12-31"},  # its week ends past the calendar
        {"kind": "monthly", "period": "9999-12-01"},
        {"kind": "daily", "period": "0001-01-01"},  # no hall had data then
    ],
)
def test_confirming_bad_input_answers_with_a_message_and_confirms_nothing(
    october, monkeypatch, client, data
):
    freeze(monkeypatch, D(2026, 11, 2), 10, 0)
    client.force_login(factories.user("manager", "管理人员"))
    response = client.post(reverse("supervision_confirm_data"), data, follow=True)
    assert response.status_code == 200
    assert not DataConfirmation.objects.exists()
    assert "无法识别" in response.content.decode() or "只能确认" in response.content.decode()


def test_only_managers_may_confirm_data_and_only_by_post_with_a_csrf_token(october, monkeypatch):
    freeze(monkeypatch, D(2026, 11, 2), 10, 0)
    data = {"kind": "monthly", "period": "2026-10-01"}
    editor = Client()
    editor.force_login(factories.user("editor", "编辑"))
    refused = editor.post(reverse("supervision_confirm_data"), data)
    assert refused.status_code in (302, 403) and not DataConfirmation.objects.exists()
    manager = Client(enforce_csrf_checks=True)
    manager.force_login(factories.user("manager", "管理人员"))
    assert manager.get(reverse("supervision_confirm_data")).status_code == 405
    assert manager.post(reverse("supervision_confirm_data"), data).status_code == 403
    assert not DataConfirmation.objects.exists()


def test_a_bulletin_made_by_hand_before_its_data_is_in_is_marked_incomplete(october, capsys):
    from django.core.management import call_command

    call_command("make_bulletin", "monthly", "--period", "2026-10")
    bulletin = Bulletin.objects.get()
    assert {source["source"] for source in bulletin.missing_data} == {
        "evaluations",
        "cases",
        "inspections",
    }
    assert "数据不完整：好差评：最新记录为10月21日" in capsys.readouterr().err

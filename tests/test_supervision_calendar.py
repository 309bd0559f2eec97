"""The working-day calendar never runs out silently: the stored years agree with the State
Council's arrangements as chinesecalendar carries them, a system check and the dashboard warn
when this year or (from November) next year has no entry, and `fill_calendar` enters a year
from the package without overwriting what a manager entered."""

import datetime
from io import StringIO
from unittest import mock

import chinese_calendar
import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from supervision.models import CalendarDay
from supervision.workdays import WorkingCalendar
from tests import factories

pytestmark = pytest.mark.django_db


def on(year, month, day):
    """Patch the check's idea of today."""
    return mock.patch("supervision.checks.today", return_value=datetime.date(year, month, day))


def calendar_warnings():
    return [
        message
        for message in checks.run_checks(tags=[checks.Tags.database], databases=["default"])
        if message.id.startswith("supervision.")
    ]


def stored(year):
    return set(
        CalendarDay.objects.filter(date__year=year).values_list("date", "is_working_day", "name")
    )


# The stored years: migration 0002 as loaded in the test database.


@pytest.mark.parametrize("year", [2025, 2026])
def test_stored_year_agrees_with_chinesecalendar_on_every_day(year):
    calendar = WorkingCalendar.load()
    day, disagreements = datetime.date(year, 1, 1), []
    while day.year == year:
        if calendar.is_working_day(day) != chinese_calendar.is_workday(day):
            ours = "上班" if calendar.is_working_day(day) else "放假"
            disagreements.append(f"{day:%Y-%m-%d}（工作日历：{ours}）")
        day += datetime.timedelta(days=1)
    assert disagreements == [], f"{year}年与 chinesecalendar 不一致的日期：{disagreements}"


# The system check.


def test_check_warns_from_1_november_that_next_year_is_missing():
    with on(2026, 11, 1):
        warnings = calendar_warnings()
    assert [w.id for w in warnings] == ["supervision.W002"]
    assert "2027年" in warnings[0].msg
    assert "manage.py fill_calendar --year 2027" in warnings[0].hint


def test_check_is_silent_in_october_when_this_year_is_entered():
    with on(2026, 10, 31):
        assert calendar_warnings() == []


def test_check_is_silent_once_next_year_has_an_entry():
    CalendarDay.objects.create(date=datetime.date(2027, 1, 1), is_working_day=False, name="元旦")
    with on(2026, 12, 6):
        assert calendar_warnings() == []


def test_check_warns_in_any_month_that_this_year_is_missing():
    with on(2027, 3, 1):
        warnings = calendar_warnings()
    assert [w.id for w in warnings] == ["supervision.W001"]
    assert "2027年" in warnings[0].msg and "今年" in warnings[0].msg


def test_check_says_nothing_before_the_calendar_table_exists():
    # `migrate` runs database checks before it migrates: a fresh database has no table yet.
    with (
        on(2027, 12, 1),
        mock.patch.object(connections["default"].introspection, "table_names", return_value=[]),
    ):
        assert calendar_warnings() == []


def test_plain_check_stays_green_in_december_and_check_with_the_database_warns():
    # CI runs `check --fail-level WARNING` (make check, make deploy-check) without --database:
    # the calendar check must not fail it; asked for the database, it does.
    with on(2026, 12, 6):
        call_command("check", fail_level="WARNING", stdout=StringIO(), stderr=StringIO())
        with pytest.raises(SystemCheckError, match="supervision.W002"):
            call_command(
                "check",
                databases=["default"],
                fail_level="WARNING",
                stdout=StringIO(),
                stderr=StringIO(),
            )


# The dashboard.


def dashboard_html(client, moment):
    client.force_login(factories.user("manager", "管理人员"))
    with mock.patch.object(timezone, "now", return_value=timezone.make_aware(moment)):
        page = client.get(reverse("supervision_dashboard"))
    assert page.status_code == 200
    return page.content.decode()


def test_dashboard_warns_managers_in_december_that_next_year_is_missing(client):
    html = dashboard_html(client, datetime.datetime(2026, 12, 6, 9))
    assert 'data-calendar-missing="2027"' in html
    assert "从2027年1月1日起，到期日和红黄灯将忽略节假日" in html
    assert (
        f'<a href="{reverse("wagtailsnippets_supervision_calendarday:list")}">工作日历</a>' in html
    )
    assert "manage.py fill_calendar --year 2027" in html


def test_dashboard_shows_no_calendar_warning_in_october(client):
    html = dashboard_html(client, datetime.datetime(2026, 10, 22, 9))
    assert "data-calendar-missing" not in html


# fill_calendar.


def fill(*args):
    out, err = StringIO(), StringIO()
    call_command("fill_calendar", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_fill_calendar_refuses_a_year_the_package_does_not_cover_and_writes_nothing():
    count = CalendarDay.objects.count()
    with pytest.raises(CommandError, match="没有2099年的节假日安排.*未写入任何内容"):
        fill("--year", "2099")
    assert CalendarDay.objects.count() == count


def test_fill_calendar_enters_a_missing_year_as_published_and_says_what_it_wrote():
    published = stored(2026)  # migration 0002, from 国办发明电〔2025〕7号
    CalendarDay.objects.filter(date__year=2026).delete()
    out, err = fill("--year", "2026")
    assert {(day, working) for day, working, _ in stored(2026)} == {
        (day, working) for day, working, _ in published
    }
    assert "新增 2026-01-01 元旦（放假）" in out
    assert "新增 2026-01-04 元旦调休上班（上班）" in out
    assert f"新增 {len(published)} 天" in out and err == ""


def test_fill_calendar_run_twice_changes_nothing_the_second_time():
    CalendarDay.objects.filter(date__year=2026).delete()
    fill("--year", "2026")
    first = stored(2026)
    out, err = fill("--year", "2026")
    assert stored(2026) == first
    assert "新增 0 天，更正 0 天，删除 0 天" in out and err == ""


def test_fill_calendar_keeps_a_managers_different_entry_and_reports_it_unless_replace():
    # A local day off the package does not know, and a holiday turned into a working day outside
    # the admin's validation (an import, the shell): both differ from the package.
    CalendarDay.objects.create(
        date=datetime.date(2026, 3, 9), is_working_day=False, name="本地假日"
    )
    CalendarDay.objects.filter(date=datetime.date(2026, 10, 7)).update(is_working_day=True)
    CalendarDay.objects.filter(date=datetime.date(2026, 6, 19)).update(name="端午节（本中心）")

    out, err = fill("--year", "2026")
    assert "2026-03-09 工作日历为“本地假日（放假）”，chinesecalendar 为正常工作日" in err
    assert "2026-10-07 工作日历为“国庆节（上班）”，chinesecalendar 为“国庆节（放假）”" in err
    assert "--replace" in err
    assert CalendarDay.objects.filter(date=datetime.date(2026, 3, 9)).exists()
    assert CalendarDay.objects.get(date=datetime.date(2026, 10, 7)).is_working_day

    out, err = fill("--year", "2026", "--replace")
    assert "删除 2026-03-09" in out and "更正 2026-10-07" in out and err == ""
    assert not CalendarDay.objects.filter(date=datetime.date(2026, 3, 9)).exists()
    assert not CalendarDay.objects.get(date=datetime.date(2026, 10, 7)).is_working_day
    # Same kind of day as the package: the manager's wording stays, even with --replace.
    assert CalendarDay.objects.get(date=datetime.date(2026, 6, 19)).name == "端午节（本中心）"

"""Periods done right: no daily bulletin for a day the hall is closed.

The dates are 2026's, on the calendar the migration enters: the National Day holiday runs from
Thursday 10-01 to Wednesday 10-07 (weekdays listed, the weekend between them not), Saturday
10-10 is a make-up working day."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from supervision.bulletins import ClosedDay, due_periods, make_bulletin
from supervision.choices import BulletinKind
from supervision.models import Bulletin
from supervision.workdays import WorkingCalendar
from tests.hall import make_hall

D = datetime.date


@pytest.fixture
def hall(db):
    return make_hall()


@pytest.fixture
def rendering_skipped(monkeypatch):
    """Refusals are decided before the PDF: leave WeasyPrint out."""
    from supervision.bulletins import making

    monkeypatch.setattr(making, "render", lambda bulletin: bulletin)


def test_a_holiday_gets_no_daily_bulletin_and_make_bulletin_says_why(hall, rendering_skipped):
    with pytest.raises(ClosedDay) as refused:
        make_bulletin(BulletinKind.DAILY, D(2026, 10, 3))  # the Saturday inside the holiday
    assert str(refused.value) == "2026年10月3日大厅不办公（法定节假日），没有每日督查通报"
    with pytest.raises(ClosedDay, match="10月5日大厅不办公（法定节假日）"):
        make_bulletin(BulletinKind.DAILY, D(2026, 10, 5))  # a listed holiday on a Monday
    with pytest.raises(ClosedDay, match="10月17日大厅不办公（周六）"):
        make_bulletin(BulletinKind.DAILY, D(2026, 10, 17))  # an ordinary weekend
    assert not Bulletin.objects.exists()


def test_the_command_refuses_a_closed_day_with_the_same_chinese_message(hall, rendering_skipped):
    with pytest.raises(CommandError) as refused:
        call_command("make_bulletin", "daily", "--period", "2026-10-03")
    assert str(refused.value) == "2026年10月3日大厅不办公（法定节假日），没有每日督查通报"
    assert not Bulletin.objects.exists()


def test_a_make_up_working_saturday_gets_its_daily_bulletin(hall, capsys):
    call_command("make_bulletin", "daily", "--period", "2026-10-10")
    bulletin = Bulletin.objects.get()
    assert (bulletin.kind, bulletin.period_start) == (BulletinKind.DAILY, D(2026, 10, 10))
    assert capsys.readouterr().out.strip() == bulletin.pdf.path


def test_weeks_and_months_containing_closed_days_are_still_bulletins(hall, rendering_skipped):
    weekly = make_bulletin(BulletinKind.WEEKLY, D(2026, 10, 3))
    monthly = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 3))
    assert (weekly.period_start, monthly.period_start) == (D(2026, 9, 28), D(2026, 10, 1))


def test_the_scheduled_job_never_asks_for_a_closed_day(hall, rendering_skipped):
    make_bulletin(BulletinKind.DAILY, D(2026, 9, 24))  # the installation's first
    # Every day from 09-25 to 10-19 is looked at: the due list holds the working days only.
    due = due_periods(BulletinKind.DAILY, D(2026, 10, 20), look_back=31)
    calendar = WorkingCalendar.load()
    closed = [D(2026, 10, n) for n in (1, 2, 3, 4, 5, 6, 7, 11, 17, 18)]
    assert due and not set(due) & set(closed)
    assert all(calendar.is_working_day(day) for day in due)
    assert D(2026, 10, 10) in due and D(2026, 9, 30) in due

"""Periods done right: no daily bulletin for a day the hall is closed, and issue numbers that
follow the periods whatever order the bulletins are made in.

The dates are 2026's, on the calendar the migration enters: the National Day holiday runs from
Thursday 10-01 to Wednesday 10-07 (weekdays listed, the weekend between them not), Saturday
10-10 is a make-up working day."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from supervision.bulletins import ClosedDay, due_periods, issue_number, make_bulletin
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
    """Issue numbers and refusals are decided before the PDF: leave WeasyPrint out."""
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


def test_issue_numbers_are_the_periods_ordinals_in_their_year(db):
    # 01-01 to 01-03 are off, Sunday 01-04 is a make-up working day: the year's first.
    assert issue_number(BulletinKind.DAILY, D(2026, 1, 4)) == 1
    assert issue_number(BulletinKind.DAILY, D(2026, 1, 5)) == 2
    assert issue_number(BulletinKind.DAILY, D(2026, 10, 9)) + 1 == issue_number(
        BulletinKind.DAILY, D(2026, 10, 10)
    )
    assert (
        issue_number(BulletinKind.DAILY, D(2026, 10, 12))
        == issue_number(BulletinKind.DAILY, D(2026, 10, 10)) + 1
    )
    # Weekly: the N-th week whose Monday is in the year (2026-01-05 is the first Monday).
    assert issue_number(BulletinKind.WEEKLY, D(2026, 1, 5)) == 1
    assert issue_number(BulletinKind.WEEKLY, D(2026, 10, 12)) == 41
    assert issue_number(BulletinKind.WEEKLY, D(2026, 12, 28)) == 52
    # Monthly: the month.
    assert issue_number(BulletinKind.MONTHLY, D(2026, 9, 1)) == 9


def test_bulletins_made_out_of_order_are_still_numbered_in_period_order(hall, rendering_skipped):
    # 10-12 made first, then the catch-up of 10-08, 10-09 and 10-10, then 09-30 by hand.
    made = [
        make_bulletin(BulletinKind.DAILY, day)
        for day in (D(2026, 10, 12), D(2026, 10, 8), D(2026, 10, 10), D(2026, 10, 9))
    ]
    made.append(make_bulletin(BulletinKind.DAILY, D(2026, 9, 30)))
    numbers = dict(Bulletin.objects.values_list("period_start", "issue_number"))
    in_period_order = [numbers[day] for day in sorted(numbers)]
    assert in_period_order == sorted(in_period_order) and len(set(in_period_order)) == 5
    # Consecutive working days get consecutive numbers; the holiday between leaves no gap.
    assert in_period_order[1:] == list(range(in_period_order[1], in_period_order[1] + 4))
    assert in_period_order[1] == in_period_order[0] + 1  # 09-30, then 10-08
    for kind, days in (
        (BulletinKind.WEEKLY, (D(2026, 10, 12), D(2026, 9, 28), D(2026, 10, 5))),
        (BulletinKind.MONTHLY, (D(2026, 9, 1), D(2026, 7, 1), D(2026, 8, 1))),
    ):
        for day in days:
            make_bulletin(kind, day)
        ordered = Bulletin.objects.filter(kind=kind).order_by("period_start")
        assert [b.issue_number for b in ordered] == sorted(b.issue_number for b in ordered)
    months = Bulletin.objects.filter(kind=BulletinKind.MONTHLY).order_by("period_start")
    assert [b.issue_number for b in months] == [7, 8, 9]


def test_an_issue_number_already_given_is_never_changed(hall, rendering_skipped):
    bulletin = make_bulletin(BulletinKind.MONTHLY, D(2026, 9, 1))
    Bulletin.objects.filter(pk=bulletin.pk).update(issue_number=1)  # numbered the old way
    assert make_bulletin(BulletinKind.MONTHLY, D(2026, 9, 1)).issue_number == 1
    assert make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1)).issue_number == 10

"""Working days, due dates and lights across the 2026 National Day holiday.

The calendar (migration 0002): 2026-10-01..07 off (10-01, 02, 05, 06, 07 are weekdays off),
Sunday 2026-09-20 and Saturday 2026-10-10 make-up working days.
"""

import datetime

import pytest
from django.utils import timezone

from supervision.choices import Light
from supervision.lights import light_of, open_case_lights
from supervision.models import CalendarDay, Case
from supervision.workdays import WorkingCalendar
from tests import factories

D = datetime.date


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def calendar(db):
    return WorkingCalendar.load()


def test_the_holiday_is_off_and_the_make_up_saturday_is_on(calendar):
    assert not calendar.is_working_day(D(2026, 10, 5))  # a Monday in the holiday
    assert calendar.is_working_day(D(2026, 10, 10))  # a Saturday worked
    assert calendar.is_working_day(D(2026, 9, 20))  # a Sunday worked
    assert not calendar.is_working_day(D(2026, 10, 11))  # an ordinary Sunday


def test_limits_count_from_the_day_after_acceptance_and_skip_the_holiday(calendar):
    # Accepted Wednesday 09-30: 10-08 (Thu) is day 1, 10-09 day 2, Saturday 10-10 day 3.
    assert calendar.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert calendar.add_working_days(D(2026, 9, 30), 5) == D(2026, 10, 13)
    assert calendar.add_working_days(D(2026, 9, 30), 0) == D(2026, 9, 30)
    assert calendar.working_days_between(D(2026, 9, 30), D(2026, 10, 13)) == 5


def test_a_make_up_sunday_shortens_a_limit_across_it(calendar):
    # Friday 09-18 + 3 working days: Sunday 09-20 is worked, so 09-20, 09-21, 09-22.
    assert calendar.add_working_days(D(2026, 9, 18), 3) == D(2026, 9, 22)
    assert calendar.add_working_days(D(2026, 9, 18), 1) == D(2026, 9, 20)


@pytest.fixture
def holiday_case(db):
    department = factories.department()
    window = factories.window(department)
    return Case.objects.create(
        number="BJ-1",
        item_code="X-1",
        window=window,
        department=department,
        accepted_at=at(D(2026, 9, 30)),
        promised_days=3,
        legal_days=5,
    )


def test_a_saved_case_knows_its_due_dates_on_the_calendar(holiday_case):
    assert holiday_case.promised_due == D(2026, 10, 10)
    assert holiday_case.legal_due == D(2026, 10, 13)


@pytest.mark.parametrize(
    ("day", "light"),
    [
        (D(2026, 9, 30), Light.GREEN),  # 2 working days on is 10-09: the due date is further
        (D(2026, 10, 8), Light.YELLOW),  # 10-08 + 2 working days = 10-10, the promised date
        (D(2026, 10, 12), Light.YELLOW),  # past the promise, not past the legal limit
        (D(2026, 10, 13), Light.YELLOW),  # the legal due date itself is not past it
        (D(2026, 10, 14), Light.RED),
    ],
)
def test_an_open_case_turns_yellow_then_red_across_the_holiday(holiday_case, calendar, day, light):
    assert light_of(holiday_case, day, 2, calendar) == light
    filters = open_case_lights(day, 2, calendar)
    in_database = {
        colour for colour, q in filters.items() if Case.objects.filter(q, pk=holiday_case.pk)
    }
    assert in_database == ({light} if light != Light.GREEN else set())


def test_a_completed_case_keeps_the_light_it_finished_with(holiday_case, calendar):
    holiday_case.completed_at = at(D(2026, 10, 12), 15)
    holiday_case.save()
    assert light_of(holiday_case, D(2026, 10, 20), 2, calendar) == Light.YELLOW
    assert not any(
        Case.objects.filter(q).exists()
        for q in open_case_lights(D(2026, 10, 20), 2, calendar).values()
    )


def test_editing_the_calendar_moves_the_due_dates_of_open_cases(
    holiday_case, django_capture_on_commit_callbacks
):
    # The centre decides Friday 10-09 is a holiday too: the promise moves to Monday 10-12.
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(date=D(2026, 10, 9), is_working_day=False, name="临时闭厅")
    holiday_case.refresh_from_db()
    assert holiday_case.promised_due == D(2026, 10, 12)
    assert holiday_case.legal_due == D(2026, 10, 14)

    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.filter(date=D(2026, 10, 9)).get().delete()
    holiday_case.refresh_from_db()
    assert holiday_case.promised_due == D(2026, 10, 10)


def test_a_calendar_entry_that_repeats_the_weekday_rule_is_refused(db):
    entry = CalendarDay(date=D(2026, 10, 12), is_working_day=True, name="周一")
    with pytest.raises(Exception, match="本来就是工作日"):
        entry.full_clean()

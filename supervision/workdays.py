"""Working days on the centre's calendar: Monday to Friday, minus public holidays, plus the
make-up working days (调休) the calendar lists.

Time limits are counted the way guides state them, "N个工作日" from the day after acceptance:
a case accepted on Friday 2026-09-18 with 3 working days is due on Tuesday 09-22 — or, in a
week with a make-up Sunday (2026-09-20), on Monday 09-21. A limit of 0 (即办件) is due on the
day of acceptance.
"""

import datetime
import functools

from django.db.models.functions import TruncDate
from django.utils import timezone

ONE_DAY = datetime.timedelta(days=1)


class WorkingCalendar:
    """The calendar's exceptions loaded once (a few dozen rows a year); every question after
    that is answered in memory."""

    def __init__(self, exceptions):
        self.exceptions = dict(exceptions)  # date → is_working_day

    @classmethod
    def load(cls):
        from supervision.models import CalendarDay

        return cls(CalendarDay.objects.values_list("date", "is_working_day"))

    def is_working_day(self, day):
        return self.exceptions.get(day, day.weekday() < 5)

    def closed_because(self, day):
        """Why the hall is closed on `day`: "法定节假日" when the closed days around it include a
        listed holiday (the Saturday of the National Day week is part of the holiday, though
        only weekdays are listed), else the weekday ("周六"); None on a working day."""
        if self.is_working_day(day):
            return None
        for step in (-ONE_DAY, ONE_DAY):
            other = day
            while not self.is_working_day(other):
                if other in self.exceptions:  # a listed day that is not working: a holiday
                    return "法定节假日"
                other += step
        return "周六" if day.weekday() == 5 else "周日"

    def working_day_of_year(self, day):
        """`day` is the N-th working day of its year (counting `day` itself if it is one)."""
        return self.working_days_between(day.replace(month=1, day=1) - ONE_DAY, day)

    @functools.lru_cache(maxsize=65536)  # noqa: B019 (one calendar per import or computation)
    def add_working_days(self, day, count):
        """The `count`-th working day after `day` (`day` itself when count is 0)."""
        while count > 0:
            day += ONE_DAY
            if self.is_working_day(day):
                count -= 1
        return day

    def working_days_between(self, start, end):
        """Working days after `start` up to and including `end` (0 when end ≤ start)."""
        days, day = 0, start
        while day < end:
            day += ONE_DAY
            days += self.is_working_day(day)
        return days

    def due_dates(self, accepted_at, promised_days, legal_days):
        """(promised due date, legal due date) of a case accepted at `accepted_at`."""
        accepted_on = local_date(accepted_at)
        return (
            self.add_working_days(accepted_on, promised_days),
            self.add_working_days(accepted_on, legal_days),
        )


def local_date(moment):
    """The date in the centre's time zone (Asia/Shanghai) of an aware datetime, or a date."""
    if isinstance(moment, datetime.datetime):
        return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    return moment


def refresh_case_due_dates(changed_day):
    """Recompute the due dates of the cases a calendar change on `changed_day` can move: those
    accepted before that day and due on or after it. One UPDATE per distinct (acceptance date,
    limits), not one per case. Returns the number of cases updated."""
    from supervision.models import Case

    calendar = WorkingCalendar.load()
    affected = Case.objects.filter(legal_due__gte=changed_day, accepted_at__date__lt=changed_day)
    updated = 0
    groups = (
        affected.annotate(accepted_on=TruncDate("accepted_at"))
        .values_list("accepted_on", "promised_days", "legal_days")
        .distinct()
    )
    for accepted_on, promised_days, legal_days in list(groups):
        promised_due = calendar.add_working_days(accepted_on, promised_days)
        legal_due = calendar.add_working_days(accepted_on, legal_days)
        updated += (
            affected.filter(
                accepted_at__date=accepted_on, promised_days=promised_days, legal_days=legal_days
            )
            .exclude(promised_due=promised_due, legal_due=legal_due)
            .update(promised_due=promised_due, legal_due=legal_due)
        )
    return updated


def missing_years(today, using="default"):
    """The years the calendar should hold on `today` and holds no entry for: this year always,
    and next year from 1 November. The State Council publishes next year's arrangement in
    November or December; a year with no entry is a year whose holidays every due date and
    light would silently ignore from 1 January."""
    from supervision.models import CalendarDay

    wanted = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    held = {
        day.year
        for day in CalendarDay.objects.using(using)
        .filter(date__year__in=wanted)
        .dates("date", "year")
    }
    return [year for year in wanted if year not in held]

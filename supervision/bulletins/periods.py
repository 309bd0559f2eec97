"""The periods bulletins cover, and which of them are due.

A daily bulletin covers one working day, a weekly one Monday–Sunday, a monthly one a calendar
month (docs/supervision.md). A period is named by its first day everywhere: the bulletin's
`period_start`, the jobs' lists, `make_bulletin(kind, day)`. A day the hall is closed has no
daily bulletin (`ClosedDay`). A bulletin's issue number is its period's ordinal in the year
(`issue_number`), so numbers follow the periods whatever order the bulletins are made in.
"""

import datetime

from supervision import scoring
from supervision.choices import BulletinKind
from supervision.models import Bulletin
from supervision.workdays import WorkingCalendar

ONE_DAY = datetime.timedelta(days=1)


class ClosedDay(ValueError):
    """A daily bulletin asked for a day the hall is closed: no patrol, nothing to report."""

    def __init__(self, day, reason):
        self.day = day
        super().__init__(
            f"{day:%Y}年{day.month}月{day.day}日大厅不办公（{reason}），没有每日督查通报"
        )


def refuse_closed_day(kind, start, calendar=None):
    """Raise ClosedDay when `kind` is daily and the hall is closed on `start`."""
    if kind != BulletinKind.DAILY:
        return
    reason = (calendar or WorkingCalendar.load()).closed_because(start)
    if reason:
        raise ClosedDay(start, reason)


def issue_number(kind, start, calendar=None):
    """第N期: the period's ordinal in its year, a function of the period alone — monthly the
    month, weekly the N-th week whose Monday falls in the year, daily the N-th working day
    of the year. Numbers follow the periods, whatever order the bulletins are made in (a
    catch-up after downtime, one made by hand), never collide, and skip only the periods
    without a bulletin; a corrected edition of a period keeps its number."""
    if kind == BulletinKind.MONTHLY:
        return start.month
    if kind == BulletinKind.WEEKLY:
        return (start.timetuple().tm_yday - 1) // 7 + 1
    return (calendar or WorkingCalendar.load()).working_day_of_year(start)


def period_of(kind, day):
    """(first day, last day) of the period of `kind` containing `day`."""
    if kind == BulletinKind.DAILY:
        return day, day
    if kind == BulletinKind.WEEKLY:
        monday = day - datetime.timedelta(days=day.weekday())
        return monday, monday + datetime.timedelta(days=6)
    return scoring.month_bounds(day)


def previous_period(kind, start):
    return period_of(kind, start - ONE_DAY)


def period_label(kind, start, end):
    if kind == BulletinKind.DAILY:
        return f"{start:%Y}年{start.month}月{start.day}日"
    if kind == BulletinKind.WEEKLY:
        return f"{start:%Y}年{start.month}月{start.day}日—{end.month}月{end.day}日"
    return f"{start:%Y}年{start.month}月"


def working_day_before(day, calendar):
    """The last working day before `day` (the hall is closed on the others)."""
    day -= ONE_DAY
    while not calendar.is_working_day(day):
        day -= ONE_DAY
    return day


def latest_complete_period(kind, today):
    """The newest period of `kind` that has ended before `today`; for daily bulletins the
    newest working day (the hall is closed on the others: no patrols, no bulletin)."""
    if kind == BulletinKind.DAILY:
        day = working_day_before(today, WorkingCalendar.load())
        return day, day
    return previous_period(kind, period_of(kind, today)[0])


def due_periods(kind, today, *, look_back):
    """Periods of `kind` that should have a bulletin by `today` and have none: among the
    latest `look_back` complete periods (working days, for the daily), those after the kind's
    first bulletin (when this installation began making them). A bulletin made by hand for
    a later period hides none before it. A new installation starts with the latest period."""
    kind = BulletinKind(kind)
    start, _ = latest_complete_period(kind, today)
    made = Bulletin.objects.filter(kind=kind)
    first = made.order_by("period_start").values_list("period_start", flat=True).first()
    existing = set(made.filter(period_start__lte=start).values_list("period_start", flat=True))
    calendar = WorkingCalendar.load() if kind == BulletinKind.DAILY else None
    periods, examined = [], 0
    while examined < look_back and (first is None or start > first):
        if calendar is None or calendar.is_working_day(start):
            examined += 1
            if start not in existing:
                periods.append(start)
            if first is None:
                break
        start = previous_period(kind, start)[0]
    return sorted(periods)

"""Electronic supervision lights on cases (DOMAIN.md §3), as of a given day.

An open case is red once the day is past its legal due date, yellow once its promised due
date is at most N working days away (or past), N being the rules' `yellow_within_days`;
green otherwise. A completed case keeps the light it finished with: red if completed after
the legal due date, yellow if after the promised one.

`open_case_lights` turns that into two filters the database evaluates (due dates are stored
on each case), so counting the lights of 200,000 cases is one query.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from supervision.choices import Light
from supervision.workdays import local_date


def end_of_day(day):
    """The first instant after `day` in the centre's time zone."""
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(midnight)


def day_range(first, last):
    """[start, end) instants covering the days first..last in the centre's time zone."""
    return end_of_day(first - datetime.timedelta(days=1)), end_of_day(last)


def open_on(day):
    """Cases accepted by the end of `day` and not completed by then."""
    end = end_of_day(day)
    return Q(accepted_at__lt=end) & (Q(completed_at__isnull=True) | Q(completed_at__gte=end))


def open_case_lights(day, yellow_within_days, calendar):
    """{Light.RED: Q, Light.YELLOW: Q} selecting the cases open on `day` with that light."""
    yellow_from = calendar.add_working_days(day, yellow_within_days)
    red = open_on(day) & Q(legal_due__lt=day)
    yellow = open_on(day) & Q(legal_due__gte=day, promised_due__lte=yellow_from)
    return {Light.RED: red, Light.YELLOW: yellow}


def light_of(case, day, yellow_within_days, calendar):
    """The light of one case on `day` (for a case page or a table row)."""
    if case.completed_at is not None and local_date(case.completed_at) <= day:
        finished = local_date(case.completed_at)
        if finished > case.legal_due:
            return Light.RED
        return Light.YELLOW if finished > case.promised_due else Light.GREEN
    if day > case.legal_due:
        return Light.RED
    if case.promised_due <= calendar.add_working_days(day, yellow_within_days):
        return Light.YELLOW
    return Light.GREEN

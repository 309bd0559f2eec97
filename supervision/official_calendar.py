"""The State Council's holiday arrangements as the `chinesecalendar` package carries them
(https://github.com/LKI/chinese-calendar, released each time 国务院办公厅 publishes a year's
notice, usually in November): the exceptions the working-day calendar stores, for one year.
"""

import datetime

import chinese_calendar

# The package names the holidays briefly (清明, 端午, 中秋); the calendar says them in full, as
# the State Council's notices and migration 0002 do.
FULL_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}


class YearNotCovered(Exception):
    """The installed chinesecalendar has no arrangement for the year."""


def holiday_name(english):
    name = chinese_calendar.Holiday(english).chinese
    return FULL_NAMES.get(name, name)


def exceptions_of(year):
    """[(date, is_working_day, name)] of `year` as the calendar stores them: the holidays that
    fall on weekdays and the make-up working days (调休) that fall on weekends. Raises
    YearNotCovered when the installed package has no data for the year."""
    days = []
    day = datetime.date(year, 1, 1)
    try:
        while day.year == year:
            is_holiday, english = chinese_calendar.get_holiday_detail(day)
            usual_working_day = day.weekday() < 5
            if is_holiday == usual_working_day:  # a weekday off, or a weekend at work
                name = holiday_name(english)
                days.append((day, not is_holiday, name if is_holiday else f"{name}调休上班"))
            day += datetime.timedelta(days=1)
    except NotImplementedError as error:  # how the package says "no data for that year"
        raise YearNotCovered(
            f"已安装的 chinesecalendar {chinese_calendar.__version__} 没有{year}年的节假日安排。"
        ) from error
    return days

"""System checks: the working-day calendar has not run out.

Only exceptions are stored (see supervision/models/calendar.py), so a year with no entry looks
like a year with no holidays: nothing fails, every due date and light just ignores them. These
warnings say so — this year always, next year from 1 November.

They are database checks (Tags.database): Django runs those on every `migrate` (so each
deployment prints them) and on `manage.py check --database default`, but not in a plain
`check` or `check --deploy`. CI runs those two with --fail-level WARNING on an empty or
throwaway database, and a check that reads the date must not turn CI red every November.
https://docs.djangoproject.com/en/5.2/ref/checks/#builtin-tags
"""

from django.core import checks
from django.db import connections
from django.utils import timezone

from supervision.workdays import missing_years

HINT = "运行 manage.py fill_calendar --year {year}，或在后台“督查考评 → 工作日历”按国务院办公厅通知录入。"


def today():
    return timezone.localdate()


@checks.register(checks.Tags.database)
def calendar_years_present(app_configs=None, databases=None, **kwargs):
    from supervision.models import CalendarDay

    if not databases or (app_configs and CalendarDay._meta.app_config not in app_configs):
        return []
    on, messages = today(), []
    for alias in databases:
        if CalendarDay._meta.db_table not in connections[alias].introspection.table_names():
            continue  # not migrated yet: the migrations create the table and fill 2025–2026
        for year in missing_years(on, using=alias):
            if year == on.year:
                text, code = (
                    f"工作日历中没有{year}年的任何节假日与调休：今年的到期日和红黄灯都按"
                    "周一至周五计算，忽略了法定节假日和调休上班日。",
                    "supervision.W001",
                )
            else:
                text, code = (
                    f"工作日历中还没有{year}年的节假日与调休：从{year}年1月1日起，到期日和红黄灯"
                    "将忽略法定节假日。国务院办公厅通常在11月前后公布下一年的安排。",
                    "supervision.W002",
                )
            messages.append(
                checks.Warning(text, hint=HINT.format(year=year), obj=CalendarDay, id=code)
            )
    return messages

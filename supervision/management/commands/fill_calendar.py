"""`manage.py fill_calendar --year 2027 [--replace]`: enter a year's holidays and make-up
working days from the `chinesecalendar` package (supervision/official_calendar.py).

Refuses, writing nothing, when the installed package has no data for the year (upgrade it, or
enter the State Council's notice in the admin by hand). Adds the days the calendar lacks; an
entry a manager made differently (a working day where the package has a holiday, or a day the
package does not list) is reported and kept unless --replace, which makes the year agree with
the package. Running it again changes nothing. Each saved or deleted day moves the due dates of
the cases open across it, as an edit in the admin does (supervision/signals.py).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from supervision.models import CalendarDay
from supervision.official_calendar import YearNotCovered, exceptions_of


def kind(is_working_day):
    return "上班" if is_working_day else "放假"


class Command(BaseCommand):
    help = "按 chinesecalendar 收录的国务院办公厅节假日安排，填写某一年的工作日历（节假日与调休）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="年份，如 2027")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="以 chinesecalendar 为准，更正或删除工作日历中与之不一致的记录",
        )

    def handle(self, *args, year, replace, verbosity, **options):
        try:
            official = exceptions_of(year)
        except YearNotCovered as error:
            raise CommandError(
                f"{error}未写入任何内容。请升级 chinesecalendar（pip install -U chinesecalendar）"
                f"后重试，或在后台“督查考评 → 工作日历”按国务院办公厅通知手工录入{year}年的安排。"
            ) from error

        stored = {day.date: day for day in CalendarDay.objects.filter(date__year=year)}
        added, corrected, deleted, kept = [], [], [], []
        with transaction.atomic():
            for date, is_working_day, name in official:
                day = stored.pop(date, None)
                if day is None:
                    CalendarDay.objects.create(date=date, is_working_day=is_working_day, name=name)
                    added.append(f"{date:%Y-%m-%d} {name}（{kind(is_working_day)}）")
                elif day.is_working_day != is_working_day:
                    difference = (
                        f"{date:%Y-%m-%d} 工作日历为“{day.name}（{kind(day.is_working_day)}）”，"
                        f"chinesecalendar 为“{name}（{kind(is_working_day)}）”"
                    )
                    if replace:
                        day.is_working_day, day.name = is_working_day, name
                        day.save()
                        corrected.append(difference)
                    else:
                        kept.append(difference)
                # Same kind of day: the manager's wording of the name stays.
            for date, day in sorted(stored.items()):  # days the package treats as ordinary
                difference = (
                    f"{date:%Y-%m-%d} 工作日历为“{day.name}（{kind(day.is_working_day)}）”，"
                    f"chinesecalendar 为正常{'工作日' if date.weekday() < 5 else '休息日'}"
                )
                if replace:
                    day.delete()
                    deleted.append(difference)
                else:
                    kept.append(difference)

        if verbosity >= 1:
            for line in added:
                self.stdout.write(f"新增 {line}")
            for line in corrected:
                self.stdout.write(f"更正 {line}")
            for line in deleted:
                self.stdout.write(f"删除 {line}")
        for line in kept:
            self.stderr.write(self.style.WARNING(f"不一致，未改动：{line}"))
        if verbosity >= 1:
            summary = (
                f"{year}年工作日历：新增 {len(added)} 天，更正 {len(corrected)} 天，"
                f"删除 {len(deleted)} 天，与 chinesecalendar 不一致而未改动 {len(kept)} 天。"
            )
            self.stdout.write(self.style.SUCCESS(summary))
        if kept:
            self.stderr.write("核对后如以 chinesecalendar 为准，请加 --replace 重新运行。")

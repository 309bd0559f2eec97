"""The public holidays and make-up working days of 2025 and 2026 as the State Council
published them (国办发明电〔2024〕12号, 国办发明电〔2025〕7号), and a first version of the
scoring rules with the defaults documented in docs/supervision.md. Only exceptions to the
Monday–Friday rule are stored: holidays on weekdays, working days on weekends. Managers add
later years in the admin (工作日历)."""

import datetime

from django.db import migrations

DAYS = [
    ("2025-01-01", False, "元旦"),
    ("2025-01-26", True, "春节调休上班"),
    ("2025-01-28", False, "春节"),
    ("2025-01-29", False, "春节"),
    ("2025-01-30", False, "春节"),
    ("2025-01-31", False, "春节"),
    ("2025-02-03", False, "春节"),
    ("2025-02-04", False, "春节"),
    ("2025-02-08", True, "春节调休上班"),
    ("2025-04-04", False, "清明节"),
    ("2025-04-27", True, "劳动节调休上班"),
    ("2025-05-01", False, "劳动节"),
    ("2025-05-02", False, "劳动节"),
    ("2025-05-05", False, "劳动节"),
    ("2025-06-02", False, "端午节"),
    ("2025-09-28", True, "国庆节、中秋节调休上班"),
    ("2025-10-01", False, "国庆节、中秋节"),
    ("2025-10-02", False, "国庆节、中秋节"),
    ("2025-10-03", False, "国庆节、中秋节"),
    ("2025-10-06", False, "国庆节、中秋节"),
    ("2025-10-07", False, "国庆节、中秋节"),
    ("2025-10-08", False, "国庆节、中秋节"),
    ("2025-10-11", True, "国庆节、中秋节调休上班"),
    ("2026-01-01", False, "元旦"),
    ("2026-01-02", False, "元旦"),
    ("2026-01-04", True, "元旦调休上班"),
    ("2026-02-14", True, "春节调休上班"),
    ("2026-02-16", False, "春节"),
    ("2026-02-17", False, "春节"),
    ("2026-02-18", False, "春节"),
    ("2026-02-19", False, "春节"),
    ("2026-02-20", False, "春节"),
    ("2026-02-23", False, "春节"),
    ("2026-02-28", True, "春节调休上班"),
    ("2026-04-06", False, "清明节"),
    ("2026-05-01", False, "劳动节"),
    ("2026-05-04", False, "劳动节"),
    ("2026-05-05", False, "劳动节"),
    ("2026-05-09", True, "劳动节调休上班"),
    ("2026-06-19", False, "端午节"),
    ("2026-09-20", True, "国庆节调休上班"),
    ("2026-09-25", False, "中秋节"),
    ("2026-10-01", False, "国庆节"),
    ("2026-10-02", False, "国庆节"),
    ("2026-10-05", False, "国庆节"),
    ("2026-10-06", False, "国庆节"),
    ("2026-10-07", False, "国庆节"),
    ("2026-10-10", True, "国庆节调休上班"),
]


def add(apps, schema_editor):
    CalendarDay = apps.get_model("supervision", "CalendarDay")
    ScoringRules = apps.get_model("supervision", "ScoringRules")
    for day, is_working_day, name in DAYS:
        CalendarDay.objects.get_or_create(
            date=datetime.date.fromisoformat(day),
            defaults={"is_working_day": is_working_day, "name": name},
        )
    if not ScoringRules.objects.exists():
        ScoringRules.objects.create(
            name="窗口与部门月度考评细则（初始版本）",
            effective_from=datetime.date(2025, 1, 1),
            notes="系统初始版本，各项取值见 docs/supervision.md，可复制为新版本后调整。",
        )


def remove(apps, schema_editor):
    CalendarDay = apps.get_model("supervision", "CalendarDay")
    CalendarDay.objects.filter(
        date__in=[datetime.date.fromisoformat(day) for day, _, _ in DAYS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_hall_data")]
    operations = [migrations.RunPython(add, remove)]

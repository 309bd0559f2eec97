"""每日督查通报, the daily inspection bulletin: one working day's rounds and findings, the
previous working day's fixes, the open red cases (content outline: docs/supervision.md)."""

from decimal import Decimal

from django.db.models import Count, Q, Sum

from supervision import scoring
from supervision.bulletins.periods import working_day_before
from supervision.bulletins.rows import (
    departments_concerned,
    finding_rows,
    light_rows,
    month_day,
    points,
    red_cases,
)
from supervision.models import Finding, InspectionRound
from supervision.workdays import WorkingCalendar


def compile_daily(day, rules):
    rounds = InspectionRound.objects.filter(date=day).order_by("kind")
    findings = Finding.objects.filter(round__date=day).order_by("window__number", "number")
    # Totals over every finding; the tables list at most MAX_LISTED rows.
    totals = findings.aggregate(
        count=Count("id"),
        points=Sum(scoring._standard_deduction(rules)),
        windows=Count("window", distinct=True),
    )
    rows = finding_rows(findings, rules)
    # Yesterday's (the previous working day's) findings: fixed by now or not.
    calendar = WorkingCalendar.load()
    before = working_day_before(day, calendar)
    earlier_findings = Finding.objects.filter(round__date=before)
    earlier_totals = earlier_findings.aggregate(
        count=Count("id"),
        fixed=Count("id", filter=Q(fixed_at__isnull=False)),
        unfixed=Count("id", filter=Q(fixed_at__isnull=True)),
    )
    earlier = finding_rows(earlier_findings.order_by("window__number", "number"), rules)
    light_counts, red_case_rows = light_rows(day, rules, calendar)
    return {
        "rounds": [
            {"kind": r.get_kind_display(), "inspectors": r.inspectors, "note": r.note}
            for r in rounds
        ],
        "findings": rows,
        "finding_count": totals["count"],
        "deduction": points(totals["points"] or Decimal(0)),
        "windows_concerned": totals["windows"],
        "earlier_date": month_day(before),
        "earlier": earlier,
        "earlier_count": earlier_totals["count"],
        "earlier_fixed": earlier_totals["fixed"],
        "earlier_unfixed": earlier_totals["unfixed"],
        "lights": light_counts,
        "red_cases": red_case_rows,
        "departments_concerned": departments_concerned(findings, red_cases(day, rules, calendar)),
        "method": scoring.inspection_method_lines(rules),
    }

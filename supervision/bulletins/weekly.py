"""每周督查小结, the weekly summary (Monday–Sunday): findings by category and department
against last week, repeat offenders, fixes, bad reviews, red cases (docs/supervision.md).

Last week is compared with only when it had an inspection round (a patrol that found nothing
is a record; a week before the hall's data begins has none): otherwise its figures and the
changes are None and print "—", not as zero findings."""

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncDate

from supervision import scoring
from supervision.bulletins.periods import previous_period
from supervision.bulletins.rows import (
    bad_review_rows,
    bad_reviews,
    departments_concerned,
    finding_rows,
    light_rows,
    percent,
    points,
    red_cases,
)
from supervision.choices import Appeal, BulletinKind, FindingCategory
from supervision.lights import day_range
from supervision.models import Evaluation, Finding, InspectionRound
from supervision.workdays import WorkingCalendar


def _category_counts(findings):
    counts = dict(findings.values_list("category").annotate(n=Count("id")).order_by())
    return {key: counts.get(key, 0) for key in FindingCategory.values}


def compile_weekly(start, end, rules):
    calendar = WorkingCalendar.load()
    findings = Finding.objects.filter(round__date__range=(start, end))
    before_start, before_end = previous_period(BulletinKind.WEEKLY, start)
    earlier = Finding.objects.filter(round__date__range=(before_start, before_end))
    compared = InspectionRound.objects.filter(date__range=(before_start, before_end)).exists()
    this_week, last_week = _category_counts(findings), _category_counts(earlier)
    by_category = [
        {
            "category": label,
            "count": this_week[key],
            "previous": last_week[key] if compared else None,
            "change": this_week[key] - last_week[key] if compared else None,
        }
        for key, label in FindingCategory.choices
    ]
    previous_by_department = dict(
        earlier.values_list("department").annotate(n=Count("id")).order_by()
    )
    by_department = [
        {
            "department": row["department__short_name"] or row["department__name"],
            "count": row["n"],
            "deduction": points(row["points"]),
            "previous": previous_by_department.get(row["department"], 0) if compared else None,
        }
        for row in findings.values("department", "department__short_name", "department__name")
        .annotate(n=Count("id"), points=Sum(scoring._standard_deduction(rules)))
        .order_by("-n", "department__name")
    ]
    # Repeat offenders: windows with findings on two or more days this week, or found again
    # after a finding last week.
    repeat = []
    last_week_windows = set(earlier.values_list("window__number", flat=True))
    for row in (
        findings.values("window__number", "window__name")
        .annotate(days=Count("round__date", distinct=True), n=Count("id"))
        .order_by("-n", "window__number")
    ):
        if row["days"] >= 2 or row["window__number"] in last_week_windows:
            repeat.append(
                {
                    "window": row["window__number"],
                    "name": row["window__name"],
                    "count": row["n"],
                    "days": row["days"],
                    "last_week": row["window__number"] in last_week_windows,
                }
            )
    due = findings.filter(fix_deadline__isnull=False)
    fixed_in_time = (
        due.annotate(fixed_on=TruncDate("fixed_at")).filter(fixed_on__lte=F("fix_deadline")).count()
    )
    start_at, end_at = day_range(start, end)
    evaluations = Evaluation.objects.filter(evaluated_at__gte=start_at, evaluated_at__lt=end_at)
    light_counts, red_case_rows = light_rows(end, rules, calendar)
    return {
        "finding_count": findings.count(),
        "previous_finding_count": earlier.count() if compared else None,
        "rounds": InspectionRound.objects.filter(date__range=(start, end)).count(),
        "by_category": by_category,
        "by_department": by_department,
        "repeat_offenders": repeat,
        "fix_due": due.count(),
        "fixed_in_time": fixed_in_time,
        "fix_rate": percent(fixed_in_time, due.count()),
        "unfixed": findings.filter(fixed_at__isnull=True).count(),
        "evaluations": evaluations.exclude(appeal=Appeal.UPHELD).count(),
        "bad_reviews": bad_review_rows(evaluations),
        "lights": light_counts,
        "red_cases": red_case_rows,
        "findings": finding_rows(findings.order_by("round__date", "window__number"), rules),
        "category_chart": [[row["category"], row["count"]] for row in by_category],
        "departments_concerned": departments_concerned(
            findings, bad_reviews(evaluations), red_cases(end, rules, calendar)
        ),
        "method": scoring.inspection_method_lines(rules),
    }

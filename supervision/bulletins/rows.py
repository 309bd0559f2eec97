"""How every bulletin words its figures and lists findings, bad reviews and cases.

Rows are plain dicts of texts and numbers, stored in `Bulletin.content` as they will print.
Long lists are cut in print at MAX_LISTED rows: a manager reads the first rows, the archive
holds the data; totals and the departments concerned are counted over every row.
"""

from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from publications import numbers
from supervision.choices import BAD_REVIEW_MAX_RATING, Appeal, Light
from supervision.lights import open_case_lights
from supervision.models import Case

MAX_LISTED = 60


def points(value):
    """Points deducted, as the rules state them (publications.numbers): 1, 0.5, 33.5."""
    return numbers.points(value)


def percent(numerator, denominator):
    if not denominator:
        return None
    return float((Decimal(numerator) * 100 / denominator).quantize(Decimal("0.01")))


def as_float(value):
    return None if value is None else float(value)


def month_day(value):
    return f"{value.month}月{value.day}日" if value else ""


def finding_rows(findings, rules):
    rows = []
    for finding in findings.select_related("window", "department", "staff", "round")[:MAX_LISTED]:
        deduction = finding.deduction
        if deduction is None:
            deduction = rules.deduction_for(finding.category) if rules else None
        rows.append(
            {
                "number": finding.number,
                "date": month_day(finding.round.date),
                "round": finding.round.get_kind_display(),
                "window": finding.window.number,
                "window_name": finding.window.name,
                "department": finding.department.display_name,
                "department_id": finding.department_id,
                "staff": finding.staff.name if finding.staff else "",
                "category": finding.get_category_display(),
                "description": finding.description,
                "deduction": points(deduction),
                "deadline": month_day(finding.fix_deadline),
                "fixed": month_day(timezone.localdate(finding.fixed_at))
                if finding.fixed_at
                else "",
            }
        )
    return rows


def bad_reviews(evaluations):
    """The bad reviews (差评) among `evaluations`; one upheld on appeal counts nowhere."""
    return evaluations.filter(rating__lte=BAD_REVIEW_MAX_RATING).exclude(appeal=Appeal.UPHELD)


def bad_review_rows(evaluations):
    rows = []
    queryset = bad_reviews(evaluations)
    for evaluation in queryset.select_related("window", "department", "staff").order_by(
        "evaluated_at"
    )[:MAX_LISTED]:
        rows.append(
            {
                "number": evaluation.number,
                "date": month_day(timezone.localdate(evaluation.evaluated_at)),
                "window": evaluation.window.number,
                "department": evaluation.department.display_name,
                "department_id": evaluation.department_id,
                "staff": evaluation.staff.name if evaluation.staff else "",
                "rating": evaluation.get_rating_display(),
                "channel": evaluation.get_channel_display(),
                "comment": evaluation.comment,
                "appeal": evaluation.get_appeal_display(),
                "follow_up": evaluation.follow_up,
            }
        )
    return rows


def case_row(case, **extra):
    """A case as the bulletins list it; `extra` adds the columns one bulletin needs."""
    return {
        "number": case.number,
        "item": case.item_name or case.item_code,
        "window": case.window.number,
        "department": case.department.display_name,
        "department_id": case.department_id,
        "accepted": month_day(timezone.localdate(case.accepted_at)),
        "legal_due": month_day(case.legal_due),
        **extra,
    }


def red_cases(day, rules, calendar):
    """Open cases with a red light on `day`."""
    return Case.objects.filter(open_case_lights(day, rules.yellow_within_days, calendar)[Light.RED])


def light_rows(day, rules, calendar):
    """Open cases with a red light on `day`, worst first, and the counts of both lights."""
    filters = open_case_lights(day, rules.yellow_within_days, calendar)
    counts = Case.objects.aggregate(
        red=Count("id", filter=filters[Light.RED]), yellow=Count("id", filter=filters[Light.YELLOW])
    )
    rows = [
        case_row(
            case,
            promised_due=month_day(case.promised_due),
            days_over=calendar.working_days_between(case.legal_due, day),
        )
        for case in Case.objects.filter(filters[Light.RED])
        .select_related("window", "department")
        .order_by("legal_due", "number")[:MAX_LISTED]
    ]
    return counts, rows


def departments_concerned(*querysets):
    """The departments a bulletin mentions, from every row (its tables list MAX_LISTED), for
    the subscriptions limited to departments."""
    return sorted({pk for rows in querysets for pk in rows.values_list("department_id", flat=True)})

"""What a department's extract (部门专报) needs that the hall's content holds only for the
whole hall, compiled with the bulletin from the same data and stored in its content under
`for_extracts`:

- `windows`: each window's number and departments (cms.ServiceWindow.departments, a window
  may serve several), so the window rows and repeat offenders can be picked per department;
- `departments`: per department (id as a string, JSON's keys), the totals the extract prints:
  counted over every record, where the hall's lists are cut at MAX_LISTED and its figures are
  the hall's. Raw counts, so an extract for several departments adds them up and derives its
  rates from the sums.

supervision.bulletins.extracts filters the stored content with these; nothing is computed
from hall data when an extract is rendered, however late.
"""

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncDate

from cms.models import Department, ServiceWindow
from supervision import scoring
from supervision.bulletins.periods import previous_period, working_day_before
from supervision.choices import BAD_REVIEW_MAX_RATING, Appeal, BulletinKind, Light
from supervision.lights import day_range, open_case_lights
from supervision.models import Bulletin, Case, Evaluation, Finding
from supervision.workdays import WorkingCalendar


def _by_department(queryset, **aggregates):
    rows = queryset.values("department").annotate(**aggregates).order_by()
    return {row.pop("department"): row for row in rows}


def _light_counts(day, rules, calendar):
    filters = open_case_lights(day, rules.yellow_within_days, calendar)
    return _by_department(
        Case.objects.all(),
        red=Count("id", filter=filters[Light.RED]),
        yellow=Count("id", filter=filters[Light.YELLOW]),
    )


def _finding_totals(findings, rules):
    totals = _by_department(
        findings, count=Count("id"), points=Sum(scoring._standard_deduction(rules))
    )
    for department, window in findings.values_list("department", "window").order_by().distinct():
        totals[department].setdefault("windows", []).append(window)
    return totals


def _daily(start, end, rules, content):
    calendar = WorkingCalendar.load()
    findings = _finding_totals(Finding.objects.filter(round__date=start), rules)
    earlier = _by_department(
        Finding.objects.filter(round__date=working_day_before(start, calendar)),
        count=Count("id"),
        fixed=Count("id", filter=Q(fixed_at__isnull=False)),
        unfixed=Count("id", filter=Q(fixed_at__isnull=True)),
    )
    lights = _light_counts(start, rules, calendar)
    figures = {}
    for department in _departments(findings, earlier, lights):
        found = findings.get(department, {})
        before = earlier.get(department, {})
        figures[department] = {
            "finding_count": found.get("count", 0),
            "points": str(found.get("points") or 0),
            "windows": sorted(found.get("windows", [])),
            "earlier_count": before.get("count", 0),
            "earlier_fixed": before.get("fixed", 0),
            "earlier_unfixed": before.get("unfixed", 0),
            "lights": _lights(lights, department),
        }
    return figures


def _weekly(start, end, rules, content):
    calendar = WorkingCalendar.load()
    findings = Finding.objects.filter(round__date__range=(start, end))
    earlier = Finding.objects.filter(round__date__range=previous_period(BulletinKind.WEEKLY, start))
    this_week = _finding_totals(findings, rules)
    last_week = _by_department(earlier, count=Count("id"))
    categories = {}
    for queryset, key in ((findings, "by_category"), (earlier, "by_category_previous")):
        for department, category, n in (
            queryset.values_list("department", "category").annotate(n=Count("id")).order_by()
        ):
            categories.setdefault(department, {}).setdefault(key, {})[category] = n
    due = findings.filter(fix_deadline__isnull=False)
    fixes = _by_department(
        due.annotate(fixed_on=TruncDate("fixed_at")),
        fix_due=Count("id"),
        fixed_in_time=Count("id", filter=Q(fixed_on__lte=F("fix_deadline"))),
    )
    unfixed = _by_department(findings.filter(fixed_at__isnull=True), n=Count("id"))
    start_at, end_at = day_range(start, end)
    evaluations = _by_department(
        Evaluation.objects.filter(evaluated_at__gte=start_at, evaluated_at__lt=end_at).exclude(
            appeal=Appeal.UPHELD
        ),
        n=Count("id"),
    )
    lights = _light_counts(end, rules, calendar)
    figures = {}
    for department in _departments(this_week, last_week, evaluations, lights):
        found = this_week.get(department, {})
        fix = fixes.get(department, {})
        figures[department] = {
            "finding_count": found.get("count", 0),
            "points": str(found.get("points") or 0),
            "previous_finding_count": last_week.get(department, {}).get("count", 0),
            "by_category": categories.get(department, {}).get("by_category", {}),
            "by_category_previous": categories.get(department, {}).get("by_category_previous", {}),
            "fix_due": fix.get("fix_due", 0),
            "fixed_in_time": fix.get("fixed_in_time", 0),
            "unfixed": unfixed.get(department, {}).get("n", 0),
            "evaluations": evaluations.get(department, {}).get("n", 0),
            "lights": _lights(lights, department),
        }
    return figures


def _monthly(start, end, rules, content):
    """The month_overview figures per department (raw counts); overdue, red and findings are
    the department's row of the ranking. `previous` is the same from last month's bulletin,
    as it published them, for the month-on-month column."""
    start_at, end_at = day_range(start, end)
    cases = _by_department(
        Case.objects.all(),
        accepted=Count("id", filter=Q(accepted_at__gte=start_at, accepted_at__lt=end_at)),
        completed=Count("id", filter=Q(completed_at__gte=start_at, completed_at__lt=end_at)),
        evaluated_cases=Count(
            "id",
            filter=Q(completed_at__gte=start_at, completed_at__lt=end_at)
            & Q(Exists(Evaluation.objects.filter(case_number=OuterRef("number")))),
        ),
    )
    evaluations = Evaluation.objects.filter(evaluated_at__gte=start_at, evaluated_at__lt=end_at)
    valid = _by_department(
        evaluations.exclude(appeal=Appeal.UPHELD),
        evaluations=Count("id"),
        satisfied=Count("id", filter=Q(rating__gte=rules.satisfied_from)),
        bad_reviews=Count("id", filter=Q(rating__lte=BAD_REVIEW_MAX_RATING)),
        followed_up=Count("id", filter=Q(rating__lte=BAD_REVIEW_MAX_RATING) & ~Q(follow_up="")),
    )
    upheld = _by_department(evaluations.filter(appeal=Appeal.UPHELD), n=Count("id"))
    mix = {}
    for department, rating, n in (
        evaluations.exclude(appeal=Appeal.UPHELD)
        .values_list("department", "rating")
        .annotate(n=Count("id"))
        .order_by()
    ):
        mix.setdefault(department, {})[str(rating)] = n
    lights = _light_counts(end, rules, WorkingCalendar.load())
    ranked = {row["unit_id"]: row for row in content["departments"]}
    before = Bulletin.objects.filter(
        kind=BulletinKind.MONTHLY, period_start=scoring.previous_month(start)
    ).first()
    published = (before.content.get("for_extracts") or {}).get("departments", {}) if before else {}
    figures = {}
    for department in _departments(cases, valid, upheld, lights, ranked):
        row = ranked.get(department, {})
        figures[department] = {
            "cases": cases.get(department, {}).get("accepted", 0),
            "completed": cases.get(department, {}).get("completed", 0),
            "evaluated_cases": cases.get(department, {}).get("evaluated_cases", 0),
            "evaluations": valid.get(department, {}).get("evaluations", 0),
            "satisfied": valid.get(department, {}).get("satisfied", 0),
            "bad_reviews": valid.get(department, {}).get("bad_reviews", 0),
            "followed_up": valid.get(department, {}).get("followed_up", 0),
            "appeals_upheld": upheld.get(department, {}).get("n", 0),
            "overdue": row.get("overdue", 0),
            "red": row.get("red", 0),
            "findings": row.get("findings", 0),
            "rating_mix": mix.get(department, {}),
            "lights": _lights(lights, department),
        }
        previous = published.get(str(department))
        if previous is not None:
            figures[department]["previous"] = {k: v for k, v in previous.items() if k != "previous"}
    return figures


def _departments(*tables):
    """Every department of the hall (those with a window) and any other a record names."""
    found = set(Department.objects.filter(windows__isnull=False).values_list("pk", flat=True))
    for table in tables:
        found.update(department for department in table if department is not None)
    return sorted(found)


def _lights(counts, department):
    found = counts.get(department, {})
    return {"red": found.get("red", 0), "yellow": found.get("yellow", 0)}


COMPILERS = {
    BulletinKind.DAILY: _daily,
    BulletinKind.WEEKLY: _weekly,
    BulletinKind.MONTHLY: _monthly,
}


def compile_for_extracts(kind, start, end, rules, content):
    """The `for_extracts` part of a bulletin's content (module docstring)."""
    departments = Department.objects.in_bulk()
    figures = COMPILERS[BulletinKind(kind)](start, end, rules, content)
    return {
        "windows": [
            {
                "id": window.pk,
                "number": window.number,
                "departments": sorted(d.pk for d in window.departments.all()),
            }
            for window in ServiceWindow.objects.prefetch_related("departments").order_by("number")
        ],
        "departments": {
            str(pk): {
                "name": departments[pk].name,
                "label": departments[pk].display_name,
                **values,
            }
            for pk, values in figures.items()
        },
    }

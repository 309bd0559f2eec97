"""月度考评排名通报, the monthly ranking: the hall's figures against last month, the window
and department rankings by the rules in force, the red flag, commendations and warnings, bad
reviews and red cases (docs/supervision.md). The scores are supervision.scoring's; this module
words them. The dashboard (督查看板) shows the month so far with the same `month_overview` and
`unit_rows`.
"""

from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from publications import numbers
from supervision import scoring
from supervision.bulletins.rows import (
    MAX_LISTED,
    as_float,
    bad_review_rows,
    case_row,
    month_day,
    percent,
    points,
)
from supervision.choices import BAD_REVIEW_MAX_RATING, Appeal, BulletinKind, Rating
from supervision.lights import day_range
from supervision.models import Bulletin, Case, Evaluation


def _had_cases(overview):
    return bool(overview.get("cases") or overview.get("completed"))


def _had_evaluations(overview):
    return bool(overview.get("evaluations") or overview.get("appeals_upheld"))


def _had_records(overview):
    return _had_cases(overview) or _had_evaluations(overview) or bool(overview.get("findings"))


# Rates print with one decimal: their change is taken between the printed figures, so that
# 86.5% after 86.0% reads +0.5, not +0.46.
RATES = ("evaluation_rate", "satisfaction")

# The overview's figures shown with their month-on-month change, each with the test that last
# month had the records it counts: a month without a single case accepted or completed (before
# the hall's data begins, or before the cases were imported) has no case figure to compare
# with, one without a single evaluation no evaluation figure; the change is then None ("—"),
# not the whole of this month's figure.
COMPARED = {
    "cases": _had_cases,
    "evaluations": _had_evaluations,
    "evaluation_rate": _had_cases,
    "satisfaction": _had_evaluations,
    "bad_reviews": _had_evaluations,
    "overdue": _had_cases,
    "red": _had_cases,
}


def month_on_month(overview, previous_overview):
    """Each COMPARED figure's change against last month (None, printed "—", where last month
    had no record of its kind): the hall's, and a department extract's with its own figures."""
    changes = {}
    for key, had_records in COMPARED.items():
        now = overview[key]
        then = previous_overview.get(key) if previous_overview else None
        if now is None or then is None or not had_records(previous_overview):
            changes[key] = None
        elif key in RATES:
            changes[key] = float(numbers.rounded(now, 1) - numbers.rounded(then, 1))
        else:
            changes[key] = now - then
    return changes


def month_overview(month, ranking):
    """The hall's figures of a month, for the summary and the month-on-month column."""
    first, last = scoring.month_bounds(month)
    start, end = day_range(first, last)
    cases = Case.objects.aggregate(
        accepted=Count("id", filter=Q(accepted_at__gte=start, accepted_at__lt=end)),
        completed=Count("id", filter=Q(completed_at__gte=start, completed_at__lt=end)),
    )
    evaluations = Evaluation.objects.filter(evaluated_at__gte=start, evaluated_at__lt=end)
    valid = evaluations.exclude(appeal=Appeal.UPHELD)
    counts = valid.aggregate(
        total=Count("id"),
        satisfied=Count("id", filter=Q(rating__gte=ranking.rules.satisfied_from)),
        bad=Count("id", filter=Q(rating__lte=BAD_REVIEW_MAX_RATING)),
        followed_up=Count("id", filter=Q(rating__lte=BAD_REVIEW_MAX_RATING) & ~Q(follow_up="")),
    )
    mix = dict(valid.values_list("rating").annotate(n=Count("id")).order_by())
    # 评价率: cases completed in the month that their applicant evaluated (一事一评).
    evaluated = (
        Case.objects.filter(completed_at__gte=start, completed_at__lt=end)
        .filter(Exists(Evaluation.objects.filter(case_number=OuterRef("number"))))
        .count()
    )
    windows = ranking.windows
    return {
        "cases": cases["accepted"],
        "completed": cases["completed"],
        "evaluations": counts["total"],
        "evaluated_cases": evaluated,
        "evaluation_rate": percent(evaluated, cases["completed"]),
        "satisfaction": percent(counts["satisfied"], counts["total"]),
        "bad_reviews": counts["bad"],
        "followed_up": counts["followed_up"],
        "appeals_upheld": evaluations.filter(appeal=Appeal.UPHELD).count(),
        "overdue": sum(unit.overdue for unit in windows),
        "red": sum(unit.red for unit in windows),
        "findings": sum(unit.findings for unit in windows),
        "lights": ranking.lights,
        "rating_mix": [[label, mix.get(value, 0)] for value, label in Rating.choices],
    }


def unit_rows(table):
    """A ranking table (windows or departments) as the bulletin and the dashboard print it."""
    return [
        {
            "unit_id": unit.unit_id,
            "rank": unit.rank,
            "label": unit.label,
            "findings": unit.findings,
            "finding_deduction": points(unit.finding_deduction),
            "cases": unit.cases,
            "on_time": as_float(unit.on_time_rate),
            "overdue": unit.overdue,
            "red": unit.red,
            "evaluations": unit.evaluations,
            "satisfaction": as_float(unit.satisfaction),
            "sample_too_small": unit.sample_too_small,
            "bad_reviews": unit.bad_reviews,
            "adjustment": numbers.adjustment(unit.satisfaction_adjustment),
            "score": str(unit.score),
            "previous_rank": unit.previous_rank,
            "rank_change": unit.rank_change,
            "warned": unit.warned,
        }
        for unit in table
    ]


def _published_ranking(bulletin):
    """Last month's tables as its bulletin published them: rank changes and the "last twice"
    warning compare with what managers were told, not with a recomputation."""
    tables = {
        level: [
            scoring.UnitScore(
                unit_id=row["unit_id"],
                label=row["label"],
                rank=row["rank"],
                score=Decimal(row["score"]),
            )
            for row in bulletin.content[level]
        ]
        for level in ("windows", "departments")
    }
    return scoring.Ranking(
        month=bulletin.period_start, through=bulletin.period_end, rules=bulletin.rules, **tables
    )


def _red_case_rows(start, end):
    """Cases whose legal due date fell in the month and that were not completed by it."""
    return [
        case_row(
            case,
            completed=month_day(timezone.localdate(case.completed_at))
            if case.completed_at
            else "未办结",
        )
        for case in Case.objects.filter(legal_due__range=(start, end))
        .annotate(completed_on=TruncDate("completed_at"))
        .filter(Q(completed_at__isnull=True) | Q(completed_on__gt=F("legal_due")))
        .select_related("window", "department")
        .order_by("legal_due", "number")[:MAX_LISTED]
    ]


def _previous_month(before):
    """(ranking, overview) of the month before, to compare with: as its bulletin published them
    when there is one, else computed; an empty ranking and no overview when it has no record
    (the first month of the hall's data: every unit 新, every change —)."""
    # Its newest edition: a corrected ranking is the one managers were last told.
    published = (
        Bulletin.objects.filter(kind=BulletinKind.MONTHLY, period_start=before)
        .order_by("-edition")
        .first()
    )
    if published is not None:
        overview = published.content["overview"]
        if _had_records(overview):
            return _published_ranking(published), overview
        return scoring.no_ranking(before), overview
    if not scoring.has_records(before):
        return scoring.no_ranking(before), None
    # Its own rank changes are not needed: no month before it is computed.
    ranking = scoring.compute_ranking(
        before,
        through=scoring.month_bounds(before)[1],
        previous=scoring.no_ranking(scoring.previous_month(before)),
    )
    return ranking, month_overview(before, ranking)


def compile_monthly(start, end, rules):
    previous, previous_overview = _previous_month(scoring.previous_month(start))
    ranking = scoring.compute_ranking(start, rules=rules, through=end, previous=previous)
    overview = month_overview(start, ranking)
    changes = month_on_month(overview, previous_overview)
    start_at, end_at = day_range(start, end)
    bad_reviews = bad_review_rows(
        Evaluation.objects.filter(evaluated_at__gte=start_at, evaluated_at__lt=end_at)
    )
    windows, departments = unit_rows(ranking.windows), unit_rows(ranking.departments)
    flag = ranking.red_flag
    return {
        "overview": overview,
        "previous_overview": previous_overview,
        "changes": changes,
        "method": scoring.method_lines(rules),
        "windows": windows,
        "departments": departments,
        "red_flag": flag
        and {"label": flag.label, "score": str(flag.score), "unit_id": flag.unit_id},
        "commended": [
            row
            for row in windows
            if row["rank"] <= rules.commend_top and Decimal(row["score"]) >= rules.commend_min_score
        ],
        "commendation": {"top": rules.commend_top, "min_score": points(rules.commend_min_score)},
        "warned": [row["label"] for row in windows + departments if row["warned"]],
        "bad_reviews": bad_reviews,
        "red_cases": _red_case_rows(start, end),
        "window_chart": [[row["label"], float(row["score"])] for row in windows],
        "department_chart": [[row["label"], float(row["score"])] for row in departments],
        "rating_chart": overview["rating_mix"],
        "through": end.isoformat(),
        "departments_concerned": [unit.unit_id for unit in ranking.departments],
    }

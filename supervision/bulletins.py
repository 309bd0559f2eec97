"""Compile, store and render the three bulletins (content outline: docs/supervision.md).

    make_bulletin(kind, period) → Bulletin   (one per kind and period, however often called)

Each compiler reads the hall data of its period once and returns plain JSON-ready content:
numbers, and texts already worded. `make_bulletin` stores that content first and renders the
PDF from it (through publications.pdf, which owns fonts and layout), so a bulletin that
crashed half way is finished from what it stored, and an old bulletin re-rendered reads the
same as the day it was made.
"""

import datetime
import hashlib
import logging
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from publications.charts import format_value
from publications.pdf import render_pdf
from supervision import scoring
from supervision.choices import (
    BAD_REVIEW_MAX_RATING,
    Appeal,
    BulletinKind,
    FindingCategory,
    Light,
    Rating,
)
from supervision.lights import day_range, open_case_lights
from supervision.models import Bulletin, Case, Evaluation, Finding, InspectionRound
from supervision.workdays import WorkingCalendar

logger = logging.getLogger(__name__)

ONE_DAY = datetime.timedelta(days=1)
TEMPLATES = {kind: f"supervision/bulletins/{kind}.html" for kind in BulletinKind.values}
# Long lists are cut in print: a manager reads the first rows, the archive holds the data.
MAX_LISTED = 60


# ---- periods ---------------------------------------------------------------------------


def period_of(kind, day):
    """(first day, last day) of the period of `kind` containing `day`."""
    if kind == BulletinKind.DAILY:
        return day, day
    if kind == BulletinKind.WEEKLY:
        monday = day - datetime.timedelta(days=day.weekday())
        return monday, monday + datetime.timedelta(days=6)
    return scoring.month_bounds(day)


def previous_period(kind, start):
    return period_of(kind, start - ONE_DAY)


def period_label(kind, start, end):
    if kind == BulletinKind.DAILY:
        return f"{start:%Y}年{start.month}月{start.day}日"
    if kind == BulletinKind.WEEKLY:
        return f"{start:%Y}年{start.month}月{start.day}日—{end.month}月{end.day}日"
    return f"{start:%Y}年{start.month}月"


def latest_complete_period(kind, today):
    """The newest period of `kind` that has ended before `today`; for daily bulletins the
    newest working day (the hall is closed on the others: no patrols, no bulletin)."""
    if kind == BulletinKind.DAILY:
        calendar = WorkingCalendar.load()
        day = today - ONE_DAY
        while not calendar.is_working_day(day):
            day -= ONE_DAY
        return day, day
    return previous_period(kind, period_of(kind, today)[0])


# ---- small helpers ---------------------------------------------------------------------


def _points(value):
    return format_value(value)


def _percent(numerator, denominator):
    if not denominator:
        return None
    return float((Decimal(numerator) * 100 / denominator).quantize(Decimal("0.01")))


def _float(value):
    return None if value is None else float(value)


def _day(value):
    return f"{value.month}月{value.day}日" if value else ""


def _window_label(window):
    return f"{window.number} {window.name}"


def _finding_rows(findings, rules):
    rows = []
    for finding in findings.select_related("window", "department", "staff", "round")[:MAX_LISTED]:
        deduction = finding.deduction
        if deduction is None:
            deduction = rules.deduction_for(finding.category) if rules else None
        rows.append(
            {
                "number": finding.number,
                "date": _day(finding.round.date),
                "round": finding.round.get_kind_display(),
                "window": finding.window.number,
                "window_name": finding.window.name,
                "department": finding.department.display_name,
                "department_id": finding.department_id,
                "staff": finding.staff.name if finding.staff else "",
                "category": finding.get_category_display(),
                "description": finding.description,
                "deduction": _points(deduction),
                "deadline": _day(finding.fix_deadline),
                "fixed": _day(timezone.localdate(finding.fixed_at)) if finding.fixed_at else "",
            }
        )
    return rows


def _bad_review_rows(evaluations):
    rows = []
    queryset = _bad_reviews(evaluations)
    for evaluation in queryset.select_related("window", "department", "staff").order_by(
        "evaluated_at"
    )[:MAX_LISTED]:
        rows.append(
            {
                "number": evaluation.number,
                "date": _day(timezone.localdate(evaluation.evaluated_at)),
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


def _case_row(case, **extra):
    """A case as the bulletins list it; `extra` adds the columns one bulletin needs."""
    return {
        "number": case.number,
        "item": case.item_name or case.item_code,
        "window": case.window.number,
        "department": case.department.display_name,
        "department_id": case.department_id,
        "accepted": _day(timezone.localdate(case.accepted_at)),
        "legal_due": _day(case.legal_due),
        **extra,
    }


def _light_rows(day, rules, calendar):
    """Open cases with a red light on `day`, worst first, and the counts of both lights."""
    filters = open_case_lights(day, rules.yellow_within_days, calendar)
    counts = Case.objects.aggregate(
        red=Count("id", filter=filters[Light.RED]), yellow=Count("id", filter=filters[Light.YELLOW])
    )
    rows = [
        _case_row(
            case,
            promised_due=_day(case.promised_due),
            days_over=calendar.working_days_between(case.legal_due, day),
        )
        for case in Case.objects.filter(filters[Light.RED])
        .select_related("window", "department")
        .order_by("legal_due", "number")[:MAX_LISTED]
    ]
    return counts, rows


def _red_cases(day, rules, calendar):
    return Case.objects.filter(open_case_lights(day, rules.yellow_within_days, calendar)[Light.RED])


def _bad_reviews(evaluations):
    return evaluations.filter(rating__lte=BAD_REVIEW_MAX_RATING).exclude(appeal=Appeal.UPHELD)


def _concerned(*querysets):
    """The departments a bulletin mentions, from every row (its tables list MAX_LISTED), for
    the subscriptions limited to departments."""
    return sorted({pk for rows in querysets for pk in rows.values_list("department_id", flat=True)})


# ---- the daily inspection bulletin -----------------------------------------------------


def compile_daily(day, rules):
    rounds = InspectionRound.objects.filter(date=day).order_by("kind")
    findings = Finding.objects.filter(round__date=day).order_by("window__number", "number")
    # Totals over every finding; the tables list at most MAX_LISTED rows.
    totals = findings.aggregate(
        count=Count("id"),
        points=Sum(scoring._standard_deduction(rules)),
        windows=Count("window", distinct=True),
    )
    rows = _finding_rows(findings, rules)
    # Yesterday's (the previous working day's) findings: fixed by now or not.
    calendar = WorkingCalendar.load()
    before = day - ONE_DAY
    while not calendar.is_working_day(before):
        before -= ONE_DAY
    earlier_findings = Finding.objects.filter(round__date=before)
    earlier_totals = earlier_findings.aggregate(
        count=Count("id"),
        fixed=Count("id", filter=Q(fixed_at__isnull=False)),
        unfixed=Count("id", filter=Q(fixed_at__isnull=True)),
    )
    earlier = _finding_rows(earlier_findings.order_by("window__number", "number"), rules)
    light_counts, red_cases = _light_rows(day, rules, calendar)
    return {
        "rounds": [
            {"kind": r.get_kind_display(), "inspectors": r.inspectors, "note": r.note}
            for r in rounds
        ],
        "findings": rows,
        "finding_count": totals["count"],
        "deduction": _points(totals["points"] or Decimal(0)),
        "windows_concerned": totals["windows"],
        "earlier_date": _day(before),
        "earlier": earlier,
        "earlier_count": earlier_totals["count"],
        "earlier_fixed": earlier_totals["fixed"],
        "earlier_unfixed": earlier_totals["unfixed"],
        "lights": light_counts,
        "red_cases": red_cases,
        "departments_concerned": _concerned(findings, _red_cases(day, rules, calendar)),
        "method": scoring.inspection_method_lines(rules),
    }


# ---- the weekly summary ----------------------------------------------------------------


def _category_counts(findings):
    counts = dict(findings.values_list("category").annotate(n=Count("id")).order_by())
    return {key: counts.get(key, 0) for key in FindingCategory.values}


def compile_weekly(start, end, rules):
    calendar = WorkingCalendar.load()
    findings = Finding.objects.filter(round__date__range=(start, end))
    before_start, before_end = previous_period(BulletinKind.WEEKLY, start)
    earlier = Finding.objects.filter(round__date__range=(before_start, before_end))
    this_week, last_week = _category_counts(findings), _category_counts(earlier)
    by_category = [
        {
            "category": label,
            "count": this_week[key],
            "previous": last_week[key],
            "change": this_week[key] - last_week[key],
        }
        for key, label in FindingCategory.choices
    ]
    previous_by_department = dict(
        earlier.values_list("department__short_name").annotate(n=Count("id")).order_by()
    )
    by_department = [
        {
            "department": row["department__short_name"] or row["department__name"],
            "count": row["n"],
            "deduction": _points(row["points"]) if row["points"] is not None else "—",
            "previous": previous_by_department.get(row["department__short_name"], 0),
        }
        for row in findings.values("department__short_name", "department__name")
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
    bad_reviews = _bad_review_rows(evaluations)
    light_counts, red_cases = _light_rows(end, rules, calendar)
    finding_rows = _finding_rows(findings.order_by("round__date", "window__number"), rules)
    return {
        "finding_count": findings.count(),
        "previous_finding_count": earlier.count(),
        "rounds": InspectionRound.objects.filter(date__range=(start, end)).count(),
        "by_category": by_category,
        "by_department": by_department,
        "repeat_offenders": repeat,
        "fix_due": due.count(),
        "fixed_in_time": fixed_in_time,
        "fix_rate": _percent(fixed_in_time, due.count()),
        "unfixed": findings.filter(fixed_at__isnull=True).count(),
        "evaluations": evaluations.exclude(appeal=Appeal.UPHELD).count(),
        "bad_reviews": bad_reviews,
        "lights": light_counts,
        "red_cases": red_cases,
        "findings": finding_rows,
        "category_chart": [[row["category"], row["count"]] for row in by_category],
        "departments_concerned": _concerned(
            findings, _bad_reviews(evaluations), _red_cases(end, rules, calendar)
        ),
        "method": scoring.inspection_method_lines(rules),
    }


# ---- the monthly ranking bulletin ------------------------------------------------------


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
        "evaluation_rate": _percent(evaluated, cases["completed"]),
        "satisfaction": _percent(counts["satisfied"], counts["total"]),
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
    return [
        {
            "unit_id": unit.unit_id,
            "rank": unit.rank,
            "label": unit.label,
            "findings": unit.findings,
            "finding_deduction": _points(unit.finding_deduction),
            "cases": unit.cases,
            "on_time": _float(unit.on_time_rate),
            "overdue": unit.overdue,
            "red": unit.red,
            "evaluations": unit.evaluations,
            "satisfaction": _float(unit.satisfaction),
            "sample_too_small": unit.sample_too_small,
            "bad_reviews": unit.bad_reviews,
            "adjustment": _points(unit.satisfaction_adjustment),
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


def compile_monthly(start, end, rules):
    before = scoring.previous_month(start)
    published = Bulletin.objects.filter(kind=BulletinKind.MONTHLY, period_start=before).first()
    previous = _published_ranking(published) if published else None
    ranking = scoring.compute_ranking(start, rules=rules, through=end, previous=previous)
    overview = month_overview(start, ranking)
    if published is not None:
        previous_overview = published.content["overview"]
    else:
        before_end = scoring.month_bounds(before)[1]
        previous_overview = month_overview(
            before, scoring.compute_ranking(before, through=before_end)
        )
    changes = {}
    for key in (
        "cases",
        "evaluations",
        "evaluation_rate",
        "satisfaction",
        "bad_reviews",
        "overdue",
        "red",
    ):
        now, then = overview[key], previous_overview.get(key)
        changes[key] = None if now is None or then is None else round(now - then, 2)
    start_at, end_at = day_range(start, end)
    bad_reviews = _bad_review_rows(
        Evaluation.objects.filter(evaluated_at__gte=start_at, evaluated_at__lt=end_at)
    )
    red_cases = [
        _case_row(
            case,
            completed=_day(timezone.localdate(case.completed_at))
            if case.completed_at
            else "未办结",
        )
        for case in Case.objects.filter(legal_due__range=(start, end))
        .annotate(completed_on=TruncDate("completed_at"))
        .filter(Q(completed_at__isnull=True) | Q(completed_on__gt=F("legal_due")))
        .select_related("window", "department")
        .order_by("legal_due", "number")[:MAX_LISTED]
    ]
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
        "commendation": {"top": rules.commend_top, "min_score": _points(rules.commend_min_score)},
        "warned": [row["label"] for row in windows + departments if row["warned"]],
        "bad_reviews": bad_reviews,
        "red_cases": red_cases,
        "window_chart": [[row["label"], float(row["score"])] for row in windows],
        "department_chart": [[row["label"], float(row["score"])] for row in departments],
        "rating_chart": overview["rating_mix"],
        "through": end.isoformat(),
        "departments_concerned": [unit.unit_id for unit in ranking.departments],
    }


# ---- making a bulletin -----------------------------------------------------------------

COMPILERS = {
    BulletinKind.DAILY: lambda start, end, rules: compile_daily(start, rules),
    BulletinKind.WEEKLY: compile_weekly,
    BulletinKind.MONTHLY: compile_monthly,
}


def _issue_number(kind, start):
    return Bulletin.objects.filter(kind=kind, period_start__year=start.year).count() + 1


def make_bulletin(kind, day):
    """The bulletin of `kind` for the period containing `day`: made if missing, its PDF
    rendered if missing; an existing complete bulletin is returned untouched."""
    kind = BulletinKind(kind)
    start, end = period_of(kind, day)
    bulletin = Bulletin.objects.filter(kind=kind, period_start=start).first()
    if bulletin is None:
        rules = scoring.rules_in_force(start)
        content = COMPILERS[kind](start, end, rules)
        content["method_rules"] = {"version": rules.pk, "name": rules.name}
        label = period_label(kind, start, end)
        try:
            with transaction.atomic():
                bulletin = Bulletin.objects.create(
                    kind=kind,
                    period_start=start,
                    period_end=end,
                    issue_number=_issue_number(kind, start),
                    title=f"{settings.WAGTAIL_SITE_NAME}{kind.label}（{label}）",
                    rules=rules,
                    content=content,
                )
                if rules.first_used_at is None:
                    type(rules).objects.filter(pk=rules.pk).update(first_used_at=timezone.now())
        except IntegrityError:  # another worker made it first: theirs stands
            bulletin = Bulletin.objects.get(kind=kind, period_start=start)
    if not bulletin.pdf:
        render(bulletin)
    if kind == BulletinKind.MONTHLY:
        from supervision.gallery import award_red_flag

        award_red_flag(bulletin)  # the winner's photo in 窗口风采; once per month
    return bulletin


def render(bulletin):
    """Render the bulletin's stored content to its PDF and record the file's SHA-256."""
    context = {
        "bulletin": bulletin,
        "c": bulletin.content,
        "centre_name": settings.WAGTAIL_SITE_NAME,
        "bulletin_name": BulletinKind(bulletin.kind).label,
        "issue_number": bulletin.issue_number,
        "period": period_label(bulletin.kind, bulletin.period_start, bulletin.period_end),
        "issuing_office": f"{settings.WAGTAIL_SITE_NAME}督查科",
        "issue_date": timezone.localdate(bulletin.created_at),
        "for_pdf": True,
    }
    pdf = render_pdf(TEMPLATES[bulletin.kind], context, base_url=settings.WAGTAILADMIN_BASE_URL)
    name = f"{bulletin.kind}-{bulletin.period_start:%Y%m%d}.pdf"
    bulletin.pdf.save(name, ContentFile(pdf.data), save=False)
    bulletin.pdf_sha256 = hashlib.sha256(pdf.data).hexdigest()
    bulletin.pages = pdf.pages
    bulletin.save(update_fields=["pdf", "pdf_sha256", "pages"])
    logger.info("督查简报已生成：%s（%d 页）", bulletin.title, pdf.pages)
    return bulletin


def due_periods(kind, today, *, look_back):
    """Periods of `kind` that should have a bulletin by `today` and have none: among the
    latest `look_back` complete periods (working days, for the daily), those after the kind's
    first bulletin (when this installation began making them). A bulletin made by hand for
    a later period hides none before it. A new installation starts with the latest period."""
    kind = BulletinKind(kind)
    start, _ = latest_complete_period(kind, today)
    made = Bulletin.objects.filter(kind=kind)
    first = made.order_by("period_start").values_list("period_start", flat=True).first()
    existing = set(made.filter(period_start__lte=start).values_list("period_start", flat=True))
    calendar = WorkingCalendar.load() if kind == BulletinKind.DAILY else None
    periods, examined = [], 0
    while examined < look_back and (first is None or start > first):
        if calendar is None or calendar.is_working_day(start):
            examined += 1
            if start not in existing:
                periods.append(start)
            if first is None:
                break
        start = previous_period(kind, start)[0]
    return sorted(periods)

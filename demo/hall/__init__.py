"""Realistic hall data for the demo centre and for benchmarks: staff, inspection rounds and
findings, cases (办件) and citizens' evaluations (好差评), generated from a seed.

`generate_hall_data(start, end, ...)` fills the existing windows (cms.ServiceWindow) with a
period of data at a given scale; `generate_demo_year()` is what `manage.py load_demo` runs
(one year ending yesterday, at a scale that keeps load_demo quick); bench/supervision_data.py
runs the same generator at the scale of a large centre (5.26 million evaluations a year).

What the data looks like, and why (figures from DOMAIN.md):
- everything happens on the working days of the calendar (supervision.workdays), in office
  hours 9:00–12:00 and 13:30–17:30 Beijing time, busier on Mondays and after long holidays;
- 76% of cases are 即办件 (promised 0 days, done in minutes); most others are done within
  their promised limit, about 2% after it and 0.3% after the legal limit; cases not done by
  the end of the period stay open, so the lights show yellow and red ones;
- about 95% of completed cases are evaluated (94.9% in the source); the rest of the
  evaluations (most of them at benchmark scale) rate 即办件 the hall does not track as cases
  and carry no case number;
- ratings are about 90% 非常满意, 6% 满意, 2% 基本满意, 1.5% 不满意, 0.5% 非常不满意, worse for
  two windows and for late cases; bad reviews have a comment, most a follow-up, a few an
  appeal;
- findings fall on a few repeat-offender windows; most windows stay clean most months.

The same seed over the same windows and period gives the same data; each concern (staff,
window profiles, rounds, days) draws from its own random stream, so the staff roster does not
depend on the scale. Rows are generated one day at a time and written in batches without
model instances: SQLite takes them with executemany, PostgreSQL with COPY (200,000
evaluations into the demo database: bulk_create 21,000 rows/s on SQLite and 18,600 on
PostgreSQL; executemany 77,000–82,000 on SQLite; COPY 60,000 on PostgreSQL, where
executemany gave 22,000). Other databases fall back to bulk_create.

Modules: `profile` (the hall's rates, shares and texts), `plan` (the HallPlan that decides and
yields the rows), `draws` (names, moments, shares, dates), `rows` (database rows, written by the
import toolkit's `bulk_writer`), `archive` (the demo's bulletins).
"""

import datetime
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from demo.hall.plan import (
    HallPlan,
    HallWindow,
    Item,
)
from demo.hall.profile import (
    DEFAULT_BATCH_SIZE,
    DEMO_CASES_PER_DAY,
    DEMO_EVALUATIONS_PER_DAY,
    DEMO_FINDINGS_PER_MONTH,
    ONE_DAY,
)
from demo.hall.rows import (
    CASE_FIELDS,
    EVALUATION_FIELDS,
    FINDING_FIELDS,
    case_db_row,
    evaluation_db_row,
    finding_db_row,
)
from imports.writers import bulk_writer
from supervision.models import Case, Evaluation, Finding, InspectionRound, Staff
from supervision.workdays import WorkingCalendar


@dataclass
class HallDataResult:
    start: datetime.date
    end: datetime.date
    working_days: int = 0
    created: dict = field(default_factory=dict)
    seconds: float = 0.0
    skipped: str = ""  # why nothing was created

    @property
    def rows(self):
        return sum(self.created.values())

    def summary(self):
        period = f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"
        if self.skipped:
            return f"大厅数据未生成（{self.skipped}）：{period}。"
        labels = {
            "Staff": "工作人员",
            "InspectionRound": "巡查",
            "Finding": "巡查问题",
            "Case": "办件",
            "Evaluation": "好差评",
        }
        parts = "，".join(f"{labels[k]} {v:,}" for k, v in self.created.items())
        return (
            f"大厅数据 {period}（{self.working_days} 个工作日）已生成：{parts}，"
            f"用时 {self.seconds:.1f} 秒（{self.rows / max(self.seconds, 1e-9):,.0f} 行/秒）。"
        )


def generate_demo_year(today=None, *, seed=2026, progress=None):
    """The demo centre's hall year: the 365 days ending yesterday, all or nothing."""
    end = (today or timezone.localdate()) - ONE_DAY
    start = end - datetime.timedelta(days=364)
    with transaction.atomic():
        return generate_hall_data(
            start,
            end,
            evaluations_per_day=DEMO_EVALUATIONS_PER_DAY,
            cases_per_day=DEMO_CASES_PER_DAY,
            findings_per_month=DEMO_FINDINGS_PER_MONTH,
            seed=seed,
            progress=progress,
        )


def generate_hall_data(
    start,
    end,
    *,
    evaluations_per_day,
    cases_per_day,
    findings_per_month,
    seed=2026,
    progress=None,
    batch_size=DEFAULT_BATCH_SIZE,
):
    """Create hall data for every window from `start` to `end` (both included).

    Rates are per working day (per month for findings, prorated for a partial month) and may
    be fractions: the totals are rate × working days (evaluations may come out a few more:
    when a day's cases bring more evaluations than its share, none is dropped).
    `progress(rows, total)` is called after each batch with the rows just written and the
    planned total. Creates nothing (and says what exists) when the
    windows already have hall data or the period already has inspection rounds.

    Each batch is its own transaction; run it inside `transaction.atomic()` for all or nothing.
    """
    started = time.perf_counter()
    result = HallDataResult(start, end)
    windows = load_windows()
    result.skipped = existing_hall_data(windows, start, end) if windows else "还没有窗口"
    if result.skipped:
        return result

    plan = HallPlan(
        windows,
        WorkingCalendar.load(),
        start,
        end,
        evaluations_per_day=evaluations_per_day,
        cases_per_day=cases_per_day,
        findings_per_month=findings_per_month,
        seed=seed,
    )
    result.working_days = len(plan.days)
    counts = Counter()
    total = plan.planned_rows()

    with transaction.atomic():
        created = Staff.objects.bulk_create(
            Staff(
                number=s.number, name=s.name, window_id=s.window.pk, department_id=s.department_id
            )
            for s in plan.staff
        )
        for member, row in zip(plan.staff, created, strict=True):
            member.pk = row.pk
        rounds = InspectionRound.objects.bulk_create(
            InspectionRound(date=r.date, kind=r.kind, inspectors=r.inspectors, note=r.note)
            for r in plan.rounds
        )
        round_ids = {(r.date, r.kind): r.pk for r in rounds}
    counts["Staff"], counts["InspectionRound"] = len(created), len(rounds)
    if progress:
        progress(len(created) + len(rounds), total)

    writers = {
        "Finding": bulk_writer(Finding, FINDING_FIELDS),
        "Case": bulk_writer(Case, CASE_FIELDS),
        "Evaluation": bulk_writer(Evaluation, EVALUATION_FIELDS),
    }
    buffers = {name: [] for name in writers}

    def flush():
        with transaction.atomic():
            for name, rows in buffers.items():
                writers[name].insert(rows)
                counts[name] += len(rows)
        written = sum(len(rows) for rows in buffers.values())
        for rows in buffers.values():
            rows.clear()
        if progress:
            progress(written, total)

    for findings, cases, evaluations in plan.generate():
        buffers["Finding"].extend(finding_db_row(row, round_ids) for row in findings)
        buffers["Case"].extend(case_db_row(row) for row in cases)
        buffers["Evaluation"].extend(evaluation_db_row(row) for row in evaluations)
        if sum(len(rows) for rows in buffers.values()) >= batch_size:
            flush()
    flush()

    result.created = {
        name: counts[name] for name in ("Staff", "InspectionRound", "Finding", "Case", "Evaluation")
    }
    result.seconds = time.perf_counter() - started
    return result


def load_windows():
    """The windows with their departments and items, in window-number order.

    A window's departments are the ones the CMS links to it; a window with none (the demo has
    a few: A08 绿色通道, K01 统一出件...) takes those of the other windows in its zone, or all.
    Items are the live guides that name the window, or else the guides of its departments;
    a window with neither gets a few synthetic items so that a bare test database works too.
    """
    from cms.models import Department, ServiceGuidePage, ServiceWindow

    all_departments = list(Department.objects.order_by("code").values_list("pk", "short_name"))
    if not all_departments:
        return []
    short_names = dict(all_departments)
    rows = list(
        ServiceWindow.objects.order_by("number").values_list(
            "pk", "number", "zone", "is_comprehensive"
        )
    )
    linked = defaultdict(set)
    for window_id, department_id in ServiceWindow.departments.through.objects.values_list(
        "servicewindow_id", "department_id"
    ):
        linked[window_id].add(department_id)
    by_zone = defaultdict(set)
    for pk, _number, zone, _comprehensive in rows:
        by_zone[zone] |= linked[pk]

    guides = {}
    guides_at = defaultdict(list)
    for pk, code, title, department_id, promised, legal, window_id in (
        ServiceGuidePage.objects.live()
        .order_by("implementation_code", "pk")
        .values_list(
            "pk",
            "implementation_code",
            "title",
            "department_id",
            "promised_days",
            "legal_days",
            "windows",
        )
    ):
        if department_id is None:
            continue
        item = guides.get(pk)
        if item is None:
            item = guides[pk] = Item(
                code, title[:200], department_id, promised, max(legal, promised)
            )
        if window_id is not None:
            guides_at[window_id].append(item)
    guides_of = defaultdict(list)
    for item in guides.values():
        guides_of[item.department_id].append(item)

    windows = []
    for pk, number, zone, comprehensive in rows:
        departments = sorted(linked[pk] or by_zone[zone] or [d for d, _ in all_departments])
        items = guides_at.get(pk) or [i for d in departments for i in guides_of[d]]
        if not items:
            items = synthetic_items(departments, short_names)
        windows.append(
            HallWindow(
                pk=pk,
                number=number,
                comprehensive=comprehensive,
                department_ids=departments,
                instant_items=[i for i in items if i.promised_days == 0],
                standard_items=[i for i in items if i.promised_days > 0],
            )
        )
    return windows


def synthetic_items(department_ids, short_names):
    """Plausible items for a window the catalogue says nothing about."""
    kinds = [
        ("GG", "证明开具", 0, 1),
        ("QR", "信息变更登记", 0, 5),
        ("QR", "资格认定", 0, 10),
        ("XK", "许可申请", 5, 20),
        ("XK", "许可延续", 3, 20),
        ("GF", "待遇申领", 7, 30),
    ]
    items = []
    for department_id in department_ids:
        for n, (kind, name, promised, legal) in enumerate(kinds, start=1):
            code = f"DEMO{department_id:06d}-{kind}-{n:04d}"
            items.append(
                Item(code, f"{short_names[department_id]}{name}", department_id, promised, legal)
            )
    return items


def existing_hall_data(windows, start, end):
    """What hall data already exists for these windows or this period, or ""."""
    window_ids = [w.pk for w in windows]
    for model in (Staff, Evaluation, Case, Finding):
        if model.objects.filter(window_id__in=window_ids).exists():
            return f"已有{model._meta.verbose_name}数据"
    if InspectionRound.objects.filter(date__range=(start, end)).exists():
        return "该期间已有巡查记录"
    return ""

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
"""

import bisect
import datetime
import itertools
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from supervision.choices import (
    BAD_REVIEW_MAX_RATING,
    Appeal,
    Channel,
    FindingCategory,
    InspectionKind,
    Rating,
)
from supervision.models import Case, Evaluation, Finding, InspectionRound, Staff
from supervision.workdays import WorkingCalendar

ONE_DAY = datetime.timedelta(days=1)

# One year ending yesterday at this scale: about 37,000 cases and 35,000 evaluations, which
# add under 2 seconds to load_demo on SQLite (1.7 s measured on 2 CPU cores).
DEMO_EVALUATIONS_PER_DAY = 142
DEMO_CASES_PER_DAY = 150
DEMO_FINDINGS_PER_MONTH = 30
DEFAULT_BATCH_SIZE = 20_000

# Office hours as seconds after local midnight: 9:00–12:00 and 13:30–17:30 (cms demo data,
# OFFICE_HOURS). Half-hour slots weighted by how busy a hall is: a peak mid-morning, a
# smaller one mid-afternoon, a quiet last half hour.
MORNING_END, AFTERNOON_END = 12 * 3600, 17 * 3600 + 1800
SLOT_STARTS = [9 * 3600 + 1800 * i for i in range(6)] + [
    13 * 3600 + 1800 * (i + 1) for i in range(8)
]
SLOT_CUM = list(
    itertools.accumulate([0.9, 1.2, 1.3, 1.3, 1.1, 0.8, 0.7, 1.0, 1.1, 1.1, 1.0, 0.9, 0.7, 0.4])
)
# Mondays are the busiest day, Fridays the quietest; a make-up Saturday (调休) is a light day.
WEEKDAY_LOAD = {0: 1.18, 1: 1.06, 2: 1.0, 3: 0.98, 4: 0.9, 5: 0.85, 6: 0.85}
AFTER_HOLIDAY_LOAD = 1.35

# Ratings best first, with cumulative percentages.
RATINGS = sorted(Rating.values, reverse=True)
# Most windows do a little better than the hall's figures, which also count the two poorly
# rated windows and the late cases.
RATING_CUM = list(itertools.accumulate([91.2, 5.6, 1.8, 1.05, 0.35]))
POOR_WINDOW_RATING_CUM = list(itertools.accumulate([80, 9, 4, 5, 2]))
LATE_CASE_RATING_CUM = list(itertools.accumulate([50, 15, 12, 15, 8]))
# Plain values: enum members compared millions of times cost more than the comparison.
BAD_RATING = int(BAD_REVIEW_MAX_RATING)
FAIRLY_SATISFIED = int(Rating.FAIRLY_SATISFIED)
NO_APPEAL = Appeal.NONE.value
CHANNELS = [Channel.HALL.value, Channel.ONLINE.value, Channel.APP.value]
CHANNEL_CUM = [60, 90, 100]
INSTANT_SHARE = 0.76
EVALUATED_SHARE = 0.95
LATE_SHARE = 0.02
BEYOND_LEGAL_SHARE = 0.0027

# Attendance, etiquette and environment are what a patrol sees most; the service rules are
# found less often, accountability cases rarely.
CATEGORY_WEIGHTS = {
    FindingCategory.ATTENDANCE: 25,
    FindingCategory.ETIQUETTE: 22,
    FindingCategory.ENVIRONMENT: 20,
    FindingCategory.DISCIPLINE: 12,
    FindingCategory.TELL_ONCE: 6,
    FindingCategory.FIRST_ASKED: 5,
    FindingCategory.TIME_LIMIT: 4,
    FindingCategory.AB_POST: 4,
    FindingCategory.ACCOUNTABILITY: 2,
}
CATEGORIES = [category.value for category in CATEGORY_WEIGHTS]
CATEGORY_CUM = list(itertools.accumulate(CATEGORY_WEIGHTS.values()))
FINDING_TEXTS = {
    "attendance": [
        "{time}巡查时，{name}离岗未放置“暂停服务”提示牌，群众等候约{minutes}分钟。",
        "{name}上午迟到{minutes}分钟，未履行请假手续。",
        "{time}巡查时窗口空岗，{name}提前离岗。",
        "{name}未按规定进行上岗签到。",
    ],
    "etiquette": [
        "{name}未按规定着工装、佩戴工作牌。",
        "{name}接待群众时语气生硬，未使用文明用语。",
        "{name}办理业务时未起身迎送，坐姿不端。",
        "{name}对群众咨询回应不耐烦。",
    ],
    "environment": [
        "窗口台面杂乱，办事资料摆放不整齐。",
        "窗口桌面摆放水杯、零食等私人物品。",
        "窗口电子显示屏未显示窗口名称和工作人员信息。",
        "等候区座椅损坏未及时报修。",
        "窗口服务评价器未开启。",
    ],
    "discipline": [
        "{time}巡查时，{name}在工作时间使用手机浏览与工作无关的内容。",
        "{name}在窗口内进食。",
        "{name}工作时间串岗闲聊。",
    ],
    "first_asked": ["群众咨询非本窗口业务，{name}未告知办理窗口也未引导，群众往返两次。"],
    "tell_once": ["{name}未一次性告知所需材料，群众二次补交材料。"],
    "time_limit": ["窗口办件超过承诺时限未办结，也未向申请人说明原因。"],
    "ab_post": ["A岗人员请假，B岗人员未及时到岗补位，窗口空岗约{minutes}分钟。"],
    "accountability": ["群众投诉窗口推诿，经核实属实，窗口未按规定报告和处理。"],
}
# Most findings take the category's standard deduction (blank); an inspector writes one down
# for a graver or lighter case.
EXPLICIT_DEDUCTION_SHARE = 0.2
EXPLICIT_DEDUCTIONS = [Decimal("0.5"), Decimal("1"), Decimal("2"), Decimal("3"), Decimal("5")]
EXPLICIT_DEDUCTION_CUM = [3, 7, 9, 10, 10.5]
INSPECTORS = ["王敏", "李娟", "张伟", "刘洋", "陈静", "杨帆", "赵丽", "周杰"]

BAD_COMMENTS = [
    "排队等了一个多小时，窗口只开了一个。",
    "材料没有一次性告知清楚，跑了两趟才办好。",
    "工作人员态度生硬，问两句就不耐烦。",
    "说好的办结时间超了也没人通知进度。",
    "叫号后窗口人员迟迟不在岗。",
    "系统故障办理中断，让第二天再来。",
    "网上已经提交过的材料窗口又要求提供纸质件。",
    "咨询电话一直打不通。",
    "不同窗口说法不一致，来回跑。",
    "办理时间太长，流程繁琐。",
]
FAIR_COMMENTS = [
    "总体还行，就是排队时间有点长。",
    "办成了，但材料要求可以在网上说得更清楚些。",
    "等候区人太多，座位不够。",
    "办理还算顺利。",
]
GOOD_COMMENTS = [
    "服务热情，一次就办好了。",
    "工作人员耐心细致，点赞！",
    "材料指导很清楚，十分钟办完。",
    "帮办代办很贴心，少跑了腿。",
    "效率高，态度好。",
    "没想到这么快就拿到证了。",
]
FOLLOW_UPS = [
    "已于{date}电话回访申请人，说明情况并致歉；窗口已组织学习一次性告知制度。",
    "已于{date}回访，申请人对处理结果表示认可；已对当事工作人员进行提醒谈话。",
    "已于{date}回访；已在高峰时段增开窗口，引导群众使用自助终端分流。",
    "已于{date}回访申请人并协助办结；已将系统故障情况报信息科排查。",
    "已于{date}回访，申请人未接听，已发送短信说明整改情况。",
]
UPHELD_FOLLOW_UP = "经核实，差评原因系政策规定或系统原因，非窗口人员责任，申诉成立（{date}）。"
APPEAL_SHARE = 0.12
FOLLOW_UP_SHARE = 0.88

# Names: the most frequent surnames roughly by their share, a few compound ones; given names
# of one or two characters, now and then a rare character (堃 喆 赟...) that tests fonts and
# encodings. All are in GBK, the hall system's export encoding.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹"
)
SURNAME_WEIGHTS = [7.1, 7.0, 6.7, 5.4, 4.5, 3.1, 2.0, 1.9, 1.5, 1.5, 1.3, 1.2, 1.1, 1.1, 1.0]
SURNAME_WEIGHTS += [0.95 - 0.012 * i for i in range(len(SURNAMES) - len(SURNAME_WEIGHTS))]
COMPOUND_SURNAMES = ["欧阳", "上官", "司马", "诸葛", "皇甫"]
GIVEN_CHARACTERS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玲红建文辉鹏宇浩婷雪琳晨欣怡佳俊博涵子梓轩"
    "睿一诺雨思悦嘉瑶倩颖慧晓志海波斌峰宁燕萍洁丹凯昊然航泽宏振国荣春云飞亮龙璐蕾琪彤鑫蓉楠帆阳"
)
RARE_CHARACTERS = "堃喆赟昇玥珺彧翀垚犇燚旸祎琤頔"
RARE_SHARE = 0.03


@dataclass(eq=False)
class Item:
    """A service item a window handles, with its limits in working days."""

    code: str
    name: str
    department_id: int
    promised_days: int
    legal_days: int


@dataclass(eq=False)
class StaffMember:
    number: str
    name: str
    window: "HallWindow"
    department_id: int
    pk: int | None = None


@dataclass(eq=False)
class HallWindow:
    pk: int
    number: str
    comprehensive: bool
    department_ids: list
    instant_items: list
    standard_items: list
    staff: list = field(default_factory=list)
    traffic: float = 1.0
    offender: float = 1.0
    rating_cum: list = field(default_factory=lambda: RATING_CUM)
    late_factor: float = 1.0
    instant_share: float = INSTANT_SHARE


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
        "Finding": RowWriter(Finding, FINDING_FIELDS),
        "Case": RowWriter(Case, CASE_FIELDS),
        "Evaluation": RowWriter(Evaluation, EVALUATION_FIELDS),
    }
    buffers = {name: [] for name in writers}

    def flush():
        with transaction.atomic():
            for name, rows in buffers.items():
                writers[name].write(rows)
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


@dataclass(eq=False)
class PlannedRound:
    date: datetime.date
    kind: str
    inspectors: str
    note: str
    findings: int


class HallPlan:
    """Everything decided before the first row: who works where, each window's profile,
    the rounds and how many findings each makes, how many cases and evaluations each day
    gets. `generate()` then yields the rows one day at a time."""

    def __init__(
        self,
        windows,
        calendar,
        start,
        end,
        *,
        evaluations_per_day,
        cases_per_day,
        findings_per_month,
        seed=2026,
        staff=None,
        evaluation_prefix="PJ",
        case_prefix="SL",
    ):
        if end < start:
            raise ValueError("end is before start")
        self.windows, self.calendar, self.start, self.end = windows, calendar, start, end
        self.seed = seed
        # Numbers: SL + acceptance date + sequence (受理), PJ + evaluation date + sequence.
        self.evaluation_prefix, self.case_prefix = evaluation_prefix, case_prefix
        self.days = [d for d in dates(start, end) if calendar.is_working_day(d)]
        self.tz = timezone.get_default_timezone()
        self._midnights = {}

        if staff is None:
            self.staff = plan_staff(windows, random.Random(f"{seed}:staff"))
        else:
            self.staff = staff
        for window in windows:
            window.staff = [s for s in self.staff if s.window is window]
        self._profile_windows(random.Random(f"{seed}:windows"))
        self.staffed = [w for w in windows if w.staff]
        self.staffed_cum = list(itertools.accumulate(w.traffic for w in self.staffed))
        self._day_codes = {day: f"{day:%Y%m%d}" for day in dates(start, end + 30 * ONE_DAY)}

        rng = random.Random(f"{seed}:rounds")
        self.rounds = self._plan_rounds(rng, findings_per_month)
        self.rounds_on = defaultdict(list)
        for planned in self.rounds:
            self.rounds_on[planned.date].append(planned)

        rng = random.Random(f"{seed}:load")
        loads, previous = [], None
        for day in self.days:
            load = WEEKDAY_LOAD[day.weekday()] * rng.uniform(0.9, 1.1)
            if previous is not None and (day - previous).days > 3:
                load *= AFTER_HOLIDAY_LOAD
            loads.append(load)
            previous = day
        self.case_counts = apportion(round(cases_per_day * len(self.days)), loads)
        noisy = [load * rng.uniform(0.95, 1.05) for load in loads]
        self.evaluation_counts = apportion(round(evaluations_per_day * len(self.days)), noisy)
        share = evaluations_per_day / cases_per_day if cases_per_day else 0
        self.evaluated_share = min(EVALUATED_SHARE, share)

    def planned_rows(self):
        return (
            len(self.staff)
            + len(self.rounds)
            + sum(r.findings for r in self.rounds)
            + sum(self.case_counts)
            + sum(self.evaluation_counts)
        )

    def _profile_windows(self, rng):
        for window in self.windows:
            window.traffic = (1.6 if window.comprehensive else 1.0) * rng.uniform(0.6, 1.4)
        # Repeat offenders: a tenth of the windows make most findings; a quarter now and then.
        order = list(self.windows)
        rng.shuffle(order)
        offenders = max(1, round(len(order) * 0.1))
        occasional = round(len(order) * 0.25)
        for i, window in enumerate(order):
            window.offender = 10.0 if i < offenders else 1.5 if i < offenders + occasional else 0.25
        # Two windows (not the offenders) with worse ratings and more late cases.
        for window in order[-2:] if len(order) > 2 else []:
            window.rating_cum = POOR_WINDOW_RATING_CUM
            window.late_factor = 3.0
        # A window with both kinds of item takes 即办件 often enough that, over the whole hall,
        # 76% of cases are 即办件 (some windows have only one kind).
        total = sum(w.traffic for w in self.windows)
        only_instant = sum(w.traffic for w in self.windows if not w.standard_items) / total
        both = sum(w.traffic for w in self.windows if w.instant_items and w.standard_items) / total
        share = (INSTANT_SHARE - only_instant) / both if both else INSTANT_SHARE
        for window in self.windows:
            window.instant_share = min(1.0, max(0.0, share))
        self.traffic_cum = list(itertools.accumulate(w.traffic for w in self.windows))
        self.offender_cum = list(itertools.accumulate(w.offender for w in self.windows))

    def _plan_rounds(self, rng, findings_per_month):
        """A daily round every working day; each month two centralised rounds and one to three
        surprise checks. A month's findings go to its rounds, more to the bigger rounds."""
        rounds = []
        by_month = defaultdict(list)
        for day in self.days:
            by_month[day.year, day.month].append(day)
        for (year, month), days in sorted(by_month.items()):
            month_days = [
                d
                for d in dates(datetime.date(year, month, 1), month_end(year, month))
                if self.calendar.is_working_day(d)
            ]
            fraction = len(days) / len(month_days)
            planned = [(day, InspectionKind.DAILY.value, 1.0) for day in days]
            for kind, count, weight in (
                (InspectionKind.CENTRALISED.value, round(2 * fraction), 4.0),
                (InspectionKind.SURPRISE.value, round(rng.randint(1, 3) * fraction), 2.0),
            ):
                for day in sorted(rng.sample(days, min(count, len(days)))):
                    planned.append((day, kind, weight))
            planned.sort(key=lambda p: (p[0], p[1]))
            findings = Counter(
                rng.choices(
                    range(len(planned)),
                    weights=[p[2] for p in planned],
                    k=round(findings_per_month * fraction),
                )
            )
            for i, (day, kind, _weight) in enumerate(planned):
                count = findings[i]
                inspectors = "督查科 " + "、".join(rng.sample(INSPECTORS, 2))
                label = InspectionKind(kind).label
                result = f"发现问题{count}处" if count else "未发现问题"
                if kind == InspectionKind.SURPRISE:
                    note = f"{label}窗口{min(len(self.windows), 10)}个，{result}。"
                else:
                    note = f"{label}窗口{len(self.windows)}个，{result}。"
                rounds.append(PlannedRound(day, kind, inspectors, note, count))
        return rounds

    # Times -------------------------------------------------------------------------------

    def day_code(self, day):
        code = self._day_codes.get(day)
        if code is None:
            code = self._day_codes[day] = f"{day:%Y%m%d}"
        return code

    def moment(self, day, seconds):
        """The aware instant `seconds` after local midnight of `day`."""
        midnight = self._midnights.get(day)
        if midnight is None:
            midnight = datetime.datetime.combine(day, datetime.time(), tzinfo=self.tz)
            midnight = self._midnights[day] = midnight.astimezone(datetime.UTC)
        # Asia/Shanghai has no daylight saving time, so adding seconds to midnight is exact.
        return midnight + datetime.timedelta(seconds=seconds)

    # Rows --------------------------------------------------------------------------------

    def generate(self):
        """Yield (findings, cases, evaluations) for each working day, as neutral rows: windows
        and staff are objects (their pk or number is picked by the writer)."""
        rng = random.Random(f"{self.seed}:days")
        evaluation_seq = Counter()  # date → last number used that day
        linked_on = Counter()  # date → evaluations of cases already made for that day
        carry = 0
        for i, day in enumerate(self.days):
            findings = self._findings(rng, day)
            cases, evaluations = self._cases(
                rng, day, self.case_counts[i], evaluation_seq, linked_on
            )
            # Evaluations of cases count towards the day's evaluations; the rest rate
            # untracked 即办件. A day with more case evaluations than its share borrows from
            # the next days.
            quota = self.evaluation_counts[i] - linked_on.pop(day, 0) + carry
            carry = min(quota, 0)
            evaluations += self._untracked_evaluations(rng, day, max(quota, 0), evaluation_seq)
            evaluation_seq.pop(day, None)
            yield findings, cases, evaluations

    def _findings(self, rng, day):
        rows, seq = [], 0
        for planned in self.rounds_on.get(day, ()):
            round_seconds = seconds_in_hours(rng)
            for _ in range(planned.findings):
                seq += 1
                window = self.windows[
                    bisect.bisect(self.offender_cum, rng.random() * self.offender_cum[-1])
                ]
                category = CATEGORIES[bisect.bisect(CATEGORY_CUM, rng.random() * CATEGORY_CUM[-1])]
                text = rng.choice(FINDING_TEXTS[category])
                staff = None
                if "{name}" in text or (window.staff and rng.random() < 0.3):
                    staff = rng.choice(window.staff) if window.staff else None
                minutes = rng.choice((5, 8, 10, 15, 20, 30))
                description = text.format(
                    time=f"{round_seconds // 3600}:{round_seconds % 3600 // 60:02d}",
                    name=f"{staff.name}（{staff.number}）" if staff else "窗口工作人员",
                    minutes=minutes,
                )
                deduction = None
                if rng.random() < EXPLICIT_DEDUCTION_SHARE:
                    x = rng.random() * EXPLICIT_DEDUCTION_CUM[-1]
                    deduction = EXPLICIT_DEDUCTIONS[bisect.bisect(EXPLICIT_DEDUCTION_CUM, x)]
                allowed = rng.randint(1, 3)
                fix_deadline = self.calendar.add_working_days(day, allowed)
                fixed_at = None
                r = rng.random()
                if r < 0.9:  # most are fixed, a few of them late; the rest stay open
                    after = rng.randint(0, allowed) if r < 0.83 else allowed + rng.randint(1, 3)
                    fixed_on = self.calendar.add_working_days(day, after)
                    fixed_seconds = seconds_in_hours(rng)
                    if after == 0:
                        fixed_seconds = max(fixed_seconds, round_seconds + 600)
                        fixed_seconds = min(fixed_seconds, session_end(round_seconds) - 1)
                    if fixed_on <= self.end:
                        fixed_at = self.moment(fixed_on, fixed_seconds)
                department_id = staff.department_id if staff else rng.choice(window.department_ids)
                rows.append(
                    (
                        f"XC{self.day_code(day)}{seq:04d}",
                        (planned.date, planned.kind),
                        window,
                        department_id,
                        staff,
                        category,
                        description,
                        deduction,
                        fix_deadline,
                        fixed_at,
                    )
                )
        return rows

    def _cases(self, rng, day, count, evaluation_seq, linked_on):
        cases, evaluations = [], []
        calendar, end = self.calendar, self.end
        times = sorted(seconds_in_hours(rng) for _ in range(count))
        for seq, seconds in enumerate(times, start=1):
            window = self.windows[
                bisect.bisect(self.traffic_cum, rng.random() * self.traffic_cum[-1])
            ]
            instant = window.instant_items and (
                not window.standard_items or rng.random() < window.instant_share
            )
            item = rng.choice(window.instant_items if instant else window.standard_items)
            promised, legal = item.promised_days, item.legal_days
            r = rng.random() / window.late_factor
            if r < BEYOND_LEGAL_SHARE:
                after = legal + rng.randint(1, 5)
            elif r < BEYOND_LEGAL_SHARE + LATE_SHARE:
                after = rng.randint(promised + 1, legal) if legal > promised else legal + 1
            elif promised == 0:
                after = 0
            else:
                after = 1 + int(promised * rng.random() ** 1.5)
            completed_on = calendar.add_working_days(day, after)
            if after == 0:
                done = min(seconds + rng.randint(180, 2400), session_end(seconds) - 1)
            else:
                done = seconds_in_hours(rng)
            completed_at = self.moment(completed_on, done) if completed_on <= end else None
            number = f"{self.case_prefix}{self.day_code(day)}{seq:05d}"
            cases.append(
                (
                    number,
                    item.code,
                    item.name,
                    window,
                    item.department_id,
                    self.moment(day, seconds),
                    promised,
                    legal,
                    completed_at,
                    calendar.add_working_days(day, promised),
                    calendar.add_working_days(day, legal),
                )
            )
            if completed_at is not None and rng.random() < self.evaluated_share and window.staff:
                at = min(done + rng.randint(30, 1800), session_end(done) - 1)
                rating_cum = LATE_CASE_RATING_CUM if after > promised else window.rating_cum
                linked_on[completed_on] += 1
                evaluations.append(
                    self._evaluation(
                        rng,
                        completed_on,
                        at,
                        evaluation_seq,
                        number,
                        window,
                        item.department_id,
                        pick(rng, window.staff),
                        rating_cum,
                    )
                )
        return cases, evaluations

    def _untracked_evaluations(self, rng, day, count, evaluation_seq):
        rows = []
        staffed, cum = self.staffed, self.staffed_cum
        if not staffed:
            return rows
        for seconds in sorted(seconds_in_hours(rng) for _ in range(count)):
            window = staffed[bisect.bisect(cum, rng.random() * cum[-1])]
            item = pick(rng, window.instant_items or window.standard_items)
            rows.append(
                self._evaluation(
                    rng,
                    day,
                    seconds,
                    evaluation_seq,
                    "",
                    window,
                    item.department_id,
                    pick(rng, window.staff),
                    window.rating_cum,
                )
            )
        return rows

    def _evaluation(
        self, rng, day, seconds, sequence, case_number, window, department_id, staff, rating_cum
    ):
        sequence[day] += 1
        rating = RATINGS[bisect.bisect(rating_cum, rng.random() * rating_cum[-1])]
        channel = CHANNELS[bisect.bisect(CHANNEL_CUM, rng.random() * CHANNEL_CUM[-1])]
        comment, appeal, follow_up = "", NO_APPEAL, ""
        if rating <= BAD_RATING:
            comment = rng.choice(BAD_COMMENTS)
            appeal, follow_up = self._bad_review_outcome(rng, day)
        elif rating == FAIRLY_SATISFIED:
            if rng.random() < 0.3:
                comment = rng.choice(FAIR_COMMENTS)
        elif rng.random() < 0.06:
            comment = rng.choice(GOOD_COMMENTS)
        return (
            f"{self.evaluation_prefix}{self.day_code(day)}{sequence[day]:06d}",
            case_number,
            window,
            department_id,
            staff,
            channel,
            rating,
            comment,
            self.moment(day, seconds),
            appeal,
            follow_up,
        )

    def _bad_review_outcome(self, rng, day):
        """(appeal, follow-up) of a bad review: a few appealed (the recent ones still pending),
        most followed up within two working days."""
        followed_on = self.calendar.add_working_days(day, rng.randint(1, 2))
        date = f"{followed_on.month}月{followed_on.day}日"
        recent = (self.end - day).days <= 10
        appeal = NO_APPEAL
        if rng.random() < APPEAL_SHARE:
            if recent or rng.random() < 0.1:
                appeal = Appeal.PENDING.value
            elif rng.random() < 0.35:
                return Appeal.UPHELD.value, UPHELD_FOLLOW_UP.format(date=date)
            else:
                appeal = Appeal.REJECTED.value
        if followed_on <= self.end and rng.random() < FOLLOW_UP_SHARE:
            return appeal, rng.choice(FOLLOW_UPS).format(date=date)
        return appeal, ""


def plan_staff(windows, rng):
    """3–8 staff per window, numbered window-sequence (工号 A01-03), each in one of the
    window's departments (taken in turn, so a comprehensive window has staff of each)."""
    staff, names = [], set()
    for window in windows:
        departments = list(window.department_ids)
        rng.shuffle(departments)
        for n in range(1, rng.randint(3, 8) + 1):
            name = staff_name(rng)
            while name in names:
                name = staff_name(rng)
            names.add(name)
            department_id = departments[(n - 1) % len(departments)]
            staff.append(StaffMember(f"{window.number}-{n:02d}", name, window, department_id))
    return staff


def staff_name(rng):
    if rng.random() < 0.01:
        surname = rng.choice(COMPOUND_SURNAMES)
    else:
        surname = rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
    length = 1 if rng.random() < 0.3 else 2
    given = "".join(
        rng.choice(RARE_CHARACTERS) if rng.random() < RARE_SHARE else rng.choice(GIVEN_CHARACTERS)
        for _ in range(length)
    )
    return surname + given


def seconds_in_hours(rng):
    """A moment of the office day, as seconds after midnight, busier mid-morning."""
    slot = bisect.bisect(SLOT_CUM, rng.random() * SLOT_CUM[-1])
    return SLOT_STARTS[slot] + int(rng.random() * 1800)


def pick(rng, values):
    """rng.choice without its rejection sampling: one random() per pick (the hot path
    picks millions of times)."""
    return values[int(rng.random() * len(values))]


def session_end(seconds):
    return MORNING_END if seconds < MORNING_END else AFTERNOON_END


def apportion(total, weights):
    """Split `total` into integers proportional to `weights` (largest remainders)."""
    if not weights:
        return []
    scale = total / sum(weights)
    shares = [w * scale for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def dates(start, end):
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


def month_end(year, month):
    return datetime.date(year + month // 12, month % 12 + 1, 1) - ONE_DAY


# Writing ---------------------------------------------------------------------------------

FINDING_FIELDS = [
    "number",
    "round",
    "window",
    "department",
    "staff",
    "category",
    "description",
    "deduction",
    "fix_deadline",
    "fixed_at",
]
CASE_FIELDS = [
    "number",
    "item_code",
    "item_name",
    "window",
    "department",
    "accepted_at",
    "promised_days",
    "legal_days",
    "completed_at",
    "promised_due",
    "legal_due",
]
EVALUATION_FIELDS = [
    "number",
    "case_number",
    "window",
    "department",
    "staff",
    "channel",
    "rating",
    "comment",
    "evaluated_at",
    "appeal",
    "follow_up",
]


def finding_db_row(row, round_ids):
    staff = row[4]
    return (
        row[0],
        round_ids[row[1]],
        row[2].pk,
        row[3],
        staff.pk if staff else None,
        *row[5:],
    )


def case_db_row(row):
    return (*row[:3], row[3].pk, *row[4:])


def evaluation_db_row(row):
    return (*row[:2], row[2].pk, row[3], row[4].pk, *row[5:])


class RowWriter:
    """Inserts tuples of field values (foreign keys as ids) into a model's table without
    model instances: executemany on SQLite, COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, model, field_names):
        self.model = model
        self.fields = [model._meta.get_field(name) for name in field_names]
        self.attnames = [f.attname for f in self.fields]
        quote = connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        self.columns = ", ".join(quote(f.column) for f in self.fields)
        # SQLite stores datetimes as UTC text, dates as ISO text, decimals as text; the
        # backend's own adapters do it the way the ORM does, so queries compare alike.
        ops = connection.ops
        adapters = {
            "DateTimeField": ops.adapt_datetimefield_value,
            "DateField": ops.adapt_datefield_value,
        }
        self.converters = []
        for i, f in enumerate(self.fields):
            kind = f.get_internal_type()
            if kind in adapters:
                self.converters.append((i, adapters[kind]))
            elif kind == "DecimalField":
                digits, places = f.max_digits, f.decimal_places
                self.converters.append(
                    (i, lambda v, d=digits, p=places: ops.adapt_decimalfield_value(v, d, p))
                )

    def write(self, rows):
        if not rows:
            return
        if connection.vendor == "postgresql":
            self._copy(rows)
        elif connection.vendor == "sqlite":
            self._executemany(rows)
        else:
            self.model.objects.bulk_create(
                (self.model(**dict(zip(self.attnames, row, strict=True))) for row in rows),
                batch_size=1000,
            )

    def _executemany(self, rows):
        converters = self.converters
        if converters:
            converted = []
            for row in rows:
                row = list(row)
                for i, adapt in converters:
                    if row[i] is not None:
                        row[i] = adapt(row[i])
                converted.append(row)
            rows = converted
        placeholders = ", ".join(["%s"] * len(self.fields))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.table} ({self.columns}) VALUES ({placeholders})", rows
            )

    def _copy(self, rows):
        # psycopg adapts dates, aware datetimes and decimals itself.
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            with cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

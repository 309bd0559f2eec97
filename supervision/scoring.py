"""Monthly scores and rankings of windows and departments, by the rules in force.

Everything per record is counted by the database: one aggregate query per source (findings,
evaluations, cases) grouped by unit, so a month of 440,000 evaluations costs three queries
whatever the volume (bench/supervision.py). Python then combines a few hundred rows of totals
into scores and ranks.

The formula, stated in every monthly bulletin (`method_lines`):

    得分 = 基础分 − 巡查扣分 − 超期办件数 × 每件扣分 − 红灯办件数 × 每件扣分
           − 差评数 × 每条扣分 + 满意率加减分
    满意率 = 评价等级达到“计为满意”的评价数 ÷ 有效评价数（申诉成立的评价不计）
    满意率加减分 = (满意率 − 基准) × 每个百分点分值，有效评价数不足最低样本时为 0

Counting rules, for a month M and a day `through` (the month's last day, or yesterday while
M is still running):
- a finding counts in the month of its round;
- an evaluation counts in the month it was given; one upheld on appeal does not count at all;
- a case is overdue in the month its promised due date falls in, if it was not completed by
  that date; red in the month its legal due date falls in, if not completed by then. A red
  case is also overdue: it costs both deductions. Due dates after `through` are not judged yet.

Rounding: satisfaction to 0.01 %, its adjustment and the score to 0.01 point, half up.
"""

import datetime
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from cms.models import Department, ServiceWindow
from publications import numbers
from supervision import lights
from supervision.choices import BAD_REVIEW_MAX_RATING, Appeal, FindingCategory, Rating
from supervision.models import Case as HallCase
from supervision.models import Evaluation, Finding, InspectionRound, ScoringRules
from supervision.models.rules import TieBreak
from supervision.workdays import WorkingCalendar

CENT = Decimal("0.01")
HUNDRED = Decimal(100)

WINDOW = "window"
DEPARTMENT = "department"


def month_bounds(month):
    """(first day, last day) of the month containing `month`."""
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def previous_month(month):
    return (month.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _round(value):
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class UnitScore:
    """One window's or department's month: the counts, the score and its place."""

    unit_id: int
    label: str  # "A01 企业开办综合窗口" or the department's name
    findings: int = 0
    finding_deduction: Decimal = Decimal(0)
    cases: int = 0  # accepted in the month
    completed: int = 0  # completed in the month
    completed_on_time: int = 0  # of those, by the promised due date
    overdue: int = 0
    red: int = 0
    evaluations: int = 0  # valid ones: upheld appeals left out
    satisfied: int = 0
    bad_reviews: int = 0
    satisfaction: Decimal | None = None  # percent, None when there is no evaluation
    sample_too_small: bool = True
    satisfaction_adjustment: Decimal = Decimal(0)
    score: Decimal = Decimal(0)
    rank: int = 0
    previous_rank: int | None = None
    warned: bool = False  # last twice in a row under the warning score (末位预警)

    @property
    def rank_change(self):
        """Places gained since last month (positive = up), None for a unit new to the table."""
        return None if self.previous_rank is None else self.previous_rank - self.rank

    @property
    def on_time_rate(self):
        if not self.completed:
            return None
        return _round(Decimal(self.completed_on_time) * HUNDRED / self.completed)

    def as_dict(self):
        return {
            key: (str(value) if isinstance(value, Decimal) else value)
            for key, value in asdict(self).items()
        }


@dataclass
class Ranking:
    """The windows' and departments' tables of one month, and who stands out."""

    month: datetime.date  # first day
    through: datetime.date
    rules: ScoringRules
    windows: list[UnitScore] = field(default_factory=list)
    departments: list[UnitScore] = field(default_factory=list)
    red_flag: UnitScore | None = None  # the window awarded the rotating red flag (流动红旗)
    lights: dict = field(default_factory=dict)  # Light → open cases with it on `through`

    def table(self, level):
        return self.windows if level == WINDOW else self.departments


def _units(level):
    if level == WINDOW:
        return {w.pk: f"{w.number} {w.name}" for w in ServiceWindow.objects.order_by("number")}
    departments = Department.objects.filter(windows__isnull=False).distinct()
    return {d.pk: d.name for d in departments.order_by("sort_order", "code")}


def _standard_deduction(rules):
    """The finding's own deduction, or its category's standard one from the rules."""
    return Coalesce(
        "deduction",
        Case(
            *[
                When(category=category, then=Value(rules.deduction_for(category)))
                for category in FindingCategory.values
            ],
            default=Value(Decimal(0)),
            output_field=DecimalField(max_digits=7, decimal_places=1),
        ),
    )


def _count_findings(level, rules, first, last):
    rows = (
        Finding.objects.filter(round__date__range=(first, last))
        .values(level)
        .annotate(findings=Count("id"), finding_deduction=Sum(_standard_deduction(rules)))
    )
    return {row.pop(level): row for row in rows}


def _count_evaluations(level, rules, start, end):
    rows = (
        Evaluation.objects.filter(evaluated_at__gte=start, evaluated_at__lt=end)
        .exclude(appeal=Appeal.UPHELD)
        .values(level)
        .annotate(
            evaluations=Count("id"),
            satisfied=Count("id", filter=Q(rating__gte=rules.satisfied_from)),
            bad_reviews=Count("id", filter=Q(rating__lte=BAD_REVIEW_MAX_RATING)),
        )
    )
    return {row.pop(level): row for row in rows}


def _count_cases(level, first, last, through, start, end):
    completed_on = TruncDate("completed_at")
    late_promise = Q(completed_at__isnull=True) | Q(completed_on__gt=F("promised_due"))
    late_legal = Q(completed_at__isnull=True) | Q(completed_on__gt=F("legal_due"))
    rows = (
        HallCase.objects.annotate(completed_on=completed_on)
        .filter(
            Q(accepted_at__gte=start, accepted_at__lt=end)
            | Q(completed_at__gte=start, completed_at__lt=end)
            | Q(promised_due__range=(first, through))
            | Q(legal_due__range=(first, through))
        )
        .values(level)
        .annotate(
            cases=Count("id", filter=Q(accepted_at__gte=start, accepted_at__lt=end)),
            completed=Count("id", filter=Q(completed_at__gte=start, completed_at__lt=end)),
            completed_on_time=Count(
                "id",
                filter=Q(completed_at__gte=start, completed_at__lt=end)
                & Q(completed_on__lte=F("promised_due")),
            ),
            overdue=Count("id", filter=Q(promised_due__range=(first, through)) & late_promise),
            red=Count("id", filter=Q(legal_due__range=(first, through)) & late_legal),
        )
    )
    return {row.pop(level): row for row in rows}


def _score(unit, rules):
    if unit.evaluations:
        unit.satisfaction = _round(Decimal(unit.satisfied) * HUNDRED / unit.evaluations)
    unit.sample_too_small = unit.evaluations < rules.minimum_sample
    if not unit.sample_too_small:
        unit.satisfaction_adjustment = _round(
            (unit.satisfaction - rules.satisfaction_target) * rules.satisfaction_points
        )
    unit.score = _round(
        rules.base_score
        - unit.finding_deduction
        - unit.overdue * rules.deduct_overdue_case
        - unit.red * rules.deduct_red_case
        - unit.bad_reviews * rules.deduct_bad_review
        + unit.satisfaction_adjustment
    )


def _order_key(rules):
    """Sort key: higher score first, then the rules' tie-break keys, in order."""
    keys = {
        "satisfaction": lambda u: -(u.satisfaction if u.satisfaction is not None else -1),
        "findings": lambda u: u.findings,
        "evaluations": lambda u: -u.evaluations,
    }
    tie_break = [keys[name] for name in TieBreak(rules.tie_break).value.split(",")]
    return lambda unit: (-unit.score, *(key(unit) for key in tie_break))


def _rank(table, rules):
    """Sort `table` and give each unit its rank; units equal on every key share it (1, 1, 3)."""
    key = _order_key(rules)
    table.sort(key=lambda unit: (key(unit), unit.label))
    previous = None
    for position, unit in enumerate(table, start=1):
        unit.rank = previous.rank if previous and key(previous) == key(unit) else position
        previous = unit


def score_units(level, month, rules, *, through=None):
    """Every unit of `level` (windows or departments of the hall) scored and ranked for the
    month containing `month`, counting due dates up to `through` (default: the month's end)."""
    first, last = month_bounds(month)
    through = min(through or last, last)
    start, end = lights.day_range(first, last)
    findings = _count_findings(level, rules, first, last)
    evaluations = _count_evaluations(level, rules, start, end)
    cases = _count_cases(level, first, last, through, start, end)
    table = []
    for unit_id, label in _units(level).items():
        unit = UnitScore(unit_id=unit_id, label=label)
        for counts in (findings, evaluations, cases):
            for name, value in counts.get(unit_id, {}).items():
                setattr(unit, name, value if value is not None else 0)
        _score(unit, rules)
        table.append(unit)
    _rank(table, rules)
    return table


def _mark_warnings(table, previous_table, rules):
    """Flag each unit last this month and last last month, under the warning score both times."""
    if not table:
        return
    last_rank = max(unit.rank for unit in table)
    previous = {unit.unit_id: unit for unit in previous_table}
    previous_last = max((unit.rank for unit in previous_table), default=None)
    for unit in table:
        before = previous.get(unit.unit_id)
        if before is not None:
            unit.previous_rank = before.rank
        unit.warned = (
            unit.rank == last_rank
            and unit.score < rules.warn_below_score
            and before is not None
            and before.rank == previous_last
            and before.score < rules.warn_below_score
        )


def _red_flag(windows, rules):
    """The best-ranked window with a full sample, no red case and at least the minimum score:
    the flag rewards service citizens rated, not a quiet month."""
    for unit in windows:
        if unit.score < rules.red_flag_min_score:
            return None
        if not unit.sample_too_small and unit.red == 0:
            return unit
    return None


def count_lights(day, rules, calendar, level=None):
    """Open cases with a yellow or red light on `day`: {Light: n}, or per unit {unit: {Light: n}}."""
    filters = lights.open_case_lights(day, rules.yellow_within_days, calendar)
    aggregates = {light: Count("id", filter=q) for light, q in filters.items()}
    cases = HallCase.objects.filter(lights.open_on(day))
    if level is None:
        return cases.aggregate(**aggregates)
    rows = cases.values(level).annotate(**aggregates)
    return {row.pop(level): row for row in rows}


def has_records(month):
    """Whether the hall has any record of the month containing `month`: an inspection round, an
    evaluation, a case accepted or completed. A month before the hall's data begins has none,
    so no ranking to compare with: every unit of the next month is new to the table (新)."""
    first, last = month_bounds(month)
    start, end = lights.day_range(first, last)
    accepted = Q(accepted_at__gte=start, accepted_at__lt=end)
    completed = Q(completed_at__gte=start, completed_at__lt=end)
    return (
        InspectionRound.objects.filter(date__range=(first, last)).exists()
        or Evaluation.objects.filter(evaluated_at__gte=start, evaluated_at__lt=end).exists()
        or HallCase.objects.filter(accepted | completed).exists()
    )


def no_ranking(month):
    """The Ranking of a month without records: empty tables, nobody's place to compare with."""
    first, last = month_bounds(month)
    return Ranking(month=first, through=last, rules=None)


def compute_ranking(month, *, rules=None, previous=None, through=None):
    """The month's ranking of windows and departments by the rules in force for that month.

    `previous` is last month's Ranking (a stored bulletin's, so rank changes compare with what
    was published); computed with that month's rules when not given, and empty when last
    month has no record at all (`has_records`).
    """
    first, last = month_bounds(month)
    if through is None:
        through = min(last, timezone.localdate() - datetime.timedelta(days=1))
    rules = rules or rules_in_force(first)
    ranking = Ranking(month=first, through=through, rules=rules)
    if previous is None:
        before = previous_month(first)
        if has_records(before):
            before_rules = rules_in_force(before)
            previous = Ranking(
                month=before,
                through=month_bounds(before)[1],
                rules=before_rules,
                windows=score_units(WINDOW, before, before_rules),
                departments=score_units(DEPARTMENT, before, before_rules),
            )
        else:
            previous = no_ranking(before)
    for level in (WINDOW, DEPARTMENT):
        table = score_units(level, first, rules, through=through)
        _mark_warnings(table, previous.table(level), rules)
        setattr(ranking, f"{level}s", table)
    ranking.red_flag = _red_flag(ranking.windows, rules)
    ranking.lights = count_lights(through, rules, WorkingCalendar.load())
    return ranking


def rules_in_force(month):
    """The rules version for the month containing `month`: the newest effective by its end."""
    rules = ScoringRules.in_force(month_bounds(month)[1])
    if rules is None:
        raise ScoringRules.DoesNotExist(
            f"{month:%Y年%m月}没有生效的考评规则，请在“督查考评 → 考评规则”中添加。"
        )
    return rules


def _version_line(rules):
    effective = rules.effective_from
    return (
        f"考评规则：第{rules.version}版《{rules.name}》，"
        f"{effective.year}年{effective.month}月{effective.day}日起施行。"
    )


def _findings_line(rules):
    categories = "、".join(
        f"{label}{_points(rules.deduction_for(key))}" for key, label in FindingCategory.choices
    )
    return f"巡查扣分：每个问题按记录的扣分计，未注明的按类别标准扣分：{categories}。"


def method_lines(rules):
    """The rules in words, as every ranking bulletin states them."""
    return [
        _version_line(rules),
        (
            f"得分 = 基础分{_points(rules.base_score)} − 巡查扣分 − 超期办件数 × "
            f"{_points(rules.deduct_overdue_case)} − 红灯办件数 × {_points(rules.deduct_red_case)}"
            f" − 差评数 × {_points(rules.deduct_bad_review)} + 满意率加减分。"
        ),
        _findings_line(rules),
        (
            f"满意率 = “{_rating_label(rules.satisfied_from)}”及以上评价数 ÷ 有效评价数"
            f"（申诉成立的评价不计）；满意率加减分 = (满意率 − {_number(rules.satisfaction_target)}%)"
            f" × {_number(rules.satisfaction_points)}分/百分点，有效评价少于"
            f"{rules.minimum_sample}条的单位不计加减分。"
        ),
        (
            "超期办件：承诺办结日在本月、未在该日前办结的办件；红灯办件：法定办结日在本月、"
            "未在该日前办结的办件，同时计为超期。时限按工作日计算，节假日与调休以工作日历为准。"
        ),
        f"同分时：{TieBreak(rules.tie_break).label}，仍相同的并列。",
        (
            f"流动红旗：授予排名最前、有效评价不少于{rules.minimum_sample}条、当月无红灯办件且"
            f"得分不低于{_number(rules.red_flag_min_score)}分的窗口；末位预警：连续两个月排名末位"
            f"且得分均低于{_number(rules.warn_below_score)}分的单位。"
        ),
        *(
            [
                f"通报表扬：排名前{rules.commend_top}名且得分不低于"
                f"{_number(rules.commend_min_score)}分的窗口。"
            ]
            if rules.commend_top
            else []
        ),
    ]


def inspection_method_lines(rules):
    """The rules the daily and weekly bulletins apply, in words: their deductions and lights."""
    return [
        _version_line(rules),
        _findings_line(rules),
        (
            f"黄灯：距承诺办结日不超过{rules.yellow_within_days}个工作日或已超过承诺时限、尚未办结的"
            "办件；红灯：已超过法定时限、尚未办结的办件。时限按工作日计算，节假日与调休以工作日历为准。"
        ),
    ]


def _number(value):
    """A value of the rules as they state it (publications.numbers): 100, 0.5, 95."""
    return numbers.points(value)


def _points(value):
    return f"{_number(value)}分"


def _rating_label(rating):
    return Rating(rating).label

"""Monthly scores and ranks against figures computed by hand (the arithmetic is in comments).

Rules of the fixture: base 100; attendance 1, discipline 2 per finding; overdue case 1, red
case 3, bad review 2; satisfied = 满意 or better, target 95 %, 0.5 point per percentage point,
minimum sample 4; red flag from 95 points; warning under 90.
"""

import datetime
from decimal import Decimal

import pytest

from supervision.choices import FindingCategory
from supervision.models import ScoringRules
from supervision.scoring import DEPARTMENT, WINDOW, compute_ranking, method_lines, score_units
from tests.hall import case, evaluations, fill_october, finding, make_hall, rules

D = datetime.date
OCTOBER = D(2026, 10, 1)
SEPTEMBER = D(2026, 9, 1)


@pytest.fixture
def hall(db):
    return make_hall()


@pytest.fixture
def october(hall):
    fill_october(hall)
    return compute_ranking(OCTOBER, through=D(2026, 10, 31))


def scores(table):
    return [(unit.label, unit.score, unit.rank) for unit in table]


def test_windows_are_scored_and_ranked_as_computed_by_hand(october):
    assert scores(october.windows) == [
        ("B01 乙窗口", Decimal("101.50"), 1),
        ("C01 丙窗口", Decimal("96.00"), 2),
        ("A01 甲窗口", Decimal("86.50"), 3),
    ]
    a = october.windows[2]
    assert (a.findings, a.finding_deduction) == (2, Decimal(4))
    assert (a.evaluations, a.satisfied, a.bad_reviews) == (5, 4, 1)
    assert (a.satisfaction, a.satisfaction_adjustment) == (Decimal("80.00"), Decimal("-7.50"))
    b, c = october.windows[0], october.windows[1]
    assert (b.overdue, b.red, b.completed, b.completed_on_time) == (1, 0, 1, 0)
    assert (c.overdue, c.red, c.sample_too_small, c.satisfaction_adjustment) == (1, 1, True, 0)


def test_departments_add_up_their_windows_records(october):
    # X = A + B: 4 finding points; 9 valid evaluations, 8 satisfied = 88.89 %,
    # (88.89 − 95) × 0.5 = −3.055 → −3.06; one bad review −2; one overdue case −1.
    # 100 − 4 − 2 − 1 − 3.06 = 89.94.  Y = C = 96.
    assert scores(october.departments) == [
        ("乙局", Decimal("96.00"), 1),
        ("甲局", Decimal("89.94"), 2),
    ]
    assert october.departments[1].satisfaction == Decimal("88.89")


def test_the_red_flag_goes_to_the_best_window_with_a_full_sample_and_no_red_case(october):
    assert october.red_flag.label == "B01 乙窗口"


def test_a_unit_last_twice_in_a_row_under_90_is_warned(october):
    # September: A 88 (last), X 88 (last). October: A 86.5 (last), X 89.94 (last).
    assert [unit.label for unit in october.windows if unit.warned] == ["A01 甲窗口"]
    assert [unit.label for unit in october.departments if unit.warned] == ["甲局"]


def test_rank_change_compares_with_last_month(october):
    # September: B and C tie at 100 (rank 1, 1), A is 3rd.
    assert [(unit.label, unit.previous_rank, unit.rank_change) for unit in october.windows] == [
        ("B01 乙窗口", 1, 0),
        ("C01 丙窗口", 1, -1),
        ("A01 甲窗口", 3, 0),
    ]


def test_a_unit_last_once_or_over_90_is_not_warned(hall):
    ScoringRules.objects.all().delete()
    rules()
    # September: A 88 last. October: A 92 (one finding of 8), still last but over 90.
    finding(hall["A"], D(2026, 9, 15), FindingCategory.DISCIPLINE, Decimal(12))
    finding(hall["A"], D(2026, 10, 15), FindingCategory.DISCIPLINE, Decimal(8))
    ranking = compute_ranking(OCTOBER, through=D(2026, 10, 31))
    assert ranking.windows[-1].label == "A01 甲窗口"
    assert not any(unit.warned for unit in ranking.windows)


def test_equal_scores_are_split_by_the_tie_break_and_fully_equal_units_share_a_rank(hall):
    ScoringRules.objects.all().delete()
    rules(tie_break="satisfaction,findings")
    a, b, c = hall["A"], hall["B"], hall["C"]
    # A: 4 × 非常满意 = 100 % (+2.5) and one attendance finding (−1): 101.5.
    # B: 3 × 非常满意 + 1 × 满意 = 100 % (+2.5), one attendance finding: 101.5.
    # C: 4 × 非常满意 (+2.5), one environment finding recorded as 1: 101.5.
    evaluations(a, D(2026, 10, 20), 5, 5, 5, 5)
    evaluations(b, D(2026, 10, 20), 5, 5, 5, 4)
    evaluations(c, D(2026, 10, 20), 5, 5, 5, 5)
    finding(a, D(2026, 10, 9), FindingCategory.ATTENDANCE)
    finding(b, D(2026, 10, 9), FindingCategory.ATTENDANCE)
    finding(c, D(2026, 10, 9), FindingCategory.ENVIRONMENT, Decimal(1))
    table = score_units(WINDOW, OCTOBER, ScoringRules.objects.get())
    assert [unit.score for unit in table] == [Decimal("101.50")] * 3
    assert [unit.rank for unit in table] == [1, 1, 1]

    # Now B has one finding more at no cost: same score, more findings → behind A and C.
    finding(b, D(2026, 10, 10), FindingCategory.ETIQUETTE, Decimal(0))
    table = score_units(WINDOW, OCTOBER, ScoringRules.objects.get())
    assert [(unit.label, unit.rank) for unit in table] == [
        ("A01 甲窗口", 1),
        ("C01 丙窗口", 1),
        ("B01 乙窗口", 3),
    ]


def test_the_satisfaction_tie_break_puts_the_better_rated_unit_first(hall):
    ScoringRules.objects.all().delete()
    rules(tie_break="satisfaction,findings", satisfaction_points=Decimal(0))
    # No points for satisfaction at all: both 100, A at 100 % beats B at 75 %.
    evaluations(hall["A"], D(2026, 10, 20), 5, 5, 5, 5)
    evaluations(hall["B"], D(2026, 10, 20), 5, 5, 5, 3)
    table = score_units(WINDOW, OCTOBER, ScoringRules.objects.get())
    assert [(unit.label, unit.rank) for unit in table[:2]] == [("A01 甲窗口", 1), ("B01 乙窗口", 2)]


def test_a_due_date_after_the_cut_off_day_is_not_judged_yet(hall):
    ScoringRules.objects.all().delete()
    rules()
    case(hall["C"], D(2026, 10, 9), 1, 2)  # due 10-10 / 10-12, open
    table = score_units(DEPARTMENT, OCTOBER, ScoringRules.objects.get(), through=D(2026, 10, 10))
    y = next(unit for unit in table if unit.label == "乙局")
    assert (y.overdue, y.red) == (1, 0)


def test_the_rules_in_force_for_a_month_are_the_newest_effective_by_its_end(hall):
    ScoringRules.objects.all().delete()
    rules(name="旧细则", effective_from=D(2026, 1, 1))
    rules(name="新细则", effective_from=D(2026, 10, 15), base_score=Decimal(90))
    assert compute_ranking(OCTOBER, through=D(2026, 10, 31)).rules.name == "新细则"
    assert compute_ranking(SEPTEMBER, through=D(2026, 9, 30)).rules.name == "旧细则"


def test_the_method_states_the_version_and_every_figure_of_the_formula(db):
    version = ScoringRules.objects.get()
    text = "\n".join(method_lines(version))
    assert f"第{version.pk}版" in text
    assert "基础分100分" in text
    assert "红灯办件数 × 3分" in text
    assert "服务礼仪1分" in text and "办公环境0.5分" in text
    assert "(满意率 − 95%) × 0.5分/百分点" in text


def test_the_aggregate_queries_agree_with_counting_record_by_record(october):
    """bench/supervision.py times both; here they must give the same tables."""
    from bench.supervision import naive_scores

    version = october.rules
    for level in (WINDOW, DEPARTMENT):
        fast = score_units(level, OCTOBER, version, through=D(2026, 10, 31))
        slow = naive_scores(level, OCTOBER, version)
        assert [(u.label, u.score, u.rank, u.overdue, u.red) for u in fast] == [
            (u.label, u.score, u.rank, u.overdue, u.red) for u in slow
        ]

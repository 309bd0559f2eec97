"""The first period compares with nothing: where the period before has no record, a bulletin
prints "新" for every unit's place and "—" for every change, never ↓ or the whole figure as
a rise ("受理办件 3（环比+3）"). Read back from the PDFs with pdftotext."""

import datetime
import shutil
import subprocess
from decimal import Decimal

import pytest

from supervision.bulletins import make_bulletin
from supervision.choices import BulletinKind, FindingCategory
from supervision.models import ScoringRules
from tests.hall import case, evaluations, fill_october, finding, make_hall, rules

D = datetime.date
pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


def pdf_text(bulletin):
    result = subprocess.run(
        ["pdftotext", "-layout", bulletin.pdf.path, "-"], capture_output=True, check=True
    )
    return result.stdout.decode()


def section(text, start, end):
    return text[text.index(start) : text.index(end)]


def compact(text):
    return "".join(text.split())


@pytest.fixture
def first_october(db):
    """The hall's data begins in October 2026: nothing at all in September."""
    hall = make_hall()
    ScoringRules.objects.all().delete()
    rules()
    finding(hall["A"], D(2026, 10, 9), FindingCategory.DISCIPLINE, Decimal(12))
    evaluations(hall["B"], D(2026, 10, 20), 5, 5, 5, 5)
    evaluations(hall["C"], D(2026, 10, 21), 5, 2)
    for window in ("A", "B", "C"):
        case(hall[window], D(2026, 10, 12), 1, 2, completed=D(2026, 10, 12))
    return hall


def test_a_first_month_shows_every_unit_as_new_and_no_arrow(first_october):
    text = pdf_text(make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1)))
    for heading, end, labels in (
        ("三、窗口排名", "四、部门排名", ("A01 甲窗口", "B01 乙窗口", "C01 丙窗口")),
        ("四、部门排名", "五、流动红旗与表扬", ("甲局", "乙局")),
    ):
        table = section(text, heading, end)
        assert "↓" not in table and "↑" not in table
        rows = [line for line in table.splitlines() if any(label in line for label in labels)]
        rows = [row for row in rows if "分" not in row]  # the chart's bars say "98.00分"
        assert len(rows) == len(labels) and all(row.rstrip().endswith("新") for row in rows)


def test_a_first_month_prints_no_change_instead_of_the_whole_figure(first_october):
    bulletin = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    assert set(bulletin.content["changes"].values()) == {None}
    figures = compact(section(pdf_text(bulletin), "一、总体情况", "二、考评方法"))
    assert "受理办件（环比—）" in figures and "有效评价（环比—）" in figures
    assert "环比+" not in figures


def test_a_published_bulletin_of_an_empty_month_counts_as_no_data(first_october, monkeypatch):
    # September's bulletin was made (the job's first run) before any record was imported.
    from supervision.models import Bulletin

    september = make_bulletin(BulletinKind.MONTHLY, D(2026, 9, 1))
    assert september.content["overview"]["cases"] == 0
    october = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    assert {row["rank_change"] for row in october.content["windows"]} == {None}
    assert october.content["changes"]["cases"] is None
    assert Bulletin.objects.count() == 2


def test_a_month_after_one_with_data_shows_the_moves_and_changes(db):
    hall = make_hall()
    fill_october(hall)  # September: A 88 (third), B and C 100 (first together)
    bulletin = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    moves = {row["label"]: row["rank_change"] for row in bulletin.content["windows"]}
    assert moves == {"B01 乙窗口": 0, "C01 丙窗口": -1, "A01 甲窗口": 0}
    # One case accepted in September (B's, on 09-30), one in October (C's).
    assert bulletin.content["changes"]["cases"] == 0
    ranking = section(pdf_text(bulletin), "三、窗口排名", "四、部门排名")
    assert "↓1" in ranking and "新" not in ranking


def test_a_first_week_compares_with_nothing(first_october):
    # The week of 10-05 has no inspection round; the next one has A's finding of 10-09.
    bulletin = make_bulletin(BulletinKind.WEEKLY, D(2026, 10, 5))
    c = bulletin.content
    assert c["previous_finding_count"] is None
    assert {row["previous"] for row in c["by_category"]} == {None}
    assert {row["change"] for row in c["by_category"]} == {None}
    assert {row["previous"] for row in c["by_department"]} == {None}
    text = pdf_text(bulletin)
    assert "上周无巡查记录，不作比较" in compact(text)
    categories = section(text, "二、问题类别及变化", "三、各部门问题").splitlines()
    rows = [line for line in categories if line.strip().startswith("工作纪律")]
    discipline = next(row for row in rows if "条" not in row)  # the chart's bar says "1条"
    assert discipline.split()[1:] == ["1", "—", "—"]
    assert "+1" not in "\n".join(categories)


def test_the_week_after_compares_department_by_department(first_october):
    hall = first_october
    finding(hall["A"], D(2026, 10, 13), FindingCategory.ATTENDANCE)
    finding(hall["C"], D(2026, 10, 14), FindingCategory.ATTENDANCE)
    c = make_bulletin(BulletinKind.WEEKLY, D(2026, 10, 12)).content
    assert c["previous_finding_count"] == 1
    # 甲局 had A's finding last week, 乙局 none (both departments have no short name).
    assert {row["department"]: row["previous"] for row in c["by_department"]} == {
        "甲局": 1,
        "乙局": 0,
    }

"""Tables that read like an official circular, with real-length names: every bulletin kind's
PDF, read back line by line with pdftotext -layout, has each department name whole on one line
in every table (人力资源和社会保障局 is ten characters, 国家税务总局示范市税务局 twelve), case
numbers whole, and one number format per quantity: scores 98.75 / 90.00 / 102.50, rates 86.0%,
charts labelled as the tables print.

The hall: eight departments with their full names (no short name), two windows each with the
long names halls give them, one October (the first month of data) compiled by make_bulletin
and rendered once per kind for the module.
"""

import datetime
import itertools
import re
import subprocess
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import transaction

from supervision.bulletins import making
from supervision.bulletins.making import bulletin_pdf, make_bulletin
from supervision.choices import Appeal, BulletinKind, Channel, FindingCategory, Rating
from supervision.models import Case, Evaluation, Finding, InspectionRound, ScoringRules, Staff
from tests import factories
from tests.hall import at, rules

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = D(2026, 10, 14)  # the daily's day, a Wednesday; the weekly's week is 10-12 to 10-18
LAST_WEEK = D(2026, 10, 9)
PERIODS = {
    BulletinKind.DAILY: DAY,
    BulletinKind.WEEKLY: D(2026, 10, 12),
    BulletinKind.MONTHLY: D(2026, 10, 1),
}
DEPARTMENTS = [
    ("RS", "人力资源和社会保障局", "社会保险参保登记与待遇领取综合窗口", "就业创业服务窗口"),
    ("SCJG", "市场监督管理局行政审批", "企业开办一件事综合受理窗口", "食品药品经营许可窗口"),
    ("CRJ", "公安局出入境管理支队", "出入境证件受理窗口", "港澳台通行证签注窗口"),
    ("SW", "国家税务总局示范市税务局", "不动产交易税费缴纳窗口", "综合办税窗口"),
    ("GJJ", "住房公积金管理中心", "公积金提取与贷款窗口", "公积金缴存窗口"),
    ("ZR", "自然资源和规划局", "建设工程规划许可窗口", "用地审批窗口"),
    ("BDC", "不动产登记中心", "不动产登记与税费一窗受理窗口", "抵押登记窗口"),
    ("YB", "医疗保障局", "医保关系转移接续窗口", "异地就医备案窗口"),
]
NAMES = [name for _, name, *_ in DEPARTMENTS]
STAFF = ["欧阳娜娜", "王堃", "司马静怡", "李强", "诸葛明", "陈喆", "张伟", "赵敏"]
DESCRIPTIONS = [
    "上午开窗后仍未到岗，迟到十五分钟，未提前向窗口负责人报备",
    "接待群众时服务用语不规范，语气生硬，群众当场表示不满",
    "群众第二次来办仍被告知缺少材料，首次未一次性告知完整材料清单",
]
COMMENTS = [
    "排队等候超过1小时，取号后又被告知需到其他窗口重新取号",
    "网上已提交材料，到现场仍被要求提供纸质复印件，未说明理由",
]
CASE_NUMBER = "YT-{code}-20261012-{n:05d}"


def fill_the_hall():
    ScoringRules.objects.all().delete()
    rules()
    windows, numbers = [], itertools.count(1)
    for letter, (code, name, *window_names) in zip("ABCDEFGH", DEPARTMENTS, strict=True):
        department = factories.department(code=code, name=name, short_name="")
        for n, window_name in enumerate(window_names, 1):
            window = factories.window(department, number=f"{letter}{n:02d}", name=window_name)
            window.staff_member = Staff.objects.create(
                number=f"GH{letter}{n}",
                name=STAFF[len(windows) % len(STAFF)],
                window=window,
                department=department,
            )
            windows.append(window)

    def finding(window, day, category, deduction=None, index=0):
        round_, _ = InspectionRound.objects.get_or_create(
            date=day, kind="daily", defaults={"inspectors": "督查科 张华、李明"}
        )
        Finding.objects.create(
            number=f"XC-{next(numbers)}",
            round=round_,
            window=window,
            department=window.departments.get(),
            staff=window.staff_member,
            category=category,
            description=DESCRIPTIONS[index % len(DESCRIPTIONS)],
            deduction=deduction,
            fix_deadline=day + datetime.timedelta(days=2),
            fixed_at=at(day + datetime.timedelta(days=1)) if index % 2 else None,
        )

    def evaluate(window, *ratings, day=LAST_WEEK, **extra):
        for rating in ratings:
            Evaluation.objects.create(
                number=f"PJ-{next(numbers)}",
                window=window,
                department=window.departments.get(),
                staff=window.staff_member,
                channel=Channel.HALL,
                rating=rating,
                evaluated_at=at(day),
                **extra,
            )

    # Four windows whose scores the test reads (rules: 95 % target, 0.5 a point, sample 4):
    # A01: 1 + 0.5 + 1 deducted, 39 of 40 satisfied = 97.5 % → +1.25: 98.75.
    finding(windows[0], DAY, FindingCategory.ATTENDANCE)
    finding(windows[0], DAY, FindingCategory.ENVIRONMENT, index=1)
    finding(windows[0], DAY, FindingCategory.ETIQUETTE, index=2)
    evaluate(windows[0], *[5] * 39, Rating.FAIRLY_SATISFIED)
    # A02: 10 deducted, 19 of 20 = 95 % → 0: 90.00.
    finding(windows[1], DAY, FindingCategory.DISCIPLINE, Decimal(10))
    evaluate(windows[1], *[5] * 19, Rating.FAIRLY_SATISFIED)
    # B01: nothing deducted, 100 % → +2.5: 102.50.
    evaluate(windows[2], *[5] * 6)
    # B02: 43 of 50 = 86.0 % → -4.5: 95.50.
    evaluate(windows[3], *[5] * 43, *[Rating.FAIRLY_SATISFIED] * 7)

    others = windows[4:]
    for index, window in enumerate(others):
        evaluate(window, 5, 5, 5, 5, 4, 5)
        category = FindingCategory.values[index % len(FindingCategory.values)]
        finding(window, DAY, category, index=index)
        finding(window, DAY - datetime.timedelta(days=1), category, index=index + 1)
        finding(window, LAST_WEEK, category, index=index)
        if index % 3 == 0:
            finding(window, D(2026, 10, 15), FindingCategory.TELL_ONCE, Decimal("0.5"), index)
        for day in (D(2026, 10, 12), D(2026, 10, 13)):  # bad reviews, some appealed
            evaluate(
                window,
                Rating.VERY_DISSATISFIED if index % 2 else Rating.DISSATISFIED,
                day=day,
                comment=COMMENTS[index % len(COMMENTS)],
                appeal=Appeal.REJECTED if index % 3 else Appeal.NONE,
                follow_up="已电话回访，当面致歉并一次性告知所需材料" if index % 2 else "",
            )
        Case.objects.create(  # due 10-13 by law, still open: red from 10-14 on
            number=CASE_NUMBER.format(code=window.departments.get().code, n=index),
            item_code=f"X-{index}",
            item_name="不动产转移登记（二手房买卖）" if index % 2 else "社会保障卡申领（首次）",
            window=window,
            department=window.departments.get(),
            accepted_at=at(D(2026, 10, 12)),
            promised_days=1,
            legal_days=1,
        )
    for window in windows:  # completed on time: every window has an on-time rate
        Case.objects.create(
            number=CASE_NUMBER.format(code=window.number, n=99),
            item_code="Y-1",
            window=window,
            department=window.departments.get(),
            accepted_at=at(D(2026, 10, 8)),
            promised_days=3,
            legal_days=5,
            completed_at=at(D(2026, 10, 9), 15),
        )


@dataclass
class Printed:
    bulletin: object
    lines: list  # the PDF's text laid out as on paper, line by line


@pytest.fixture(scope="module")
def printed(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("tables")
    with django_db_blocker.unblock(), transaction.atomic(), pytest.MonkeyPatch.context() as patch:
        fill_the_hall()
        patch.setattr(making, "render", lambda bulletin: bulletin)  # laid out once, below
        made = {kind: make_bulletin(kind, day) for kind, day in PERIODS.items()}
        rendered = {kind: bulletin_pdf(bulletin) for kind, bulletin in made.items()}
        transaction.set_rollback(True)
    result = {}
    for kind, bulletin in made.items():
        path = folder / f"{kind}.pdf"
        path.write_bytes(rendered[kind].data)
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        result[kind] = Printed(bulletin, text.splitlines())
    return result


def section(lines, heading, end=None):
    """The lines from the section `heading` to the next one (or `end`)."""
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(heading))
    stop = next(
        (
            i
            for i, line in enumerate(lines[start + 1 :], start + 1)
            if (end and line.strip().startswith(end))
            or (not end and re.match(r"\s*[一二三四五六七八九十]、", line))
        ),
        len(lines),
    )
    return lines[start:stop]


# (kind, section heading, the department names its table lists): B01 and B02 have no
# findings; the bad reviews and red cases are those of C01 on.
FOUND = [NAMES[0], *NAMES[2:]]
TABLES = [
    (BulletinKind.DAILY, "二、发现问题及扣分", FOUND),
    (BulletinKind.DAILY, "四、红灯办件", NAMES[2:]),
    (BulletinKind.WEEKLY, "三、各部门问题", NAMES[2:]),
    (BulletinKind.WEEKLY, "五、本周差评", NAMES[2:]),
    (BulletinKind.WEEKLY, "六、红灯办件", NAMES[2:]),
    (BulletinKind.WEEKLY, "七、本周问题明细", FOUND),
    (BulletinKind.MONTHLY, "四、部门排名", NAMES),
    (BulletinKind.MONTHLY, "七、差评及整改情况", NAMES[2:]),
    (BulletinKind.MONTHLY, "八、红灯办件", NAMES[2:]),
]


# A name wrapped in its cell leaves a word that is its beginning on one line and one that is
# its end on the next ("人力资源和社会保" / "障局"): pdftotext -layout separates cells by spaces.
FRAGMENTS = {
    fragment
    for name in NAMES
    for cut in range(1, len(name))
    for fragment in (name[:cut], name[cut:])
    if len(fragment) >= 2
}


@pytest.mark.parametrize("kind", BulletinKind.values)
def test_no_department_name_is_broken_over_two_lines(printed, kind):
    for line in printed[kind].lines:
        broken = [word for word in line.split() if word in FRAGMENTS]
        assert not broken, f"a department name broken in: {line.strip()}"


@pytest.mark.parametrize(("kind", "heading", "names"), TABLES)
def test_every_table_lists_each_department_whole_on_its_row(printed, kind, heading, names):
    rows = section(printed[kind].lines, heading)
    for name in names:
        assert any(name in row for row in rows), f"{name} missing from {heading}"


@pytest.mark.parametrize("kind", [BulletinKind.DAILY, BulletinKind.WEEKLY])
def test_case_numbers_print_whole(printed, kind):
    text = "\n".join(printed[kind].lines)
    numbers = re.findall(r"YT-\S*", text)
    assert numbers and all(re.fullmatch(r"YT-[A-Z]+-20261012-\d{5}", n) for n in numbers)


def test_scores_have_two_decimals_and_rates_one_in_the_ranking_and_its_chart(printed):
    lines = printed[BulletinKind.MONTHLY].lines
    ranking = section(lines, "三、窗口排名")
    rows = {
        label: next(row for row in ranking if label in row and "分" not in row)
        for label in ("A01", "A02", "B01", "B02")
    }
    assert rows["A01"].split()[-2:] == ["98.75", "新"]
    assert rows["A02"].split()[-2:] == ["90.00", "新"]
    assert rows["B01"].split()[-2:] == ["102.50", "新"]
    assert "86.0%" in rows["B02"].split() and rows["B02"].split()[-3:] == ["-4.50", "95.50", "新"]
    assert "+1.25" in rows["A01"].split() and "100.0%" in rows["A01"].split()
    bars = "\n".join(ranking)
    for score in ("98.75分", "90.00分", "102.50分", "95.50分"):
        assert score in bars
    assert "102.5分" not in bars


@pytest.mark.parametrize("kind", BulletinKind.values)
def test_one_format_per_quantity_everywhere(printed, kind):
    text = "\n".join(printed[kind].lines)
    assert not re.search(r"\d\.\d\d%", text), "a rate with two decimals"
    assert not re.search(r"\d\.\d\d\d", text), "a number with three decimals"
    if kind == BulletinKind.MONTHLY:
        flag = printed[kind].bulletin.content["red_flag"]
        assert f"以{Decimal(flag['score']):.2f}分获本月流动红旗" in "".join(text.split())


def test_the_monthly_key_figures_state_rates_with_one_decimal(printed):
    figures = "".join("\n".join(section(printed[BulletinKind.MONTHLY].lines, "一、")).split())
    overview = printed[BulletinKind.MONTHLY].bulletin.content["overview"]
    assert f"{Decimal(str(overview['satisfaction'])):.1f}%" in figures
    assert f"满意率{Decimal(str(overview['satisfaction'])):.1f}%；" in figures  # the text too
    assert "受理办件（环比—）" in figures  # September has no record: nothing to compare with

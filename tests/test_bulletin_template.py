"""The three bulletins' real templates, laid out by WeasyPrint and read back with poppler.

A busy October is made once for the module (48 windows, seventy findings in a day, forty-five
bad reviews and red cases), and the daily (10-14), weekly (10-12 to 10-18) and monthly (October)
bulletins are compiled from it by `make_bulletin`, as the scheduled jobs compile them. Each is
rendered once through `bulletin_pdf`, the function that renders stored bulletins, and read
with pdftotext, pdffonts and pdfinfo, the way a manager's PDF viewer or a search tool would see
it. The bar chart helper is checked on its SVG alone, without rendering.
"""

import datetime
import itertools
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.db import transaction
from django.template import Context, Template
from django.template.loader import render_to_string

from publications.charts import MAX_BARS, bar_chart, format_value
from publications.pdf import RenderedPdf
from supervision.bulletins import making
from supervision.bulletins.making import TEMPLATES, bulletin_context, bulletin_pdf, make_bulletin
from supervision.choices import Appeal, BulletinKind, Channel, FindingCategory, Rating
from supervision.models import (
    Case,
    Evaluation,
    Finding,
    InspectionRound,
    ScoringRules,
    Staff,
)
from tests import factories
from tests.hall import at, rules

# pytest-django sets up the test database only for a session that has tests marked to use
# it; the module's fixture needs it even when this file runs alone.
pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
D = datetime.date
CENTRE_NAME = settings.WAGTAIL_SITE_NAME
# Staff with characters outside GB2312 (堃, 喆) and outside the Basic CJK block (䶮, U+4DAE,
# Extension A): names a bulletin must print, not replace with boxes.
RARE_NAMES = ("王堃", "陈喆", "刘䶮")
PERIODS = {
    BulletinKind.DAILY: (D(2026, 10, 14), "2026年10月14日"),
    BulletinKind.WEEKLY: (D(2026, 10, 12), "2026年10月12日—10月18日"),
    BulletinKind.MONTHLY: (D(2026, 10, 1), "2026年10月"),
}
CATEGORIES = "|".join(FindingCategory.labels)
# The daily's findings are all of its day: its table has no date column.
FINDING = rf"(10月1[34]日?\s+)?[A-M]\d\d\s+\S+\s+\S+\s+({CATEGORIES})"
BAD_REVIEW = r"10月1\d日\s+[A-M]\d\d\s+\S+\s+\S+\s+(不满意|非常不满)"
RED_CASE = r"2026101200\d{3}"
# Each table that continues over pages: (bulletin, a header cell that never wraps, what a
# body row starts with; a date or a rating may wrap in its narrow column).
TABLES = {
    "daily findings": (BulletinKind.DAILY, "问题描述", FINDING),
    "daily red cases": (BulletinKind.DAILY, "超法定时限", RED_CASE),
    "weekly findings": (BulletinKind.WEEKLY, "问题描述", FINDING),
    "weekly bad reviews": (BulletinKind.WEEKLY, "评价内容", BAD_REVIEW),
    "weekly red cases": (BulletinKind.WEEKLY, "超法定时限", RED_CASE),
    "monthly window ranking": (BulletinKind.MONTHLY, "升降", r"\d{1,2}\s+[A-M]\d\d\s"),
    "monthly bad reviews": (BulletinKind.MONTHLY, "评价内容", BAD_REVIEW),
    "monthly red cases": (BulletinKind.MONTHLY, "实际办结", RED_CASE),
}
# print_base.html's @page margin on the right: 18 mm, in PDF points.
RIGHT_EDGE = 595.28 - 18 / 25.4 * 72

DEPARTMENTS = [
    ("SCJG", "市市场监督管理局", "市场监管局"),
    ("BDC", "市不动产登记中心", "不动产中心"),
    ("GA", "市公安局", ""),
    ("RS", "市人力资源和社会保障局", "人社局"),
    ("YB", "市医疗保障局", "医保局"),
    ("GJJ", "市住房公积金管理中心", "公积金中心"),
    ("SW", "国家税务总局示范市税务局", "税务局"),
    ("ZJ", "市住房和城乡建设局", "住建局"),
    ("MZ", "市民政局", ""),
    ("JT", "市交通运输局", "交通局"),
    ("WJ", "市卫生健康委员会", "卫健委"),
    ("ZR", "市自然资源和规划局", "自然资源局"),
]
SURNAMES = "李张赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊洋艳勇军杰娟涛明超霞平刚辉鑫宇浩婷雪琳晨"
DESCRIPTIONS = [
    "上午开窗后仍未到岗，迟到十五分钟，未提前报备",
    "接待群众时服务用语不规范，语气生硬，群众当场表示不满",
    "群众第二次来办仍被告知缺少材料，首次未一次性告知材料清单",
    "工作时间使用手机浏览与工作无关的内容",
    "A岗人员请假，B岗人员未及时到岗，窗口空岗二十分钟",
    "窗口桌面摆放杂乱，私人物品外露，宣传资料过期未更换",
]
COMMENTS = [
    "排队等候超过1小时，取号后被告知需到其他窗口重新取号",
    "工作人员解释政策不清楚，同一问题前后说法不一致",
    "网上已提交材料，到现场仍被要求提供纸质复印件",
    "材料齐全仍被要求次日再来，未说明理由",
]
ITEMS = [
    "不动产转移登记（二手房）",
    "食品经营许可（新办）",
    "工伤认定申请",
    "住房公积金个人住房贷款",
]


def fill_a_busy_october():
    """48 windows, 4 per department, 2 staff each (the rare names at A01, B02 and C03)."""
    ScoringRules.objects.all().delete()
    rules()
    names = (s + g for s, g in zip(itertools.cycle(SURNAMES), itertools.cycle(GIVEN)))
    staff, windows = {}, []
    for letter, (code, name, short) in zip("ABCDEFGHJKLM", DEPARTMENTS, strict=True):
        department = factories.department(code=code, name=name, short_name=short)
        for n in range(1, 5):
            window = factories.window(
                department, number=f"{letter}{n:02d}", name=f"{short or name}综合窗口"
            )
            windows.append(window)
            staff[window] = [
                Staff.objects.create(
                    number=f"GH{window.number}{i}",
                    name=next(names),
                    window=window,
                    department=department,
                )
                for i in (1, 2)
            ]
    for window, name in zip((windows[0], windows[5], windows[10]), RARE_NAMES, strict=True):
        Staff.objects.filter(pk=staff[window][0].pk).update(name=name)
        staff[window][0].name = name
    numbers = itertools.count(1)

    def finding(day, window, index):
        round_, _ = InspectionRound.objects.get_or_create(
            date=day, kind="daily", defaults={"inspectors": "督查科 张华、李明"}
        )
        Finding.objects.create(
            number=f"XC-{next(numbers)}",
            round=round_,
            window=window,
            department=window.departments.get(),
            staff=staff[window][0],
            # Every category but the last: the weekly chart prints a zero too.
            category=FindingCategory.values[index % (len(FindingCategory.values) - 1)],
            description=DESCRIPTIONS[index % len(DESCRIPTIONS)],
            fix_deadline=day + datetime.timedelta(days=2),
            fixed_at=at(day + datetime.timedelta(days=1)) if index % 3 else None,
        )

    for index in range(8):
        finding(D(2026, 10, 9), windows[index * 5], index)  # last week
        finding(D(2026, 10, 13), windows[index * 2], index)  # the day before the daily's
    for index in range(70):
        finding(D(2026, 10, 14), windows[index % 30], index)

    for window in windows:  # enough valid evaluations for every window's sample
        for rating in (5, 5, 5, 5, 4, 5):
            Evaluation.objects.create(
                number=f"PJ-{next(numbers)}",
                window=window,
                department=window.departments.get(),
                staff=staff[window][1],
                channel=Channel.HALL,
                rating=rating,
                evaluated_at=at(D(2026, 10, 9)),
            )
    for index in range(45):
        window = windows[(index * 5) % 15]
        Evaluation.objects.create(
            number=f"PJ-{next(numbers)}",
            window=window,
            department=window.departments.get(),
            staff=staff[window][0],
            channel=Channel.HALL,
            rating=Rating.DISSATISFIED if index % 2 else Rating.VERY_DISSATISFIED,
            comment=COMMENTS[index % len(COMMENTS)],
            evaluated_at=at(D(2026, 10, 12 + index % 5), 9 + index % 8),
            appeal=Appeal.NONE,
            follow_up="已电话回访，当面致歉并一次性告知所需材料" if index % 3 else "",
        )

    for index in range(45):  # due 10-13 by law, still open: red from 10-14 on
        window = windows[index % len(windows)]
        Case.objects.create(
            number=f"2026101200{index:03d}",
            item_code=f"X-{index}",
            item_name=ITEMS[index % len(ITEMS)],
            window=window,
            department=window.departments.get(),
            accepted_at=at(D(2026, 10, 12)),
            promised_days=1,
            legal_days=1,
        )


@dataclass
class Printed:
    bulletin: object
    rendered: RenderedPdf
    path: Path
    pages: list  # the text of each page, laid out as on paper, blank lines left out


def poppler(*args):
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def printed(django_db_setup, django_db_blocker, tmp_path_factory):
    """Each kind's bulletin of the busy October, compiled and rendered once for the module."""
    folder = tmp_path_factory.mktemp("bulletins")
    with django_db_blocker.unblock(), transaction.atomic(), pytest.MonkeyPatch.context() as patch:
        fill_a_busy_october()
        # make_bulletin's own render stores the file; here it is laid out once, below.
        patch.setattr(making, "render", lambda bulletin: bulletin)
        made = {kind: make_bulletin(kind, day) for kind, (day, _) in PERIODS.items()}
        rendered = {kind: bulletin_pdf(bulletin) for kind, bulletin in made.items()}
        transaction.set_rollback(True)
    result = {}
    for kind, bulletin in made.items():
        path = folder / f"{kind}.pdf"
        path.write_bytes(rendered[kind].data)
        text = poppler("pdftotext", "-layout", str(path), "-")
        pages = [[line for line in page.splitlines() if line.strip()] for page in text.split("\f")]
        result[kind] = Printed(bulletin, rendered[kind], path, pages[:-1])
    return result


def page_with(pages, text):
    return next(number for number, lines in enumerate(pages, 1) if text in "\n".join(lines))


@pytest.mark.parametrize("kind", BulletinKind.values)
def test_each_bulletin_is_a4_pages_and_says_how_many(printed, kind):
    bulletin = printed[kind]
    info = poppler("pdfinfo", str(bulletin.path))
    count = bulletin.rendered.pages
    assert count >= 2, "the bulletin fits on one page: the data no longer tests page breaks"
    assert re.search(rf"^Pages:\s+{count}$", info, re.M)
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info, re.M)
    assert len(bulletin.pages) == count


@pytest.mark.parametrize("kind", BulletinKind.values)
def test_every_page_ends_with_page_n_of_total(printed, kind):
    pages = printed[kind].pages
    for number, lines in enumerate(pages, 1):
        assert lines[-1].strip() == f"第{number}页/共{len(pages)}页"


@pytest.mark.parametrize("kind", BulletinKind.values)
def test_pages_after_the_masthead_carry_centre_bulletin_and_period_in_the_header(printed, kind):
    pages, name, period = printed[kind].pages, BulletinKind(kind).label, PERIODS[kind][1]
    assert pages[0][0].strip() == name  # the first page opens with the masthead instead
    for lines in pages[1:]:
        header = lines[0]
        assert f"{CENTRE_NAME} · {name}" in header
        assert header.rstrip().endswith(period)


@pytest.mark.parametrize("table", TABLES)
def test_a_table_repeats_its_header_row_on_every_page_it_continues_to(printed, table):
    kind, header, row = TABLES[table]
    spanned = []
    for number, lines in enumerate(printed[kind].pages, 1):
        rows = [index for index, line in enumerate(lines) if re.match(r"\s*" + row, line)]
        if rows:
            spanned.append(number)
            headers = [index for index, line in enumerate(lines) if header in line]
            assert headers and headers[0] < rows[0], f"page {number} has rows but no header"
    assert len(spanned) >= 2, f"{table} fits on one page: the data no longer tests this"


@pytest.mark.parametrize("kind", BulletinKind.values)
def test_no_word_runs_past_the_right_margin(printed, kind):
    """Dense tables (13 columns in the monthly ranking) stay inside the page's margins."""
    html = poppler("pdftotext", "-bbox", str(printed[kind].path), "-")
    words = re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<', html)
    assert words
    for right, word in words:
        assert float(right) <= RIGHT_EDGE + 1, f"{word!r} ends at {right} pt"


def test_the_charts_labels_and_values_come_out_as_text(printed):
    monthly, weekly = printed[BulletinKind.MONTHLY], printed[BulletinKind.WEEKLY]
    page = "\n".join(monthly.pages[page_with(monthly.pages, "各进驻部门本月得分") - 1])
    for label, score in monthly.bulletin.content["department_chart"]:
        assert re.search(rf"{label}\s+{format_value(score, '分', 'score')}", page), label
    categories = "\n".join(weekly.pages[page_with(weekly.pages, "本周巡查问题类别分布") - 1])
    assert any(count == 0 for _, count in weekly.bulletin.content["category_chart"])
    for label, count in weekly.bulletin.content["category_chart"]:
        assert re.search(rf"{label}\s+{format_value(count, '条')}", categories), label


@pytest.mark.parametrize("kind", BulletinKind.values)
def test_rare_characters_in_names_print_as_themselves(printed, kind):
    text = "\n".join("\n".join(lines) for lines in printed[kind].pages)
    for name in RARE_NAMES:
        assert name in text
    assert printed[kind].rendered.missing_glyphs == ""


@pytest.mark.parametrize("kind", BulletinKind.values)
def test_only_two_embedded_faces_of_the_cjk_font(printed, kind):
    rows = poppler("pdffonts", str(printed[kind].path)).splitlines()[2:]
    assert 1 <= len(rows) <= 2, rows
    for row in rows:
        name, embedded = row.split()[0], row.split()[-5]
        assert "Noto-Sans-CJK-SC" in name and embedded == "yes", row
    assert printed[kind].rendered.fonts == ("Noto Sans CJK SC",)


@pytest.mark.parametrize("kind", BulletinKind.values)
def test_template_values_cannot_break_out_of_the_page_header(printed, kind):
    context = bulletin_context(printed[kind].bulletin)
    context["bulletin_name"] = '周报"; content: "x</style>'
    html = render_to_string(TEMPLATES[kind], context)
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert f'"{CENTRE_NAME} · 周报\\22 ; content: \\22 x\\3c /style\\3e "' in style


def svg(markup):
    return ElementTree.fromstring(str(markup))


def bars(root):
    return root.findall(f"{SVG}rect")


def texts(root):
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def test_a_bar_chart_names_the_cjk_font_for_its_text():
    root = svg(bar_chart([("市公安局", 96.5)], title="得分", unit="分"))
    assert root.get("font-family") == "Noto Sans CJK SC"
    assert texts(root) == ["得分", "市公安局", "96.5分"]


def test_an_empty_bar_chart_keeps_its_title_and_says_there_is_no_data():
    root = svg(bar_chart([], title="差评件数"))
    assert bars(root) == []
    assert texts(root) == ["差评件数", "暂无数据"]


def test_negative_values_are_red_bars_left_of_zero_and_zero_draws_no_bar():
    root = svg(bar_chart([("A区", 1.5), ("B区", -0.5), ("C区", 0), ("D区", None)], unit="分"))
    axis = float(root.find(f"{SVG}line").get("x1"))
    up, down = bars(root)
    assert float(up.get("x")) == pytest.approx(axis) and up.get("fill") != down.get("fill")
    assert float(down.get("x")) + float(down.get("width")) == pytest.approx(axis, abs=0.1)
    assert down.get("fill") == "#c8161d"
    assert texts(root) == ["A区", "1.5分", "B区", "-0.5分", "C区", "0分", "D区", "—"]


def test_all_zero_values_still_draw_a_chart():
    root = svg(bar_chart([("A区", 0), ("B区", 0)]))
    assert bars(root) == [] and texts(root) == ["A区", "0", "B区", "0"]


def test_a_chart_draws_at_most_30_bars_and_says_how_many_it_left_out():
    root = svg(bar_chart([(f"窗口{n}", n) for n in range(1, 41)]))
    assert len(bars(root)) == MAX_BARS == 30
    assert texts(root)[-1] == "另有10项未列出"


def test_chart_labels_are_escaped_and_long_ones_shortened():
    long_name = "国家税务总局示范市税务局第一税务分局纳税服务厅综合业务窗口"
    root = svg(bar_chart([('<b>"A&B"</b>', 1), (long_name, 2)], title="<标题>"))
    labels = texts(root)
    assert labels[:2] == ["<标题>", '<b>"A&B"</b>']
    assert labels[3].endswith("…") and long_name.startswith(labels[3][:-1])


def test_a_chart_refuses_values_that_are_not_numbers():
    with pytest.raises(ValueError):
        bar_chart([("A区", float("nan"))])
    with pytest.raises(ValueError):
        bar_chart([("A区", "95")])


def test_the_bar_chart_tag_inserts_the_svg_unescaped():
    template = Template('{% load publications_tags %}{% bar_chart rows title="得分" unit="分" %}')
    html = template.render(Context({"rows": [("市民政局", 97)]}))
    assert html.startswith("<svg") and "97分" in html

"""The supervision bulletin template, read back from a real PDF with poppler.

The sample bulletin (publications.samples, made-up data) is rendered once for the module and
read with pdftotext, pdffonts and pdfinfo, the way a manager's PDF viewer or a search tool
would see it. The bar chart helper is checked on its SVG alone, without rendering.
"""

import re
import subprocess
from xml.etree import ElementTree

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string

from publications.charts import MAX_BARS, bar_chart, format_value
from publications.samples import (
    CENTRE_NAME,
    PAGES,
    RARE_NAMES,
    TEMPLATE,
    sample_bulletin_context,
    sample_bulletin_pdf,
)

SVG = "{http://www.w3.org/2000/svg}"
PERIOD = "2026年11月16日—11月22日"
BULLETIN = "政务服务督查周报"
# Each table of the sample: a header cell that never wraps, and what a body row starts with.
TABLES = {
    "windows": ("窗口名称", r"\d{1,2}\s+[A-K]\d\d\s"),
    "departments": ("办件量", r"\d{1,2}\s+(市|国家)"),
    "findings": ("问题描述", r"\d{1,2}月\d{1,2}日\s+\d\d:\d\d\s"),
    "cases": ("办件编号", r"3799\d{10}\s"),
    "complaints": ("差评原因", r"\d{1,2}月\d{1,2}日\s+[A-K]\d\d\s"),
}


def poppler(*args):
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def bulletin(tmp_path_factory):
    """(RenderedPdf, path of the PDF file) of the sample bulletin: one render per module."""
    rendered = sample_bulletin_pdf()
    path = tmp_path_factory.mktemp("bulletin") / "sample_bulletin.pdf"
    path.write_bytes(rendered.data)
    return rendered, path


@pytest.fixture(scope="module")
def pages(bulletin):
    """The text of each page, laid out as on paper."""
    text = poppler("pdftotext", "-layout", str(bulletin[1]), "-")
    return [[line for line in page.splitlines() if line.strip()] for page in text.split("\f")[:-1]]


def page_with(pages, text):
    return next(number for number, lines in enumerate(pages, 1) if text in "\n".join(lines))


def test_the_sample_bulletin_is_ten_a4_pages(bulletin, pages):
    rendered, path = bulletin
    info = poppler("pdfinfo", str(path))
    assert rendered.pages == PAGES == 10
    assert re.search(r"^Pages:\s+10$", info, re.M)
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info, re.M)
    assert len(pages) == 10


def test_every_page_ends_with_page_n_of_total(pages):
    for number, lines in enumerate(pages, 1):
        assert lines[-1].strip() == f"第{number}页/共10页"


def test_pages_after_the_masthead_carry_centre_bulletin_and_period_in_the_header(pages):
    assert pages[0][0].strip() == BULLETIN  # the first page opens with the masthead instead
    for lines in pages[1:]:
        header = lines[0]
        assert f"{CENTRE_NAME} · {BULLETIN}" in header
        assert header.rstrip().endswith(PERIOD)


@pytest.mark.parametrize("table", TABLES)
def test_a_table_repeats_its_header_row_on_every_page_it_continues_to(pages, table):
    header, row = TABLES[table]
    spanned = []
    for number, lines in enumerate(pages, 1):
        rows = [index for index, line in enumerate(lines) if re.match(r"\s*" + row, line)]
        if rows:
            spanned.append(number)
            headers = [index for index, line in enumerate(lines) if header in line]
            assert headers and headers[0] < rows[0], f"page {number} has rows but no header"
    assert len(spanned) >= 2, f"{table} fits on one page: the sample no longer tests this"


def test_the_charts_labels_and_values_come_out_as_text(pages):
    context = sample_bulletin_context()
    page = pages[page_with(pages, "各进驻部门综合得分") - 1]
    text = "\n".join(page)
    for label, score in context["department_chart"]:
        assert re.search(rf"{label}\s+{format_value(score, '分')}", text), label
    zones = "\n".join(pages[page_with(pages, "各区域窗口平均得分较上周变化") - 1])
    assert any(value < 0 for _, value in context["zone_chart"])
    for label, value in context["zone_chart"]:
        assert re.search(rf"{label}\s+{format_value(value, '分')}", zones), label


def test_rare_characters_in_names_print_as_themselves(bulletin, pages):
    text = "\n".join("\n".join(lines) for lines in pages)
    for name in RARE_NAMES:
        assert name in text
    assert bulletin[0].missing_glyphs == ""


def test_only_two_embedded_faces_of_the_cjk_font(bulletin):
    rendered, path = bulletin
    rows = poppler("pdffonts", str(path)).splitlines()[2:]
    assert 1 <= len(rows) <= 2, rows
    for row in rows:
        name, embedded = row.split()[0], row.split()[-5]
        assert "Noto-Sans-CJK-SC" in name and embedded == "yes", row
    assert rendered.fonts == ("Noto Sans CJK SC",)


def test_template_values_cannot_break_out_of_the_page_header():
    context = sample_bulletin_context() | {"bulletin_name": '周报"; content: "x</style>'}
    html = render_to_string(TEMPLATE, context)
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert '"示范市政务服务中心 · 周报\\22 ; content: \\22 x\\3c /style\\3e "' in style


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

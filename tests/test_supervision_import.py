"""Importing the hall's exports (好差评, 办件, 巡查): CSV in UTF-8, UTF-8 with BOM or GBK, XLSX
with date cells or Excel serial numbers; every bad file rejected whole, with a report naming
row, column and reason, and the database left as it was.

Files are written here, next to the assertions that read them, rather than committed: a
reader sees every cell a test relies on.
"""

import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from imports.cells import Invalid, moment
from supervision.importers import IMPORTERS, import_file
from supervision.importers.base import MAX_LISTED_ERRORS
from supervision.models import Case, Evaluation, Finding, InspectionRound, Staff
from tests import factories

D = datetime.date
pytestmark = pytest.mark.django_db

EVALUATION_HEADER = [
    "评价编号",
    "办件编号",
    "窗口号",
    "工号",
    "评价渠道",
    "评价等级",
    "评价内容",
    "评价时间",
]
GOOD_EVALUATIONS = [
    [
        "PJ-001",
        "BJ-001",
        "A01",
        "",
        "大厅",
        "非常满意",
        "态度很好，一次办结",
        "2026-03-05 09:30:00",
    ],
    ["PJ-002", "BJ-002", "A01", "", "网上", "4", "", "2026/3/5 14:05"],
    ["PJ-003", "", "C01", "1001", "app", "不满意", "等候时间长", "2026年3月6日 10时15分"],
]
CASE_HEADER = [
    "办件编号",
    "事项编码",
    "事项名称",
    "窗口号",
    "受理时间",
    "承诺时限",
    "法定时限",
    "办结时间",
]


def at(*parts):
    return timezone.make_aware(datetime.datetime(*parts))


@pytest.fixture
def hall():
    """Windows A01 and B01 of department X; C01, a comprehensive window of X and Y; staff
    1001 of Y at C01."""
    x = factories.department(name="甲局", code="X")
    y = factories.department(name="乙局", code="Y")
    a = factories.window(x, number="A01", name="甲窗口")
    b = factories.window(x, number="B01", name="乙窗口")
    c = factories.window(x, number="C01", name="综合窗口", is_comprehensive=True)
    c.departments.add(y)
    c.save()
    staff = Staff.objects.create(number="1001", name="王芳", window=c, department=y)
    return {"X": x, "Y": y, "A": a, "B": b, "C": c, "staff": staff}


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Evaluation, Case, Finding, InspectionRound)
    }


def csv_file(tmp_path, header, rows, *, encoding="utf-8", bom=False, name="data.csv"):
    """A CSV as Excel writes it: CRLF line ends, the encoding asked for."""
    text = io.StringIO()
    csv.writer(text).writerows([header, *rows])
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.getvalue().encode(encoding))
    return path


def xlsx_file(tmp_path, header, rows, name="data.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (header, *rows):
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def rejected(report):
    """The report's errors as (row, column, reason) tuples, after checking it is a rejection."""
    assert not report.ok and not report.applied
    assert report.created == report.updated == 0
    return [(error.row, error.column, error.reason) for error in report.errors]


# --- encodings ----------------------------------------------------------------------------


def test_a_utf8_csv_imports_every_evaluation_with_departments_resolved(hall, tmp_path):
    report = import_file("evaluations", csv_file(tmp_path, EVALUATION_HEADER, GOOD_EVALUATIONS))

    assert report.ok and report.applied, report.lines()
    assert (report.rows_read, report.created, report.updated) == (3, 3, 0)
    first, second, third = Evaluation.objects.order_by("number")
    assert (first.rating, first.channel, first.appeal) == (5, "hall", "none")
    assert first.evaluated_at == at(2026, 3, 5, 9, 30)
    assert first.department == hall["X"]  # A01's only department
    assert (second.rating, second.channel, second.comment) == (4, "online", "")
    assert second.evaluated_at == at(2026, 3, 5, 14, 5)
    # C01 serves two departments: the staff member's decides.
    assert (third.staff, third.department, third.rating) == (hall["staff"], hall["Y"], 2)
    assert third.evaluated_at == at(2026, 3, 6, 10, 15)
    assert "导入完成" in report.summary() and "新增好差评3条" in report.summary()


def test_the_report_gives_the_first_and_last_day_of_the_rows_in_shanghai_time(hall, tmp_path):
    # 16:30 UTC on the 31st is 00:30 on 1 April in Shanghai: the rows reach April.
    rows = [*GOOD_EVALUATIONS, ["PJ-004", "", "A01", "", "大厅", "5", "", "2026-03-31T16:30:00Z"]]
    report = import_file("evaluations", csv_file(tmp_path, EVALUATION_HEADER, rows))
    assert (report.first_day, report.last_day) == (D(2026, 3, 5), D(2026, 4, 1))

    rows = [["2026-03-09", "日常", "", "", "", "", "", "", "", "", ""]]
    report = import_file("inspections", csv_file(tmp_path, INSPECTION_HEADER, rows))
    assert (report.first_day, report.last_day) == (D(2026, 3, 9), D(2026, 3, 9))


def test_a_utf8_csv_with_a_bom_imports_like_one_without(hall, tmp_path):
    report = import_file(
        "evaluations", csv_file(tmp_path, EVALUATION_HEADER, GOOD_EVALUATIONS, bom=True)
    )

    assert report.ok and report.created == 3, report.lines()
    assert report.encoding == "UTF-8（带BOM）"
    assert Evaluation.objects.get(number="PJ-001").comment == "态度很好，一次办结"


def test_a_gbk_encoded_csv_imports_like_utf8(hall, tmp_path):
    report = import_file(
        "evaluations", csv_file(tmp_path, EVALUATION_HEADER, GOOD_EVALUATIONS, encoding="gbk")
    )

    assert report.ok and report.created == 3, report.lines()
    assert report.encoding == "GBK"
    assert Evaluation.objects.get(number="PJ-003").comment == "等候时间长"


def test_a_file_in_neither_utf8_nor_gbk_is_rejected_with_one_clear_error(hall, tmp_path):
    path = csv_file(tmp_path, EVALUATION_HEADER, GOOD_EVALUATIONS, encoding="utf-16")

    errors = rejected(import_file("evaluations", path))

    assert len(errors) == 1 and "无法识别文件编码" in errors[0][2]
    assert counts()["Evaluation"] == 0


def test_a_decoding_error_far_into_a_csv_rejects_the_file_and_names_its_row(hall, tmp_path):
    rows = [
        [f"PJ-{n:05d}", "", "A01", "", "大厅", "5", "满意", "2026-03-05 09:30"] for n in range(3000)
    ]
    path = csv_file(tmp_path, EVALUATION_HEADER, rows, encoding="gbk")
    data = path.read_bytes()
    assert len(data) > 64 * 1024  # beyond the sample the encoding is detected on
    # Row 2501 (header is row 1) gets a byte that starts no GB18030 character.
    lines = data.split(b"\n")
    lines[2500] = lines[2500].replace("满意".encode("gbk"), b"\xff\xff")
    path.write_bytes(b"\n".join(lines))

    errors = rejected(import_file("evaluations", path, batch_size=500))

    assert errors == [(2501, "", "从此行起无法按GBK解码：文件混用了多种编码，或已损坏")]
    assert counts()["Evaluation"] == 0  # the first five batches were written, then undone


# --- XLSX ---------------------------------------------------------------------------------


def test_an_xlsx_reads_datetime_cells_and_excel_serial_numbers(hall, tmp_path):
    rows = [
        ["PJ-101", "", "A01", "", "大厅", 5, "", datetime.datetime(2026, 3, 5, 9, 30)],
        ["PJ-102", "", "B01", "", "大厅", 4.0, "", 46086.395833333336],  # a number, unformatted
        ["PJ-103", "", "B01", "", "大厅", "3", "", "46086.395833333336"],  # the same, as text
    ]
    report = import_file("evaluations", xlsx_file(tmp_path, EVALUATION_HEADER, rows))

    assert report.ok and report.created == 3, report.lines()
    times = dict(Evaluation.objects.values_list("number", "evaluated_at"))
    assert set(times.values()) == {at(2026, 3, 5, 9, 30)}
    assert dict(Evaluation.objects.values_list("number", "rating")) == {
        "PJ-101": 5,
        "PJ-102": 4,
        "PJ-103": 3,
    }


def test_an_xlsx_header_may_start_below_empty_rows_and_use_aliases(hall, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([])
    sheet.append(["评价ID", "窗口号", "评价渠道", "评价等级", "评价时间", "备注"])
    sheet.append(["PJ-201", "a01", "大厅", "满意", datetime.datetime(2026, 3, 5, 9, 30)])
    path = tmp_path / "aliases.xlsx"
    workbook.save(path)

    report = import_file("evaluations", path)

    assert report.ok and report.created == 1, report.lines()
    assert report.ignored_columns == ["备注"]
    assert Evaluation.objects.get(number="PJ-201").window == hall["A"]


def test_a_truncated_xlsx_is_rejected_as_incomplete_and_changes_nothing(hall, tmp_path):
    path = xlsx_file(tmp_path, EVALUATION_HEADER, [GOOD_EVALUATIONS[0]])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    before = counts()

    errors = rejected(import_file("evaluations", path))

    assert len(errors) == 1 and errors[0][2].startswith("文件不完整或已损坏")
    assert counts() == before


def test_an_old_xls_file_is_rejected_with_what_to_do(hall, tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))

    errors = rejected(import_file("evaluations", path))

    assert "另存为 .xlsx" in errors[0][2]


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-05 09:30:00",
        "2026-03-05 09:30",
        "2026/3/5 9:30",
        "2026.3.5 9:30",
        "2026年3月5日 9时30分",
        "2026年3月5日9:30",
        "46086.395833333336",
    ],
)
def test_the_date_formats_of_the_exports_all_read_as_the_same_shanghai_time(text):
    assert moment(text) == at(2026, 3, 5, 9, 30)
    assert moment(text).utcoffset() == datetime.timedelta(hours=8)


@pytest.mark.parametrize(
    "text", ["2026-13-45 09:30", "明天上午", "2026-02-30", "12345", "1899-12-31"]
)
def test_a_nonsense_date_is_invalid(text):
    with pytest.raises(Invalid):
        moment(text)


def test_a_nonsense_date_rejects_the_file_and_names_row_and_column(hall, tmp_path):
    rows = [*GOOD_EVALUATIONS, ["PJ-004", "", "A01", "", "大厅", "5", "", "2026-13-45 09:30"]]

    errors = rejected(import_file("evaluations", csv_file(tmp_path, EVALUATION_HEADER, rows)))

    assert errors == [(5, "评价时间", "“2026-13-45 09:30”不是有效的日期时间")]
    assert counts()["Evaluation"] == 0


# --- rejections ---------------------------------------------------------------------------


def test_a_missing_required_column_is_one_error_naming_it_and_nothing_more_is_read(hall, tmp_path):
    header = [name for name in EVALUATION_HEADER if name not in ("评价等级", "评价时间")]
    rows = [row[:5] + row[6:7] for row in GOOD_EVALUATIONS]

    report = import_file("evaluations", csv_file(tmp_path, header, rows))

    assert rejected(report) == [
        (1, "评价等级、评价时间", "缺少必需的列：评价等级、评价时间（表头为第一个非空行）")
    ]
    assert report.rows_read == 0 and counts()["Evaluation"] == 0


def test_a_column_given_twice_under_two_names_is_rejected(hall, tmp_path):
    header = [*EVALUATION_HEADER, "评价ID"]
    rows = [[*row, row[0]] for row in GOOD_EVALUATIONS]

    errors = rejected(import_file("evaluations", csv_file(tmp_path, header, rows)))

    assert errors == [(1, "评价ID", "与A列“评价编号”是同一列，只能保留一个")]


def test_a_rating_out_of_range_rejects_the_whole_file_and_names_row_and_column(hall, tmp_path):
    rows = [
        [f"PJ-{n:03d}", "", "A01", "", "大厅", "5", "", "2026-03-05 09:30"] for n in range(1, 11)
    ]
    rows[7][5] = "6"  # row 9 as Excel numbers it
    before = counts()

    report = import_file("evaluations", csv_file(tmp_path, EVALUATION_HEADER, rows), batch_size=3)

    assert rejected(report) == [
        (
            9,
            "评价等级",
            "须为1–5的整数或非常满意、满意、基本满意、不满意、非常不满意之一，实际为“6”",
        )
    ]
    assert report.rows_read == 10
    assert counts() == before  # two batches had been written before row 9: rolled back


def test_a_duplicate_number_within_a_file_is_rejected_naming_the_earlier_row(hall, tmp_path):
    rows = [*GOOD_EVALUATIONS, GOOD_EVALUATIONS[1]]

    errors = rejected(import_file("evaluations", csv_file(tmp_path, EVALUATION_HEADER, rows)))

    assert errors == [(5, "评价编号", "与第3行的评价编号“PJ-002”重复")]
    assert counts()["Evaluation"] == 0


def test_every_bad_row_is_reported_not_only_the_first(hall, tmp_path):
    rows = [
        ["PJ-001", "", "Z99", "", "大厅", "5", "", "2026-03-05 09:30"],
        ["PJ-002", "", "A01", "9999", "大厅", "5", "", "2026-03-05 09:30"],
        ["PJ-003", "", "C01", "", "柜台", "5", "", "2026-03-05 09:30"],
        ["PJ-004", "", "C01", "", "大厅", "5", "", "2026-03-05 09:30"],
    ]

    errors = rejected(import_file("evaluations", csv_file(tmp_path, EVALUATION_HEADER, rows)))

    assert errors == [
        (2, "窗口号", "窗口号“Z99”不存在（请先在后台“服务窗口”中添加）"),
        (3, "工号", "工号“9999”不存在（请先在后台“窗口工作人员”中添加）"),
        (4, "评价渠道", "“柜台”不是可选值（大厅、网上、移动端）"),
        (5, "部门编码", "窗口C01有2个进驻部门，请填写部门编码"),
    ]


def test_a_department_code_settles_a_comprehensive_window(hall, tmp_path):
    header = [*EVALUATION_HEADER, "部门编码"]
    rows = [["PJ-001", "", "C01", "", "大厅", "5", "", "2026-03-05 09:30", "Y"]]

    report = import_file("evaluations", csv_file(tmp_path, header, rows))

    assert report.ok, report.lines()
    assert Evaluation.objects.get().department == hall["Y"]


def test_the_report_counts_every_error_but_lists_at_most_200(hall, tmp_path):
    rows = [[f"PJ-{n}", "", "Z99", "", "大厅", "5", "", "2026-03-05 09:30"] for n in range(250)]

    report = import_file("evaluations", csv_file(tmp_path, EVALUATION_HEADER, rows))

    assert report.error_count == 250 and len(report.errors) == MAX_LISTED_ERRORS
    assert "发现250处错误（以下列出前200处）" in report.summary()


# --- checks against the hall, and natural keys without case (issue 25) -------------------


def test_a_department_code_not_among_the_windows_departments_rejects_the_whole_file(hall, tmp_path):
    factories.department(name="丙局", code="Z")  # exists, but at no window of the file
    header = [*EVALUATION_HEADER, "部门编码"]
    rows = [
        ["PJ-001", "", "A01", "", "大厅", "5", "", "2026-03-05 09:30", "X"],
        ["PJ-002", "", "A01", "", "大厅", "5", "", "2026-03-05 09:30", "Y"],
        ["PJ-003", "", "C01", "", "大厅", "5", "", "2026-03-05 09:30", "Z"],
    ]

    errors = rejected(import_file("evaluations", csv_file(tmp_path, header, rows), batch_size=1))

    assert errors == [
        (3, "部门编码", "部门编码“Y”不是窗口A01的进驻部门（该窗口的部门编码：X）"),
        (4, "部门编码", "部门编码“Z”不是窗口C01的进驻部门（该窗口的部门编码：X、Y）"),
    ]
    assert counts()["Evaluation"] == 0  # row 2 had been written in its own batch: rolled back


def test_a_case_whose_department_code_is_another_windows_is_rejected(hall, tmp_path):
    header = [*CASE_HEADER, "部门代码"]
    rows = [["BJ-001", "X-001", "", "A01", "2026-03-02 09:00", "5", "20", "", "Y"]]

    errors = rejected(import_file("cases", csv_file(tmp_path, header, rows)))

    assert errors == [(2, "部门代码", "部门编码“Y”不是窗口A01的进驻部门（该窗口的部门编码：X）")]


def test_window_staff_and_department_codes_are_found_whatever_their_case(hall, tmp_path):
    header = [*EVALUATION_HEADER, "部门编码"]
    rows = [
        ["PJ-001", "", "a01", "", "大厅", "5", "", "2026-03-05 09:30", "x"],
        ["PJ-002", "", "c01", "1001", "大厅", "5", "", "2026-03-05 09:30", "y"],
    ]

    report = import_file("evaluations", csv_file(tmp_path, header, rows))

    assert report.ok, report.lines()
    first, second = Evaluation.objects.order_by("number")
    assert (first.window, first.department) == (hall["A"], hall["X"])
    assert (second.window, second.staff, second.department) == (hall["C"], hall["staff"], hall["Y"])


def test_two_numbers_differing_only_by_case_are_one_record_given_twice(hall, tmp_path):
    rows = [GOOD_EVALUATIONS[0], ["pj-001", *GOOD_EVALUATIONS[1][1:]]]

    errors = rejected(import_file("evaluations", csv_file(tmp_path, EVALUATION_HEADER, rows)))

    assert errors == [(3, "评价编号", "与第2行的评价编号“PJ-001”重复")]


def test_a_number_stored_in_another_case_is_updated_not_added_again(hall, tmp_path):
    import_file("evaluations", csv_file(tmp_path, EVALUATION_HEADER, GOOD_EVALUATIONS))
    rows = [["pj-001", *GOOD_EVALUATIONS[0][1:5], "非常不满意", *GOOD_EVALUATIONS[0][6:]]]
    path = csv_file(tmp_path, EVALUATION_HEADER, rows, name="lower.csv")

    dry = import_file("evaluations", path, dry_run=True)
    report = import_file("evaluations", path)

    assert (dry.created, dry.updated) == (0, 1), dry.lines()
    assert (report.created, report.updated) == (0, 1), report.lines()
    assert counts()["Evaluation"] == 3
    stored = Evaluation.objects.get(number__iexact="pj-001")
    assert (stored.number, stored.rating) == ("PJ-001", 1)  # the stored spelling stays


@pytest.mark.parametrize("kind", ["cases", "inspections"])
def test_case_and_finding_numbers_in_another_case_update_the_stored_record(hall, tmp_path, kind):
    if kind == "cases":
        header, model = CASE_HEADER, Case
        row = ["BJ-001", "X-001", "食品经营许可", "A01", "2026-03-02 09:00", "5", "20", ""]
        row_again = ["bj-001", *row[1:-1], "2026-03-04 16:00"]
    else:
        header, model = INSPECTION_HEADER, Finding
        row = ["2026-03-05", "日常", "", "XC-001", "A01", "", "服务礼仪", "未佩戴工牌", "", "", ""]
        row_again = [*row[:3], "xc-001", *row[4:8], "2", *row[9:]]
    import_file(kind, csv_file(tmp_path, header, [row], name="first.csv"))

    report = import_file(kind, csv_file(tmp_path, header, [row_again], name="second.csv"))

    assert (report.created, report.updated) == (0, 1), report.lines()
    assert list(model.objects.values_list("number", flat=True)) == [
        row[0] if kind == "cases" else row[3]
    ]


@pytest.mark.parametrize("writer", [csv_file, xlsx_file], ids=["csv", "xlsx"])
@pytest.mark.parametrize("blank_rows", [0, 3])
def test_a_header_only_file_is_an_error_not_an_import_of_nothing(
    hall, tmp_path, writer, blank_rows
):
    report = import_file(
        "evaluations", writer(tmp_path, EVALUATION_HEADER, [[""] * 8] * blank_rows)
    )

    errors = rejected(report)

    assert errors == [(None, "", "文件中没有数据行：只有表头，没有要导入的好差评记录")]
    assert "未导入" in report.summary()


@pytest.mark.parametrize("name", ["empty.csv", "empty.xlsx"])
def test_an_empty_file_is_an_error_that_says_it_has_no_data_rows(hall, tmp_path, name):
    path = tmp_path / name
    if name.endswith(".xlsx"):
        openpyxl.Workbook().save(path)
    else:
        path.write_bytes(b"")

    errors = rejected(import_file("cases", path))

    assert errors == [(None, "", "文件中没有数据行：文件是空的（第一个非空行应为表头）")]


# --- idempotence and updates ---------------------------------------------------------------


def test_a_repeated_file_adds_nothing(hall, tmp_path):
    path = csv_file(tmp_path, EVALUATION_HEADER, GOOD_EVALUATIONS)
    import_file("evaluations", path)

    again = import_file("evaluations", path)

    assert again.ok and (again.created, again.updated) == (0, 3)
    assert counts()["Evaluation"] == 3


def test_a_re_exported_case_with_a_completion_time_updates_the_stored_one(hall, tmp_path):
    open_case = ["BJ-001", "X-001", "食品经营许可", "A01", "2026-03-02 09:00", "5", "20", ""]
    import_file("cases", csv_file(tmp_path, CASE_HEADER, [open_case], name="first.csv"))
    completed = [*open_case[:-1], "2026-03-04 16:00"]

    report = import_file("cases", csv_file(tmp_path, CASE_HEADER, [completed], name="second.csv"))

    assert (report.created, report.updated) == (0, 1), report.lines()
    assert Case.objects.get().completed_at == at(2026, 3, 4, 16, 0)


def test_a_re_export_without_the_appeal_column_keeps_the_appeals_recorded_since(hall, tmp_path):
    import_file("evaluations", csv_file(tmp_path, EVALUATION_HEADER, GOOD_EVALUATIONS))
    Evaluation.objects.filter(number="PJ-003").update(appeal="upheld")
    header = [*EVALUATION_HEADER, "整改情况"]
    rows = [[*row, ""] for row in GOOD_EVALUATIONS]
    rows[2][-1] = "已回访，调整窗口人手"

    report = import_file("evaluations", csv_file(tmp_path, header, rows, name="again.csv"))

    assert report.ok and report.updated == 3
    third = Evaluation.objects.get(number="PJ-003")
    assert (third.appeal, third.follow_up) == ("upheld", "已回访，调整窗口人手")


def test_a_dry_run_checks_and_counts_but_writes_nothing(hall, tmp_path):
    path = csv_file(tmp_path, EVALUATION_HEADER, GOOD_EVALUATIONS)

    report = import_file("evaluations", path, dry_run=True)

    assert report.ok and not report.applied and report.created == 3
    assert (
        "校验通过（试运行，未写入）" in report.summary() and "将新增好差评3条" in report.summary()
    )
    assert counts()["Evaluation"] == 0


# --- cases --------------------------------------------------------------------------------


def test_case_due_dates_are_computed_on_the_calendar_across_the_national_day_holiday(
    hall, tmp_path
):
    # Accepted Wednesday 2026-09-30. 10-01..07 are off (10-03/04 a weekend); 10-08 (Thu) is
    # working day 1, 10-09 day 2, Saturday 10-10 (调休上班) day 3; Monday 10-12 day 4,
    # Tuesday 10-13 day 5.
    rows = [["BJ-001", "X-001", "食品经营许可", "A01", "2026-09-30 10:00", "3", "5", ""]]

    report = import_file("cases", csv_file(tmp_path, CASE_HEADER, rows))

    assert report.ok, report.lines()
    case = Case.objects.get()
    assert (case.promised_due, case.legal_due) == (D(2026, 10, 10), D(2026, 10, 13))
    assert case.department == hall["X"]


def test_a_completion_before_acceptance_is_rejected(hall, tmp_path):
    rows = [
        ["BJ-001", "X-001", "", "A01", "2026-03-02 09:00", "5", "20", "2026-03-04 16:00"],
        ["BJ-002", "X-001", "", "A01", "2026-03-02 09:00", "5", "20", "2026-03-01 16:00"],
        ["BJ-003", "X-001", "", "A01", "2026-03-02 09:00", "5", "3", ""],
        ["BJ-004", "X-001", "", "A01", "2026-03-02 09:00", "-1", "3", ""],
    ]

    errors = rejected(import_file("cases", csv_file(tmp_path, CASE_HEADER, rows)))

    assert errors == [
        (3, "办结时间", "办结时间早于受理时间（2026-03-02 09:00）"),
        (4, "法定时限", "法定时限（3）不能少于承诺时限（5）"),
        (5, "承诺时限", "须在0到32767之间，实际为-1"),
    ]
    assert counts()["Case"] == 0


# --- inspections --------------------------------------------------------------------------

INSPECTION_HEADER = [
    "巡查日期",
    "巡查类型",
    "巡查人员",
    "问题编号",
    "窗口号",
    "工号",
    "问题类别",
    "问题描述",
    "扣分",
    "整改期限",
    "整改时间",
]


def test_inspections_get_or_create_rounds_and_a_row_without_a_finding_records_a_round(
    hall, tmp_path
):
    InspectionRound.objects.create(date=D(2026, 3, 5), kind="daily", inspectors="督查科")
    rows = [
        [
            "2026-03-05",
            "日常巡查",
            "张三",
            "XC-001",
            "A01",
            "",
            "服务礼仪",
            "未佩戴工牌",
            "",
            "2026-03-06",
            "",
        ],
        [
            "2026-03-05",
            "daily",
            "",
            "XC-002",
            "C01",
            "1001",
            "考勤",
            "迟到10分钟",
            "1.5",
            "",
            "2026-03-05 17:00",
        ],
        ["2026-03-06", "暗访抽查", "李四", "", "", "", "", "", "", "", ""],
    ]
    path = xlsx_file(tmp_path, INSPECTION_HEADER, rows)

    report = import_file("inspections", path)

    assert report.ok, report.lines()
    assert (report.created, report.updated, report.rounds_created) == (2, 0, 1)
    daily = InspectionRound.objects.get(date=D(2026, 3, 5))
    assert daily.inspectors == "督查科"  # an existing round keeps its own
    surprise = InspectionRound.objects.get(date=D(2026, 3, 6))
    assert (surprise.kind, surprise.inspectors, surprise.findings.count()) == (
        "surprise",
        "李四",
        0,
    )
    first, second = Finding.objects.order_by("number")
    assert (first.round, first.category, first.deduction) == (daily, "etiquette", None)
    assert first.fix_deadline == D(2026, 3, 6)
    assert (second.staff, second.department, second.deduction) == (
        hall["staff"],
        hall["Y"],
        Decimal("1.5"),
    )
    assert second.fixed_at == at(2026, 3, 5, 17, 0)

    again = import_file("inspections", path)
    assert (again.created, again.updated, again.rounds_created) == (0, 2, 0)
    assert counts() == {"Evaluation": 0, "Case": 0, "Finding": 2, "InspectionRound": 2}


def test_a_half_filled_finding_is_rejected_naming_each_missing_cell(hall, tmp_path):
    rows = [["2026-03-05", "", "", "XC-001", "A01", "", "", "", "-1", "", ""]]

    errors = rejected(import_file("inspections", csv_file(tmp_path, INSPECTION_HEADER, rows)))

    assert errors == [(2, "扣分", "须为0到9999.9之间的数字，实际为-1")]
    rows[0][8] = ""
    errors = rejected(import_file("inspections", csv_file(tmp_path, INSPECTION_HEADER, rows)))
    reason = "填写巡查问题时必填（整行问题信息留空表示本次巡查未发现问题）"
    assert errors == [(2, "问题类别", reason), (2, "问题描述", reason)]
    assert counts()["InspectionRound"] == 0


# --- the command --------------------------------------------------------------------------


def test_the_command_imports_and_prints_the_report(hall, tmp_path):
    path = csv_file(tmp_path, EVALUATION_HEADER, GOOD_EVALUATIONS, encoding="gbk")
    out, err = io.StringIO(), io.StringIO()

    call_command("import_supervision", "evaluations", str(path), stdout=out, stderr=err)

    assert "data.csv 导入完成：共3行，新增好差评3条，更新已有好差评0条。" in out.getvalue()
    assert "导入" in err.getvalue()  # the progress bar
    assert counts()["Evaluation"] == 3


def test_the_command_fails_on_a_bad_file_with_the_report(hall, tmp_path):
    rows = [*GOOD_EVALUATIONS, ["PJ-004", "", "A01", "", "大厅", "0", "", "2026-03-05 09:30"]]
    path = csv_file(tmp_path, EVALUATION_HEADER, rows)

    with pytest.raises(CommandError) as raised:
        call_command("import_supervision", "evaluations", str(path), verbosity=0)

    message = str(raised.value)
    assert "未导入" in message and "数据库未作任何修改" in message
    assert "第5行 · 评价等级：须为1–5的整数" in message
    assert counts()["Evaluation"] == 0


def test_the_command_fails_on_a_header_only_file(hall, tmp_path):
    path = csv_file(tmp_path, CASE_HEADER, [])

    with pytest.raises(CommandError, match="文件中没有数据行"):
        call_command("import_supervision", "cases", str(path), verbosity=0)


def test_the_command_stops_on_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_supervision", "cases", str(tmp_path / "nothing.csv"))


# The admin upload page and the runs it records: tests/test_supervision_import_runs.py


def test_the_docs_name_every_column_and_alias_the_importers_accept():
    docs = (Path(__file__).parents[1] / "docs" / "supervision-import.md").read_text()
    for importer in IMPORTERS.values():
        for column in importer.columns:
            for name in (column.label, *column.aliases):
                assert name in docs, f"{importer.kind}: {name}"

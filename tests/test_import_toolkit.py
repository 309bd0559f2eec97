"""The import toolkit (imports/): both importers, the catalogue's and the hall data's, read
files, parse cells, report problems and write through it, so they refuse, accept and report
alike; the toolkit itself names no app. The bulk writer's two modes, upsert by natural key and
insert-only, write what the ORM would read back.
"""

import ast
import csv
import datetime
import io
import json
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

from cms.catalogue_import import (
    CatalogueFileError,
    CatalogueInvalid,
    read_catalogue,
    validate,
)
from imports import files
from imports.cells import Invalid, integer
from imports.files import calamine_table, old_excel, open_table, openpyxl_table
from imports.problems import Problem
from imports.writers import bulk_writer
from supervision.importers import import_file
from supervision.models import Case, Finding, InspectionRound
from tests import factories

pytestmark = pytest.mark.django_db

TOOLKIT = Path(__file__).parents[1] / "imports"
OLD_XLS_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)


def at(*parts):
    return timezone.make_aware(datetime.datetime(*parts))


def csv_file(tmp_path, rows, name="data.csv", encoding="utf-8"):
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    path = tmp_path / name
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def catalogue_item(**values):
    item = {
        "implementation_code": "62052400MZ-XK-0001",
        "title": "食品经营许可（新办）",
        "item_type": "行政许可",
        "department_code": "SCJG",
        "audience": "法人",
        "legal_days": 20,
        "promised_days": 5,
    }
    return item | values


def catalogue_problems(path):
    """The problems the catalogue's validator reports for the file at `path`."""
    with pytest.raises(CatalogueInvalid) as raised:
        validate(read_catalogue(path))
    return raised.value.problems


# --- one toolkit, two importers ---------------------------------------------------------


def test_both_importers_refuse_an_old_xls_with_the_toolkits_sentence_naming_what_each_takes(
    tmp_path,
):
    path = tmp_path / "old.xls"
    path.write_bytes(OLD_XLS_BYTES)

    report = import_file("evaluations", path)
    with pytest.raises(CatalogueFileError) as raised:
        read_catalogue(path)

    assert [(error.row, error.column, error.reason) for error in report.errors] == [
        (None, "", "这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后再导入")
    ]
    assert str(raised.value) == (
        "old.xls：这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后再导入。"
    )


def test_both_importers_tell_an_xls_by_its_first_bytes_whatever_its_name(tmp_path):
    evaluations = tmp_path / "好差评.csv"
    evaluations.write_bytes(OLD_XLS_BYTES)
    catalogue = tmp_path / "catalogue.json"
    catalogue.write_bytes(OLD_XLS_BYTES)

    hall_reason = import_file("evaluations", evaluations).errors[0].reason
    assert hall_reason == "这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后再导入"
    with pytest.raises(CatalogueFileError, match=old_excel({"xlsx", "json", "csv"})):
        read_catalogue(catalogue)


def test_both_importers_report_a_bad_cell_as_a_problem_naming_row_and_column(tmp_path):
    factories.window(factories.department(code="X"), number="A01")
    evaluations = csv_file(
        tmp_path,
        [
            ["评价编号", "窗口号", "评价渠道", "评价等级", "评价时间"],
            ["PJ-1", "A01", "柜台", "5", "2026-03-05 09:30"],
        ],
    )
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "事项"
    item = catalogue_item(item_type="公众服务")
    sheet.append(list(item))
    sheet.append(list(item.values()))
    workbook.save(tmp_path / "catalogue.xlsx")

    hall = import_file("evaluations", evaluations).errors
    catalogue = catalogue_problems(tmp_path / "catalogue.xlsx")

    assert type(hall[0]) is Problem
    assert (hall[0].row, hall[0].column) == (2, "评价渠道")
    assert str(hall[0]).startswith("第2行 · 评价渠道：")
    cell = next(problem for problem in catalogue if problem.column == "item_type")
    assert type(cell) is Problem
    assert (cell.section, cell.row) == ("事项", 2)
    assert str(cell).startswith("事项 · 第2行 · item_type：无法识别“公众服务”")


def test_both_importers_read_integers_with_the_same_parser(tmp_path):
    # Full-width digits and "5.0" (a number a spreadsheet turned into text) are whole numbers
    # to imports.cells.integer, for whichever importer asks.
    x = factories.department(code="X")
    factories.window(x, number="A01")
    cases = csv_file(
        tmp_path,
        [
            ["办件编号", "事项编码", "窗口号", "受理时间", "承诺时限", "法定时限"],
            ["BJ-1", "62052400MZ-XK-0001", "A01", "2026-03-05 09:30", "5.0", "２０"],
        ],
    )
    catalogue = tmp_path / "catalogue.json"
    item = catalogue_item(promised_days="5.0", legal_days="２０", department_code="NOPE")
    catalogue.write_text(json.dumps({"items": [item]}, ensure_ascii=False), encoding="utf-8")

    report = import_file("cases", cases)
    problems = catalogue_problems(catalogue)

    assert report.ok, report.lines()
    assert Case.objects.values_list("promised_days", "legal_days").get() == (5, 20)
    # The file is rejected for its unknown department only: both time limits were read.
    assert [problem.column for problem in problems] == ["items[1].department_code"]


def test_the_hall_import_reads_gb18030_beyond_gbk(tmp_path):
    # 𠮷 (U+20BB7) exists only in GB18030's four-byte range, not in GBK.
    x = factories.department(code="X")
    factories.window(x, number="A01")
    path = csv_file(
        tmp_path,
        [
            ["评价编号", "窗口号", "评价渠道", "评价等级", "评价内容", "评价时间"],
            ["PJ-1", "A01", "大厅", "5", "𠮷祥", "2026-03-05 09:30"],
        ],
        encoding="gb18030",
    )

    report = import_file("evaluations", path)

    assert report.ok and report.encoding == "GBK", report.lines()


def test_the_toolkit_imports_no_app():
    apps = {"cms", "supervision", "search", "publications", "demo"}
    for module in TOOLKIT.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in apps, f"{module.name} imports {name}"


# --- the problem report -----------------------------------------------------------------


def test_a_problem_reads_as_the_reports_print_it():
    assert str(Problem(7, "评价等级", "须为1–5的整数")) == "第7行 · 评价等级：须为1–5的整数"
    assert str(Problem(None, "", "无法识别文件编码")) == "无法识别文件编码"
    assert (
        str(Problem(3, "事项类型", "无法识别", section="事项"))
        == "事项 · 第3行 · 事项类型：无法识别"
    )
    json_item = Problem(2, "items[2].title", "必填项不能为空", section="事项", unit="项事项")
    assert str(json_item) == "事项 · 第2项事项 · items[2].title：必填项不能为空"
    assert json_item.place == "第2项事项"


# --- the bulk writer --------------------------------------------------------------------


@pytest.fixture
def hall_refs():
    department = factories.department(code="X")
    window = factories.window(department, number="A01")
    return window, department


def test_insert_writes_plain_rows_in_the_order_of_the_fields_named(hall_refs):
    window, department = hall_refs
    inspection = InspectionRound.objects.create(date=datetime.date(2026, 3, 5), kind="daily")
    writer = bulk_writer(
        Finding,
        [
            "number",
            "round",
            "window",
            "department",
            "category",
            "description",
            "deduction",
            "fix_deadline",
            "fixed_at",
        ],
    )
    base = [inspection.pk, window.pk, department.pk, "etiquette", "未着工装"]

    writer.insert(
        [
            ("F-1", *base, Decimal("0.5"), datetime.date(2026, 3, 9), at(2026, 3, 6, 10, 0)),
            ("F-2", *base, None, None, None),
        ]
    )

    first, second = Finding.objects.order_by("number")
    assert (first.number, first.round, first.window, first.department) == (
        "F-1",
        inspection,
        window,
        department,
    )
    assert first.deduction == Decimal("0.5")
    assert first.fix_deadline == datetime.date(2026, 3, 9)
    assert first.fixed_at == at(2026, 3, 6, 10, 0)
    assert (second.deduction, second.fix_deadline, second.fixed_at) == (None, None, None)


def test_upsert_inserts_new_keys_overwrites_the_named_fields_and_counts_existing(hall_refs):
    window, department = hall_refs
    writer = bulk_writer(Case, key="number", update_fields=["completed_at"])
    record = {
        "number": "BJ-1",
        "item_code": "62052400MZ-XK-0001",
        "item_name": "食品经营许可",
        "window_id": window.pk,
        "department_id": department.pk,
        "accepted_at": at(2026, 3, 5, 9, 30),
        "promised_days": 5,
        "legal_days": 20,
        "promised_due": datetime.date(2026, 3, 12),
        "legal_due": datetime.date(2026, 4, 2),
    }

    assert writer.upsert([record]) == 0
    completed = record | {"completed_at": at(2026, 3, 10, 16, 0), "item_name": "改名"}
    assert writer.upsert([completed, record | {"number": "BJ-2"}], count_only=True) == 1
    assert Case.objects.count() == 1
    assert writer.upsert([completed, record | {"number": "BJ-2"}]) == 1

    case = Case.objects.get(number="BJ-1")
    assert case.completed_at == at(2026, 3, 10, 16, 0)
    assert case.item_name == "食品经营许可"  # not among the update fields
    assert Case.objects.count() == 2


def test_stored_spellings_finds_keys_ignoring_case_and_only_those_asked(hall_refs):
    window, department = hall_refs
    inspection = InspectionRound.objects.create(date=datetime.date(2026, 3, 5), kind="daily")
    base = [inspection.pk, window.pk, department.pk, "etiquette", "未着工装"]
    bulk_writer(
        Finding, ["number", "round", "window", "department", "category", "description"]
    ).insert([("xc-1", *base), ("XC-2", *base), ("Xc-3", *base), ("xC-3", *base)])
    writer = bulk_writer(Finding, key="number", update_fields=["description"])

    found = writer.stored_spellings(["XC-1", "XC-3", "XC-9"])

    assert found == {"XC-1": {"xc-1"}, "XC-3": {"Xc-3", "xC-3"}}


@pytest.mark.parametrize("cell", ["1e2", "1_000", "5.5", "五", "", "0x10", True, 2.5])
def test_a_whole_number_is_digits_not_any_form_python_would_read(cell):
    # Python's float() reads "1e2" and "1_000"; a cell for days or copies never means them.
    with pytest.raises(Invalid, match="须为整数"):
        integer(0, 100)(cell)


@pytest.mark.parametrize(
    ("cell", "number"),
    [("5", 5), (" +5 ", 5), ("5.0", 5), ("５", 5), ("５.０", 5), (5, 5), (5.0, 5)],
)
def test_a_whole_number_may_come_as_text_full_width_or_a_spreadsheet_number(cell, number):
    assert integer(0, 100)(cell) == number


def test_a_header_is_matched_by_key_label_or_alias_whatever_its_width_and_case():
    from dataclasses import dataclass

    from imports.headers import column_names, match_header

    @dataclass(frozen=True)
    class Column:
        key: str
        label: str
        aliases: tuple = ()
        required: bool = True

    window = Column("window", "窗口号", ("窗口编号",))
    staff = Column("staff", "工号")
    rating = Column("rating", "评价", required=False)
    names = column_names([window, staff, rating])

    header = match_header(["\ufeff窗口号", None, "ＷＩＮＤＯＷ", "备注", " 评价 "], names)

    assert header.positions == {"window": 0, "rating": 4}
    assert header.labels == {"window": "窗口号", "rating": "评价"}
    assert header.unknown == ["备注"]
    assert header.repeated == [("ＷＩＮＤＯＷ", window)]
    assert header.missing([window, staff, rating, staff]) == [staff]


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        (10**400, "须在0到100之间"),  # a JSON number no float can hold: reported, never raised
        ("1" * 400, "须在0到100之间"),
        (-3, "须在0到100之间"),
        ("-3", "须在0到100之间"),
        (float("inf"), "须为整数"),
        (float("nan"), "须为整数"),
    ],
)
def test_a_whole_number_out_of_range_or_not_finite_is_reported_not_raised(cell, reason):
    with pytest.raises(Invalid, match=reason):
        integer(0, 100)(cell)


# --- XLSX: python-calamine, openpyxl as the fallback --------------------------------------


def varied_xlsx(path):
    """A sheet with every kind of cell the hall's exports hold, where the readers differ:
    empty rows and columns before the data, gaps inside a row, whole numbers, dates without
    a time, a formula without a stored result, a long number."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["B3"], sheet["C3"], sheet["E3"], sheet["F3"] = "评价编号", "工号", "评价时间", "扣分"
    sheet.append([None, "PJ-001", 1001, None, datetime.datetime(2026, 3, 5, 9, 30), 2.5])
    sheet.append([None, " pj-002 ", 1001.0, True, datetime.date(2026, 3, 6), 0])
    sheet.append([])
    sheet.append([None, "态度很好\n一次办结", 46086.5, False, datetime.time(9, 30), -1])
    sheet.append([None, 123456789012, None, "=1+1", None, 1e20])
    workbook.save(path)
    return path


def test_calamine_and_openpyxl_read_the_same_rows_from_one_xlsx(tmp_path):
    path = varied_xlsx(tmp_path / "varied.xlsx")

    with open(path, "rb") as handle:
        by_calamine = list(calamine_table(handle).rows)
    with open(path, "rb") as handle:
        by_openpyxl = list(openpyxl_table(handle).rows)

    assert by_calamine == by_openpyxl
    # What both give, as imports.cells expects it: row numbers as Excel shows them, the
    # empty column A kept, whole numbers as int, a date as midnight, empty cells as None.
    assert by_calamine == [
        (1, ()),
        (2, ()),
        (3, (None, "评价编号", "工号", None, "评价时间", "扣分")),
        (4, (None, "PJ-001", 1001, None, datetime.datetime(2026, 3, 5, 9, 30), 2.5)),
        (5, (None, " pj-002 ", 1001, True, datetime.datetime(2026, 3, 6), 0)),
        (6, ()),
        (7, (None, "态度很好\n一次办结", 46086.5, False, datetime.time(9, 30), -1)),
        (8, (None, 123456789012, None, None, None, 1e20)),
    ]


def test_an_xlsx_is_read_by_calamine_when_it_is_installed(tmp_path, monkeypatch):
    def not_openpyxl(handle):
        raise AssertionError("openpyxl read the file")

    monkeypatch.setattr(files, "openpyxl_table", not_openpyxl)
    with open(varied_xlsx(tmp_path / "varied.xlsx"), "rb") as handle:
        table = open_table(handle, "varied.xlsx")
        assert len(list(table.rows)) == 8 and table.total == 8


def test_an_xlsx_is_read_by_openpyxl_when_calamine_is_not_installed(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # import raises ImportError
    path = varied_xlsx(tmp_path / "varied.xlsx")
    with open(path, "rb") as handle:
        expected = list(openpyxl_table(handle).rows)

    with open(path, "rb") as handle:
        assert list(open_table(handle, "varied.xlsx").rows) == expected


def test_an_xlsx_calamine_cannot_read_is_read_by_openpyxl(tmp_path, monkeypatch):
    def failing(handle):
        handle.read(100)  # the fallback must start again from the beginning
        raise ValueError("calamine failed on this file")

    monkeypatch.setattr(files, "calamine_table", failing)
    path = varied_xlsx(tmp_path / "varied.xlsx")
    with open(path, "rb") as handle:
        rows = list(open_table(handle, "varied.xlsx").rows)

    assert rows[3] == (4, (None, "PJ-001", 1001, None, datetime.datetime(2026, 3, 5, 9, 30), 2.5))


def test_a_damaged_xlsx_is_reported_in_openpyxls_words_after_calamine_fails(tmp_path):
    with pytest.raises(files.UnreadableFile, match="文件不完整或已损坏") as raised:
        open_table(io.BytesIO(b"PK\x03\x04" + bytes(100)), "broken.xlsx")
    assert raised.value.cause == "BadZipFile"

"""An uploaded file → what kind it is, and its rows, streamed.

`identify` tells a CSV, XLSX or JSON file by its extension, else by its first bytes, and
refuses an old .xls and anything the caller does not read. `open_table` streams the rows of a
CSV or of an XLSX file's first sheet as (row number as Excel shows it, cells); `open_workbook`
opens a workbook whose sheets the caller reads itself.

CSV is decoded line by line after the encoding has been detected on a sample, never held in
memory. An XLSX sheet is read with python-calamine (Rust), which loads the sheet's values at
once and reads 200,000 rows about ten times faster than openpyxl (docs/benchmarks.md); when
calamine is not installed or cannot read a file, openpyxl's read-only mode, which parses the
sheet's XML as it goes, reads it instead. Both give the same rows: see `_calamine_cells`.
"""

import csv
import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

# Enough lines to tell UTF-8 from GB18030: a GBK file's first Chinese header almost never
# decodes as UTF-8.
SAMPLE_BYTES = 64 * 1024
UTF8_BOM = b"\xef\xbb\xbf"
OLE2 = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 (.xls) is an OLE2 compound file
ZIP = b"PK\x03\x04"  # .xlsx is a zip archive

OLD_EXCEL = "这是旧版 Excel（.xls）文件，请在 Excel 中另存为 {save_as} 后再导入"


def old_excel(formats):
    """The .xls refusal, naming what the importer takes instead (.xlsx, or CSV too)."""
    return OLD_EXCEL.format(save_as=".xlsx 或 CSV" if "csv" in formats else ".xlsx")


CORRUPT_XLSX = "文件不完整或已损坏，无法读取（请在 Excel 中打开确认后重新保存为 .xlsx 再导入）"


class UnreadableFile(Exception):
    """The file, or the rest of it from `row` on, cannot be read; nothing is imported.
    `cause` names the library's exception when there was one (BadZipFile...)."""

    def __init__(self, reason, row=None, cause=""):
        super().__init__(reason)
        self.reason = reason
        self.row = row
        self.cause = cause


def identify(handle, name, formats):
    """Which of `formats` ("csv", "xlsx", "json") the binary file `handle` (seekable) named
    `name` holds. The extension decides; the first bytes only when it says nothing. A caller
    that reads CSV takes every other file as CSV (its encoding check refuses binary data)."""
    head = handle.read(8)
    handle.seek(0)
    suffix = name.lower().rpartition(".")[2] if "." in name else ""
    if suffix == "xls" or head.startswith(OLE2):
        raise UnreadableFile(old_excel(formats))
    if suffix in ("xlsx", "xlsm"):
        return "xlsx"
    if suffix == "json" and "json" in formats:
        return "json"
    if head.startswith(ZIP):
        return "xlsx"
    if "json" in formats and head.lstrip(UTF8_BOM + b" \t\r\n").startswith(b"{"):
        return "json"
    if "csv" in formats:
        return "csv"
    accepted = " 或 ".join(f".{kind}" for kind in formats)
    raise UnreadableFile(f"无法识别文件格式，请提供 {accepted} 文件")


@dataclass
class Table:
    """The rows of a file and how far through it the reader is, for a progress bar."""

    rows: Iterator[tuple[int, Sequence]]  # (row number as Excel shows it, cells)
    total: int | None  # in `unit`s; None when unknown
    unit: str
    position: Callable[[], int]  # units done so far
    encoding: str = ""


def open_table(handle, name):
    """A Table over the CSV or XLSX binary file `handle` (seekable) named `name`."""
    if identify(handle, name, ("xlsx", "csv")) == "xlsx":
        return _xlsx_table(handle)
    return _csv_table(handle)


def detect_encoding(sample, complete):
    """The codec that reads `sample` strictly: "utf-8", else "gb18030" (a superset of GBK and
    GB2312). `complete` says the sample is the whole file; otherwise its last, possibly cut,
    line is left out."""
    if not complete and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]
    for encoding in ("utf-8", "gb18030"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:  # UTF-16 or binary data decodes as GB18030 with NULs
            return encoding
    raise UnreadableFile(
        "无法识别文件编码：只接受 UTF-8 或 GBK（GB18030）编码的 CSV 文件，"
        "或 .xlsx 文件（Excel 中“另存为 CSV UTF-8”即可）"
    )


def _csv_table(handle):
    sample = handle.read(SAMPLE_BYTES)
    complete = len(sample) < SAMPLE_BYTES
    start = len(UTF8_BOM) if sample.startswith(UTF8_BOM) else 0
    encoding = detect_encoding(sample[start:], complete)
    size = handle.seek(0, 2)
    handle.seek(start)
    delimiter = _delimiter(sample[start:].split(b"\n", 1)[0].decode(encoding, "replace"))
    return Table(
        _csv_rows(handle, encoding, delimiter),
        total=size,
        unit="B",
        position=handle.tell,
        encoding="UTF-8（带BOM）" if start else {"utf-8": "UTF-8", "gb18030": "GBK"}[encoding],
    )


def _delimiter(header):
    # Some systems export tab-separated text with a .csv name; a header tells which it is.
    return "\t" if header.count("\t") > header.count(",") else ","


def _csv_rows(handle, encoding, delimiter):
    # A line split at b"\n" is a whole line in both encodings: no GB18030 or UTF-8 trail byte
    # is 0x0A. Decoding line by line puts a decoding error on its own row.
    lines = (line.decode(encoding) for line in handle)
    number = 0
    try:
        for number, cells in enumerate(csv.reader(lines, delimiter=delimiter), start=1):
            yield number, cells
    except UnicodeDecodeError:
        encoding = "UTF-8" if encoding == "utf-8" else "GBK"
        raise UnreadableFile(
            f"从此行起无法按{encoding}解码：文件混用了多种编码，或已损坏", row=number + 1
        ) from None
    except csv.Error as error:
        raise UnreadableFile(f"CSV 格式错误：{error}", row=number + 1) from None


def open_workbook(source):
    """An openpyxl workbook in read-only mode over a path or a binary file; the caller closes
    it. A damaged or foreign file raises UnreadableFile."""
    import openpyxl

    try:
        return openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as error:
        raise _corrupt(error) from error


def _corrupt(error, row=None):
    # openpyxl reports a damaged file with many types (BadZipFile, KeyError for a missing
    # part, XML parse errors, zlib errors, EOFError...): all mean "unreadable".
    name = type(error).__name__
    return UnreadableFile(f"{CORRUPT_XLSX}（{name}）", row=row, cause=name)


def _xlsx_table(handle):
    try:
        return calamine_table(handle)
    except Exception:
        # Not installed (ImportError), or a file calamine cannot read: openpyxl reads it, or
        # says why it is damaged in the words the report has always used.
        handle.seek(0)
        return openpyxl_table(handle)


def openpyxl_table(handle):
    """A Table over the first sheet of an XLSX file, read with openpyxl's read-only mode."""
    workbook = open_workbook(handle)
    try:
        sheet = workbook.worksheets[0]
        total = sheet.max_row
        # Some writers store a wrong size: read what the sheet holds, not what it claims.
        sheet.reset_dimensions()
    except Exception as error:
        raise _corrupt(error) from None
    done = [0]
    return Table(
        _openpyxl_rows(workbook, sheet, done), total=total, unit="行", position=lambda: done[0]
    )


def _openpyxl_rows(workbook, sheet, done):
    number = 0
    try:
        for number, cells in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            done[0] = number
            yield number, _trimmed(cells)
    except Exception as error:
        raise _corrupt(error, row=number + 1) from None
    finally:
        workbook.close()


def _trimmed(cells):
    # How long a row is differs by reader (calamine pads every row to the sheet's width,
    # openpyxl stops at the last cell the row's XML has, styled but empty ones included):
    # the empty cells at the end are dropped so that both give the same row.
    end = len(cells)
    while end and cells[end - 1] is None:
        end -= 1
    return cells if end == len(cells) and cells.__class__ is tuple else tuple(cells[:end])


def calamine_table(handle):
    """A Table over the first sheet of an XLSX file, read with python-calamine; raises
    ImportError when it is not installed and its own errors on a file it cannot read."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(handle)
    try:
        sheet = workbook.get_sheet_by_index(0)
        end = sheet.end  # (row, column) from 0; None for an empty sheet
        # iter_rows gives every row from the first, but leaves out the empty columns left of
        # the data: they are put back so that a cell keeps its column.
        first_column = sheet.start[1] if end else 0
        # The sheet's values are in memory now (calamine has no streaming mode); they become
        # Python values row by row.
        rows = sheet.iter_rows() if end else iter(())
    finally:
        workbook.close()
    done = [0]
    return Table(
        _calamine_rows(rows, first_column, done),
        total=end[0] + 1 if end else 0,
        unit="行",
        position=lambda: done[0],
    )


def _calamine_rows(rows, first_column, done):
    pad = (None,) * first_column
    for number, cells in enumerate(rows, start=1):
        done[0] = number
        yield number, _trimmed(pad + tuple(map(_calamine_cell, cells)))


# Excel writes a whole number of up to 15 digits without a fraction ("5"), which openpyxl
# reads as an int; calamine gives every number as a float.
WHOLE_NUMBERS = 1e15


def _calamine_cell(value):
    """A cell as calamine gives it → as openpyxl gives it (what imports.cells expects)."""
    kind = value.__class__
    if kind is str:
        return value or None  # an empty cell
    if kind is float:
        return (
            int(value) if value.is_integer() and -WHOLE_NUMBERS < value < WHOLE_NUMBERS else value
        )
    if kind is datetime.date:  # a date without a time: openpyxl gives midnight
        return datetime.datetime(value.year, value.month, value.day)
    return value

"""What every kind of import shares: columns declared as data, the report, and the single
streaming pass that validates and writes batch by batch.

The pass runs inside one transaction (supervision.importers.import_file opens it). Rows are
validated one by one and written in batches while no error has been found; after the first
error nothing more is written but every remaining row is still checked, so the report lists
all the problems of the file at once, and the transaction is rolled back at the end.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from cms.models import Department, ServiceWindow
from imports.cells import Invalid, is_blank, norm
from imports.headers import column_names, match_header
from imports.problems import Problem
from imports.writers import bulk_writer
from supervision.models import Staff
from supervision.workdays import local_date

# The report lists this many problems and counts the rest: a file with a wrong column can
# have a million errors, and nobody reads past the first few hundred.
MAX_LISTED_ERRORS = 200
DEFAULT_BATCH_SIZE = 5000


@dataclass(frozen=True)
class Column:
    """One column of an import file.

    `key` names the value in a parsed row; `field` the model field the column fills, which
    an update of an existing record overwrites ("" = the same as key; None = no field of the
    imported model: 巡查类型 and 巡查人员 describe a finding's round, not the finding).
    """

    key: str
    label: str  # the documented header
    parse: Callable[[object], object]
    required: bool = False  # the file must have this column
    blank: bool = True  # a cell of the column may be empty
    aliases: tuple[str, ...] = ()
    default: object = None  # the value of an empty cell, or of every row when the column is absent
    field: str | None = ""

    @property
    def model_field(self):
        return self.key if self.field == "" else self.field


@dataclass
class ImportReport:
    kind: str  # evaluations, cases or inspections
    label: str  # 好差评, 办件, 巡查问题
    file_name: str
    dry_run: bool = False
    encoding: str = ""  # of a CSV file, as detected
    rows_read: int = 0  # data rows, blank rows not counted
    created: int = 0
    updated: int = 0  # rows whose natural key already existed, overwritten with the file's values
    rounds_created: int = 0  # inspections only
    errors: list[Problem] = field(default_factory=list)  # the first MAX_LISTED_ERRORS
    error_count: int = 0  # all of them
    ignored_columns: list[str] = field(default_factory=list)
    applied: bool = False  # written and committed
    # The earliest and latest day (Asia/Shanghai) of the valid rows' dates (Importer.date_key):
    # which days an applied file covers, for the bulletins' data readiness.
    first_day: datetime.date | None = None
    last_day: datetime.date | None = None

    @property
    def ok(self):
        return self.error_count == 0

    def add_error(self, row, column, reason):
        self.error_count += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append(Problem(row, column, reason))

    def summary(self):
        name = self.file_name
        if not self.ok:
            listed = (
                f"（以下列出前{len(self.errors)}处）" if self.error_count > len(self.errors) else ""
            )
            read = f"读取{self.rows_read}行，" if self.rows_read else ""
            return (
                f"{name} 未导入：{read}发现{self.error_count}处错误{listed}，"
                "数据库未作任何修改。请改正后重新导入整个文件。"
            )
        verb = "将" if self.dry_run else ""
        counts = (
            f"共{self.rows_read}行，{verb}新增{self.label}{self.created}条，"
            f"{verb}更新已有{self.label}{self.updated}条"
        )
        if self.kind == "inspections":
            counts += f"，{verb}新建巡查记录{self.rounds_created}次"
        if self.dry_run:
            return f"{name} 校验通过（试运行，未写入）：{counts}。"
        return f"{name} 导入完成：{counts}。"

    def lines(self):
        """The report as text lines, for the command's output."""
        lines = [self.summary()]
        lines += [f"  {error}" for error in self.errors]
        if self.ignored_columns:
            lines.append(f"已忽略未识别的列：{'、'.join(self.ignored_columns)}")
        return lines


class Hall:
    """Windows, their departments, departments and staff, loaded once per import: a row is
    resolved with dictionary look-ups, never a query. Keys are normalised (cells.norm)."""

    def __init__(self):
        codes = Department.objects.values_list("pk", "code")
        self.departments = {norm(code): pk for pk, code in codes}
        self.department_codes = dict(codes)  # id → code as stored, for the report
        self.windows = {
            norm(number): pk for pk, number in ServiceWindow.objects.values_list("pk", "number")
        }
        self.window_departments = defaultdict(list)
        links = ServiceWindow.departments.through.objects.values_list(
            "servicewindow_id", "department_id"
        )
        for window_id, department_id in links.order_by("department_id"):
            self.window_departments[window_id].append(department_id)
        self.staff = {
            norm(number): (pk, department_id)
            for pk, number, department_id in Staff.objects.values_list(
                "pk", "number", "department_id"
            )
        }


def natural_key(number):
    """A record's number as it is compared: without case, as the database's UPPER() (ASCII
    letters; the hall's numbers are digits, Latin letters and dashes)."""
    return number.upper()


class Importer:
    """One kind of import file. Subclasses declare `columns` and implement `build` (a parsed
    row → the model's field values, or None after reporting why not) and `write`."""

    kind = ""
    label = ""
    columns: tuple[Column, ...] = ()
    key = "number"  # the natural key column: unique in the file and in the table
    date_key = ""  # the column that dates a row (the report's first_day and last_day)
    derived_fields: tuple[str, ...] = ()  # fields every row sets whatever the columns

    def __init__(self, report, *, dry_run=False):
        self.report = report
        self.dry_run = dry_run
        self.hall = Hall()
        self.headers = {}  # column key → header as the file writes it
        self.row = None  # the row being read, for error()
        self.writers = {}  # model → imports.writers.BulkWriter

    # --- reading -----------------------------------------------------------------------

    def run(self, table, *, batch_size=DEFAULT_BATCH_SIZE, progress=None):
        rows = iter(table.rows)
        mapping = self.read_header(rows)
        if mapping is None:
            return
        present = {column.key for _, column in mapping}
        absent = {c.key: c.default for c in self.columns if c.key not in present}
        self.update_fields = self.fields_to_update(present)
        report, seen, batch = self.report, {}, []
        earliest = latest = None
        key_column = next(c for c in self.columns if c.key == self.key)
        for self.row, cells in rows:
            if all(is_blank(cell) for cell in cells):
                continue
            report.rows_read += 1
            values = self.parse(cells, mapping, absent)
            if values is None:
                continue
            number = values.get(self.key)
            if number:
                # ab-1 and AB-1 are one record (natural_key): the second is a duplicate. The
                # first row's own spelling is kept only when it is not the key itself: a
                # million (row, number) pairs would cost 60 MB more than the rows alone.
                upper = natural_key(number)
                first = seen.setdefault(upper, self.row if number == upper else (self.row, number))
                if first != self.row and first != (self.row, number):
                    row, spelling = first if first.__class__ is tuple else (first, upper)
                    self.error(self.key, f"与第{row}行的{key_column.label}“{spelling}”重复")
                    continue
            record = self.build(values)
            if record is not None:
                moment = values[self.date_key]
                if earliest is None:
                    earliest = latest = moment
                elif moment < earliest:
                    earliest = moment
                elif moment > latest:
                    latest = moment
                if report.ok:
                    batch.append(record)
            if report.rows_read % batch_size == 0:
                self.flush(batch, table, progress)
        if report.rows_read == 0 and report.ok:
            # A header alone (or a header and blank rows) is a wrong export, not "0 rows
            # imported": the report says so and nothing is applied.
            report.add_error(None, "", f"文件中没有数据行：只有表头，没有要导入的{self.label}记录")
        self.flush(batch, table, progress)
        if earliest is not None:
            report.first_day, report.last_day = local_date(earliest), local_date(latest)

    def read_header(self, rows):
        """Map the first non-empty row to the columns: [(cell index, Column)], or None after
        reporting the required columns the file lacks."""
        for self.row, cells in rows:
            if any(not is_blank(cell) for cell in cells):
                break
        else:
            self.report.add_error(None, "", "文件中没有数据行：文件是空的（第一个非空行应为表头）")
            return None
        header = match_header(cells, column_names(self.columns))
        self.headers = header.labels
        self.report.ignored_columns.extend(header.unknown)
        for text, column in header.repeated:
            self.report.add_error(
                self.row,
                text,
                f"与{get_column_letter(header.positions[column.key] + 1)}列“{header.labels[column.key]}”"
                "是同一列，只能保留一个",
            )
        missing = [c.label for c in header.missing(self.columns)]
        if missing:
            self.report.add_error(
                self.row,
                "、".join(missing),
                f"缺少必需的列：{'、'.join(missing)}（表头为第一个非空行）",
            )
        columns = {c.key: c for c in self.columns}
        mapping = [(index, columns[key]) for key, index in header.positions.items()]
        return None if self.report.error_count else mapping

    def parse(self, cells, mapping, absent):
        """A row's cells → {column key: value}, or None after reporting each bad cell."""
        values = dict(absent)
        ok, width = True, len(cells)
        for index, column in mapping:
            cell = cells[index] if index < width else None
            if is_blank(cell):
                if not column.blank:
                    self.error(column.key, "必填，不能为空")
                    ok = False
                values[column.key] = column.default
                continue
            try:
                values[column.key] = column.parse(cell)
            except Invalid as error:
                self.error(column.key, str(error))
                ok = False
        return values if ok else None

    def error(self, key, reason):
        header = self.headers.get(key) or next(c.label for c in self.columns if c.key == key)
        self.report.add_error(self.row, header, reason)

    # --- resolving references ----------------------------------------------------------

    def window_id(self, values):
        number = values["window"]
        window_id = self.hall.windows.get(number)
        if window_id is None:
            self.error("window", f"窗口号“{number}”不存在（请先在后台“服务窗口”中添加）")
        return window_id

    def staff_member(self, values):
        """(staff id, department id) of the row's 工号, (None, None) when blank or unknown."""
        number = values.get("staff")
        if not number:
            return None, None
        found = self.hall.staff.get(number)
        if found is None:
            self.error("staff", f"工号“{number}”不存在（请先在后台“窗口工作人员”中添加）")
            return None, None
        return found

    def department_id(self, values, window_id, staff_department_id=None):
        """The row's 部门编码, which must be one of the window's departments; else the staff
        member's department; else the window's only department. A comprehensive window
        serves several: the row must then say which."""
        code = values.get("department")
        if code:
            department_id = self.hall.departments.get(code)
            if department_id is None:
                self.error("department", f"部门编码“{code}”不存在")
                return None
            departments = self.hall.window_departments.get(window_id, [])
            # A typo that names another existing department would move the row's points to
            # that department's ranking. A window with no departments recorded has nothing
            # to check against: its rows must name the department (see below).
            if departments and department_id not in departments:
                codes = "、".join(self.hall.department_codes[pk] for pk in departments)
                self.error(
                    "department",
                    f"部门编码“{code}”不是窗口{values['window']}的进驻部门（该窗口的部门编码：{codes}）",
                )
                return None
            return department_id
        if staff_department_id is not None:
            return staff_department_id
        if window_id is None:
            return None  # already reported
        departments = self.hall.window_departments.get(window_id, [])
        if len(departments) == 1:
            return departments[0]
        number = values["window"]
        reason = (
            f"窗口{number}有{len(departments)}个进驻部门，请填写部门编码"
            if departments
            else f"窗口{number}未设置进驻部门，请填写部门编码"
        )
        self.error("department", reason)
        return None

    # --- writing -----------------------------------------------------------------------

    def fields_to_update(self, present):
        """What a row whose natural key exists overwrites: the fields of the columns the file
        has, and the derived ones. A column the file lacks leaves the stored value alone (a
        re-export without 申诉状态 must not reset the appeals recorded since)."""
        fields = [
            c.model_field
            for c in self.columns
            if c.key in present and c.model_field and c.key != self.key
        ]
        return list(dict.fromkeys([*fields, *self.derived_fields]))

    def flush(self, batch, table, progress):
        if batch and self.report.ok:
            created, updated = self.write(batch)
            self.report.created += created
            self.report.updated += updated
        batch.clear()
        if progress is not None:
            progress(table.position(), table.total, table.unit)

    def build(self, values):
        raise NotImplementedError

    def write(self, records):
        """Write a batch of records; return (created, updated)."""
        raise NotImplementedError

    def upsert(self, model, records):
        """Insert `records` (field values by attname), overwriting `update_fields` of the rows
        whose natural key exists; return (created, updated)."""
        if model not in self.writers:
            self.writers[model] = bulk_writer(model, key=self.key, update_fields=self.update_fields)
        self.use_stored_keys(model, records)
        existing = self.writers[model].upsert(records, count_only=self.dry_run)
        return len(records) - existing, existing

    def use_stored_keys(self, model, records):
        """Give each record whose natural key is stored in another case the stored spelling,
        so that the database's unique key (which compares exactly) finds it: pj-001 updates
        PJ-001 instead of adding a second record. One query per batch, on the UPPER(number)
        index (supervision/models/hall.py)."""
        key = self.key
        by_key = defaultdict(list)
        for record in records:
            by_key[natural_key(record[key])].append(record)
        for upper, spellings in self.writers[model].stored_spellings(list(by_key)).items():
            for record in by_key[upper]:
                if record[key] not in spellings:  # two stored spellings: either is the record
                    record[key] = min(spellings)

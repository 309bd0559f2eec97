"""Catalogue import (事项目录导入): the provincial platform's item catalogue → service guides.

Three steps, each its own function so a reader (and a test) can take them one at a time:

1. `read_catalogue(path)` turns a JSON or XLSX file into the same `Catalogue` of source rows.
   A file that cannot be read at all raises `CatalogueFileError`.
2. `validate(catalogue)` checks every row against the schema and the database and returns a
   `Plan`: one `ItemRecord` per item with normalised values. Every problem is collected; if
   there is any, it raises `CatalogueInvalid` carrying all of them.
3. `decide_actions(plan)` compares each record with the page as it stands (create, update or
   unchanged); `apply(plan, ...)` writes: new pages are added under the catalogue index,
   changed pages get a new revision (published, or left as a draft for review), identical
   pages are left alone, so importing the same file twice changes nothing.

`import_catalogue()` runs the three in one transaction: all items are written or none.
The file schema, both formats and the report format are in docs/catalogue-import.md; the
columns below are that document's source of truth (tests check the two agree).
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction

from cms.choices import (
    GUIDE_FLAGS,
    Audience,
    ExerciseLevel,
    HandlingCase,
    ItemType,
    LegalBasisKind,
    MaterialForm,
    Requirement,
)
from cms.models import (
    CatalogueIndexPage,
    Department,
    GuideFAQ,
    GuideLegalBasis,
    GuideMaterial,
    GuideStep,
    HandlingSituation,
    Material,
    PolicyPage,
    ServiceGuidePage,
    ServiceWindow,
    SpecialStep,
    Theme,
)
from cms.richtext import sanitise

# --------------------------------------------------------------------------------------
# The schema: sections (a JSON array / an XLSX sheet) and their columns
# --------------------------------------------------------------------------------------

TEXT = "文本"
RICH_TEXT = "富文本"
INTEGER = "整数"
BOOLEAN = "是/否"
CHOICE = "选项"
URL = "网址"
LIST = "列表"

# PositiveSmallIntegerField's upper bound on every database Django supports.
MAX_SMALL_INTEGER = 32767

TRUE_WORDS = {"是", "true", "yes", "y", "1", "√", "✓"}
FALSE_WORDS = {"否", "false", "no", "n", "0", "×", "✗"}

# Several values in one cell: 企业开办、不动产 or A01,A02. JSON may also give an array.
LIST_SEPARATORS = re.compile(r"[、,，;；\n]+")


@dataclass(frozen=True)
class Column:
    """One field of a section: a JSON key and an XLSX column header.

    `key` is the ASCII name (the model attribute when `attr` is true); `label` is the
    documented Chinese header; both, and the aliases, are accepted in either format.
    """

    key: str
    label: str
    kind: str
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    aliases: tuple[str, ...] = ()
    # Set from the model attribute of the same name; False for the columns the import
    # resolves itself (department code, themes, windows, material catalogue, 文号...).
    attr: bool = True
    max_length: int | None = None


@dataclass(frozen=True)
class Section:
    key: str  # JSON key and, for children, the page's child relation name
    label: str  # XLSX sheet name and Chinese JSON key
    model: type[models.Model]
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()
    # Child rows with the same natural key keep their database row (and id) on update, so
    # a bookmarked ?situation=<id> survives a re-import.
    natural_key: tuple[str, ...] = ()

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def model_field(self, column: Column):
        return self.model._meta.get_field(column.key) if column.attr else None

    def max_length(self, column: Column) -> int | None:
        if column.max_length is not None:
            return column.max_length
        model_field = self.model_field(column)
        return getattr(model_field, "max_length", None) if model_field else None


def _choices(text_choices) -> tuple[tuple[str, str], ...]:
    return tuple((str(key), str(label)) for key, label in text_choices)


def _length(model, name) -> int:
    return model._meta.get_field(name).max_length


IMPLEMENTATION_CODE = Column(
    "implementation_code", "实施编码", TEXT, required=True, aliases=("事项实施编码",)
)

ITEMS = Section(
    "items",
    "事项",
    ServiceGuidePage,
    (
        IMPLEMENTATION_CODE,
        Column("title", "事项名称", TEXT, required=True, aliases=("名称",)),
        Column("basic_code", "基本编码", TEXT),
        Column("sub_item", "子项名称", TEXT),
        Column(
            "handling_case",
            "业务办理项",
            CHOICE,
            choices=_choices(HandlingCase.choices),
            aliases=("办理项",),
        ),
        Column("popular_names", "别名/俗称", TEXT, aliases=("别名", "俗称")),
        Column("summary", "一句话说明", TEXT),
        Column("item_type", "事项类型", CHOICE, required=True, choices=_choices(ItemType.choices)),
        Column("exercise_level", "行使层级", CHOICE, choices=_choices(ExerciseLevel.choices)),
        Column(
            "department_code",
            "实施主体编码",
            TEXT,
            required=True,
            aliases=("部门编码",),
            attr=False,
            max_length=_length(Department, "code"),
        ),
        Column("audience", "服务对象", CHOICE, required=True, choices=_choices(Audience.choices)),
        Column("themes", "主题分类", LIST, aliases=("主题",), attr=False),
        Column("applicant_scope", "申请对象", TEXT),
        Column("conditions", "受理条件", RICH_TEXT),
        Column(
            "refusal_grounds",
            "不予受理情形",
            TEXT,
            aliases=("不予受理情形（禁止性要求）", "禁止性要求"),
        ),
        Column("quantity_limit", "数量限制", TEXT),
        Column("online_url", "网上办理地址", URL),
        Column("app_channel", "掌上办理", TEXT),
        Column("kiosk_available", "可在自助终端办理", BOOLEAN, aliases=("自助终端办理",)),
        Column("windows", "办理窗口", LIST, aliases=("窗口号",), attr=False),
        Column("office_address", "办理地点", TEXT),
        Column("office_hours", "办理时间", TEXT),
        Column("saturday_service", "周六可办", BOOLEAN),
        Column(
            "legal_days",
            "法定办结时限（工作日）",
            INTEGER,
            required=True,
            aliases=("法定办结时限", "法定时限"),
        ),
        Column(
            "promised_days",
            "承诺办结时限（工作日）",
            INTEGER,
            required=True,
            aliases=("承诺办结时限", "承诺时限"),
        ),
        Column("charges_fee", "是否收费", BOOLEAN, aliases=("收费",)),
        Column("fee_standard", "收费标准", TEXT),
        Column("fee_basis", "收费依据", TEXT),
        Column("result_name", "审批结果名称", TEXT, aliases=("办理结果名称", "结果名称")),
        Column("delivery_window", "窗口领取", BOOLEAN),
        Column("delivery_locker", "自助柜领取", BOOLEAN),
        Column("delivery_post", "免费邮寄", BOOLEAN),
        Column("enquiry_phone", "咨询电话", TEXT),
        Column("complaint_phone", "投诉电话", TEXT),
        Column("visits_required", "到现场次数", INTEGER),
        Column("status_url", "办件进度查询", URL, aliases=("办件进度查询地址",)),
        *(
            Column(
                name,
                label,
                BOOLEAN,
                aliases={"zero_visit": ("一次不跑",), "high_frequency": ("高频",)}.get(name, ()),
            )
            for name, label in GUIDE_FLAGS.items()
        ),
    ),
)

MATERIALS = Section(
    "materials",
    "材料",
    GuideMaterial,
    (
        Column(
            "material_code",
            "材料编码",
            TEXT,
            required=True,
            attr=False,
            max_length=_length(Material, "code"),
        ),
        Column(
            "material_name",
            "材料名称",
            TEXT,
            required=True,
            attr=False,
            max_length=_length(Material, "name"),
        ),
        Column(
            "form",
            "材料形式",
            CHOICE,
            choices=_choices(MaterialForm.choices),
            attr=False,
        ),
        Column(
            "source",
            "来源渠道",
            TEXT,
            aliases=("材料来源",),
            attr=False,
            max_length=_length(Material, "source"),
        ),
        Column("copies", "份数", INTEGER),
        Column(
            "requirement",
            "必要性",
            CHOICE,
            choices=_choices(Requirement.choices),
            aliases=("是否必要",),
        ),
        Column("condition", "适用情形说明", TEXT),
        Column("legal_basis", "材料依据", TEXT),
    ),
    aliases=("申请材料",),
    natural_key=("material_code",),
)

SITUATIONS = Section(
    "situations",
    "情形",
    HandlingSituation,
    (
        Column("name", "情形名称", TEXT, required=True),
        Column("description", "情形说明", TEXT),
        Column(
            "materials", "所需材料编码", LIST, aliases=("所需材料", "本情形所需材料"), attr=False
        ),
        Column(
            "promised_days", "承诺时限（工作日）", INTEGER, required=True, aliases=("承诺时限",)
        ),
        Column("legal_days", "法定时限（工作日）", INTEGER, aliases=("法定时限",)),
        Column("fee", "收费", TEXT, aliases=("情形收费",)),
    ),
    aliases=("办理情形",),
    natural_key=("name",),
)

LEGAL_BASES = Section(
    "legal_bases",
    "依据",
    GuideLegalBasis,
    (
        Column("kind", "依据类型", CHOICE, required=True, choices=_choices(LegalBasisKind.choices)),
        Column("title", "法律法规名称", TEXT, required=True, aliases=("依据名称",)),
        Column("article", "条款内容", TEXT),
        Column(
            "document_number",
            "文号",
            TEXT,
            aliases=("政策文号",),
            attr=False,
            max_length=_length(PolicyPage, "document_number"),
        ),
    ),
    aliases=("法律依据",),
    natural_key=("kind", "title"),
)

STEPS = Section(
    "steps",
    "环节",
    GuideStep,
    (
        Column("name", "环节名称", TEXT, required=True),
        Column("description", "办理内容", TEXT),
        Column("handler", "办理人员", TEXT),
        Column("time_limit", "办理时限", TEXT),
    ),
    aliases=("办理流程", "办理环节"),
    natural_key=("name",),
)

SPECIAL_STEPS = Section(
    "special_steps",
    "特别程序",
    SpecialStep,
    (
        Column("name", "特别程序名称", TEXT, required=True),
        Column("days", "时限（工作日）", INTEGER, required=True, aliases=("时限",)),
        Column("counted_in_limit", "计入办结时限", BOOLEAN),
        Column("description", "说明", TEXT),
    ),
    natural_key=("name",),
)

FAQS = Section(
    "faqs",
    "常见问题",
    GuideFAQ,
    (
        Column("question", "问题", TEXT, required=True),
        Column("answer", "解答", TEXT, required=True),
    ),
    natural_key=("question",),
)

CHILD_SECTIONS = (MATERIALS, SITUATIONS, LEGAL_BASES, STEPS, SPECIAL_STEPS, FAQS)
SECTIONS = (ITEMS, *CHILD_SECTIONS)


def _norm(name) -> str:
    """Header, key and choice matching ignores width, spaces, case and a required-marker '*':
    ' 承诺办结时限(工作日)* ' matches 承诺办结时限（工作日）."""
    text = unicodedata.normalize("NFKC", str(name))
    return re.sub(r"\s+", "", text).rstrip("*").lower()


def _names(section: Section) -> dict[str, Column]:
    names = {}
    for column in section.columns:
        for name in (column.key, column.label, *column.aliases):
            assert _norm(name) not in names, f"{section.label}: {name} 重复"
            names[_norm(name)] = column
    return names


COLUMN_NAMES = {section.key: _names(section) for section in SECTIONS}
SECTION_NAMES = {
    _norm(name): section
    for section in SECTIONS
    for name in (section.key, section.label, *section.aliases)
}


# --------------------------------------------------------------------------------------
# The intermediate structure both readers produce
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One line of the report: where (section, row, field) and why, in Chinese."""

    section: str  # sheet name (XLSX) or section label (JSON)
    row: str  # "第5行" (XLSX, as Excel numbers rows) or "第3项事项" (JSON, 1-based)
    field: str  # column header (XLSX) or field path such as items[3].materials[2].copies
    reason: str
    # The report lists problems sheet by sheet, row by row (XLSX) or item by item (JSON).
    order: tuple = field(default=(), compare=False, repr=False)

    def __str__(self):
        place = " · ".join(part for part in (self.section, self.row, self.field) if part)
        return f"{place}：{self.reason}"


@dataclass
class SourceRow:
    """One item or child row as the file gave it: raw values by column key, plus what the
    report needs to point at each cell."""

    section: Section
    number: int  # spreadsheet row number (XLSX) or 1-based index of the item (JSON)
    values: dict[str, object]  # only the columns the file provides
    names: dict[str, str]  # column key → header or JSON key as written in the file
    sheet: str | None = None  # XLSX sheet title; None for JSON
    path: str = ""  # JSON path of the row, e.g. items[3].materials[2]

    def problem(self, key: str, reason: str) -> Problem:
        section = SECTIONS.index(self.section)
        if self.sheet is not None:
            column = self.names.get(key) or _column_label(self.section, key)
            return Problem(
                self.sheet, f"第{self.number}行", column, reason, order=(section, self.number)
            )
        place = f"{self.path}.{self.names.get(key, key)}" if key else self.path
        return Problem(
            self.section.label,
            f"第{self.number}项事项",
            place,
            reason,
            order=(self.number, section),
        )


def _column_label(section: Section, key: str) -> str:
    if key == IMPLEMENTATION_CODE.key:
        return IMPLEMENTATION_CODE.label
    return section.column(key).label if key else ""


@dataclass
class SourceItem:
    row: SourceRow
    # Child section key → rows. A key is absent when the file has no such sheet (XLSX) or
    # the item has no such key (JSON): that collection of an existing page is left as it is.
    children: dict[str, list[SourceRow]] = field(default_factory=dict)


@dataclass
class Catalogue:
    name: str
    items: list[SourceItem]
    problems: list[Problem] = field(default_factory=list)  # found while reading
    warnings: list[Problem] = field(default_factory=list)


class CatalogueImportError(Exception):
    """Base of the errors the command turns into CommandError."""


class CatalogueFileError(CatalogueImportError):
    """The file cannot be read as a catalogue at all (format, sheets, required columns)."""


class CatalogueInvalid(CatalogueImportError):
    """The file was read but some rows are wrong; nothing has been written."""

    def __init__(self, name: str, problems: list[Problem], warnings: list[Problem] = ()):
        self.name = name
        self.problems = list(problems)
        self.warnings = list(warnings)
        super().__init__(self.report())

    def report(self) -> str:
        lines = [f"{self.name} 有 {len(self.problems)} 处错误，未写入任何内容："]
        lines += [f"  {n}. {problem}" for n, problem in enumerate(self.problems, start=1)]
        if self.warnings:
            lines.append("提示：")
            lines += [f"  - {warning}" for warning in self.warnings]
        return "\n".join(lines)


# --------------------------------------------------------------------------------------
# 1. Reading
# --------------------------------------------------------------------------------------


def read_catalogue(path) -> Catalogue:
    path = Path(path)
    if not path.is_file():
        raise CatalogueFileError(f"找不到文件：{path}")
    suffix = path.suffix.lower()
    with path.open("rb") as handle:
        head = handle.read(8)
    # The extension decides; the first bytes only when the extension says nothing.
    if suffix == ".xls" or head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: Excel 97-2003
        raise CatalogueFileError(
            f"{path.name} 是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入。"
        )
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".json":
        return _read_json(path)
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(path)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _read_json(path)
    raise CatalogueFileError(f"无法识别 {path.name} 的格式：请提供 .json 或 .xlsx 文件。")


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _read_json(path: Path) -> Catalogue:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise CatalogueFileError(f"{path.name} 不是 UTF-8 编码的 JSON 文件。") from error
    except json.JSONDecodeError as error:
        raise CatalogueFileError(
            f"{path.name} 不是有效的 JSON：第 {error.lineno} 行第 {error.colno} 列，{error.msg}。"
        ) from error
    if not isinstance(data, dict):
        raise CatalogueFileError(f'{path.name} 的顶层须为对象：{{"items": [...]}}。')
    top_key = next((key for key in data if SECTION_NAMES.get(_norm(key)) is ITEMS), None)
    if top_key is None or not isinstance(data[top_key], list):
        raise CatalogueFileError(f'{path.name} 须有 "items" 数组（或 "事项"），每个元素一个事项。')

    catalogue = Catalogue(path.name, [])
    for index, raw in enumerate(data[top_key], start=1):
        item_path = f"{top_key}[{index}]"
        row = _json_row(catalogue, ITEMS, raw, index, item_path)
        if row is None:
            continue
        item = SourceItem(row)
        for key, value in raw.items():
            section = SECTION_NAMES.get(_norm(key))
            if section is None or section is ITEMS:
                continue
            if section.key in item.children:
                catalogue.problems.append(row.problem("", f"“{key}”与同义键重复"))
                continue
            if not isinstance(value, list):
                catalogue.problems.append(
                    Problem(
                        section.label,
                        f"第{index}项事项",
                        f"{item_path}.{key}",
                        "须为数组",
                        order=(index, SECTIONS.index(section)),
                    )
                )
                continue
            item.children[section.key] = [
                child
                for number, child_raw in enumerate(value, start=1)
                if (
                    child := _json_row(
                        catalogue, section, child_raw, index, f"{item_path}.{key}[{number}]"
                    )
                )
            ]
        catalogue.items.append(item)
    return catalogue


def _json_row(catalogue, section, raw, index, path) -> SourceRow | None:
    if not isinstance(raw, dict):
        catalogue.problems.append(
            Problem(
                section.label,
                f"第{index}项事项",
                path,
                "须为对象",
                order=(index, SECTIONS.index(section)),
            )
        )
        return None
    row = SourceRow(section, index, {}, {}, path=path)
    names = COLUMN_NAMES[section.key]
    for key, value in raw.items():
        if section is ITEMS and SECTION_NAMES.get(_norm(key)) in CHILD_SECTIONS:
            continue  # a nested array, read by the caller
        column = names.get(_norm(key))
        if column is None:
            catalogue.warnings.append(
                Problem(section.label, f"第{index}项事项", f"{path}.{key}", "未识别的键，已忽略")
            )
        elif column.key in row.values:
            catalogue.problems.append(
                row.problem(column.key, f"与“{row.names[column.key]}”重复，只能给出一个")
            )
        else:
            row.values[column.key] = value
            row.names[column.key] = key
    return row


def _read_xlsx(path: Path) -> Catalogue:
    # openpyxl signals a damaged or foreign file with many exception types (BadZipFile,
    # KeyError for a missing part, XML parse errors, ValueError...): all mean "unreadable".
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:
        raise CatalogueFileError(
            f"无法读取 {path.name}：文件已损坏或不是 Excel .xlsx 文件（{type(error).__name__}）。"
        ) from error
    try:
        return _read_workbook(path.name, workbook)
    except CatalogueFileError:
        raise
    except Exception as error:
        raise CatalogueFileError(
            f"无法读取 {path.name}：文件已损坏（{type(error).__name__}: {error}）。"
        ) from error
    finally:
        workbook.close()


def _read_workbook(name: str, workbook) -> Catalogue:
    catalogue = Catalogue(name, [])
    structure = []  # problems that make the file unreadable, reported together
    sheets: dict[str, list[SourceRow]] = {}
    for worksheet in workbook.worksheets:
        title = worksheet.title
        if title.startswith("#"):
            continue  # notes for people filling the template
        section = SECTION_NAMES.get(_norm(title))
        if section is None:
            structure.append(f"无法识别的工作表“{title}”")
        elif section.key in sheets:
            structure.append(f"工作表“{title}”与另一张“{section.label}”表重复")
        else:
            worksheet.reset_dimensions()  # some writers store wrong dimensions
            sheets[section.key] = _sheet_rows(catalogue, section, worksheet, structure)
    if ITEMS.key not in sheets:
        structure.append(f"缺少工作表“{ITEMS.label}”")
    if structure:
        allowed = "、".join(section.label for section in SECTIONS)
        raise CatalogueFileError(
            f"{name} 的结构不符合导入格式：\n"
            + "\n".join(f"  - {line}" for line in structure)
            + f"\n可用的工作表：{allowed}（名称以 # 开头的工作表会被忽略）。"
        )

    by_code: dict[str, SourceItem] = {}
    for row in sheets[ITEMS.key]:
        item = SourceItem(row)
        catalogue.items.append(item)
        by_code.setdefault(_code(row.values.get(IMPLEMENTATION_CODE.key)), item)
    for section in CHILD_SECTIONS:
        if section.key not in sheets:
            continue
        for item in catalogue.items:
            item.children[section.key] = []
        for row in sheets[section.key]:
            code = _code(row.values.pop(IMPLEMENTATION_CODE.key, None))
            if not code:
                catalogue.problems.append(row.problem(IMPLEMENTATION_CODE.key, "必填项不能为空"))
            elif code not in by_code:
                catalogue.problems.append(
                    row.problem(
                        IMPLEMENTATION_CODE.key,
                        f"“{ITEMS.label}”表中没有实施编码为“{code}”的事项",
                    )
                )
            else:
                by_code[code].children[section.key].append(row)
    return catalogue


def _sheet_rows(catalogue, section, worksheet, structure) -> list[SourceRow]:
    names = dict(COLUMN_NAMES[section.key])
    if section is not ITEMS:
        # Child rows say which item they belong to by its implementation code.
        for name in (
            IMPLEMENTATION_CODE.key,
            IMPLEMENTATION_CODE.label,
            *IMPLEMENTATION_CODE.aliases,
        ):
            names[_norm(name)] = IMPLEMENTATION_CODE
    rows = worksheet.iter_rows(min_row=1, values_only=True)
    header = next(rows, None)
    if header is None or all(_blank(cell) for cell in header):
        structure.append(f"工作表“{worksheet.title}”没有表头行（第 1 行）")
        return []

    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    for position, cell in enumerate(header):
        if _blank(cell):
            continue
        text = str(cell).strip()
        column = names.get(_norm(text))
        if column is None:
            catalogue.warnings.append(Problem(worksheet.title, "第1行", text, "未识别的列，已忽略"))
        elif column.key in positions:
            structure.append(
                f"工作表“{worksheet.title}”中“{headers[column.key]}”与“{text}”是同一列，只能保留一个"
            )
        else:
            positions[column.key] = position
            headers[column.key] = text
    required = [c for c in names.values() if c.required and c.key not in positions]
    for column in dict.fromkeys(required):
        structure.append(f"工作表“{worksheet.title}”缺少必填列“{column.label}”")

    result = []
    for number, cells in enumerate(rows, start=2):
        values = {
            key: _cell(cells[position])
            for key, position in positions.items()
            if position < len(cells)
        }
        if all(_blank(value) for value in values.values()):
            continue  # blank rows between groups are common in hand-made sheets
        for key in positions:
            values.setdefault(key, None)
        result.append(SourceRow(section, number, values, headers, sheet=worksheet.title))
    return result


def _cell(value):
    return value.strip() if isinstance(value, str) else value


def _code(value) -> str:
    """An implementation code as text, for matching child rows to their item; a cell that
    is no text at all is reported by the validator, not here."""
    try:
        return _text(value)
    except _Invalid:
        return ""


# --------------------------------------------------------------------------------------
# 2. Validating: one validator for both formats
# --------------------------------------------------------------------------------------


class _Invalid(Exception):
    pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or isinstance(value, list | dict):
        raise _Invalid("须为文本")
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores 12345678 typed into a cell as 12345678.0
    return str(value).strip().replace("\r\n", "\n")


def _shown(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def _coerce(section: Section, column: Column, raw):
    """The normalised value of one cell, or _Invalid with the reason in Chinese."""
    if column.kind == INTEGER:
        if isinstance(raw, bool):
            raise _Invalid(f"须为不小于 0 的整数，实际为“{_shown(raw)}”")
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, str) and re.fullmatch(r"-?\d+", unicodedata.normalize("NFKC", raw)):
            raw = int(unicodedata.normalize("NFKC", raw))
        if not isinstance(raw, int):
            raise _Invalid(f"须为不小于 0 的整数，实际为“{_shown(raw)}”")
        if raw < 0:
            raise _Invalid(f"不能小于 0，实际为 {raw}")
        if raw > MAX_SMALL_INTEGER:
            raise _Invalid(f"不能大于 {MAX_SMALL_INTEGER}，实际为 {raw}")
        return raw
    if column.kind == BOOLEAN:
        if isinstance(raw, bool):
            return raw
        word = _norm(_text(raw))
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise _Invalid(f"须为“是”或“否”，实际为“{_shown(raw)}”")
    if column.kind == CHOICE:
        wanted = _norm(_text(raw))
        for key, label in column.choices:
            if wanted in (_norm(key), _norm(label)):
                return key
        labels = "、".join(label for _, label in column.choices)
        raise _Invalid(f"无法识别“{_shown(raw)}”，可选值：{labels}（或对应的英文键）")
    if column.kind == LIST:
        parts = raw if isinstance(raw, list) else LIST_SEPARATORS.split(_text(raw))
        return list(dict.fromkeys(text for part in parts if (text := _text(part))))

    text = _text(raw)
    if column.kind == RICH_TEXT:
        return _rich_text(text)
    max_length = section.max_length(column)
    if max_length and len(text) > max_length:
        raise _Invalid(f"不能超过 {max_length} 个字，实际 {len(text)} 个")
    if column.kind == URL and text:
        try:
            URLValidator(schemes=["http", "https"])(text)
        except ValidationError:
            raise _Invalid(f"须为以 http:// 或 https:// 开头的有效网址，实际为“{text}”") from None
    return text


def _rich_text(text: str) -> str:
    """HTML is kept (then sanitised); plain text becomes one paragraph per line."""
    if text and not re.search(r"</?[a-zA-Z]", text):
        text = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())
    return sanitise(text)


def _empty(section: Section, column: Column):
    """What an empty cell means: the model's default, so a cleared cell clears the field."""
    if column.kind == LIST:
        return []
    model_field = section.model_field(column)
    if model_field is None:
        return None if column.kind in (CHOICE, INTEGER) else ""
    if model_field.has_default():
        return model_field.get_default()
    return None if model_field.null else ""


@dataclass
class ChildRecord:
    source: SourceRow
    # Model attribute → value, only for columns the file provides. For materials,
    # "material" is the catalogue code; for situations, "materials" is a list of codes;
    # for legal bases, "policy" is the PolicyPage (or None).
    values: dict[str, object]

    def key(self, section: Section) -> tuple:
        return tuple(
            _value_state(_attr(name), self.values[_attr(name)]) for name in section.natural_key
        )


@dataclass
class ItemRecord:
    source: SourceRow
    code: str
    values: dict[str, object]  # page attribute → value, only for columns the file provides
    children: dict[str, list[ChildRecord]]  # only for collections the file provides
    page: ServiceGuidePage | None = None  # the existing page with this code
    baseline: ServiceGuidePage | None = None  # what the import compares with (see _baseline)
    action: str = ""  # "create", "update" or "unchanged", set by decide_actions()
    changes: list[str] = field(default_factory=list)  # what differs, for the verbose report


# Columns that name a record by its code; once resolved, the value is stored under the
# model attribute (department_code → department, material_code → material...).
RESOLVED_ATTRS = {
    "department_code": "department",
    "material_code": "material",
    "document_number": "policy",
}


def _attr(key: str) -> str:
    return RESOLVED_ATTRS.get(key, key)


def _attr_label(section: Section, attr: str) -> str:
    key = next((k for k, a in RESOLVED_ATTRS.items() if a == attr), attr)
    return section.column(key).label


@dataclass
class MaterialEntry:
    """A material catalogue record as the file describes it (first row that names the code)."""

    code: str
    name: str
    form: str | None
    source: str
    row: SourceRow


@dataclass
class Plan:
    records: list[ItemRecord]
    new_materials: list[MaterialEntry]
    warnings: list[Problem]


def validate(catalogue: Catalogue, *, publish: bool = True) -> Plan:
    """Check every row; return the plan, or raise CatalogueInvalid listing every problem."""
    validator = _Validator(catalogue, publish=publish)
    plan = validator.run()
    if validator.problems:
        problems = sorted(validator.problems, key=lambda problem: problem.order)
        raise CatalogueInvalid(catalogue.name, problems, validator.warnings)
    return plan


class _Validator:
    def __init__(self, catalogue: Catalogue, *, publish: bool):
        self.catalogue = catalogue
        self.publish = publish
        self.problems: list[Problem] = list(catalogue.problems)
        self.warnings: list[Problem] = list(catalogue.warnings)

    def report(self, row: SourceRow, key: str, reason: str):
        self.problems.append(row.problem(key, reason))

    def run(self) -> Plan:
        records = [self.coerce_item(item) for item in self.catalogue.items]
        records = self.drop_duplicate_codes(records)
        self.load_references(records)
        materials = self.check_material_catalogue(records)
        for record in records:
            self.resolve(record)
            self.check_item(record)
        return Plan(records, materials, self.warnings)

    # --- one row at a time ----------------------------------------------------------------

    def coerce_row(self, row: SourceRow) -> dict[str, object]:
        values = {}
        for column in row.section.columns:
            if column.key not in row.values:
                if column.required:
                    self.report(row, column.key, f"缺少必填项“{column.label}”")
                continue
            raw = row.values[column.key]
            if _blank(raw):
                if column.required:
                    self.report(row, column.key, "必填项不能为空")
                else:
                    values[column.key] = _empty(row.section, column)
                continue
            try:
                values[column.key] = _coerce(row.section, column, raw)
            except _Invalid as error:
                self.report(row, column.key, str(error))
        return values

    def coerce_item(self, item: SourceItem) -> ItemRecord:
        values = self.coerce_row(item.row)
        children = {
            key: [ChildRecord(row, self.coerce_row(row)) for row in rows]
            for key, rows in item.children.items()
        }
        return ItemRecord(item.row, values.get(IMPLEMENTATION_CODE.key, ""), values, children)

    def drop_duplicate_codes(self, records: list[ItemRecord]) -> list[ItemRecord]:
        first: dict[str, ItemRecord] = {}
        for record in records:
            if not record.code:
                continue
            if record.code in first:
                where = first[record.code].source.problem(IMPLEMENTATION_CODE.key, "")
                self.report(
                    record.source,
                    IMPLEMENTATION_CODE.key,
                    f"实施编码“{record.code}”在文件中重复（首次出现于 {where.row}）",
                )
            else:
                first[record.code] = record
        return list(first.values())

    # --- the database -------------------------------------------------------------------

    def load_references(self, records: list[ItemRecord]):
        """One query per kind of reference for the whole file."""

        def wanted(section, key):
            for record in records:
                rows = [record] if section is ITEMS else record.children.get(section.key, [])
                for row in rows:
                    value = row.values.get(key)
                    yield from (v for v in (value if isinstance(value, list) else [value]) if v)

        self.departments = {
            d.code: d
            for d in Department.objects.filter(code__in=set(wanted(ITEMS, "department_code")))
        }
        theme_refs = set(wanted(ITEMS, "themes"))
        self.themes = {}
        for theme in Theme.objects.filter(
            models.Q(name__in=theme_refs) | models.Q(slug__in=theme_refs)
        ):
            self.themes[theme.slug] = theme
            self.themes[theme.name] = theme
        self.windows = {
            w.number: w
            for w in ServiceWindow.objects.filter(number__in=set(wanted(ITEMS, "windows")))
        }
        self.materials = {
            m.code: m
            for m in Material.objects.filter(code__in=set(wanted(MATERIALS, "material_code")))
        }
        self.policies: dict[str, list[PolicyPage]] = {}
        for policy in PolicyPage.objects.filter(
            document_number__in=set(wanted(LEGAL_BASES, "document_number"))
        ):
            self.policies.setdefault(policy.document_number, []).append(policy)
        pages = ServiceGuidePage.objects.filter(
            implementation_code__in=[record.code for record in records]
        ).prefetch_related(
            "themes",
            "windows",
            "materials__material",
            "situations__materials",
            "legal_bases",
            "steps",
            "special_steps",
            "faqs",
        )
        by_code = {page.implementation_code: page for page in pages}
        for record in records:
            record.page = by_code.get(record.code)
            if record.page is not None:
                record.baseline = _baseline(record.page, self.publish)

    def check_material_catalogue(self, records: list[ItemRecord]) -> list[MaterialEntry]:
        """The material catalogue has one record per code across all guides: the file must
        agree with itself and with the catalogue. The import creates new codes and never
        renames an existing one."""
        entries: dict[str, MaterialEntry] = {}
        for record in records:
            for child in record.children.get(MATERIALS.key, []):
                values, row = child.values, child.source
                code, name = values.get("material_code"), values.get("material_name")
                if not code or not name:
                    continue
                form, source = values.get("form"), values.get("source", "")
                entry = entries.get(code)
                if entry is None:
                    try:
                        Material._meta.get_field("code").run_validators(code)
                    except ValidationError as error:
                        self.report(row, "material_code", "；".join(error.messages))
                        continue
                    entries[code] = MaterialEntry(code, name, form, source, row)
                    self.check_against_catalogue(entries[code])
                    continue
                first = entry.row.problem("", "")
                if name != entry.name:
                    self.report(
                        row,
                        "material_name",
                        f"材料编码“{code}”在文件中已名为“{entry.name}”（{first.section} {first.row}），"
                        f"此处为“{name}”；同一编码只能有一个名称",
                    )
                if form and entry.form and form != entry.form:
                    self.report(row, "form", f"材料编码“{code}”在文件中的材料形式前后不一致")
                entry.form = entry.form or form
                entry.source = entry.source or source
        return [entry for code, entry in entries.items() if code not in self.materials]

    def check_against_catalogue(self, entry: MaterialEntry):
        existing = self.materials.get(entry.code)
        if existing is None:
            return
        if entry.name != existing.name:
            self.report(
                entry.row,
                "material_name",
                f"材料目录中编码“{entry.code}”的名称是“{existing.name}”，文件中为“{entry.name}”；"
                "导入不会改名，请核对编码，或先在材料目录中修改名称",
            )
        if entry.form and entry.form != existing.form:
            self.report(
                entry.row,
                "form",
                f"材料目录中编码“{entry.code}”的形式是“{existing.get_form_display()}”，"
                f"文件中为“{dict(MaterialForm.choices)[entry.form]}”",
            )
        if entry.source and existing.source and entry.source != existing.source:
            self.warnings.append(
                entry.row.problem(
                    "source",
                    f"材料目录中该材料的来源渠道是“{existing.source}”，文件中的值未采用",
                )
            )

    def resolve(self, record: ItemRecord):
        """Replace codes and names by the records they point at."""
        values, row = record.values, record.source
        if "department_code" in values:
            code = values.pop("department_code")
            values["department"] = self.departments.get(code)
            if values["department"] is None:
                self.report(row, "department_code", f"部门编码“{code}”不存在，请先在“部门”中添加")
        for key, known, what in (
            ("themes", self.themes, "主题（按名称或 URL 标识）"),
            ("windows", self.windows, "窗口号"),
        ):
            if key in values:
                refs = values[key]
                for ref in refs:
                    if ref not in known:
                        self.report(row, key, f"{what}“{ref}”不存在")
                values[key] = list(dict.fromkeys(known[ref] for ref in refs if ref in known))
        for child in record.children.get(MATERIALS.key, []):
            for key in ("material_name", "form", "source"):
                child.values.pop(key, None)  # catalogue data, checked above
            if "material_code" in child.values:
                child.values["material"] = child.values.pop("material_code")
        for child in record.children.get(LEGAL_BASES.key, []):
            if "document_number" not in child.values:
                continue
            number = child.values.pop("document_number")
            matches = self.policies.get(number, [])
            child.values["policy"] = matches[0] if len(matches) == 1 else None
            if number and not matches:
                self.report(
                    child.source,
                    "document_number",
                    f"政策文件中没有文号为“{number}”的文件；请先录入该政策文件，或清空文号",
                )
            elif len(matches) > 1:
                self.report(
                    child.source, "document_number", f"文号“{number}”对应多个政策文件，无法确定"
                )

    def check_item(self, record: ItemRecord):
        values, row, page = record.values, record.source, record.baseline

        def effective(attr):
            if attr in values:
                return values[attr]
            if page is not None:
                return getattr(page, attr)
            return ServiceGuidePage._meta.get_field(attr).get_default()

        legal, promised = effective("legal_days"), effective("promised_days")
        if legal is not None and promised is not None and promised > legal:
            self.report(
                row, "promised_days", f"承诺办结时限（{promised}）不能超过法定办结时限（{legal}）"
            )
        if effective("charges_fee") and not effective("fee_standard"):
            key = "fee_standard" if "fee_standard" in row.values else "charges_fee"
            self.report(row, key, "收费事项必须填写收费标准")

        # A material listed twice, or two situations a citizen cannot tell apart. (Two steps
        # or legal bases may share a name: 审核 at two levels, two articles of one law.)
        for section in (MATERIALS, SITUATIONS):
            keys = set()
            for child in record.children.get(section.key, []):
                if any(_attr(name) not in child.values for name in section.natural_key):
                    continue  # a required column is missing; already reported
                key = child.key(section)
                if key in keys:
                    label = "、".join(str(part) for part in key)
                    self.report(
                        child.source,
                        section.natural_key[0],
                        f"“{label}”在本事项的{section.label}中重复",
                    )
                keys.add(key)

        if MATERIALS.key in record.children:
            codes = {child.values.get("material") for child in record.children[MATERIALS.key]}
        elif page is not None:
            codes = {link.material.code for link in page.materials.all()}
        else:
            codes = set()
        for child in record.children.get(SITUATIONS.key, []):
            for code in child.values.get("materials", []):
                if code not in codes:
                    self.report(
                        child.source, "materials", f"材料编码“{code}”不在本事项的材料清单中"
                    )
            situation_legal = child.values.get("legal_days")
            limit = situation_legal if situation_legal is not None else legal
            situation_promised = child.values.get("promised_days")
            if None not in (limit, situation_promised) and situation_promised > limit:
                self.report(
                    child.source,
                    "promised_days",
                    f"情形承诺时限（{situation_promised}）不能超过法定时限（{limit}）",
                )
        if SITUATIONS.key not in record.children and MATERIALS.key in record.children and page:
            # The page keeps its situations; they must not ask for a material it drops.
            for situation in page.situations.all():
                for material in situation.materials.all():
                    if material.code not in codes:
                        self.report(
                            row,
                            IMPLEMENTATION_CODE.key,
                            f"现有办理情形“{situation.name}”需要的材料“{material.code}”不在导入的"
                            "材料清单中；请在文件中一并给出该事项的办理情形",
                        )


# --------------------------------------------------------------------------------------
# Comparing: the imported values against the page as it stands
# --------------------------------------------------------------------------------------


def _value_state(attr, value):
    """A comparable form of one value, the same whether read from a page or a record."""
    if attr in ("themes", "windows"):
        return sorted(obj.pk for obj in value)
    if attr in ("department", "policy"):  # a record or, read from a page, its id
        return value.pk if isinstance(value, models.Model) else value
    if attr == "material":
        return value if isinstance(value, str) else value.code
    if attr == "materials":  # a situation's materials: a set, compared by code
        return sorted(obj if isinstance(obj, str) else obj.code for obj in value)
    return value


def _page_value(obj, attr):
    if attr in ("department", "policy"):
        return getattr(obj, f"{attr}_id")  # no query per row
    value = getattr(obj, attr)
    if attr in ("themes", "windows", "materials"):
        return list(value.all())
    return value


def _baseline(page: ServiceGuidePage, publish: bool) -> ServiceGuidePage:
    """What the import compares with and builds on: the live page when publishing; the
    pending draft (latest revision) when saving drafts for review."""
    if not publish and page.has_unpublished_changes and page.latest_revision_id:
        return page.get_latest_revision_as_object()
    return page


def _differences(record: ItemRecord, page: ServiceGuidePage) -> list[str]:
    """Labels of what the import would change on this page; empty if nothing."""
    changed = []
    for attr, value in record.values.items():
        if _value_state(attr, value) != _value_state(attr, _page_value(page, attr)):
            changed.append(_attr_label(ITEMS, attr))
    for section in CHILD_SECTIONS:
        if section.key not in record.children:
            continue
        rows = record.children[section.key]
        existing = list(getattr(page, section.key).all())
        if len(rows) != len(existing) or any(
            _value_state(attr, value) != _value_state(attr, _page_value(obj, attr))
            for row, obj in zip(rows, existing, strict=True)
            for attr, value in row.values.items()
        ):
            changed.append(section.label)
    return changed


def decide_actions(plan: Plan, *, publish: bool):
    """Mark each record create, update or unchanged by comparing it with its baseline."""
    for record in plan.records:
        if record.page is None:
            record.action = "create"
            continue
        record.changes = _differences(record, record.baseline)
        if publish and not record.page.live:
            # There is no live version to match: publishing it is the change.
            record.changes = record.changes or ["发布状态"]
        record.action = "update" if record.changes else "unchanged"
        superseded = record.page.live and record.page.has_unpublished_changes
        if record.action == "update" and publish and superseded:
            plan.warnings.append(
                record.source.problem(
                    IMPLEMENTATION_CODE.key,
                    "该指南有未发布的修改；本次导入以线上版本为基础发布，原草稿保留在修订历史中",
                )
            )


# --------------------------------------------------------------------------------------
# 3. Applying
# --------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    materials_created: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    changes: dict[str, list[str]] = field(default_factory=dict)  # code → changed fields
    dry_run: bool = False
    published: bool = True

    def summary(self) -> str:
        verb = "将" if self.dry_run else ""
        text = (
            f"{verb}新建 {len(self.created)} 项，{verb}更新 {len(self.updated)} 项，"
            f"未变 {len(self.unchanged)} 项；{verb}新增材料目录 {len(self.materials_created)} 条"
        )
        if self.dry_run:
            return f"校验通过（试运行，未写入）：{text}。"
        state = "已发布" if self.published else "已存为草稿，待审核发布"
        return f"导入完成：{text}。新建和更新的指南{state}。"


def _find_parent() -> CatalogueIndexPage:
    parent = CatalogueIndexPage.objects.first()
    if parent is None:
        raise CatalogueImportError(
            "站点中还没有“办事指南目录”页面：请先在后台首页下新建办事指南目录，再导入。"
        )
    return parent


def _take(existing: list, section: Section, child: ChildRecord):
    """The first unused existing row with the same natural key, so its id is kept."""
    wanted = tuple(_value_state(_attr(n), child.values[_attr(n)]) for n in section.natural_key)
    for obj in existing:
        have = tuple(_value_state(_attr(n), getattr(obj, _attr(n))) for n in section.natural_key)
        if have == wanted:
            existing.remove(obj)
            return obj
    return None


def _build(record: ItemRecord, page: ServiceGuidePage, materials: dict[str, Material]):
    """Set the imported values on the page in memory; modelcluster keeps the child rows and
    the situation→material links until the revision is published."""
    for attr, value in record.values.items():
        if attr in ("themes", "windows"):
            getattr(page, attr).set(value)
        else:
            setattr(page, attr, value)
    for section in CHILD_SECTIONS:
        if section.key not in record.children:
            continue
        existing = list(getattr(page, section.key).all()) if page.pk else []
        rows = []
        for position, child in enumerate(record.children[section.key]):
            obj = _take(existing, section, child) or section.model()
            for attr, value in child.values.items():
                if attr == "material":
                    obj.material = materials[value]
                elif attr == "materials":
                    obj.materials.set([materials[code] for code in value])
                else:
                    setattr(obj, attr, value)
            obj.sort_order = position
            rows.append(obj)
        setattr(page, section.key, rows)


def apply(plan: Plan, *, name: str, parent: CatalogueIndexPage, publish: bool, progress=None):
    """Write the plan. Call inside a transaction: a failure leaves nothing behind."""
    progress = progress or (lambda iterable, total: iterable)
    materials = {}
    for entry in plan.new_materials:
        materials[entry.code] = Material.objects.create(
            code=entry.code, name=entry.name, form=entry.form or "original", source=entry.source
        )
    codes = {
        child.values["material"]
        for record in plan.records
        for child in record.children.get(MATERIALS.key, [])
    }
    materials |= {m.code: m for m in Material.objects.filter(code__in=codes - materials.keys())}

    for record in progress(plan.records, len(plan.records)):
        if record.action == "unchanged":
            continue
        page = record.baseline if record.page is not None else ServiceGuidePage(live=False)
        _build(record, page, materials)
        try:
            if record.page is None:
                parent.add_child(instance=page)
            revision = page.save_revision(log_action=True)
            if publish:
                revision.publish()
        except ValidationError as error:
            # The validator mirrors the model's rules, so this means the two have drifted
            # apart: report it like any other row problem (the transaction rolls back).
            reason = "保存失败：" + "；".join(error.messages)
            raise CatalogueInvalid(
                name, [record.source.problem(IMPLEMENTATION_CODE.key, reason)]
            ) from error


def import_catalogue(
    path,
    *,
    publish: bool = True,
    dry_run: bool = False,
    progress: Callable[[Iterable, int], Iterable] | None = None,
) -> ImportResult:
    """Read, validate and apply a catalogue file in one transaction."""
    catalogue = read_catalogue(path)
    with transaction.atomic():
        parent = _find_parent()
        plan = validate(catalogue, publish=publish)
        decide_actions(plan, publish=publish)
        if not dry_run:
            apply(plan, name=catalogue.name, parent=parent, publish=publish, progress=progress)
    return ImportResult(
        created=[r.code for r in plan.records if r.action == "create"],
        updated=[r.code for r in plan.records if r.action == "update"],
        unchanged=[r.code for r in plan.records if r.action == "unchanged"],
        materials_created=[entry.code for entry in plan.new_materials],
        warnings=plan.warnings,
        changes={r.code: r.changes for r in plan.records if r.action == "update"},
        dry_run=dry_run,
        published=publish,
    )

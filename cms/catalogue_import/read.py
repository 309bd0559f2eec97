"""Reading a catalogue: a JSON, XLSX or CSV file → the same `Catalogue` of source rows.

Every format gives rows of raw values by column key and where each came from, so one
validator (validate.py) checks them alike. A CSV file is the 事项 sheet alone, as provincial
systems export their item lists (UTF-8 or GBK). A file that cannot be read at all raises
`CatalogueFileError`; which kind of file it is, the refusal of an old .xls, a CSV file's
encoding and the opening of a workbook are the import toolkit's (imports.files).
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from cms.catalogue_import.errors import CatalogueFileError
from cms.catalogue_import.schema import (
    CHILD_SECTIONS,
    COLUMN_NAMES,
    IMPLEMENTATION_CODE,
    ITEMS,
    SECTION_NAMES,
    SECTIONS,
    Section,
)
from imports.cells import Invalid, as_text, is_blank, norm
from imports.files import UnreadableFile, identify, open_table, open_workbook
from imports.headers import column_names, match_header
from imports.problems import Problem

# A JSON catalogue's problems are placed by item: 第3项事项.
JSON_ITEM = "项事项"


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
                self.number, column, reason, section=self.sheet, order=(section, self.number)
            )
        place = f"{self.path}.{self.names.get(key, key)}" if key else self.path
        return Problem(
            self.number,
            place,
            reason,
            section=self.section.label,
            unit=JSON_ITEM,
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


def read_catalogue(path) -> Catalogue:
    path = Path(path)
    if not path.is_file():
        raise CatalogueFileError(f"找不到文件：{path}")
    with path.open("rb") as handle:
        try:
            kind = identify(handle, path.name, ("json", "xlsx", "csv"))
        except UnreadableFile as refusal:
            raise CatalogueFileError(f"{path.name}：{refusal.reason}。") from None
    return {"xlsx": _read_xlsx, "json": _read_json, "csv": _read_csv}[kind](path)


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
    top_key = next((key for key in data if SECTION_NAMES.get(norm(key)) is ITEMS), None)
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
            section = SECTION_NAMES.get(norm(key))
            if section is None or section is ITEMS:
                continue
            if section.key in item.children:
                catalogue.problems.append(row.problem("", f"“{key}”与同义键重复"))
                continue
            if not isinstance(value, list):
                catalogue.problems.append(
                    Problem(
                        index,
                        f"{item_path}.{key}",
                        "须为数组",
                        section=section.label,
                        unit=JSON_ITEM,
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
                index,
                path,
                "须为对象",
                section=section.label,
                unit=JSON_ITEM,
                order=(index, SECTIONS.index(section)),
            )
        )
        return None
    row = SourceRow(section, index, {}, {}, path=path)
    names = COLUMN_NAMES[section.key]
    for key, value in raw.items():
        if section is ITEMS and SECTION_NAMES.get(norm(key)) in CHILD_SECTIONS:
            continue  # a nested array, read by the caller
        column = names.get(norm(key))
        if column is None:
            catalogue.warnings.append(
                Problem(
                    index,
                    f"{path}.{key}",
                    "未识别的键，已忽略",
                    section=section.label,
                    unit=JSON_ITEM,
                )
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
    try:
        workbook = open_workbook(path)
    except UnreadableFile as error:
        raise CatalogueFileError(
            f"无法读取 {path.name}：文件已损坏或不是 Excel .xlsx 文件（{error.cause}）。"
        ) from error
    try:
        return _read_workbook(path.name, workbook)
    except CatalogueFileError:
        raise
    except Exception as error:
        # openpyxl reads the sheets lazily: a damaged part shows only now.
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
        section = SECTION_NAMES.get(norm(title))
        if section is None:
            structure.append(f"无法识别的工作表“{title}”")
        elif section.key in sheets:
            structure.append(f"工作表“{title}”与另一张“{section.label}”表重复")
        else:
            worksheet.reset_dimensions()  # some writers store wrong dimensions
            rows = worksheet.iter_rows(min_row=1, values_only=True)
            where = f"工作表“{title}”"
            sheets[section.key] = _table_rows(catalogue, section, title, rows, where, structure)
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


def _read_csv(path: Path) -> Catalogue:
    catalogue = Catalogue(path.name, [])
    structure = []
    with path.open("rb") as handle:
        try:
            table = open_table(handle, path.name)
            rows = (cells for _, cells in table.rows)
            items = _table_rows(catalogue, ITEMS, ITEMS.label, rows, "文件", structure)
        except UnreadableFile as error:
            where = f"第 {error.row} 行：" if error.row else ""
            raise CatalogueFileError(f"无法读取 {path.name}：{where}{error.reason}。") from None
    if structure:
        raise CatalogueFileError(
            f"{path.name} 的结构不符合导入格式：\n"
            + "\n".join(f"  - {line}" for line in structure)
            + f"\nCSV 文件即“{ITEMS.label}”表：表头在第 1 行，每行一个事项（材料、情形等请用 XLSX 或 JSON）。"
        )
    catalogue.items = [SourceItem(row) for row in items]
    return catalogue


def _table_rows(catalogue, section, title, rows, where, structure) -> list[SourceRow]:
    """The rows of one sheet (or CSV file) `title`: `rows` are its cells row by row, the
    header first; `where` names it in the structure's problems."""
    names = COLUMN_NAMES[section.key]
    if section is not ITEMS:
        # Child rows say which item they belong to by its implementation code.
        names = names | column_names([IMPLEMENTATION_CODE])
    header = next(rows, None)
    if header is None or all(is_blank(cell) for cell in header):
        structure.append(f"{where}没有表头行（第 1 行）")
        return []

    matched = match_header(header, names)
    for text in matched.unknown:
        catalogue.warnings.append(Problem(1, text, "未识别的列，已忽略", section=title))
    for text, column in matched.repeated:
        structure.append(f"{where}中“{matched.labels[column.key]}”与“{text}”是同一列，只能保留一个")
    for column in matched.missing(names.values()):
        structure.append(f"{where}缺少必填列“{column.label}”")
    for keys in section.required_any:
        if not any(key in matched.positions for key in keys):
            structure.append(f"{where}缺少必填列{section.either(keys)}（至少一列）")
    positions, headers = matched.positions, matched.labels

    result = []
    for number, cells in enumerate(rows, start=2):
        values = {
            key: _cell(cells[position])
            for key, position in positions.items()
            if position < len(cells)
        }
        if all(is_blank(value) for value in values.values()):
            continue  # blank rows between groups are common in hand-made sheets
        for key in positions:
            values.setdefault(key, None)
        result.append(SourceRow(section, number, values, headers, sheet=title))
    return result


def _cell(value):
    return value.strip() if isinstance(value, str) else value


def _code(value) -> str:
    """An implementation code as text, for matching child rows to their item; a cell that
    is no text at all is reported by the validator, not here."""
    try:
        return as_text(value)
    except Invalid:
        return ""

"""Validating: one validator for both formats.

Every row is checked against the schema (cell by cell, with the import toolkit's parsers) and
the database (references, the material catalogue, time limits, fees); every problem is
collected, and if there is any, `validate` raises `CatalogueInvalid` carrying all of them.
"""

import html
import re

from django.core.exceptions import ValidationError
from django.db import models

from cms.catalogue_import.departments import Departments
from cms.catalogue_import.diff import baseline
from cms.catalogue_import.errors import CatalogueInvalid
from cms.catalogue_import.plan import (
    ChildRecord,
    ItemRecord,
    MaterialEntry,
    Plan,
    model_attr,
)
from cms.catalogue_import.read import Catalogue, SourceItem, SourceRow
from cms.catalogue_import.schema import (
    BOOLEAN,
    CHOICE,
    IMPLEMENTATION_CODE,
    INTEGER,
    ITEMS,
    LEGAL_BASES,
    LIST,
    MATERIALS,
    MAX_SMALL_INTEGER,
    RICH_TEXT,
    SECTIONS,
    SITUATIONS,
    URL,
    Column,
    Section,
)
from cms.choices import (
    PLATFORM_AUDIENCE_CODES,
    PLATFORM_AUDIENCES,
    Audience,
    MaterialForm,
    combined_audience,
)
from cms.models import (
    Material,
    PolicyPage,
    ServiceGuidePage,
    ServiceWindow,
    Theme,
)
from cms.richtext import sanitise
from imports import cells
from imports.problems import Problem

# The catalogue's wording of the toolkit's reasons, as docs/catalogue-import.md shows them.
INTEGER_MESSAGES = {
    "invalid": "须为不小于 {minimum} 的整数，实际为“{value}”",
    "min": "不能小于 {minimum}，实际为 {value}",
    "max": "不能大于 {maximum}，实际为 {value}",
}
CHOICE_MESSAGE = "无法识别“{value}”，可选值：{allowed}（或对应的英文键）"
LENGTH_MESSAGE = "不能超过 {max_length} 个字，实际 {length} 个"


def _parser(section: Section, column: Column):
    """The column's cell parser: a non-blank value → the normalised value, or cells.Invalid
    with the reason in Chinese."""
    if column.kind == INTEGER:
        return cells.integer(0, MAX_SMALL_INTEGER, INTEGER_MESSAGES)
    if column.kind == BOOLEAN:
        return cells.boolean
    if column.kind == CHOICE:
        return cells.choice(column.choices, message=CHOICE_MESSAGE)
    if column.kind == LIST:
        return cells.listing
    if column.kind == RICH_TEXT:
        return lambda value: _rich_text(cells.as_text(value))
    text = cells.text(section.max_length(column), LENGTH_MESSAGE)
    if column.kind == URL:
        return lambda value: cells.web_address(address) if (address := text(value)) else address
    return text


PARSERS = {
    (section.key, column.key): _parser(section, column)
    for section in SECTIONS
    for column in section.columns
}

# 服务对象: one of the product's choices, or the national platform's values (by name or
# code), several in one cell as exports write them: 自然人、企业法人 → 个人和法人.
AUDIENCE_SEPARATORS = re.compile(r"[、,，;；/／\n]+")
AUDIENCE_MESSAGE = (
    "无法识别“{value}”，可选值：{allowed}（或对应的英文键），或全国政务服务平台的服务对象："
    + "、".join(PLATFORM_AUDIENCES)
    + "（多个用“、”分隔）"
)
_audience_part = cells.choice(
    Audience.choices,
    aliases=PLATFORM_AUDIENCES
    | {code: PLATFORM_AUDIENCES[name] for code, name in PLATFORM_AUDIENCE_CODES.items()},
    message=AUDIENCE_MESSAGE,
)


def _audience(value) -> str:
    parts = value if isinstance(value, list) else AUDIENCE_SEPARATORS.split(cells.as_text(value))
    texts = [text for part in parts if (text := cells.as_text(part))]
    if not texts:
        raise cells.Invalid("必填项不能为空")
    return combined_audience(_audience_part(text) for text in texts)


PARSERS[ITEMS.key, "audience"] = _audience


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


def validate(
    catalogue: Catalogue, *, publish: bool = True, create_departments: bool = False
) -> Plan:
    """Check every row; return the plan, or raise CatalogueInvalid listing every problem.
    With `create_departments`, a department named by no existing one is planned as new
    instead of being a problem."""
    validator = _Validator(catalogue, publish=publish, create_departments=create_departments)
    plan = validator.run()
    if validator.problems:
        problems = sorted(validator.problems, key=lambda problem: problem.order)
        raise CatalogueInvalid(catalogue.name, problems, validator.warnings)
    return plan


class _Validator:
    def __init__(self, catalogue: Catalogue, *, publish: bool, create_departments: bool):
        self.catalogue = catalogue
        self.publish = publish
        self.create_departments = create_departments
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
        return Plan(records, materials, self.warnings, list(self.departments.new.values()))

    # --- one row at a time ----------------------------------------------------------------

    def coerce_row(self, row: SourceRow) -> dict[str, object]:
        values = {}
        for column in row.section.columns:
            if column.key not in row.values:
                if column.required:
                    self.report(row, column.key, f"缺少必填项“{column.label}”")
                continue
            raw = row.values[column.key]
            if cells.is_blank(raw):
                if column.required:
                    self.report(row, column.key, "必填项不能为空")
                else:
                    values[column.key] = _empty(row.section, column)
                continue
            try:
                values[column.key] = PARSERS[row.section.key, column.key](raw)
            except cells.Invalid as error:
                self.report(row, column.key, str(error))
        for keys in row.section.required_any:
            given = [key for key in keys if key in row.values]
            if not given:
                self.report(row, keys[0], f"缺少必填项{row.section.either(keys)}")
            elif all(cells.is_blank(row.values[key]) for key in given):
                self.report(
                    row, given[0], f"必填项不能为空（{row.section.either(keys)}至少填一个）"
                )
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
                    f"实施编码“{record.code}”在文件中重复（首次出现于 {where.place}）",
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

        self.departments = Departments(
            {*wanted(ITEMS, "department_code"), *wanted(ITEMS, "department_name")},
            create=self.create_departments,
            report=self.report,
            warnings=self.warnings,
        )
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
                record.baseline = baseline(record.page, self.publish)

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
                        f"材料编码“{code}”在文件中已名为“{entry.name}”（{first.section} {first.place}），"
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
        if "department_code" in values or "department_name" in values:
            code, name = values.pop("department_code", ""), values.pop("department_name", "")
            if code or name:  # neither: already reported
                values["department"] = self.departments.resolve(row, code, name)
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
                if any(model_attr(name) not in child.values for name in section.natural_key):
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

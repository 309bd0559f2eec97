"""What the validator hands on: one record per item with normalised values, and the new
material catalogue entries and departments. diff.py compares the records with the pages (and
notes the guides an import would rename), apply.py writes them.
"""

from dataclasses import dataclass, field

from django.db import models

from cms.catalogue_import.read import SourceRow
from cms.catalogue_import.schema import Section
from cms.models import Department, ServiceGuidePage
from imports.problems import Problem


@dataclass
class ChildRecord:
    source: SourceRow
    # Model attribute → value, only for columns the file provides. For materials,
    # "material" is the catalogue code; for situations, "materials" is a list of codes;
    # for legal bases, "policy" is the PolicyPage (or None).
    values: dict[str, object]

    def key(self, section: Section) -> tuple:
        return tuple(
            value_state(model_attr(name), self.values[model_attr(name)])
            for name in section.natural_key
        )


@dataclass
class ItemRecord:
    source: SourceRow
    code: str
    values: dict[str, object]  # page attribute → value, only for columns the file provides
    children: dict[str, list[ChildRecord]]  # only for collections the file provides
    page: ServiceGuidePage | None = None  # the existing page with this code
    baseline: ServiceGuidePage | None = None  # what the import compares with (see diff.baseline)
    action: str = ""  # "create", "update" or "unchanged", set by decide_actions()
    changes: list[str] = field(default_factory=list)  # what differs, for the verbose report


# Columns that name a record by its code; once resolved, the value is stored under the
# model attribute (department_code → department, material_code → material...).
RESOLVED_ATTRS = {
    "department_name": "department",  # first: a changed department is reported as 实施主体
    "department_code": "department",
    "material_code": "material",
    "document_number": "policy",
}


def model_attr(key: str) -> str:
    return RESOLVED_ATTRS.get(key, key)


def attr_label(section: Section, attr: str) -> str:
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
class NewDepartment:
    """A department the file names and the database lacks (with --create-departments): not
    saved until the plan is applied."""

    department: Department
    row: SourceRow  # the first row that names it


@dataclass
class Retitle:
    """An item whose code is an existing guide's, with another title or department: the
    import would rename that guide (or hand it to another department), which an implementation
    code reused for another item does silently. Refused unless --allow-retitle."""

    source: SourceRow
    code: str
    old_title: str
    new_title: str
    old_department: str = ""  # names, when the department changes
    new_department: str = ""

    def problem(self) -> Problem:
        changes = []
        if self.new_title != self.old_title:
            changes.append(f"名称“{self.old_title}” → “{self.new_title}”")
        if self.new_department != self.old_department:
            changes.append(f"实施主体“{self.old_department}” → “{self.new_department}”")
        key = "title" if self.new_title != self.old_title else self._department_key()
        return self.source.problem(key, f"实施编码“{self.code}”的现有指南：" + "；".join(changes))

    def _department_key(self) -> str:
        names = self.source.names
        return "department_name" if "department_name" in names else "department_code"


@dataclass
class Plan:
    records: list[ItemRecord]
    new_materials: list[MaterialEntry]
    warnings: list[Problem]
    new_departments: list[NewDepartment] = field(default_factory=list)
    retitles: list[Retitle] = field(default_factory=list)  # set by decide_actions()


def value_state(attr, value):
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

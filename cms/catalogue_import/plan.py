"""What the validator hands on: one record per item with normalised values, and the new
material catalogue entries. diff.py compares the records with the pages, apply.py writes them.
"""

from dataclasses import dataclass, field

from django.db import models

from cms.catalogue_import.read import SourceRow
from cms.catalogue_import.schema import Section
from cms.models import ServiceGuidePage
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
class Plan:
    records: list[ItemRecord]
    new_materials: list[MaterialEntry]
    warnings: list[Problem]


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

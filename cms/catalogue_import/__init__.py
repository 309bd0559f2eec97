"""Catalogue import (事项目录导入): the provincial platform's item catalogue → service guides.

Three steps, each its own module so a reader (and a test) can take them one at a time:

1. read.py: `read_catalogue(path)` turns a JSON, XLSX or CSV file into the same `Catalogue`
   of source rows. A file that cannot be read at all raises `CatalogueFileError`.
2. validate.py: `validate(catalogue)` checks every row against the schema (schema.py) and the
   database (departments by code or name: departments.py) and returns a `Plan` (plan.py): one
   `ItemRecord` per item with normalised values, and the material catalogue entries and
   departments to create. Every problem is collected; if there is any, it raises
   `CatalogueInvalid` carrying all of them.
3. diff.py: `decide_actions(plan)` compares each record with the page as it stands (create,
   update or unchanged) and notes the updates that would rename a guide or give it to another
   department (`plan.retitles`); apply.py: `apply(plan, ...)` writes: new pages are added under
   the catalogue index, changed pages get a new revision (published, or left as a draft for
   review), identical pages are left alone, so importing the same file twice changes nothing.

`import_catalogue()` runs the three in one transaction: all items are written or none. A
rename is refused (`RetitlesRefused`, nothing written) unless the caller allows it: an
implementation code reused for another item would otherwise silently retitle a guide.
Reading files, parsing cells and the report's lines come from the import toolkit (imports/),
which the hall data's import (supervision.importers) uses too. The file schema, the formats
and the report format are in docs/catalogue-import.md; the columns in schema.py are that
document's source of truth (tests check the two agree).
"""

from collections.abc import Callable, Iterable

from cms.catalogue_import.apply import NO_CATALOGUE_PAGE, ImportResult, apply, find_parent
from cms.catalogue_import.diff import decide_actions
from cms.catalogue_import.errors import (
    CatalogueFileError,
    CatalogueImportError,
    CatalogueInvalid,
    RetitlesRefused,
)
from cms.catalogue_import.plan import (
    ChildRecord,
    ItemRecord,
    MaterialEntry,
    NewDepartment,
    Plan,
    Retitle,
)
from cms.catalogue_import.read import Catalogue, SourceItem, SourceRow, read_catalogue
from cms.catalogue_import.schema import (
    CHILD_SECTIONS,
    COLUMN_NAMES,
    ITEMS,
    SECTION_NAMES,
    SECTIONS,
    Column,
    Section,
)
from cms.catalogue_import.validate import validate
from imports.problems import Problem
from imports.transaction import all_or_nothing

__all__ = [
    "CHILD_SECTIONS",
    "COLUMN_NAMES",
    "ITEMS",
    "SECTIONS",
    "SECTION_NAMES",
    "Catalogue",
    "CatalogueFileError",
    "CatalogueImportError",
    "CatalogueInvalid",
    "ChildRecord",
    "Column",
    "ImportResult",
    "ItemRecord",
    "MaterialEntry",
    "NewDepartment",
    "Plan",
    "Problem",
    "Retitle",
    "RetitlesRefused",
    "Section",
    "SourceItem",
    "SourceRow",
    "apply",
    "decide_actions",
    "import_catalogue",
    "read_catalogue",
    "validate",
]


def import_catalogue(
    path,
    *,
    publish: bool = True,
    dry_run: bool = False,
    create_departments: bool = False,
    allow_retitle: bool = False,
    progress: Callable[[Iterable, int], Iterable] | None = None,
) -> ImportResult:
    """Read, validate and apply a catalogue file in one transaction. A dry run writes
    nothing, so it needs no catalogue page yet: it says the page is missing instead."""
    catalogue = read_catalogue(path)
    with all_or_nothing():
        parent = find_parent(required=not dry_run)
        plan = validate(catalogue, publish=publish, create_departments=create_departments)
        decide_actions(plan, publish=publish)
        retitles = [retitle.problem() for retitle in plan.retitles]
        if retitles and not allow_retitle:
            raise RetitlesRefused(catalogue.name, retitles, plan.warnings)
        if parent is None:
            plan.warnings.append(
                Problem(
                    None, "", f"{NO_CATALOGUE_PAGE}：正式导入前请先在后台首页下新建办事指南目录"
                )
            )
        if not dry_run:
            apply(plan, name=catalogue.name, parent=parent, publish=publish, progress=progress)
    return ImportResult(
        created=[r.code for r in plan.records if r.action == "create"],
        updated=[r.code for r in plan.records if r.action == "update"],
        unchanged=[r.code for r in plan.records if r.action == "unchanged"],
        materials_created=[entry.code for entry in plan.new_materials],
        departments_created=[
            f"{entry.department.name}（编码 {entry.department.code}）"
            for entry in plan.new_departments
        ],
        retitles=retitles,
        warnings=plan.warnings,
        changes={r.code: r.changes for r in plan.records if r.action == "update"},
        dry_run=dry_run,
        published=publish,
    )

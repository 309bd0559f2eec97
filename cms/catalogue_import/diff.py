"""Comparing: the imported values against the page as it stands (create, update or
unchanged), so that importing the same file twice changes nothing; and noting the updates
that would rename a guide or give it to another department (plan.retitles)."""

from cms.catalogue_import.plan import ItemRecord, Plan, Retitle, attr_label, value_state
from cms.catalogue_import.schema import CHILD_SECTIONS, IMPLEMENTATION_CODE, ITEMS
from cms.models import ServiceGuidePage


def _page_value(obj, attr):
    if attr in ("department", "policy"):
        return getattr(obj, f"{attr}_id")  # no query per row
    value = getattr(obj, attr)
    if attr in ("themes", "windows", "materials"):
        return list(value.all())
    return value


def baseline(page: ServiceGuidePage, publish: bool) -> ServiceGuidePage:
    """What the import compares with and builds on: the live page when publishing; the
    pending draft (latest revision) when saving drafts for review."""
    if not publish and page.has_unpublished_changes and page.latest_revision_id:
        return page.get_latest_revision_as_object()
    return page


def _differences(record: ItemRecord, page: ServiceGuidePage) -> list[str]:
    """Labels of what the import would change on this page; empty if nothing."""
    changed = []
    for attr, value in record.values.items():
        if value_state(attr, value) != value_state(attr, _page_value(page, attr)):
            changed.append(attr_label(ITEMS, attr))
    for section in CHILD_SECTIONS:
        if section.key not in record.children:
            continue
        rows = record.children[section.key]
        existing = list(getattr(page, section.key).all())
        if len(rows) != len(existing) or any(
            value_state(attr, value) != value_state(attr, _page_value(obj, attr))
            for row, obj in zip(rows, existing, strict=True)
            for attr, value in row.values.items()
        ):
            changed.append(section.label)
    return changed


def _retitle(record: ItemRecord) -> Retitle | None:
    """The rename (or change of department) this update would make, if any. The import never
    moves a guide in the page tree (there is one catalogue page), so these are the changes
    that turn a guide into another item."""
    page = record.baseline
    title = record.values.get("title", page.title)
    department = record.values.get("department")  # None: the file leaves it as it is
    moved = department is not None and value_state("department", department) != page.department_id
    if title == page.title and not moved:
        return None
    return Retitle(
        record.source,
        record.code,
        page.title,
        title,
        page.department.name if moved else "",
        department.name if moved else "",
    )


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
        if record.action == "update" and (retitle := _retitle(record)) is not None:
            plan.retitles.append(retitle)
        superseded = record.page.live and record.page.has_unpublished_changes
        if record.action == "update" and publish and superseded:
            plan.warnings.append(
                record.source.problem(
                    IMPLEMENTATION_CODE.key,
                    "该指南有未发布的修改；本次导入以线上版本为基础发布，原草稿保留在修订历史中",
                )
            )

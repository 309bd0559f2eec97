"""Applying the plan: the new departments, new guides under the catalogue index, a new
revision (published or a draft for review) for each changed one, nothing for the unchanged."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from cms.catalogue_import.errors import CatalogueImportError, CatalogueInvalid
from cms.catalogue_import.plan import ChildRecord, ItemRecord, Plan, model_attr, value_state
from cms.catalogue_import.schema import CHILD_SECTIONS, IMPLEMENTATION_CODE, MATERIALS, Section
from cms.models import CatalogueIndexPage, Material, ServiceGuidePage
from imports.problems import Problem


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    materials_created: list[str] = field(default_factory=list)
    departments_created: list[str] = field(default_factory=list)  # 名称（编码 …）
    retitles: list[Problem] = field(default_factory=list)  # accepted with --allow-retitle
    warnings: list[Problem] = field(default_factory=list)
    changes: dict[str, list[str]] = field(default_factory=dict)  # code → changed fields
    dry_run: bool = False
    published: bool = True

    def summary(self) -> str:
        verb = "将" if self.dry_run else ""
        renamed = f"（其中改名或改实施主体 {len(self.retitles)} 项）" if self.retitles else ""
        text = (
            f"{verb}新建 {len(self.created)} 项，{verb}更新 {len(self.updated)} 项{renamed}，"
            f"未变 {len(self.unchanged)} 项；{verb}新增材料目录 {len(self.materials_created)} 条"
        )
        if self.departments_created:
            text += f"，{verb}新增部门 {len(self.departments_created)} 个"
        if self.dry_run:
            return f"校验通过（试运行，未写入）：{text}。"
        state = "已发布" if self.published else "已存为草稿，待审核发布"
        return f"导入完成：{text}。新建和更新的指南{state}。"


NO_CATALOGUE_PAGE = "站点中还没有“办事指南目录”页面"


def find_parent(*, required: bool = True) -> CatalogueIndexPage | None:
    """The catalogue index new guides go under; None when there is none and a dry run only
    asks (it reports the missing page instead of refusing)."""
    parent = CatalogueIndexPage.objects.first()
    if parent is None and required:
        raise CatalogueImportError(
            f"{NO_CATALOGUE_PAGE}：请先在后台首页下新建办事指南目录，再导入。"
        )
    return parent


def _take(existing: list, section: Section, child: ChildRecord):
    """The first unused existing row with the same natural key, so its id is kept."""
    wanted = tuple(
        value_state(model_attr(n), child.values[model_attr(n)]) for n in section.natural_key
    )
    for obj in existing:
        have = tuple(
            value_state(model_attr(n), getattr(obj, model_attr(n))) for n in section.natural_key
        )
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
    for entry in plan.new_departments:
        entry.department.save()  # the records hold this instance: their guides now point at it
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

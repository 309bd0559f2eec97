"""The catalogue's file schema: sections (a JSON array / an XLSX sheet) and their columns.

These definitions are the source of truth for the tables in docs/catalogue-import.md (a test
checks that the page names every one of them).
"""

from dataclasses import dataclass

from django.db import models

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
    Department,
    GuideFAQ,
    GuideLegalBasis,
    GuideMaterial,
    GuideStep,
    HandlingSituation,
    Material,
    PolicyPage,
    ServiceGuidePage,
    SpecialStep,
)
from imports.cells import norm
from imports.headers import column_names

# The value types of docs/catalogue-import.md; validate.py parses each with the toolkit's
# cell parsers.
TEXT = "文本"
RICH_TEXT = "富文本"
INTEGER = "整数"
BOOLEAN = "是/否"
CHOICE = "选项"
URL = "网址"
LIST = "列表"

# PositiveSmallIntegerField's upper bound on every database Django supports.
MAX_SMALL_INTEGER = 32767


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
    # Groups of columns of which a row must give at least one (the department by code or
    # by name).
    required_any: tuple[tuple[str, ...], ...] = ()

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def either(self, keys: tuple[str, ...]) -> str:
        """“实施主体编码”或“实施主体”: a required_any group as the report names it."""
        return "或".join(f"“{self.column(key).label}”" for key in keys)

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
        # The department (实施主体) by its code, or by its name or short name, or both:
        # provincial exports often carry only the name. validate.py resolves either.
        Column(
            "department_code",
            "实施主体编码",
            TEXT,
            aliases=("部门编码", "实施机构编码"),
            attr=False,
            max_length=_length(Department, "code"),
        ),
        Column(
            "department_name",
            "实施主体",
            TEXT,
            aliases=("实施主体名称", "实施机构", "实施部门", "部门名称"),
            attr=False,
            max_length=_length(Department, "name"),
        ),
        # Also the national platform's values (自然人, 企业法人..., several in one cell):
        # cms.choices.PLATFORM_AUDIENCES.
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
    required_any=(("department_code", "department_name"),),
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


COLUMN_NAMES = {section.key: column_names(section.columns) for section in SECTIONS}
SECTION_NAMES = {
    norm(name): section
    for section in SECTIONS
    for name in (section.key, section.label, *section.aliases)
}

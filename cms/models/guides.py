"""The service guide (办事指南): one page per service item, carrying every standard element
of DOMAIN.md §1 as structured fields so each channel (page, API, kiosk, print, search) reads
the same record."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page, PreviewableMixin
from wagtail.search import index

from cms import channels
from cms.blocks import RICH_TEXT_FEATURES
from cms.choices import (
    GUIDE_FLAGS,
    Audience,
    ExerciseLevel,
    HandlingCase,
    ItemType,
    Validity,
)
from cms.forms import GuideCopyForm, ServiceGuidePageForm
from cms.models.mixins import ChannelPreviewMixin, PublicPageMixin, pinyin_slug, public_pages
from cms.models.policies import PolicyPage
from cms.panels import GuideAuditPanel


def days_label(days):
    """0 working days is "当场办结" (settled on the spot), as portals print it."""
    if days is None:
        return ""
    return "当场办结" if days == 0 else f"{days}个工作日"


def compression_rate(legal_days, promised_days):
    """Share of the legal limit saved by the promise, in percent (压缩比例)."""
    if not legal_days:
        return 0
    return round(100 * (legal_days - promised_days) / legal_days, 1)


def guide_rows():
    """Every related row a guide's elements are read from, as prefetch_related lookups.

    Channels that read many guides at once (the API's lists, a department's book) fetch these
    with them: one query per relation instead of one per guide and relation. A function, not a
    constant: which cited policies are public depends on the time it is asked.
    """
    return (
        "department",
        "flowchart",
        "result_sample",
        "themes",
        "windows",
        "legal_bases__policy",
        Prefetch(
            "legal_bases__policy",
            queryset=public_pages(PolicyPage.objects.all()),
            to_attr="public_policy",
        ),
        "materials__material__blank_form",
        "materials__material__sample",
        "situations__materials",
        "steps",
        "special_steps",
        "faqs",
    )


# The hall's touch screens are 1080×1920 portrait. Wagtail's preview sizes are a width each,
# chosen apart from the mode (it has no per-mode size and no height), so the kiosk width is one
# more size button, for editors to pick with the kiosk mode.
KIOSK_PREVIEW_SIZE = {
    "name": "kiosk",
    "icon": "tablet-alt",
    "device_width": 1080,
    "label": "按大厅自助终端尺寸预览（1080×1920 竖屏）",
}


class ServiceGuidePage(PublicPageMixin, ChannelPreviewMixin, RoutablePageMixin, Page):
    """办事指南. The page title is the item name (事项名称)."""

    # Identity
    basic_code = models.CharField("基本编码", max_length=40, blank=True)
    implementation_code = models.CharField(
        "实施编码",
        max_length=60,
        unique=True,
        help_text="如 62052400MZ-XK-0001；导入时以此识别事项",
    )
    sub_item = models.CharField("子项名称", max_length=200, blank=True)
    handling_case = models.CharField(
        "业务办理项", max_length=20, choices=HandlingCase.choices, default=HandlingCase.NEW
    )
    popular_names = models.CharField(
        "别名/俗称",
        max_length=300,
        blank=True,
        help_text="群众常用说法，用顿号或逗号分隔，如 办执照、开公司",
    )
    summary = models.CharField("一句话说明", max_length=300, blank=True)

    # Classification
    item_type = models.CharField("事项类型", max_length=20, choices=ItemType.choices)
    exercise_level = models.CharField(
        "行使层级", max_length=20, choices=ExerciseLevel.choices, default=ExerciseLevel.MUNICIPAL
    )
    department = models.ForeignKey(
        "cms.Department", verbose_name="实施主体", on_delete=models.PROTECT, related_name="guides"
    )
    audience = models.CharField("服务对象", max_length=10, choices=Audience.choices)
    themes = ParentalManyToManyField(
        "cms.Theme", verbose_name="主题分类", blank=True, related_name="guides"
    )

    # Conditions
    applicant_scope = models.TextField("申请对象", blank=True)
    conditions = RichTextField("受理条件", blank=True, features=RICH_TEXT_FEATURES)
    refusal_grounds = models.TextField("不予受理情形（禁止性要求）", blank=True)
    quantity_limit = models.CharField("数量限制", max_length=200, blank=True, default="无数量限制")

    # Procedure and ways to apply
    flowchart = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="办理流程图",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    online_url = models.URLField("网上办理地址", blank=True)
    app_channel = models.CharField(
        "掌上办理", max_length=100, blank=True, help_text="如 “i城市”客户端、微信小程序"
    )
    kiosk_available = models.BooleanField("可在自助终端办理", default=False)
    windows = ParentalManyToManyField(
        "cms.ServiceWindow", verbose_name="办理窗口", blank=True, related_name="guides"
    )
    office_address = models.CharField("办理地点", max_length=200, blank=True)
    office_hours = models.CharField(
        "办理时间",
        max_length=200,
        blank=True,
        default="周一至周五 9:00-12:00，13:30-17:00（法定节假日除外）",
    )
    saturday_service = models.BooleanField("周六可办", default=False)

    # Time limits, in working days; 0 means settled on the spot
    legal_days = models.PositiveSmallIntegerField("法定办结时限（工作日）")
    promised_days = models.PositiveSmallIntegerField("承诺办结时限（工作日）")

    # Fees
    charges_fee = models.BooleanField("收费", default=False)
    fee_standard = models.TextField("收费标准", blank=True)
    fee_basis = models.TextField("收费依据", blank=True)

    # Result
    result_name = models.CharField("审批结果名称", max_length=200, blank=True)
    result_sample = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="审批结果样本",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    delivery_window = models.BooleanField("窗口领取", default=True)
    delivery_locker = models.BooleanField("自助柜领取", default=False)
    delivery_post = models.BooleanField("免费邮寄", default=False)

    # Logistics
    enquiry_phone = models.CharField("咨询电话", max_length=100, blank=True)
    complaint_phone = models.CharField("投诉电话", max_length=100, blank=True)
    visits_required = models.PositiveSmallIntegerField("到现场次数", default=1)
    status_url = models.URLField("办件进度查询", blank=True)

    # Flags (see cms.choices.GUIDE_FLAGS)
    run_at_most_once = models.BooleanField("最多跑一次", default=False)
    zero_visit = models.BooleanField("零上门", default=False)
    instant = models.BooleanField("即办件", default=False)
    citywide = models.BooleanField("全城通办", default=False)
    nearby = models.BooleanField("就近办", default=False)
    tolerance_acceptance = models.BooleanField("容缺受理", default=False)
    high_frequency = models.BooleanField("高频事项", default=False, db_index=True)

    parent_page_types = ["cms.CatalogueIndexPage"]
    subpage_types = []
    template = "cms/service_guide_page.html"
    base_form_class = ServiceGuidePageForm
    # The implementation code is unique, so a copy cannot keep it: Wagtail leaves it out of the
    # copy and of the copied revisions, and copy_all_child_relations gives the copy its own.
    exclude_fields_in_copy = ["implementation_code"]
    copy_form_class = GuideCopyForm
    preview_channels = {
        "kiosk": "自助终端（1080×1920）",
        "print": "打印版",
        "pdf": "PDF",
        "api": "接口 JSON",
    }
    preview_sizes = [*PreviewableMixin.DEFAULT_PREVIEW_SIZES, KIOSK_PREVIEW_SIZE]

    identity_panels = [
        GuideAuditPanel(heading="指南要素检查"),
        FieldPanel("title", heading="事项名称"),
        FieldRowPanel([FieldPanel("basic_code"), FieldPanel("implementation_code")]),
        FieldRowPanel([FieldPanel("sub_item"), FieldPanel("handling_case")]),
        FieldPanel("popular_names"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("item_type"), FieldPanel("exercise_level")]),
                FieldRowPanel([FieldPanel("department"), FieldPanel("audience")]),
                FieldPanel("themes"),
            ],
            heading="事项分类",
        ),
        MultiFieldPanel([FieldPanel(name) for name in GUIDE_FLAGS], heading="服务标签"),
    ]
    requirement_panels = [
        InlinePanel("legal_bases", heading="法律依据", label="依据"),
        MultiFieldPanel(
            [
                FieldPanel("applicant_scope"),
                FieldPanel("conditions"),
                FieldPanel("refusal_grounds"),
                FieldPanel("quantity_limit"),
            ],
            heading="受理条件",
        ),
        InlinePanel("materials", heading="申请材料", label="材料"),
        InlinePanel("situations", heading="办理情形", label="情形"),
    ]
    procedure_panels = [
        InlinePanel("steps", heading="办理流程", label="环节"),
        FieldPanel("flowchart"),
        InlinePanel("special_steps", heading="特别程序", label="特别程序"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("legal_days"), FieldPanel("promised_days")])],
            heading="办理时限",
        ),
        MultiFieldPanel(
            [FieldPanel("charges_fee"), FieldPanel("fee_standard"), FieldPanel("fee_basis")],
            heading="收费",
        ),
        MultiFieldPanel(
            [
                FieldPanel("result_name"),
                FieldPanel("result_sample"),
                FieldRowPanel(
                    [
                        FieldPanel("delivery_window"),
                        FieldPanel("delivery_locker"),
                        FieldPanel("delivery_post"),
                    ]
                ),
            ],
            heading="办理结果",
        ),
    ]
    logistics_panels = [
        MultiFieldPanel(
            [
                FieldPanel("online_url"),
                FieldPanel("app_channel"),
                FieldPanel("kiosk_available"),
                FieldPanel("windows"),
                FieldPanel("office_address"),
                FieldPanel("office_hours"),
                FieldPanel("saturday_service"),
            ],
            heading="办理渠道与地点",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("enquiry_phone"), FieldPanel("complaint_phone")]),
                FieldPanel("visits_required"),
                FieldPanel("status_url"),
            ],
            heading="咨询与监督",
        ),
        InlinePanel("faqs", heading="常见问题", label="问题"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(identity_panels, heading="基本信息"),
            ObjectList(requirement_panels, heading="依据、条件与材料"),
            ObjectList(procedure_panels, heading="流程、时限与收费"),
            ObjectList(logistics_panels, heading="渠道与咨询"),
            ObjectList(Page.promote_panels, heading="推广"),
            ObjectList(Page.settings_panels, heading="设置"),
        ]
    )

    search_fields = PublicPageMixin.search_fields + [
        index.SearchField("popular_names", boost=3),
        index.SearchField("implementation_code"),
        index.SearchField("summary"),
        index.FilterField("department"),
        index.FilterField("high_frequency"),
        index.RelatedFields("department", [index.SearchField("name")]),
    ]

    # The JSON channel: every element of the guide, live public pages only (cms.api).
    api_fields = [
        APIField("basic_code"),
        APIField("implementation_code"),
        APIField("sub_item"),
        APIField("handling_case_display"),
        APIField("popular_names"),
        APIField("summary"),
        APIField("item_type_display"),
        APIField("exercise_level_display"),
        APIField("department_name"),
        APIField("audience_display"),
        APIField("theme_names"),
        APIField("legal_bases"),
        APIField("applicant_scope"),
        APIField("conditions"),
        APIField("refusal_grounds"),
        APIField("quantity_limit"),
        APIField("materials"),
        APIField("situations"),
        APIField("steps"),
        APIField("flowchart_url"),
        APIField("special_steps"),
        APIField("online_url"),
        APIField("app_channel"),
        APIField("kiosk_available"),
        APIField("window_labels"),
        APIField("office_address"),
        APIField("office_hours"),
        APIField("saturday_service"),
        APIField("legal_days"),
        APIField("promised_days"),
        APIField("compression_rate"),
        APIField("fee_text"),
        APIField("fee_basis"),
        APIField("result_name"),
        APIField("result_sample_url"),
        APIField("delivery_labels"),
        APIField("enquiry_phone"),
        APIField("complaint_phone"),
        APIField("visits_required"),
        APIField("status_url"),
        APIField("flag_labels"),
        APIField("faqs"),
        APIField("channel_urls"),
    ]

    class Meta:
        verbose_name = "办事指南"
        verbose_name_plural = "办事指南"

    def __str__(self):
        return self.title

    # Slug from the implementation code: stable when the item is renamed, unique in the
    # catalogue, and readable (62052400mz-xk-0001) where a pinyin slug of a long name is not.
    def get_slug_base(self):
        return pinyin_slug(self.implementation_code) or super().get_slug_base()

    def copy_code(self):
        """The first free "<code>-副本", "<code>-副本2"... for a copy of this guide, cut to fit
        the field."""
        limit = self._meta.get_field("implementation_code").max_length
        n = 1
        while True:
            suffix = "-副本" if n == 1 else f"-副本{n}"
            code = self.implementation_code[: limit - len(suffix)] + suffix
            if not ServiceGuidePage.objects.filter(implementation_code=code).exists():
                return code
            n += 1

    def copy_all_child_relations(self, target, *args, **kwargs):
        """Wagtail builds every copy of a page through this method of the original, with the
        copy not yet saved: the admin's copy view and copies with subpages (CopyPageAction, which
        never calls a model's copy()) as well as Page.copy(). The copy arrives without an
        implementation code (exclude_fields_in_copy) and gets its own here."""
        if not target.implementation_code:
            target.implementation_code = self.copy_code()
        return super().copy_all_child_relations(target, *args, **kwargs)

    def clean(self):
        super().clean()
        if self.legal_days is not None and self.promised_days is not None:
            if self.promised_days > self.legal_days:
                raise ValidationError({"promised_days": "承诺时限不能超过法定时限。"})
        if self.charges_fee and not self.fee_standard:
            raise ValidationError({"fee_standard": "收费事项必须填写收费标准。"})

    # --- data the channels read -------------------------------------------------------

    @property
    def handling_case_display(self):
        return self.get_handling_case_display()

    @property
    def item_type_display(self):
        return self.get_item_type_display()

    @property
    def exercise_level_display(self):
        return self.get_exercise_level_display()

    @property
    def audience_display(self):
        return self.get_audience_display()

    @property
    def department_name(self):
        return self.department.name

    @property
    def theme_names(self):
        return [theme.name for theme in self.themes.all()]

    @property
    def window_labels(self):
        return [str(window) for window in self.windows.all()]

    @property
    def flag_labels(self):
        return [label for name, label in GUIDE_FLAGS.items() if getattr(self, name)]

    @property
    def delivery_labels(self):
        labels = {
            "delivery_window": "窗口领取",
            "delivery_locker": "自助柜领取",
            "delivery_post": "免费邮寄",
        }
        return [label for name, label in labels.items() if getattr(self, name)]

    @property
    def compression_rate(self):
        return compression_rate(self.legal_days, self.promised_days)

    @property
    def flowchart_url(self):
        return self.flowchart.file.url if self.flowchart_id else None

    @property
    def result_sample_url(self):
        return self.result_sample.url if self.result_sample_id else None

    @property
    def legal_days_label(self):
        return days_label(self.legal_days)

    @property
    def promised_days_label(self):
        return days_label(self.promised_days)

    @property
    def visits_required_label(self):
        """The value only ("1次"): every channel prints it beside its own 到现场次数 label, and
        a value that carried the label too was printed as "到现场次数：到现场次数：1次"."""
        return f"{self.visits_required}次"

    @property
    def fee_text(self):
        return self.fee_standard if self.charges_fee else "不收费"

    @classmethod
    def citing_repealed_policies(cls):
        """Guides whose legal basis cites a policy marked repealed (依据已废止): the admin
        report and the editors' home list the same ones."""
        return (
            cls.objects.filter(legal_bases__policy__validity=Validity.REPEALED)
            .distinct()
            .order_by("title")
        )

    @property
    def repealed_legal_bases(self):
        return [
            basis
            for basis in self.legal_bases.all()
            if basis.policy_id and basis.policy.validity == Validity.REPEALED
        ]

    @property
    def channel_urls(self):
        """Where the same record is published: the web page and every channel with a renderer."""
        base = self.url or ""
        urls = {"web": base}
        for name, suffix in channels.SUFFIXES.items():
            if channels.renderer(type(self), name):
                urls[name] = base + suffix
        return urls

    def materials_for(self, situation=None):
        """The guide's materials, or only those a handling situation asks for."""
        if situation is None:
            return list(self.materials.all())
        return situation.material_rows

    def selected_situation(self, request):
        """The situation a visitor picked (?situation=<id>), or None for the whole guide."""
        raw = request.GET.get("situation", "")
        if not (raw.isascii() and raw.isdigit()):  # "²".isdigit() is True, int("²") fails
            return None
        return next((s for s in self.situations.all() if s.pk == int(raw)), None)

    def situation_context(self, request):
        """What every channel shows for the visitor's pick: the situation and its materials."""
        situation = self.selected_situation(request)
        return {"situation": situation, "shown_materials": self.materials_for(situation)}

    def get_context(self, request, *args, **kwargs):
        return super().get_context(request, *args, **kwargs) | self.situation_context(request)

    # --- other channels of the same record: rendered by publications/ ------------------

    def get_cached_paths(self):
        # What a front cache may hold of the guide (cms/caching/frontend.py purges them all);
        # print/ carries a per-request nonce and is never kept.
        return ["/", "kiosk/", "pdf/"]

    @path("kiosk/", name="kiosk")
    def kiosk(self, request):
        return channels.serve(request, self, "kiosk")

    @path("print/", name="print")
    def print_view(self, request):
        return channels.serve(request, self, "print")

    @path("pdf/", name="pdf")
    def pdf(self, request):
        return channels.serve(request, self, "pdf")

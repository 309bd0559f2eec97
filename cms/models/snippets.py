"""Reference data shared by many pages: one record each, registered as Wagtail snippets.

Departments, windows, themes and the material catalogue are moderated like pages: an edit is
a draft (a revision) until a reviewer publishes it, so one renamed material cannot rewrite
dozens of published guides unseen. The row always holds the published values, and that is
all any guide, bundle, PDF or index entry reads (docs/editorial-workflow.md).
"""

from django.core.validators import RegexValidator
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin
from wagtail.search import index

from cms.choices import Audience, MaterialForm
from cms.panels import ReferenceImpactPanel


class ModeratedReferenceData(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model
):
    """Drafts, revisions, locking and the editorial workflow, as Wagtail's snippets have them
    (https://docs.wagtail.org/en/stable/topics/snippets/features.html). The order of the
    mixins is the one Wagtail's system check requires."""

    class Meta:
        abstract = True


class Department(ModeratedReferenceData, index.Indexed, models.Model):
    """An implementing authority (实施主体) with counters in the hall."""

    code = models.CharField("部门编码", max_length=32, unique=True)
    name = models.CharField("部门名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30, blank=True)
    phone = models.CharField("咨询电话", max_length=50, blank=True)
    complaint_phone = models.CharField("投诉电话", max_length=50, blank=True)
    address = models.CharField("办公地址", max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    panels = [
        ReferenceImpactPanel(),
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("short_name"),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("complaint_phone"), FieldPanel("address")],
            heading="联系方式",
        ),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("code"),
    ]

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name


class ServiceWindow(ModeratedReferenceData, index.Indexed, ClusterableModel):
    """A counter in the hall (窗口), staffed by one or more departments.

    A ParentalManyToManyField, so that the departments are part of a draft too: a plain
    many-to-many edit would be neither kept in the revision nor held back from the site.
    Like every cluster relation it is written by `save()`: `window.departments.add(d)` then
    `window.save()`."""

    number = models.CharField("窗口号", max_length=16, unique=True, help_text="如 A01、B12")
    name = models.CharField("窗口名称", max_length=100, help_text="如 企业开办综合窗口")
    zone = models.CharField("大厅分区", max_length=50, help_text="如 A区 商事登记")
    floor = models.CharField("楼层", max_length=20, blank=True)
    departments = ParentalManyToManyField(
        Department, verbose_name="进驻部门", related_name="windows", blank=True
    )
    is_comprehensive = models.BooleanField("综合受理窗口", default=False)

    panels = [
        ReferenceImpactPanel(),
        FieldPanel("number"),
        FieldPanel("name"),
        FieldPanel("zone"),
        FieldPanel("floor"),
        FieldPanel("departments"),
        FieldPanel("is_comprehensive"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("number")]

    class Meta:
        verbose_name = "服务窗口"
        verbose_name_plural = "服务窗口"
        ordering = ["number"]

    def __str__(self):
        return f"{self.number} {self.name}"


class Theme(ModeratedReferenceData, models.Model):
    """A theme citizens browse by (企业开办, 不动产, 社保, 户籍, 婚育...)."""

    name = models.CharField("主题名称", max_length=50, unique=True)
    slug = models.SlugField("URL 标识", max_length=50, unique=True)
    audience = models.CharField(
        "面向对象", max_length=10, choices=Audience.choices, default=Audience.BOTH
    )
    description = models.CharField("简介", max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    panels = [
        ReferenceImpactPanel(),
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("audience"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = "主题"
        verbose_name_plural = "主题"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Material(ModeratedReferenceData, index.Indexed, models.Model):
    """One entry of the material catalogue (材料目录): the same material is one record
    across every guide that asks for it, so a renamed form changes everywhere at once."""

    # Codes are matched across guides, imports and the situation picker: no spaces or
    # punctuation beyond - _ . / so they stay one token everywhere.
    code = models.CharField(
        "材料编码",
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9._/-]+$", "材料编码只能包含字母、数字和 - _ . /")],
    )
    name = models.CharField("材料名称", max_length=200)
    form = models.CharField(
        "材料形式", max_length=20, choices=MaterialForm.choices, default=MaterialForm.ORIGINAL
    )
    source = models.CharField(
        "来源渠道", max_length=100, blank=True, help_text="如 申请人自备、政府部门核发"
    )
    notes = models.TextField("填报说明", blank=True)
    blank_form = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="空白表格",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sample = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="示例样表",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Shared materials (身份证, 营业执照) can often be fetched from the data-sharing platform
    # instead of being handed in: editors mark those so guides can say "免提交".
    electronic_licence = models.BooleanField("可调用电子证照", default=False)

    panels = [
        ReferenceImpactPanel(),
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("form"),
        FieldPanel("source"),
        FieldPanel("notes"),
        FieldPanel("blank_form"),
        FieldPanel("sample"),
        FieldPanel("electronic_licence"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("code"),
    ]

    class Meta:
        verbose_name = "材料"
        verbose_name_plural = "材料目录"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}（{self.code}）"


class MagazineColumn(models.Model):
    """A column (栏目) of the e-magazine, e.g. 改革动态, 窗口之星."""

    name = models.CharField("栏目名称", max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    panels = [FieldPanel("name"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = "刊物栏目"
        verbose_name_plural = "刊物栏目"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

"""The repeated elements of a guide, each a row the guide's revisions carry (modelcluster):
legal bases, materials, handling situations, steps, special steps and FAQs."""

from django.db import models
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
)
from wagtail.api import APIField
from wagtail.models import Orderable

from cms.choices import (
    LegalBasisKind,
    Requirement,
    Validity,
)
from cms.models.guides import compression_rate, days_label
from cms.models.mixins import public_pages
from cms.models.policies import PolicyPage


class GuideLegalBasis(Orderable):
    """A legal basis (设定/实施/监管依据): title and article, optionally linked to a policy page."""

    guide = ParentalKey(
        "cms.ServiceGuidePage", related_name="legal_bases", on_delete=models.CASCADE
    )
    kind = models.CharField("依据类型", max_length=20, choices=LegalBasisKind.choices)
    title = models.CharField("法律法规名称", max_length=300)
    article = models.TextField("条款内容", blank=True)
    policy = models.ForeignKey(
        "cms.PolicyPage",
        verbose_name="关联政策文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cited_by",
    )

    panels = [FieldPanel("kind"), FieldPanel("title"), FieldPanel("article"), FieldPanel("policy")]
    api_fields = [
        APIField("kind_display"),
        APIField("title"),
        APIField("article"),
        APIField("policy_url"),
        APIField("policy_validity"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "法律依据"

    @property
    def kind_display(self):
        return self.get_kind_display()

    @cached_property
    def public_policy(self):
        """The linked policy while the public can open it (live, not private, not expired), else
        None. Lists of guides fill it for all their bases at once (see guide_rows)."""
        if not self.policy_id:
            return None
        return public_pages(PolicyPage.objects.filter(pk=self.policy_id)).first()

    @property
    def policy_url(self):
        return self.public_policy.url if self.public_policy else None

    @property
    def policy_validity(self):
        return self.policy.get_validity_display() if self.policy_id else None

    @property
    def is_repealed(self):
        return bool(self.policy_id and self.policy.validity == Validity.REPEALED)


class GuideMaterial(Orderable):
    """A material this guide asks for: the catalogue record plus this guide's terms."""

    guide = ParentalKey("cms.ServiceGuidePage", related_name="materials", on_delete=models.CASCADE)
    material = models.ForeignKey(
        "cms.Material", verbose_name="材料", on_delete=models.PROTECT, related_name="+"
    )
    copies = models.PositiveSmallIntegerField("份数", default=1)
    requirement = models.CharField(
        "必要性", max_length=20, choices=Requirement.choices, default=Requirement.REQUIRED
    )
    condition = models.CharField("适用情形说明", max_length=300, blank=True)
    legal_basis = models.CharField("材料依据", max_length=300, blank=True)

    panels = [
        FieldPanel("material"),
        FieldRowPanel([FieldPanel("copies"), FieldPanel("requirement")]),
        FieldPanel("condition"),
        FieldPanel("legal_basis"),
    ]
    api_fields = [
        APIField("code"),
        APIField("name"),
        APIField("form_display"),
        APIField("copies"),
        APIField("source"),
        APIField("notes"),
        APIField("electronic_licence"),
        APIField("requirement_display"),
        APIField("condition"),
        APIField("legal_basis"),
        APIField("blank_form_url"),
        APIField("sample_url"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "申请材料"

    @property
    def code(self):
        return self.material.code

    @property
    def name(self):
        return self.material.name

    @property
    def form_display(self):
        return self.material.get_form_display()

    @property
    def source(self):
        return self.material.source

    @property
    def notes(self):
        return self.material.notes

    @property
    def electronic_licence(self):
        return self.material.electronic_licence

    @property
    def requirement_display(self):
        return self.get_requirement_display()

    @property
    def blank_form_url(self):
        return self.material.blank_form.url if self.material.blank_form_id else None

    @property
    def sample_url(self):
        return self.material.sample.url if self.material.sample_id else None


class HandlingSituation(ClusterableModel, Orderable):
    """A handling situation (办理情形): its own materials, limit and fee."""

    guide = ParentalKey("cms.ServiceGuidePage", related_name="situations", on_delete=models.CASCADE)
    name = models.CharField("情形名称", max_length=200)
    description = models.TextField("情形说明", blank=True)
    materials = ParentalManyToManyField(
        "cms.Material",
        verbose_name="本情形所需材料",
        blank=True,
        related_name="+",
        help_text="从本指南的申请材料中选择适用于本情形的材料",
    )
    promised_days = models.PositiveSmallIntegerField("承诺时限（工作日）")
    legal_days = models.PositiveSmallIntegerField("法定时限（工作日）", null=True, blank=True)
    fee = models.CharField("收费", max_length=200, blank=True, help_text="留空表示与事项收费相同")

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("materials"),
        FieldRowPanel([FieldPanel("promised_days"), FieldPanel("legal_days")]),
        FieldPanel("fee"),
    ]
    api_fields = [
        APIField("id"),
        APIField("name"),
        APIField("description"),
        APIField("material_codes"),
        APIField("promised_days"),
        APIField("legal_days"),
        APIField("fee_text"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "办理情形"

    def __str__(self):
        return self.name

    @property
    def material_codes(self):
        return [material.code for material in self.materials.all()]

    @property
    def material_rows(self):
        """The guide's material rows (copies, requirement...) for the materials this situation names."""
        wanted = {material.pk for material in self.materials.all()}
        return [row for row in self.guide.materials.all() if row.material_id in wanted]

    @property
    def effective_legal_days(self):
        return self.legal_days if self.legal_days is not None else self.guide.legal_days

    @property
    def compression_rate(self):
        return compression_rate(self.effective_legal_days, self.promised_days)

    @property
    def fee_text(self):
        return self.fee or self.guide.fee_text

    @property
    def promised_days_label(self):
        return days_label(self.promised_days)

    @property
    def legal_days_label(self):
        return days_label(self.effective_legal_days)


class GuideStep(Orderable):
    """A step of the procedure (受理 → 审查 → 决定 → 送达)."""

    guide = ParentalKey("cms.ServiceGuidePage", related_name="steps", on_delete=models.CASCADE)
    name = models.CharField("环节名称", max_length=100)
    description = models.TextField("办理内容", blank=True)
    handler = models.CharField("办理人员", max_length=100, blank=True)
    time_limit = models.CharField("办理时限", max_length=50, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("handler"),
        FieldPanel("time_limit"),
    ]
    api_fields = [
        APIField("name"),
        APIField("description"),
        APIField("handler"),
        APIField("time_limit"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "办理环节"


class SpecialStep(Orderable):
    """A special procedure (特别程序: 听证, 检验, 专家评审...), with whether it counts in the limit."""

    guide = ParentalKey(
        "cms.ServiceGuidePage", related_name="special_steps", on_delete=models.CASCADE
    )
    name = models.CharField("特别程序名称", max_length=100)
    days = models.PositiveSmallIntegerField("时限（工作日）")
    counted_in_limit = models.BooleanField("计入办结时限", default=False)
    description = models.TextField("说明", blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("days"),
        FieldPanel("counted_in_limit"),
        FieldPanel("description"),
    ]
    api_fields = [
        APIField("name"),
        APIField("days"),
        APIField("counted_in_limit"),
        APIField("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "特别程序"


class GuideFAQ(Orderable):
    guide = ParentalKey("cms.ServiceGuidePage", related_name="faqs", on_delete=models.CASCADE)
    question = models.CharField("问题", max_length=300)
    answer = models.TextField("解答")

    panels = [FieldPanel("question"), FieldPanel("answer")]
    api_fields = [APIField("question"), APIField("answer")]

    class Meta(Orderable.Meta):
        verbose_name = "常见问题"

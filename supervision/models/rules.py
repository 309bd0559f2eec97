"""Scoring and ranking rules as versioned configuration (DOMAIN.md §3: the centre's own rules
change, so they live where managers can read and edit them, not in code).

Each row is one version. A bulletin records the version it was computed with and a copy of
its values; once a bulletin has used a version, that version can no longer be edited (a
manager copies it into a new version instead), so a past bulletin always states the rules it
really followed. The version in force for a month is the newest one effective on or before
the month's first day.

Versions are moderated (docs/supervision.md, "Who changes the rules"): Wagtail's drafts,
revisions, locking and a review workflow work *inside* this versioning, not instead of it.
A version proposed in the admin is a draft (not live) and no month uses it until it is
published; an edit to a version no bulletin has used yet is a draft revision until published;
the row always holds the published values, which is all scoring reads. Once a bulletin has
used a version, neither a new draft nor an older one may change it.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin

from supervision.choices import FindingCategory, Rating
from supervision.panels import RulesReachPanel


def points(label, default, **kwargs):
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=1,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal(0))],
        **kwargs,
    )


class TieBreak(models.TextChoices):
    """What decides between units with the same score, in order. Units equal on every key
    share the rank (1, 1, 3)."""

    SATISFACTION_FINDINGS = "satisfaction,findings", "满意率高者在前，再比巡查问题少者"
    FINDINGS_SATISFACTION = "findings,satisfaction", "巡查问题少者在前，再比满意率高者"
    SATISFACTION_EVALUATIONS = "satisfaction,evaluations", "满意率高者在前，再比评价数多者"


# Finding category → the field holding its standard deduction.
CATEGORY_FIELDS = {category: f"deduct_{category}" for category in FindingCategory.values}


USED_MESSAGE = (
    "本版本已用于生成简报，不能再修改，以免已发布的简报与规则不符。请复制为新版本后修改。"
)


class ScoringRules(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    name = models.CharField("版本名称", max_length=100, help_text="如 2026年考评细则")
    effective_from = models.DateField("生效日期", help_text="从该日所在月份起的月度考评使用本版本")
    notes = models.TextField("修订说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    first_used_at = models.DateTimeField("首次用于简报", null=True, editable=False)

    base_score = points("基础分", "100")

    deduct_attendance = points("考勤（每项）", "1")
    deduct_etiquette = points("服务礼仪（每项）", "1")
    deduct_discipline = points("工作纪律（每项）", "2")
    deduct_first_asked = points("首问负责（每项）", "2")
    deduct_tell_once = points("一次告知（每项）", "2")
    deduct_time_limit = points("限时办结（每项）", "2")
    deduct_ab_post = points("AB岗（每项）", "2")
    deduct_accountability = points("责任追究（每项）", "3")
    deduct_environment = points("办公环境（每项）", "0.5")

    deduct_overdue_case = points("超期办件（每件）", "1", help_text="超过承诺时限办结或仍未办结")
    deduct_red_case = points("红灯办件（每件）", "3", help_text="超过法定时限，另扣，不与超期抵消")
    deduct_bad_review = points("差评（每条）", "2", help_text="申诉成立的差评不扣分")

    satisfied_from = models.PositiveSmallIntegerField(
        "计为满意的最低等级",
        choices=Rating.choices,
        default=Rating.SATISFIED,
        help_text="满意率 = 达到该等级的评价数 ÷ 有效评价数（不含申诉成立的差评）",
    )
    satisfaction_target = models.DecimalField(
        "满意率基准（%）",
        max_digits=5,
        decimal_places=2,
        default=Decimal("95"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    satisfaction_points = points("满意率每高出/低于基准1个百分点加/减分", "0.5")
    minimum_sample = models.PositiveIntegerField(
        "满意率最低样本数", default=30, help_text="评价数不足时不计满意率加减分，简报注明“样本不足”"
    )

    yellow_within_days = models.PositiveSmallIntegerField(
        "黄灯预警提前工作日数", default=2, help_text="距承诺办结日不足该工作日数（或已超期）亮黄灯"
    )
    tie_break = models.CharField(
        "同分排序", max_length=40, choices=TieBreak.choices, default=TieBreak.SATISFACTION_FINDINGS
    )
    red_flag_min_score = points(
        "流动红旗最低得分",
        "95",
        help_text="排名第一的窗口得分不低于此分且当月无红灯办件，授予流动红旗",
    )
    warn_below_score = points(
        "末位预警分数线", "90", help_text="连续两个月排名末位且得分均低于此分的单位列入督办"
    )
    commend_top = models.PositiveSmallIntegerField(
        "通报表扬名次",
        default=3,
        validators=[MaxValueValidator(20)],
        help_text="月度排名前几名的窗口予以通报表扬（0 为不表扬）",
    )
    commend_min_score = points("通报表扬最低得分", "100", help_text="得分不低于此分方予表扬")

    panels = [
        RulesReachPanel(),
        FieldPanel("name"),
        FieldPanel("effective_from"),
        FieldPanel("notes"),
        FieldPanel("base_score"),
        MultiFieldPanel(
            [FieldPanel(field) for field in CATEGORY_FIELDS.values()],
            heading="巡查问题标准扣分（问题未注明扣分时使用）",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("deduct_overdue_case"), FieldPanel("deduct_red_case")]),
                FieldPanel("deduct_bad_review"),
                FieldPanel("yellow_within_days"),
            ],
            heading="办件与差评",
        ),
        MultiFieldPanel(
            [
                FieldPanel("satisfied_from"),
                FieldRowPanel(
                    [FieldPanel("satisfaction_target"), FieldPanel("satisfaction_points")]
                ),
                FieldPanel("minimum_sample"),
            ],
            heading="满意率",
        ),
        MultiFieldPanel(
            [
                FieldPanel("tie_break"),
                FieldPanel("red_flag_min_score"),
                FieldPanel("warn_below_score"),
                FieldRowPanel([FieldPanel("commend_top"), FieldPanel("commend_min_score")]),
            ],
            heading="排名、流动红旗、表扬与末位预警",
        ),
    ]

    class Meta:
        verbose_name = "考评规则"
        verbose_name_plural = "考评规则"
        ordering = ["-effective_from", "-pk"]

    def __str__(self):
        return f"第{self.version}版 {self.name}（{self.effective_from:%Y-%m-%d} 起）"

    def save(self, *args, update_fields=None, **kwargs):
        # Publishing writes the whole row: refuse it over a used version (a draft saved before
        # the version's first bulletin would otherwise change what that bulletin followed).
        if self.pk and update_fields is None:
            stored = type(self).objects.filter(pk=self.pk, first_used_at__isnull=False).first()
            if stored is not None and self.rule_values() != stored.rule_values():
                raise ValidationError(USED_MESSAGE)
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def version(self):
        return self.pk or "新"

    def deduction_for(self, category):
        return getattr(self, CATEGORY_FIELDS[category])

    def clean(self):
        if self.pk and self.first_used_at:
            raise ValidationError(USED_MESSAGE)

    def with_content_json(self, content):
        # A bulletin's use is a fact about the row, not about a draft written before it.
        obj = super().with_content_json(content)
        obj.first_used_at = self.first_used_at
        return obj

    def rule_values(self):
        """The version's own values (not moderation's fields, which are Wagtail's)."""
        moderation = {
            field.name
            for mixin in (WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin)
            for field in mixin._meta.fields
        }
        return {
            field.attname: getattr(self, field.attname)
            for field in self._meta.concrete_fields
            if field.editable and field.name not in moderation
        }

    @classmethod
    def in_force(cls, day):
        """The published version in force on `day`, or None when none starts on or before it."""
        versions = cls.objects.filter(live=True, effective_from__lte=day)
        return versions.order_by("-effective_from", "-pk").first()

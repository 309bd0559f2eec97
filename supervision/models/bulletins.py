"""Bulletins (督查简报), who receives them, and what was sent to whom.

A bulletin is one (kind, period, edition): the unique constraint is what makes a re-run, a
double run or a restart after a crash produce it once. Edition 1 is the original; a corrected
edition (更正版, supervision.bulletins.editions.reissue) is a new row with the same issue
number, and the older one stays in the archive, marked superseded. Its figures are stored with
it (`content`, plain JSON) before the PDF is rendered from them, so the PDF can always be
rendered again and reads the same, whatever happens to the hall data or the rules afterwards.

Before making a bulletin the scheduled job waits for its data (supervision.bulletins.readiness)
up to the deadline of 简报设置 (`BulletinSettings`); a manager may confirm a period's data
complete (`DataConfirmation`) when a source legitimately has nothing.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from publications.files import private_storage
from supervision.choices import BulletinKind, DeliveryStatus


class Bulletin(models.Model):
    kind = models.CharField("简报类型", max_length=10, choices=BulletinKind.choices)
    period_start = models.DateField("统计起始日")
    period_end = models.DateField("统计截止日")
    issue_number = models.PositiveIntegerField("期号", help_text="每类简报每年从第1期编起")
    title = models.CharField("标题", max_length=200)
    rules = models.ForeignKey(
        "supervision.ScoringRules",
        verbose_name="考评规则版本",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bulletins",
    )
    content = models.JSONField("统计结果", help_text="生成时计算并保存的全部数字，PDF 据此排版")
    # Confidential: stored under PRIVATE_ROOT, outside the public media folder, and served
    # only by the archive's permission-checking view (publications/files.py).
    pdf = models.FileField("PDF", upload_to="bulletins/%Y/", storage=private_storage, blank=True)
    pdf_sha256 = models.CharField("PDF SHA-256", max_length=64, blank=True)
    pages = models.PositiveSmallIntegerField("页数", null=True, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    # Set once every subscriber's delivery has been queued and tried; until then the
    # scheduled job finishes the bulletin (its PDF, the red flag, the emails) on its next run.
    delivered_at = models.DateTimeField("分发时间", null=True, blank=True)
    edition = models.PositiveSmallIntegerField(
        "版次", default=1, help_text="1 为原版；更正版依次为 2、3……，期号不变"
    )
    # A corrected edition: why, what moved against the edition before (worded, as printed in
    # its 本期更正说明), and who asked (empty: the scheduled job, after late data).
    correction_reason = models.CharField("更正原因", max_length=500, blank=True)
    changes = models.JSONField("更正内容", default=list, blank=True)
    reissued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更正人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    superseded_at = models.DateTimeField("被更正时间", null=True, blank=True)
    # The sources whose data was not in when the bulletin was made past its deadline
    # (readiness.SourceState.as_stored): the PDF says 数据不完整 and names them.
    missing_data = models.JSONField("生成时缺少的数据", default=list, blank=True)
    # Set when the missing data came in and changed nothing: no corrected edition is needed.
    data_completed_at = models.DateTimeField("数据补齐时间", null=True, blank=True)

    class Meta:
        verbose_name = "督查简报"
        verbose_name_plural = "督查简报"
        ordering = ["-period_start", "kind", "-edition"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_start", "edition"],
                name="one_bulletin_per_kind_period_and_edition",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_current(self):
        return self.superseded_at is None

    @property
    def issue_label(self):
        """第3期, or 第3期（更正版，第2版） for a corrected edition."""
        if self.edition > 1:
            return f"第{self.issue_number}期（更正版，第{self.edition}版）"
        return f"第{self.issue_number}期"


class BulletinExtract(models.Model):
    """A department's own extract of a bulletin (部门专报): the same stored content filtered
    to the departments' windows, findings, bad reviews and cases, rendered once per
    (bulletin, set of departments) and kept like the bulletin's PDF, so a delivery can say
    which file it sent (supervision.bulletins.extracts)."""

    bulletin = models.ForeignKey(
        Bulletin, verbose_name="简报", on_delete=models.CASCADE, related_name="extracts"
    )
    # The departments' ids, ascending, joined by commas ("3,7"): the extract's identity.
    departments_key = models.CharField("部门", max_length=200)
    department_names = models.CharField("部门名称", max_length=500)
    pdf = models.FileField("PDF", upload_to="bulletins/%Y/", storage=private_storage)
    pdf_sha256 = models.CharField("PDF SHA-256", max_length=64)
    pages = models.PositiveSmallIntegerField("页数")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "部门专报"
        verbose_name_plural = "部门专报"
        constraints = [
            models.UniqueConstraint(
                fields=["bulletin", "departments_key"], name="one_extract_per_department_set"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return f"{self.bulletin.title}·{self.department_names}专报"

    @property
    def department_ids(self):
        return [int(pk) for pk in self.departments_key.split(",")]


class Subscription(models.Model):
    """A manager receives a kind of bulletin by email, and may open its archive."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="bulletin_subscriptions",
    )
    kind = models.CharField("简报类型", max_length=10, choices=BulletinKind.choices)
    departments = models.ManyToManyField(
        "cms.Department",
        verbose_name="关注部门",
        blank=True,
        help_text="留空：每期都接收全文；选择部门：只接收这些部门的专报（本部门的窗口、问题、差评、办件和排名），日报、周报只在涉及这些部门（有问题、差评或红灯办件）时发送，月度通报每期都发送",
    )
    active = models.BooleanField("启用", default=True)

    panels = [
        FieldPanel("user"),
        FieldPanel("kind"),
        FieldPanel("departments"),
        FieldPanel("active"),
    ]

    class Meta:
        verbose_name = "简报订阅"
        verbose_name_plural = "简报订阅"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_subscription_per_kind")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()}"


class Delivery(models.Model):
    """One bulletin to one address. Unique per (bulletin, address): however often delivery
    runs, an address gets a bulletin once; a failed send is retried on the next run."""

    bulletin = models.ForeignKey(
        Bulletin, verbose_name="简报", on_delete=models.CASCADE, related_name="deliveries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    email = models.EmailField("邮箱")
    status = models.CharField(
        "状态", max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近错误", blank=True)
    claimed_at = models.DateTimeField("开始发送", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    pdf_sha256 = models.CharField("所发 PDF 的 SHA-256", max_length=64, blank=True)
    # The department extract sent instead of the whole bulletin; empty: the whole bulletin.
    extract = models.ForeignKey(
        BulletinExtract,
        verbose_name="所发部门专报",
        # An extract goes only with its bulletin (which takes its deliveries along).
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    is_test = models.BooleanField("测试发送", default=False)

    class Meta:
        verbose_name = "发送记录"
        verbose_name_plural = "发送记录"
        ordering = ["-bulletin__period_start", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["bulletin", "email"],
                condition=models.Q(is_test=False),
                name="one_delivery_per_bulletin_and_address",
            )
        ]

    def __str__(self):
        return f"{self.bulletin} → {self.email}（{self.get_status_display()}）"


class DataConfirmation(models.Model):
    """A manager's word that a period's data is complete (数据已齐) although a source has no
    record on the period's last working day — a day without patrols, a quiet week. One per
    (kind, period), for all its sources at once: the dashboard shows what is missing next to
    the button, so the manager confirms knowing what; `missing` keeps what that was."""

    kind = models.CharField("简报类型", max_length=10, choices=BulletinKind.choices)
    period_start = models.DateField("统计起始日")
    missing = models.CharField("确认时缺少的数据", max_length=500, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认时间", auto_now_add=True)

    class Meta:
        verbose_name = "数据已齐确认"
        verbose_name_plural = "数据已齐确认"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_start"], name="one_data_confirmation_per_period"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_start:%Y-%m-%d} 数据已齐"


@register_setting(icon="mail")
class BulletinSettings(BaseGenericSetting):
    """简报设置: how long the scheduled job waits for a period's data before making the bulletin
    anyway, marked 数据不完整 (supervision.bulletins.readiness). Counted from the schedule's time
    (定时任务): a daily bulletin is read that morning, so by 10:00 it must be out; a weekly
    summary may wait for Monday's exports until Tuesday; the monthly ranking is the one that
    matters most, and the hall's systems export a month in its first working days — three days
    cover a 1st that falls on a weekend, not the National Day week (raise it in October).

    One for the installation, not per site: the jobs run without a request, and a centre has
    one set of bulletins whatever sites serve its portal."""

    daily_wait_hours = models.PositiveSmallIntegerField(
        "每日督查通报最多等待（小时）",
        default=2,
        validators=[MaxValueValidator(24, message="日报最多等待24小时：再晚就到下一期了。")],
        help_text="从定时任务时间（默认每个工作日8:00）起算；0 表示不等待",
    )
    weekly_wait_hours = models.PositiveSmallIntegerField(
        "每周督查小结最多等待（小时）",
        default=24,
        validators=[MaxValueValidator(7 * 24, message="周报最多等待7天（168小时）。")],
        help_text="从定时任务时间（默认每周一8:30）起算",
    )
    monthly_wait_hours = models.PositiveSmallIntegerField(
        "月度考评排名通报最多等待（小时）",
        default=72,
        validators=[MaxValueValidator(20 * 24, message="月报最多等待20天（480小时）。")],
        help_text="从定时任务时间（默认每月1日9:00）起算",
    )

    panels = [
        HelpPanel(
            "数据未导入齐全时，定时任务每15分钟检查一次，直至数据齐全或超过下列时间；"
            "超时后按现有数据生成并发送，简报注明“数据不完整”并告警；数据补齐后自动发送更正版。"
        ),
        FieldPanel("daily_wait_hours"),
        FieldPanel("weekly_wait_hours"),
        FieldPanel("monthly_wait_hours"),
    ]

    class Meta:
        verbose_name = "简报设置"
        verbose_name_plural = "简报设置"

    @classmethod
    def wait_for(cls, kind):
        """How long the job waits for `kind`'s data; the defaults while none is saved."""
        field = f"{kind}_wait_hours"
        saved = cls.objects.values_list(field, flat=True).first()
        hours = saved if saved is not None else cls._meta.get_field(field).default
        return datetime.timedelta(hours=hours)

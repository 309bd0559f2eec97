"""Bulletins (督查简报), who receives them, and what was sent to whom.

A bulletin is one (kind, period): the unique constraint is what makes a re-run, a double run
or a restart after a crash produce it once. Its figures are stored with it (`content`, plain
JSON) before the PDF is rendered from them, so the PDF can always be rendered again and reads
the same, whatever happens to the hall data or the rules afterwards.
"""

from django.conf import settings
from django.db import models
from wagtail.admin.panels import FieldPanel

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

    class Meta:
        verbose_name = "督查简报"
        verbose_name_plural = "督查简报"
        ordering = ["-period_start", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_start"], name="one_bulletin_per_kind_and_period"
            )
        ]

    def __str__(self):
        return self.title


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

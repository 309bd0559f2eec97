"""What the hall's systems record: staff, inspection rounds and their findings, citizens'
evaluations (好差评) and cases (办件).

Each record the hall's systems export carries its own number (工号, 问题编号, 评价编号, 办件编号):
that is the natural key imports match on, so importing the same file twice adds nothing.
Department is stored on every finding, evaluation and case (not only reached through the
window) because a comprehensive window serves several departments and rankings group by both.
"""

from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models.functions import Upper
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from publications.files import finding_photo_storage
from supervision.choices import Appeal, Channel, FindingCategory, InspectionKind, Rating


class Staff(models.Model):
    number = models.CharField("工号", max_length=32, unique=True)
    name = models.CharField("姓名", max_length=50)
    window = models.ForeignKey(
        "cms.ServiceWindow",
        verbose_name="所在窗口",
        on_delete=models.PROTECT,
        related_name="staff",
        null=True,
        blank=True,
    )
    department = models.ForeignKey(
        "cms.Department", verbose_name="所属部门", on_delete=models.PROTECT, related_name="staff"
    )
    active = models.BooleanField("在岗", default=True)

    panels = [
        FieldPanel("number"),
        FieldPanel("name"),
        FieldPanel("window"),
        FieldPanel("department"),
        FieldPanel("active"),
    ]

    class Meta:
        verbose_name = "窗口工作人员"
        verbose_name_plural = "窗口工作人员"
        ordering = ["number"]

    def __str__(self):
        return f"{self.name}（{self.number}）"


class InspectionRound(models.Model):
    """One patrol of the hall (巡查). A round with no finding is a fact too: the daily
    bulletin then says "未发现问题" instead of staying silent."""

    date = models.DateField("巡查日期")
    kind = models.CharField(
        "巡查类型", max_length=16, choices=InspectionKind.choices, default=InspectionKind.DAILY
    )
    inspectors = models.CharField("巡查人员", max_length=100, blank=True)
    note = models.TextField("巡查情况", blank=True)

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("kind")]),
        FieldPanel("inspectors"),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = "巡查记录"
        verbose_name_plural = "巡查记录"
        ordering = ["-date", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["date", "kind"], name="one_round_per_day_and_kind")
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"


class Finding(models.Model):
    """A problem found on a round, with the points it costs and when it must be fixed."""

    number = models.CharField("问题编号", max_length=40, unique=True)
    round = models.ForeignKey(
        InspectionRound, verbose_name="巡查", on_delete=models.CASCADE, related_name="findings"
    )
    window = models.ForeignKey(
        "cms.ServiceWindow", verbose_name="窗口", on_delete=models.PROTECT, related_name="findings"
    )
    department = models.ForeignKey(
        "cms.Department", verbose_name="部门", on_delete=models.PROTECT, related_name="findings"
    )
    staff = models.ForeignKey(
        Staff,
        verbose_name="工作人员",
        on_delete=models.PROTECT,
        related_name="findings",
        null=True,
        blank=True,
    )
    category = models.CharField("问题类别", max_length=20, choices=FindingCategory.choices)
    description = models.TextField("问题描述")
    # Blank: the standard deduction of the category in the scoring rules applies. An inspector
    # fills it in only for a finding graver (or lighter) than the standard.
    deduction = models.DecimalField(
        "扣分",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="留空按考评规则的类别标准扣分",
    )
    # Confidential like the rest of the hall data: not a Wagtail image (those are public under
    # /media/ and in every editor's image library) but a private file that only the
    # permission-checking view supervision_finding_photo hands out (publications/files.py).
    photo = models.ImageField(
        "现场照片",
        upload_to="findings/%Y/",
        storage=finding_photo_storage,
        blank=True,
        # Empty both ways: the importers' writers read it from instances, the demo's inserts
        # leave the column out.
        default="",
        db_default="",
        # Photos only: the view serves a file as the type its extension names.
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"])],
        help_text="仅督查管理人员可见，不进入公开图片库",
    )
    fix_deadline = models.DateField("整改期限", null=True, blank=True)
    fixed_at = models.DateTimeField("整改完成时间", null=True, blank=True)

    panels = [
        FieldPanel("number"),
        FieldPanel("round"),
        FieldRowPanel([FieldPanel("window"), FieldPanel("department"), FieldPanel("staff")]),
        FieldPanel("category"),
        FieldPanel("description"),
        FieldPanel("deduction"),
        FieldPanel("photo"),
        FieldRowPanel([FieldPanel("fix_deadline"), FieldPanel("fixed_at")]),
    ]

    class Meta:
        verbose_name = "巡查问题"
        verbose_name_plural = "巡查问题"
        ordering = ["-round__date", "number"]
        indexes = [
            # The importer matches a file's 问题编号 ignoring case (ck-01 finds CK-01): one
            # look-up per batch of UPPER(number) IN (…), which without this index scans the table.
            models.Index(Upper("number"), name="finding_number_upper"),
        ]

    def __str__(self):
        return f"{self.number} {self.get_category_display()}"


class Evaluation(models.Model):
    """One citizen's rating of one case (一事一评)."""

    number = models.CharField("评价编号", max_length=40, unique=True)
    case_number = models.CharField("办件编号", max_length=40, blank=True, db_index=True)
    window = models.ForeignKey(
        "cms.ServiceWindow",
        verbose_name="窗口",
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    department = models.ForeignKey(
        "cms.Department", verbose_name="部门", on_delete=models.PROTECT, related_name="evaluations"
    )
    staff = models.ForeignKey(
        Staff,
        verbose_name="工作人员",
        on_delete=models.PROTECT,
        related_name="evaluations",
        null=True,
        blank=True,
    )
    channel = models.CharField("评价渠道", max_length=10, choices=Channel.choices)
    rating = models.PositiveSmallIntegerField("评价等级", choices=Rating.choices)
    comment = models.TextField("评价内容", blank=True)
    evaluated_at = models.DateTimeField("评价时间")
    appeal = models.CharField(
        "申诉状态", max_length=10, choices=Appeal.choices, default=Appeal.NONE
    )
    # A bad review must be followed up (回访整改); the monthly bulletin lists what was done.
    follow_up = models.TextField("差评整改情况", blank=True)

    panels = [
        FieldPanel("number"),
        FieldPanel("case_number"),
        FieldRowPanel([FieldPanel("window"), FieldPanel("department"), FieldPanel("staff")]),
        FieldRowPanel([FieldPanel("channel"), FieldPanel("rating"), FieldPanel("evaluated_at")]),
        FieldPanel("comment"),
        MultiFieldPanel([FieldPanel("appeal"), FieldPanel("follow_up")], heading="申诉与整改"),
    ]

    class Meta:
        verbose_name = "好差评"
        verbose_name_plural = "好差评"
        ordering = ["-evaluated_at"]
        indexes = [
            # Monthly scoring reads one month of evaluations grouped by window or department:
            # everything it needs is in the index (5 million rows a year, measured in bench/).
            models.Index(
                fields=["evaluated_at", "window", "department", "rating", "appeal"],
                name="evaluation_scoring",
            ),
            # The importer matches a file's 评价编号 ignoring case (ck-01 finds CK-01): one
            # look-up per batch of UPPER(number) IN (…), which without this index scans the table.
            models.Index(Upper("number"), name="evaluation_number_upper"),
        ]

    def __str__(self):
        return f"{self.number} {self.get_rating_display()}"


class Case(models.Model):
    """One application (办件) from acceptance to completion.

    Limits are in working days counted from the day after acceptance (受理之日起); the due dates
    they give on the working-day calendar are stored, so lights and overdue counts are date
    comparisons in the database. They are recomputed when the calendar changes
    (supervision.workdays.refresh_case_due_dates).
    """

    number = models.CharField("办件编号", max_length=40, unique=True)
    item_code = models.CharField("事项编码", max_length=64, db_index=True)
    item_name = models.CharField("事项名称", max_length=200, blank=True)
    window = models.ForeignKey(
        "cms.ServiceWindow", verbose_name="受理窗口", on_delete=models.PROTECT, related_name="cases"
    )
    department = models.ForeignKey(
        "cms.Department", verbose_name="部门", on_delete=models.PROTECT, related_name="cases"
    )
    accepted_at = models.DateTimeField("受理时间")
    promised_days = models.PositiveSmallIntegerField("承诺时限（工作日）")
    legal_days = models.PositiveSmallIntegerField("法定时限（工作日）")
    completed_at = models.DateTimeField("办结时间", null=True, blank=True)
    promised_due = models.DateField("承诺办结日", editable=False)
    legal_due = models.DateField("法定办结日", editable=False)

    panels = [
        FieldPanel("number"),
        FieldRowPanel([FieldPanel("item_code"), FieldPanel("item_name")]),
        FieldRowPanel([FieldPanel("window"), FieldPanel("department")]),
        FieldPanel("accepted_at"),
        FieldRowPanel([FieldPanel("promised_days"), FieldPanel("legal_days")]),
        FieldPanel("completed_at"),
    ]

    class Meta:
        verbose_name = "办件"
        verbose_name_plural = "办件"
        ordering = ["-accepted_at"]
        indexes = [
            models.Index(fields=["promised_due"], name="case_promised_due"),
            models.Index(fields=["legal_due"], name="case_legal_due"),
            models.Index(fields=["accepted_at"], name="case_accepted_at"),
            models.Index(fields=["completed_at"], name="case_completed_at"),
            # The importer matches a file's 办件编号 ignoring case (ck-01 finds CK-01): one
            # look-up per batch of UPPER(number) IN (…), which without this index scans the table.
            models.Index(Upper("number"), name="case_number_upper"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(promised_days__lte=models.F("legal_days")),
                name="promise_within_legal_limit",
                violation_error_message="承诺时限不能超过法定时限。",
            )
        ]

    def __str__(self):
        return f"{self.number} {self.item_name or self.item_code}"

    def save(self, *args, **kwargs):
        from supervision.workdays import WorkingCalendar

        calendar = WorkingCalendar.load()
        self.promised_due, self.legal_due = calendar.due_dates(
            self.accepted_at, self.promised_days, self.legal_days
        )
        super().save(*args, **kwargs)

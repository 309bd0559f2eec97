"""The public ranking notice (评比公示): a month's window and department ranking as a manager
approved it for the hall's notice board and the portal (每月通报考核结果，在窗口服务公示栏对外公示).

The monthly bulletin stays confidential; a notice is a copy of its public part only, taken
from an allow-list of fields when a manager approves it (supervision.notices.public_content),
so nothing added to the bulletin later can reach the public by accident. A month has at most
one notice in force; a withdrawn one stays on record (who, when, why) and is public nowhere.
"""

from django.conf import settings
from django.db import models

from publications.files import private_storage


class RankingNoticeQuerySet(models.QuerySet):
    def in_force(self):
        """Notices the public may see: approved and not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class RankingNotice(models.Model):
    month = models.DateField("月份", help_text="该月第一天")
    bulletin = models.ForeignKey(
        "supervision.Bulletin",
        verbose_name="所据月度通报",
        on_delete=models.PROTECT,
        related_name="notices",
    )
    title = models.CharField("标题", max_length=200)
    content = models.JSONField(
        "公示内容", help_text="审核时从月度通报复制的公开字段：排名、得分、流动红旗、通报表扬"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    approved_at = models.DateTimeField("公示时间")
    publicity_ends = models.DateField("公示期截止日")
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤回人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_reason = models.CharField("撤回原因", max_length=200, blank=True)
    # The printed notice, rendered on first request and kept (publications.pdf). In private
    # storage: it is served only by the public view, and only while the notice is in force.
    pdf = models.FileField("PDF", upload_to="pingbi/%Y/", storage=private_storage, blank=True)

    objects = RankingNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = "评比公示"
        verbose_name_plural = "评比公示"
        ordering = ["-month", "-approved_at"]
        permissions = [("approve_rankingnotice", "可以审核、撤回评比公示")]
        constraints = [
            models.UniqueConstraint(
                fields=["month"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_ranking_notice_in_force_per_month",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def in_force(self):
        return self.withdrawn_at is None

    @property
    def slug(self):
        """The month in the public address: /pingbi/2026-10/."""
        return f"{self.month:%Y-%m}"

"""The last check of each external link the guides carry (外部链接检查), written by the
scheduled job of cms.audit.links and read by the guide audit: the audit never opens a
network connection itself."""

from django.db import models


class LinkCheck(models.Model):
    url = models.URLField("链接地址", max_length=2000, unique=True)
    checked_at = models.DateTimeField("最近检查时间", null=True, blank=True)
    status_code = models.PositiveSmallIntegerField("HTTP 状态码", null=True, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)
    failures = models.PositiveSmallIntegerField("连续失败次数", default=0)
    is_dead = models.BooleanField("已失效", default=False, db_index=True)

    class Meta:
        verbose_name = "外部链接检查"
        verbose_name_plural = "外部链接检查"

    def __str__(self):
        return self.url

    @property
    def outcome(self):
        """What the last check met, as an editor reads it: "HTTP 404" or the error."""
        if self.status_code:
            return f"HTTP {self.status_code}"
        return self.error or "未检查"

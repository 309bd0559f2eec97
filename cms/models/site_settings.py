"""Settings a centre's managers change in the admin (设置 menu), one row per site.

Wagtail site settings: https://docs.wagtail.org/en/stable/reference/contrib/settings.html
Saving one changes the site's content version (cms.caching.invalidation covers every cms
model), so cached pages pick up a new value at once. Public pages read them without creating
a row: Wagtail's `for_request` creates one on first use, and that save would empty the page
cache from a visitor's request.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site

KIOSK_IDLE_MIN_SECONDS = 30
KIOSK_IDLE_MAX_SECONDS = 1800


@register_setting(icon="desktop")
class KioskSettings(BaseSiteSetting):
    """The hall kiosk (自助终端): when an unattended screen goes back to its start screen, so
    the next visitor never finds the last one's guide (or situation) still open."""

    idle_return_seconds = models.PositiveIntegerField(
        "自助终端空闲返回时间（秒）",
        default=120,
        validators=[
            MinValueValidator(
                KIOSK_IDLE_MIN_SECONDS,
                message="空闲返回时间不能少于30秒：太短会打断正在阅读的群众。",
            ),
            MaxValueValidator(
                KIOSK_IDLE_MAX_SECONDS,
                message="空闲返回时间不能超过1800秒（30分钟）：太长会把上一位群众的页面留给下一位。",
            ),
        ],
        help_text="无人触摸、按键或滚动达到该时间后，自助终端自动返回首页（30–1800秒）。"
        "返回前10秒显示倒计时和“继续浏览”按钮。",
    )

    @classmethod
    def idle_return_seconds_for(cls, request):
        """The saved idle time of the request's site, or the default while none is saved."""
        site = Site.find_for_request(request)
        saved = cls.objects.filter(site=site).values_list("idle_return_seconds", flat=True)
        return saved.first() or cls._meta.get_field("idle_return_seconds").default

    class Meta:
        verbose_name = "自助终端设置"
        verbose_name_plural = "自助终端设置"

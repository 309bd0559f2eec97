"""The portal's home page: the door to every publication."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from cms.models.mixins import PublicPageMixin, public_pages

HIGH_FREQUENCY_ON_HOME = 12
POLICIES_ON_HOME = 6


class HomePage(PublicPageMixin, Page):
    hero_title = models.CharField("横幅标题", max_length=100, default="一网通办 · 一次办好")
    hero_subtitle = models.CharField("横幅副标题", max_length=200, blank=True)
    notice = models.CharField(
        "通知公告", max_length=300, blank=True, help_text="如 国庆假期办事大厅开放时间调整"
    )
    featured_gallery = models.ForeignKey(
        "cms.GalleryPage",
        verbose_name="首页展示的窗口风采",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hall_address = models.CharField("大厅地址", max_length=200, blank=True)
    hall_hours = models.CharField("大厅开放时间", max_length=200, blank=True)
    hotline = models.CharField("服务热线", max_length=50, blank=True, default="12345")

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_subtitle"),
        FieldPanel("notice"),
        FieldPanel("featured_gallery"),
        FieldPanel("hall_address"),
        FieldPanel("hall_hours"),
        FieldPanel("hotline"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.CatalogueIndexPage",
        "cms.OneThingIndexPage",
        "cms.PolicyIndexPage",
        "cms.GalleryIndexPage",
        "cms.MagazinePage",
    ]
    max_count = 1
    template = "cms/home_page.html"

    class Meta:
        verbose_name = "首页"

    def get_context(self, request, *args, **kwargs):
        from cms.models import (
            CatalogueIndexPage,
            GalleryPage,
            MagazineIssuePage,
            OneThingPage,
            PolicyPage,
            ServiceGuidePage,
            Theme,
        )

        context = super().get_context(request, *args, **kwargs)
        site_pages = lambda model: public_pages(model.objects.descendant_of(self))  # noqa: E731
        context.update(
            catalogue=site_pages(CatalogueIndexPage).first(),
            high_frequency=site_pages(ServiceGuidePage)
            .filter(high_frequency=True)
            .order_by("implementation_code")[:HIGH_FREQUENCY_ON_HOME],
            themes=Theme.objects.filter(live=True),  # not a new theme's first draft
            bundles=site_pages(OneThingPage).order_by("path")[:10],
            policies=site_pages(PolicyPage).order_by("-issued_on")[:POLICIES_ON_HOME],
            latest_issue=site_pages(MagazineIssuePage).order_by("-published_on").first(),
            gallery=(
                site_pages(GalleryPage).filter(pk=self.featured_gallery_id).first()
                or site_pages(GalleryPage).order_by("-first_published_at").first()
            ),
        )
        return context

"""The centre's e-magazine (电子刊物): magazine → issue → article, articles by column (栏目)."""

from itertools import groupby

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms import channels
from cms.blocks import BodyBlock
from cms.models.mixins import ChannelPreviewMixin, FeedsMixin, PublicPageMixin, public_pages


class MagazinePage(PublicPageMixin, FeedsMixin, Page):
    intro = models.TextField("刊物简介", blank=True)
    sponsor = models.CharField("主办单位", max_length=100, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("sponsor")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.MagazineIssuePage"]
    template = "cms/magazine_page.html"

    class Meta:
        verbose_name = "电子刊物"
        verbose_name_plural = "电子刊物"

    def issues(self):
        return public_pages(MagazineIssuePage.objects.child_of(self)).order_by("-published_on")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["issues"] = self.issues()
        return context


class MagazineIssuePage(PublicPageMixin, ChannelPreviewMixin, RoutablePageMixin, Page):
    """One issue, e.g. 2026年第3期 (总第27期)."""

    issue_number = models.PositiveSmallIntegerField("当年期号")
    total_number = models.PositiveIntegerField("总期号", null=True, blank=True)
    published_on = models.DateField("出版日期")
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="封面",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    editors_note = models.TextField("卷首语", blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("issue_number"),
        FieldPanel("total_number"),
        FieldPanel("published_on"),
        FieldPanel("cover"),
        FieldPanel("editors_note"),
    ]
    parent_page_types = ["cms.MagazinePage"]
    subpage_types = ["cms.MagazineArticlePage"]
    template = "cms/magazine_issue_page.html"
    preview_channels = {"pdf": "PDF 版"}
    api_fields = [
        APIField("issue_number"),
        APIField("total_number"),
        APIField("published_on"),
        APIField("editors_note"),
    ]

    class Meta:
        verbose_name = "刊物期次"
        verbose_name_plural = "刊物期次"

    def articles(self):
        return (
            public_pages(MagazineArticlePage.objects.child_of(self))
            .select_related("column")
            .order_by("column__sort_order", "column__name", "path")
        )

    def articles_by_column(self):
        """[(column, [article, ...]), ...] in the columns' order."""
        return [
            (column, list(items))
            for column, items in groupby(self.articles(), key=lambda a: a.column)
        ]

    @property
    def issue_label(self):
        """2026年第3期（总第27期）, as printed on the cover."""
        label = f"{self.published_on:%Y}年第{self.issue_number}期"
        return f"{label}（总第{self.total_number}期）" if self.total_number else label

    @property
    def pdf_url(self):
        """The PDF edition's URL, or "" when no renderer is installed (publications/)."""
        if channels.renderer(type(self), "pdf") is None:
            return ""
        return (self.url or "") + channels.SUFFIXES["pdf"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["columns"] = self.articles_by_column()
        return context

    # --- the PDF edition of the whole issue: rendered by publications/ -----------------

    def get_cached_paths(self):
        return ["/", "pdf/"]  # purged from a front cache together (cms/caching/frontend.py)

    @path("pdf/", name="pdf")
    def pdf(self, request):
        return channels.serve(request, self, "pdf")


class MagazineArticlePage(PublicPageMixin, Page):
    column = models.ForeignKey(
        "cms.MagazineColumn", verbose_name="栏目", on_delete=models.PROTECT, related_name="articles"
    )
    author = models.CharField("作者", max_length=100, blank=True)
    summary = models.TextField("摘要", blank=True)
    body = StreamField(BodyBlock(), verbose_name="正文")

    content_panels = Page.content_panels + [
        FieldPanel("column"),
        FieldPanel("author"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.MagazineIssuePage"]
    subpage_types = []
    template = "cms/magazine_article_page.html"
    search_fields = PublicPageMixin.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    api_fields = [
        APIField("column_name"),
        APIField("author"),
        APIField("summary"),
        APIField("body"),
    ]

    class Meta:
        verbose_name = "刊物文章"
        verbose_name_plural = "刊物文章"

    @property
    def column_name(self):
        return self.column.name

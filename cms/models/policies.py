"""Policy documents (政策文件): numbered, dated, with a validity that editors keep current."""

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms import channels
from cms.blocks import RICH_TEXT_FEATURES
from cms.choices import Validity
from cms.models.mixins import ChannelPreviewMixin, FeedsMixin, PublicPageMixin, public_pages

POLICIES_PER_PAGE = 20


def public_citations():
    """Where public guides cite a policy: the legal bases of public guides, with their guide, in
    the catalogue's order, into each policy's `public_citations`. A Prefetch, so that a list of
    policies (the API's) fetches them for all its policies in one query."""
    from cms.models import GuideLegalBasis, ServiceGuidePage

    bases = GuideLegalBasis.objects.filter(guide__in=public_pages(ServiceGuidePage.objects.all()))
    return Prefetch(
        "cited_by",
        queryset=bases.select_related("guide").order_by("guide__path"),
        to_attr="public_citations",
    )


class PolicyIndexPage(PublicPageMixin, FeedsMixin, Page):
    intro = models.CharField("简介", max_length=300, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.PolicyPage"]
    max_count = 1
    template = "cms/policy_index_page.html"

    class Meta:
        verbose_name = "政策文件目录"

    def policies(self):
        """The policies the public may see here, newest document first (list and feeds)."""
        return public_pages(PolicyPage.objects.child_of(self)).order_by("-issued_on", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        policies = self.policies()
        validity = request.GET.get("validity", "")
        if validity in Validity.values:
            policies = policies.filter(validity=validity)
        page = Paginator(policies, POLICIES_PER_PAGE).get_page(request.GET.get("page"))
        context.update(policies=page, validity=validity, validities=Validity.choices)
        return context


class PolicyPage(PublicPageMixin, ChannelPreviewMixin, RoutablePageMixin, Page):
    """A policy document. A repealed one stays published and readable, with its status shown."""

    document_number = models.CharField(
        "文号", max_length=100, blank=True, help_text="如 国办发〔2022〕2号"
    )
    issuer = models.CharField("发文机关", max_length=200)
    issued_on = models.DateField("成文日期")
    effective_on = models.DateField("施行日期", null=True, blank=True)
    validity = models.CharField(
        "效力状态", max_length=20, choices=Validity.choices, default=Validity.IN_FORCE
    )
    validity_note = models.CharField(
        "效力说明", max_length=300, blank=True, help_text="如 已被《……》（……号）废止"
    )
    superseded_by = models.ForeignKey(
        "cms.PolicyPage",
        verbose_name="替代文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
    )
    summary = models.TextField("内容摘要", blank=True)
    body = RichTextField("正文", features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("document_number"), FieldPanel("issuer")]),
                FieldRowPanel([FieldPanel("issued_on"), FieldPanel("effective_on")]),
                FieldRowPanel([FieldPanel("validity"), FieldPanel("superseded_by")]),
                FieldPanel("validity_note"),
            ],
            heading="文件信息",
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", heading="附件", label="附件"),
    ]
    parent_page_types = ["cms.PolicyIndexPage"]
    subpage_types = []
    template = "cms/policy_page.html"
    preview_channels = {"print": "打印版"}
    search_fields = PublicPageMixin.search_fields + [
        index.SearchField("document_number", boost=3),
        index.SearchField("issuer"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("validity"),
    ]
    api_fields = [
        APIField("document_number"),
        APIField("issuer"),
        APIField("issued_on"),
        APIField("effective_on"),
        APIField("validity_display"),
        APIField("validity_note"),
        APIField("summary"),
        APIField("body"),
        APIField("attachments"),
        APIField("citing_guides"),
    ]

    class Meta:
        verbose_name = "政策文件"
        verbose_name_plural = "政策文件"

    @property
    def validity_display(self):
        return self.get_validity_display()

    @property
    def is_repealed(self):
        return self.validity == Validity.REPEALED

    @cached_property
    def public_successor(self):
        """The superseding document, only while the public may open it."""
        if not self.superseded_by_id:
            return None
        return public_pages(PolicyPage.objects.filter(pk=self.superseded_by_id)).first()

    def citing_guide_pages(self):
        """Public guides that cite this document as a legal basis, each once."""
        if not hasattr(self, "public_citations"):  # not yet fetched with a list of policies
            prefetch_related_objects([self], public_citations())
        return list(dict.fromkeys(basis.guide for basis in self.public_citations))

    @property
    def citing_guides(self):
        return [{"title": g.title, "url": g.url} for g in self.citing_guide_pages()]

    @property
    def print_url(self):
        """The print edition's URL, or "" when no renderer is installed (publications/)."""
        if channels.renderer(type(self), "print") is None:
            return ""
        return (self.url or "") + channels.SUFFIXES["print"]

    # --- the print edition: rendered by publications/ -----------------------------------
    # print/ carries a per-request nonce and is never kept by a cache (cms.caching).

    @path("print/", name="print")
    def print_view(self, request):
        return channels.serve(request, self, "print")


class PolicyAttachment(Orderable):
    policy = ParentalKey(PolicyPage, related_name="attachments", on_delete=models.CASCADE)
    title = models.CharField("附件名称", max_length=200)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="文件", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("title"), FieldPanel("document")]
    api_fields = [APIField("title"), APIField("url")]

    class Meta(Orderable.Meta):
        verbose_name = "附件"

    @property
    def url(self):
        return self.document.url

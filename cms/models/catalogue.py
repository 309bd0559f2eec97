"""The catalogue of service items and the "one thing" bundles (一件事一次办)."""

from dataclasses import asdict

from django.core.paginator import Paginator
from django.db import models
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms import channels, checklist
from cms.blocks import RICH_TEXT_FEATURES
from cms.choices import GUIDE_FLAGS, Audience, ItemType
from cms.models.mixins import PublicPageMixin, public_pages
from cms.models.snippets import Department, Theme

GUIDES_PER_PAGE = 30


class CatalogueIndexPage(PublicPageMixin, Page):
    """办事指南目录: every guide, filterable, high-frequency items first."""

    intro = models.CharField("简介", max_length=300, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ServiceGuidePage"]
    max_count = 1
    template = "cms/catalogue_index_page.html"

    class Meta:
        verbose_name = "办事指南目录"

    def filtered_guides(self, params):
        """Guides under this page narrowed by the query string; unknown values are ignored
        (a stale bookmark shows everything rather than an error)."""
        from cms.models.guides import ServiceGuidePage

        guides = public_pages(ServiceGuidePage.objects.child_of(self)).select_related("department")
        active = {}
        department = params.get("department", "")
        if department and Department.objects.filter(code=department).exists():
            guides = guides.filter(department__code=department)
            active["department"] = department
        theme = params.get("theme", "")
        if theme and Theme.objects.filter(slug=theme).exists():
            guides = guides.filter(themes__slug=theme)
            active["theme"] = theme
        audience = params.get("audience", "")
        if audience in Audience.values:
            # A guide for both audiences serves either.
            guides = guides.filter(audience__in=[audience, Audience.BOTH])
            active["audience"] = audience
        item_type = params.get("item_type", "")
        if item_type in ItemType.values:
            guides = guides.filter(item_type=item_type)
            active["item_type"] = item_type
        flags = [flag for flag in params.getlist("flag") if flag in GUIDE_FLAGS]
        for flag in flags:
            guides = guides.filter(**{flag: True})
        if flags:
            active["flag"] = flags
        return guides.distinct().order_by("-high_frequency", "implementation_code"), active

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        guides, active = self.filtered_guides(request.GET)
        # get_page() turns a missing, non-numeric or too-large page number into a valid page.
        page = Paginator(guides, GUIDES_PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            guides=page,
            active=active,
            # A record never published holds its first draft: not offered to visitors yet.
            departments=Department.objects.filter(live=True),
            themes=Theme.objects.filter(live=True),
            audiences=Audience.choices,
            item_types=ItemType.choices,
            flags=GUIDE_FLAGS,
        )
        return context


class OneThingIndexPage(PublicPageMixin, Page):
    """一件事一次办: the list of life-event bundles."""

    intro = models.CharField("简介", max_length=300, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.OneThingPage"]
    max_count = 1
    template = "cms/one_thing_index_page.html"

    class Meta:
        verbose_name = "一件事目录"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["bundles"] = public_pages(OneThingPage.objects.child_of(self))
        return context


class OneThingPage(PublicPageMixin, RoutablePageMixin, Page):
    """一件事: one life event (opening a company, a birth...) served by several items, with one
    merged material list. The guides stay the source; nothing is copied here.

    Under it, `checklist/` is the visitor's own list: one handling situation chosen per item in
    the query string (cms.checklist), and `checklist/pdf/` the same list printed (publications).
    """

    life_event = models.CharField("事件说明", max_length=300, blank=True)
    audience = models.CharField(
        "服务对象", max_length=10, choices=Audience.choices, default=Audience.PERSON
    )
    body = RichTextField("办理说明", blank=True, features=RICH_TEXT_FEATURES)
    window_note = models.CharField(
        "综合窗口", max_length=200, blank=True, help_text="如 A区 1-6号综合受理窗口"
    )

    content_panels = Page.content_panels + [
        FieldPanel("life_event"),
        FieldPanel("audience"),
        FieldPanel("body"),
        FieldPanel("window_note"),
        InlinePanel("items", heading="包含事项", label="事项", min_num=1),
    ]
    parent_page_types = ["cms.OneThingIndexPage"]
    subpage_types = []
    template = "cms/one_thing_page.html"
    search_fields = PublicPageMixin.search_fields + [index.SearchField("life_event")]
    api_fields = [
        APIField("life_event"),
        APIField("audience_display"),
        APIField("body"),
        APIField("window_note"),
        APIField("guide_summaries"),
        APIField("merged_materials"),
        APIField("total_promised_days"),
        APIField("total_legal_days"),
    ]

    # The editor previews the bundle page and the checklist a visitor gets before choosing.
    preview_modes = [("web", "网页"), ("checklist", "个人材料清单")]

    class Meta:
        verbose_name = "一件事"
        verbose_name_plural = "一件事"

    @property
    def audience_display(self):
        return self.get_audience_display()

    @cached_property
    def bundled_guides(self):
        """The bundled guides that are public now, in the editor's order (computed once)."""
        return self.guides()

    def guides(self):
        """The bundled guides that are public now, in the editor's order."""
        from cms.models.guides import ServiceGuidePage

        ids = list(self.items.values_list("guide_id", flat=True))
        by_id = {
            guide.pk: guide
            for guide in public_pages(ServiceGuidePage.objects.filter(pk__in=ids))
            .select_related("department")
            .prefetch_related("materials__material", "situations__materials", "windows")
        }
        return [by_id[pk] for pk in ids if pk in by_id]

    @cached_property
    def whole_checklist(self):
        """Every material of every item: the checklist of a visitor who chooses no situation."""
        return checklist.merge([checklist.Pick(guide) for guide in self.bundled_guides])

    @property
    def merged_materials(self):
        """One list for the whole event: each material once, by catalogue code, with the
        largest number of copies any item asks for and the items that need it."""
        return [asdict(material) for material in self.whole_checklist.materials]

    @property
    def guide_summaries(self):
        return [
            {
                "title": g.title,
                "url": g.url,
                "implementation_code": g.implementation_code,
                "promised_days": g.promised_days,
                "department": g.department.name,
            }
            for g in self.bundled_guides
        ]

    # The bundle's promised time is the sum of its items' promised limits: the combined
    # window handles the items one after another, which is what centres publish.
    @property
    def total_promised_days(self):
        return self.whole_checklist.promised_days

    @property
    def total_legal_days(self):
        return self.whole_checklist.legal_days

    # --- the visitor's checklist --------------------------------------------------------

    def get_cached_paths(self):
        # What a front cache may hold without a query string (cms/caching/frontend.py purges
        # them all); the checklist's PDF is made for each request and never kept.
        return ["/", "checklist/"]

    @path("checklist/", name="checklist")
    def checklist_view(self, request):
        return self.checklist_response(request)

    @path("checklist/pdf/", name="checklist_pdf")
    def checklist_pdf(self, request):
        return channels.serve(request, self, "checklist_pdf")

    def checklist_url(self, picks=None):
        """The checklist's absolute address, for `picks` if given: the link a visitor shares
        and what the QR code on its PDF opens."""
        base = (self.get_full_url() or "") + self.reverse_subpage("checklist")
        return f"{base}?{checklist.query_string(picks)}" if picks else base

    def checklist_response(self, request):
        """The checklist page for the choice in `request.GET`; a choice naming an item or a
        situation the bundle does not have gets 400 and says which, with the form to start
        again."""
        context = self.get_context(request)
        context["checklist_path"] = (self.url or "") + self.reverse_subpage("checklist")
        try:
            picks = checklist.choose(self.bundled_guides, request.GET)
        except checklist.InvalidChoice as error:
            context["error"] = str(error)
            context["checklist"] = self.whole_checklist  # the form, every item on "all"
            status = 400
        else:
            context["checklist"] = checklist.merge(picks)
            context["checklist_url"] = self.checklist_url(picks)
            status = 200
        return TemplateResponse(request, "cms/one_thing_checklist.html", context, status=status)

    def render_preview(self, request, mode_name):
        """The draft as the bundle page or as the checklist before any choice (the checklist's
        preview links to no PDF). PublicPageMixin.serve_preview wraps both: framed by the
        admin, never for the public cache."""
        if mode_name == "checklist":
            return self.checklist_response(request)
        return super().render_preview(request, mode_name)


class OneThingItem(Orderable):
    bundle = ParentalKey(OneThingPage, related_name="items", on_delete=models.CASCADE)
    guide = models.ForeignKey(
        "cms.ServiceGuidePage",
        verbose_name="事项",
        on_delete=models.CASCADE,
        related_name="bundled_in",
    )

    panels = [FieldPanel("guide")]

    class Meta(Orderable.Meta):
        verbose_name = "包含事项"

"""Window-style galleries (窗口风采): photos from an image collection, with honours."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page

from cms import window_honours
from cms.choices import Honour
from cms.models.mixins import PublicPageMixin, public_pages


class GalleryIndexPage(PublicPageMixin, Page):
    intro = models.CharField("简介", max_length=300, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.GalleryPage"]
    max_count = 1
    template = "cms/gallery_index_page.html"

    class Meta:
        verbose_name = "窗口风采目录"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["galleries"] = public_pages(GalleryPage.objects.child_of(self)).order_by(
            "-first_published_at"
        )
        return context


class GalleryPage(PublicPageMixin, Page):
    """A gallery shows every image of one collection; editors upload photos to the collection
    and they appear here with their titles as captions. Honours pin a photo to an award."""

    collection = models.ForeignKey(
        "wagtailcore.Collection", verbose_name="图片集", on_delete=models.PROTECT, related_name="+"
    )
    intro = models.TextField("简介", blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("collection"),
        FieldPanel("intro"),
        InlinePanel("honours", heading="荣誉", label="荣誉"),
    ]
    parent_page_types = ["cms.GalleryIndexPage"]
    subpage_types = []
    template = "cms/gallery_page.html"
    api_fields = [APIField("intro"), APIField("photos")]

    class Meta:
        verbose_name = "窗口风采"
        verbose_name_plural = "窗口风采"

    def images(self):
        return (
            get_image_model()
            .objects.filter(collection=self.collection)
            .order_by("-created_at", "pk")
        )

    def photo_entries(self):
        """(image, caption, honours) for each photo, honours first."""
        honours = {}
        for honour in self.honours.select_related("window"):
            honours.setdefault(honour.image_id, []).append(honour)
        entries = [(image, image.title, honours.get(image.pk, [])) for image in self.images()]
        entries.sort(key=lambda entry: not entry[2])
        return entries

    def photo_cards(self):
        """(image, caption, honours, current) for the gallery page: `current` is what the
        photo's window holds now (cms.window_honours: the approved monthly ranking), shown
        once per window, under its first photo. The window is an honour's, else the one the
        photo's title starts with."""
        held = window_honours.current()
        cards, shown = [], set()
        for image, caption, honours in self.photo_entries():
            numbers = {h.window.number for h in honours if h.window}
            number = next(iter(sorted(numbers & set(held))), None) or window_honours.window_of(
                image.title, held
            )
            current = [] if number is None or number in shown else held[number]
            if current:
                shown.add(number)
            cards.append((image, caption, honours, current))
        return cards

    @property
    def photos(self):
        return [
            {
                "title": caption,
                "url": image.file.url,
                "honours": [h.label for h in image_honours],
            }
            for image, caption, image_honours in self.photo_entries()
        ]


class GalleryHonour(Orderable):
    """An honour shown on a photo: 服务之星, 示范岗, the monthly 流动红旗."""

    gallery = ParentalKey(GalleryPage, related_name="honours", on_delete=models.CASCADE)
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name="照片", on_delete=models.CASCADE, related_name="+"
    )
    honour = models.CharField("荣誉", max_length=20, choices=Honour.choices)
    citation = models.CharField(
        "说明", max_length=200, blank=True, help_text="如 2026年10月 流动红旗窗口"
    )
    window = models.ForeignKey(
        "cms.ServiceWindow",
        verbose_name="窗口",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    awarded_on = models.DateField("授予日期", null=True, blank=True)

    panels = [
        FieldPanel("image"),
        FieldPanel("honour"),
        FieldPanel("citation"),
        FieldPanel("window"),
        FieldPanel("awarded_on"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "荣誉"

    @property
    def label(self):
        return self.citation or self.get_honour_display()

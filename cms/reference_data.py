"""When a change to the reference data reaches the public, and which pages it reaches.

Departments, windows, themes and materials are moderated (cms.models.snippets): an edit is
saved as a draft revision and the row keeps its published values until a reviewer publishes.
Guides and bundles read the row through foreign keys, so they only ever show published values.

`reference_published` is the one signal that says "the values the public sees have changed":
the page cache, the search index and the guides' PDFs (cms.caching, search.signals,
publications.signals) listen to it instead of to post_save, which Wagtail also sends for a
draft saved, a record locked or submitted. It is sent for a publish (Wagtail writes the whole
row) and for any other write of a live row's values: importers, the demo loader and the shell
create and change records directly and reach the site at once, as before moderation.
"""

from dataclasses import dataclass

from django.db.models import Max, Q
from django.db.models.signals import post_save
from django.dispatch import Signal

# Sent with sender=the model, instance=the record and created (a new record, which no page
# names yet), once its published values changed.
reference_published = Signal()

# The fields Wagtail writes alone while a record is edited but not published: a draft saved
# (latest_revision, has_unpublished_changes), a lock taken or released, a workflow step.
BOOKKEEPING_FIELDS = {
    "latest_revision",
    "has_unpublished_changes",
    "locked",
    "locked_by",
    "locked_at",
    "approved_schedule",
}


def moderated_models():
    from cms.models import Department, Material, ServiceWindow, Theme

    return [Department, ServiceWindow, Theme, Material]


def changes_what_the_public_sees(instance, update_fields=None) -> bool:
    """Whether this save wrote published values: not a draft's or a lock's bookkeeping, and
    not a record that is not live (a new draft, or one just unpublished: its row did not
    change what guides print)."""
    if not instance.live:
        return False
    return update_fields is None or bool(set(update_fields) - BOOKKEEPING_FIELDS)


def saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    if raw:  # loaddata: fixtures are not edits
        return
    if changes_what_the_public_sees(instance, update_fields):
        reference_published.send(sender=sender, instance=instance, created=created)


def connect():
    for model in moderated_models():
        post_save.connect(saved, sender=model, dispatch_uid=f"cms.reference_data.{model.__name__}")


# --- What a record reaches ---------------------------------------------------------------


def guides_using(record):
    """Every guide whose live row names `record` (published or not): a queryset."""
    from cms.models import Department, Material, ServiceGuidePage, ServiceWindow, Theme
    from cms.models.guide_elements import GuideMaterial, HandlingSituation

    guides = ServiceGuidePage.objects.all()
    if isinstance(record, Material):
        # A situation lists materials of its own guide, but an import may not: ask both.
        listed = GuideMaterial.objects.filter(material=record).values("guide_id")
        in_situations = HandlingSituation.objects.filter(materials=record).values("guide_id")
        return guides.filter(Q(pk__in=listed) | Q(pk__in=in_situations))
    if isinstance(record, Department):
        return guides.filter(department=record)
    if isinstance(record, ServiceWindow):
        return guides.filter(windows=record)
    if isinstance(record, Theme):
        return guides.filter(themes=record)
    raise TypeError(f"not reference data: {type(record).__name__}")


def bundles_quoting(guides):
    """The one-thing bundles (一件事) that contain any of these guides: a queryset."""
    from cms.models import OneThingItem, OneThingPage

    items = OneThingItem.objects.filter(guide__in=guides.values("pk"))
    return OneThingPage.objects.filter(pk__in=items.values("bundle_id"))


@dataclass
class Impact:
    guides: int
    bundles: int

    def __str__(self):
        return f"影响 {self.guides} 篇指南、{self.bundles} 个一件事"


def impact(record) -> Impact:
    """How many public guides print `record`, and how many public bundles quote those guides:
    what publishing a change to it will rewrite (pages, kiosk views, PDFs, search entries)."""
    from cms.models.mixins import public_pages

    guides = public_pages(guides_using(record))
    bundles = public_pages(bundles_quoting(guides))
    return Impact(guides=guides.count(), bundles=bundles.count())


def last_published(guides):
    """When the reference data these guides print (their materials, windows, themes and
    departments) was last published, or None: what a printed collection of guides, such as a
    department's book, must key on besides the guides' own revisions. A guides queryset."""
    from cms.models import Department, Material, ServiceWindow, Theme
    from cms.models.guide_elements import GuideMaterial

    ids = guides.values("pk")
    used = [
        Material.objects.filter(
            pk__in=GuideMaterial.objects.filter(guide__in=ids).values("material_id")
        ),
        ServiceWindow.objects.filter(guides__in=ids),
        Theme.objects.filter(guides__in=ids),
        Department.objects.filter(guides__in=ids),
    ]
    stamps = [rows.aggregate(last=Max("last_published_at"))["last"] for rows in used]
    return max((stamp for stamp in stamps if stamp), default=None)

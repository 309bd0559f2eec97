"""Which pages a change may have made appear in, change in, or leave the index.

Every handler only names pages; search.tasks.sync_pages then asks the database what each
page is now. A change that can hide a page also notes, at once and in its own transaction,
which of them are no longer public (search/hidden.py), so no search shows them meanwhile. A change to a page can change its whole subtree (unpublishing or restricting a
section hides everything under it; moving it changes every URL), a guide is quoted by
the one-thing bundles that contain it, and a policy by the text of its attached files.
"""

from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete, pre_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.models import (
    Department,
    GalleryPage,
    Material,
    OneThingPage,
    PolicyAttachment,
    Theme,
)
from cms.reference_data import guides_using, reference_published
from search import hidden
from search.tasks import queue_sync


def with_subtree(page) -> list[int]:
    ids = [page.pk]
    if page.numchild:
        ids += list(Page.objects.descendant_of(page).values_list("pk", flat=True))
    return ids


def with_bundles(guide_ids) -> list[int]:
    """The guides and the one-thing bundles that quote them (a list, or a query of ids: a
    section's subtree can hold more pages than SQLite takes parameters)."""
    bundles = OneThingPage.objects.filter(items__guide_id__in=guide_ids)
    return [*guide_ids, *bundles.values_list("pk", flat=True)]


def with_subtree_and_bundles(page) -> list[int]:
    # A bundle quotes its guides' titles and materials: whatever hides, moves or shows a
    # guide changes what its bundles may say.
    subtree = Page.objects.descendant_of(page, inclusive=True).values("pk")
    bundles = OneThingPage.objects.filter(items__guide_id__in=subtree)
    return [*with_subtree(page), *bundles.values_list("pk", flat=True)]


def visibility_changed(page_ids):
    """Pages a change may have hidden or shown: searches leave out the hidden ones from now
    on, and the queued task brings the index up to date."""
    hidden.note(page_ids)
    queue_sync(page_ids)


def page_changed(sender, instance, **kwargs):
    visibility_changed(with_subtree_and_bundles(instance))


def page_moved(sender, instance, **kwargs):
    visibility_changed(with_subtree_and_bundles(instance))


def page_deleted(sender, instance, **kwargs):
    # Sent for each row of a page (Page and its specific model): the subtree is deleted with
    # it and sends its own signals; the bundles that quoted a deleted guide are re-read.
    if isinstance(instance, Page):
        visibility_changed(with_bundles([instance.pk]))


def restriction_changed(sender, instance, **kwargs):
    visibility_changed(with_subtree_and_bundles(instance.page))


def reference_changed(sender, instance, created=False, **kwargs):
    if created:  # no page names a new record yet
        return
    # A department's, theme's or material's published values changed (a draft does not send
    # this: cms.reference_data): the guides that print them and their bundles are re-read.
    queue_sync(with_bundles(list(guides_using(instance).values_list("pk", flat=True))))


def image_saving(sender, instance, **kwargs):
    # Remember the collection an image leaves: that gallery loses its caption.
    if instance.pk:
        instance._collection_before = (
            sender.objects.filter(pk=instance.pk).values_list("collection_id", flat=True).first()
        )


def image_changed(sender, instance, **kwargs):
    # A gallery's captions are its images' titles.
    collections = {instance.collection_id, getattr(instance, "_collection_before", None)}
    galleries = GalleryPage.objects.filter(collection_id__in=collections - {None})
    queue_sync(list(galleries.values_list("pk", flat=True)))


def policies_attaching(documents) -> list[int]:
    """The policies that attach these documents (ids, or a query of them)."""
    rows = PolicyAttachment.objects.filter(document__in=documents)
    return list(rows.values_list("policy_id", flat=True).distinct())


def document_changed(sender, instance, update_fields=None, **kwargs):
    # A policy's document holds its attachments' text (search/attachments.py). Replacing a
    # file keeps the document's row and changes its file and hash; moving it to a private
    # collection takes its text out. Wagtail's own lazy saves of the size or hash alone
    # (Document.get_file_size) change neither.
    if update_fields and not {"file", "collection"} & set(update_fields):
        return
    queue_sync(policies_attaching([instance.pk]))


def document_deleting(sender, instance, **kwargs):
    # Before: the attachment rows go with the document (on_delete=CASCADE). The sync runs
    # after the commit, when they are gone.
    queue_sync(policies_attaching([instance.pk]))


def collection_restriction_changed(sender, instance, **kwargs):
    # Restricting a collection makes its documents and its sub-collections' private: their
    # text leaves the policies' documents; lifting it brings the text back.
    try:
        collections = instance.collection.get_descendants(inclusive=True)
    except Collection.DoesNotExist:  # deleted with its collection, whose documents go too
        return
    documents = get_document_model().objects.filter(collection__in=collections)
    queue_sync(policies_attaching(documents.values("pk")))


def collection_saved(sender, instance, created=False, **kwargs):
    # A collection moved under a restricted one (Wagtail's collection form saves it): its
    # documents and its sub-collections' may have become private. The sync runs after the
    # commit, when the tree says where it now is.
    if created:
        return
    collections = Collection.objects.filter(path__startswith=instance.path)
    documents = get_document_model().objects.filter(collection__in=collections)
    queue_sync(policies_attaching(documents.values("pk")))


page_published.connect(page_changed, dispatch_uid="search_page_published")
page_unpublished.connect(page_changed, dispatch_uid="search_page_unpublished")
post_page_move.connect(page_moved, dispatch_uid="search_page_moved")
post_delete.connect(page_deleted, dispatch_uid="search_page_deleted")
post_save.connect(restriction_changed, sender=PageViewRestriction, dispatch_uid="search_restricted")
post_delete.connect(
    restriction_changed, sender=PageViewRestriction, dispatch_uid="search_unrestricted"
)
for model in (Department, Theme, Material):
    reference_published.connect(
        reference_changed, sender=model, dispatch_uid=f"search_{model.__name__.lower()}"
    )
pre_save.connect(image_saving, sender=get_image_model(), dispatch_uid="search_image_saving")
post_save.connect(image_changed, sender=get_image_model(), dispatch_uid="search_image")
post_delete.connect(image_changed, sender=get_image_model(), dispatch_uid="search_image_deleted")
post_save.connect(document_changed, sender=get_document_model(), dispatch_uid="search_document")
pre_delete.connect(
    document_deleting, sender=get_document_model(), dispatch_uid="search_document_deleted"
)
post_save.connect(
    collection_restriction_changed,
    sender=CollectionViewRestriction,
    dispatch_uid="search_collection_restricted",
)
post_delete.connect(
    collection_restriction_changed,
    sender=CollectionViewRestriction,
    dispatch_uid="search_collection_unrestricted",
)


def install(sender, **kwargs):
    """After `migrate`: search's nightly job and its editors' permissions (search/install.py).
    cms's setup, which runs first, has created every app's permissions and the groups."""
    if sender.name != "search":
        return
    from search.install import ensure_setup

    ensure_setup()


post_migrate.connect(install, dispatch_uid="search.install")
post_save.connect(collection_saved, sender=Collection, dispatch_uid="search_collection_saved")

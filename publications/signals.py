"""Whatever changes which guides the public sees queues the renders that print them.

Publishing a guide queues its PDF and its department's book. Unpublishing one (also when it
expires, and when it is deleted: Wagtail unpublishes a live page first), moving pages (a guide
may land under a hidden section, or leave one), and publishing a guide under another
department queue each affected department's book at once: the book's address only serves a
rendered book and answers 503 until the worker has rendered the current one.
"""

from django.db import transaction
from django.db.models.signals import pre_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.models import Department, ServiceGuidePage
from cms.models.mixins import public_pages
from cms.reference_data import guides_using, reference_published
from publications import tasks


def queue_books(department_ids):
    """Queue the books of these departments once the change commits: the worker must see the
    committed guides, and a rolled-back change queues nothing."""
    department_ids = set(department_ids) - {None}

    def queue():
        for department in Department.objects.filter(pk__in=department_ids):
            tasks.queue_department_book(department, new_edition=True)

    transaction.on_commit(queue)


def remember_department(sender, instance, update_fields=None, **kwargs):
    # Publishing writes the whole row: note the department it had, whose book loses the guide
    # when the new revision names another. Draft saves write a few fields and are skipped.
    if instance.pk and update_fields is None:
        rows = sender.objects.filter(pk=instance.pk)
        instance._department_before = rows.values_list("department_id", flat=True).first()


def guide_published(sender, instance, **kwargs):
    transaction.on_commit(lambda: tasks.queue_guide_pdf(instance))
    queue_books([instance.department_id, getattr(instance, "_department_before", None)])


def guide_unpublished(sender, instance, **kwargs):
    queue_books([instance.department_id])


def page_moved(sender, instance, **kwargs):
    guides = ServiceGuidePage.objects.descendant_of(instance, inclusive=True)
    queue_books(guides.values_list("department_id", flat=True).distinct())


def reference_changed(sender, instance, created=False, **kwargs):
    if created:  # no page names a new record yet
        return
    guides = list(public_pages(guides_using(instance)).only("pk", "title", "department_id"))

    def queue():
        for guide in guides:
            tasks.queue_guide_pdf(guide)

    transaction.on_commit(queue)
    queue_books(guide.department_id for guide in guides)


pre_save.connect(remember_department, sender=ServiceGuidePage)
page_published.connect(guide_published, sender=ServiceGuidePage)
page_unpublished.connect(guide_unpublished, sender=ServiceGuidePage)
post_page_move.connect(page_moved)  # any page: a section moves with the guides under it
reference_published.connect(reference_changed, dispatch_uid="publications.reference")

"""Publishing a guide queues the rendering of its PDF and of its department's book."""

from django.db import transaction
from wagtail.signals import page_published

from cms.models import ServiceGuidePage
from publications import tasks


def queue_renders(sender, instance, **kwargs):
    def queue():
        tasks.queue_guide_pdf(instance)
        if instance.department_id:
            tasks.queue_department_book(instance.department, new_edition=True)

    # After commit: the worker must see the published revision, and a rolled-back publish
    # queues nothing.
    transaction.on_commit(queue)


page_published.connect(queue_renders, sender=ServiceGuidePage)

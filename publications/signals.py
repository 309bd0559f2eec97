"""Publishing a guide queues the rendering of its PDF (see publications.tasks)."""

from django.db import transaction
from django_q.tasks import async_task
from wagtail.signals import page_published

from cms.models import ServiceGuidePage


def queue_guide_pdf(sender, instance, **kwargs):
    # After commit: the worker must see the published revision, and a rolled-back publish
    # queues nothing.
    transaction.on_commit(
        lambda: async_task(
            "publications.tasks.render_guide_pdf",
            instance.pk,
            task_name=f"PDF：{instance.title}"[:100],
            group="渲染办事指南PDF",
        )
    )


page_published.connect(queue_guide_pdf, sender=ServiceGuidePage)

"""Jobs the django-q2 worker runs for publications, and the functions that queue them."""

from django.core.cache import cache as django_cache
from django_q.tasks import async_task

from cms.models import Department, ServiceGuidePage
from cms.models.mixins import public_pages
from publications import cache

# A department's book queued by a visitor is not queued again for this long.
BOOK_QUEUE_SECONDS = 300


def render_guide_pdf(page_id):
    """Render a just-published guide's PDF into the cache, so no visitor waits for it.

    Skipped when the guide is no longer public by the time the job runs.
    """
    guide = public_pages(ServiceGuidePage.objects.filter(pk=page_id)).first()
    if guide is not None:
        cache.guide_pdf(guide).file.close()


def render_department_book(department_id):
    """Render a department's guide book into the cache (skipped if it has no public guide)."""
    department = Department.objects.filter(pk=department_id).first()
    if department is not None and public_pages(department.guides.all()).exists():
        cache.book_pdf(department).file.close()


def queue_guide_pdf(guide):
    async_task(
        "publications.tasks.render_guide_pdf",
        guide.pk,
        task_name=f"PDF：{guide.title}"[:100],
        group="渲染PDF",
    )


def queue_department_book(department, *, new_edition=False):
    """Queue the book's render, once per department within BOOK_QUEUE_SECONDS unless a guide
    of the department was just published (`new_edition`)."""
    marker = f"publications:book-queued:{department.pk}"
    if new_edition:
        django_cache.delete(marker)
    if django_cache.add(marker, True, BOOK_QUEUE_SECONDS):
        async_task(
            "publications.tasks.render_department_book",
            department.pk,
            task_name=f"汇编：{department.name}"[:100],
            group="渲染PDF",
        )

"""A guide unpublished, deleted, moved or published under another department queues the
re-render of every department book it leaves or joins at once: once the worker has run, each
book's address serves the current book instead of a 503."""

import pytest
from wagtail.models import Page

from cms.models import CatalogueIndexPage
from tests import factories

pytestmark = pytest.mark.django_db

BOOK_RENDER = "publications.tasks.render_department_book"


def book(client, department):
    return client.get(f"/publications/departments/{department.code}/guide-book.pdf")


@pytest.fixture
def change(django_capture_on_commit_callbacks, run_queued_tasks):
    """`with change() as ran:` a block whose queued renders run when it ends, as the worker
    would; `ran` lists the tasks that ran."""
    from contextlib import contextmanager

    @contextmanager
    def block():
        ran = []
        with django_capture_on_commit_callbacks(execute=True):
            yield ran
        ran.extend(run_queued_tasks("publications."))

    return block


@pytest.fixture
def department():
    """A department with two public guides: one to change, one that stays in its book."""
    department = factories.department(code="3799031001", name="示范市林业局")
    changed = factories.guide(department=department, title="林木采伐许可")
    factories.guide(department=department, title="林草种子生产经营许可")
    return department, changed


def test_unpublishing_a_guide_rerenders_its_departments_book(client, change, department):
    department, guide = department
    with change() as ran:
        guide.unpublish()
    assert BOOK_RENDER in ran
    assert book(client, department).status_code == 200


def test_deleting_a_guide_in_the_admin_rerenders_its_departments_book(client, change, department):
    department, guide = department
    client.force_login(factories.user("admin", superuser=True))
    with change() as ran:
        response = client.post(f"/admin/pages/{guide.pk}/delete/")
    assert response.status_code == 302 and not Page.objects.filter(pk=guide.pk).exists()
    assert BOOK_RENDER in ran
    assert book(client, department).status_code == 200


def test_moving_a_guide_under_a_draft_section_rerenders_its_departments_book(
    client, change, department
):
    department, guide = department
    draft_catalogue = factories.add_page(
        factories.home(), CatalogueIndexPage(title="待发布目录", slug="dai-fa-bu"), live=False
    )
    with change() as ran:
        guide.move(draft_catalogue, pos="last-child")
    assert BOOK_RENDER in ran
    assert book(client, department).status_code == 200


def test_publishing_a_guide_under_another_department_rerenders_both_books(
    client, change, department
):
    old, guide = department
    new = factories.department(code="3799030001", name="示范市自然资源局")
    guide.department = new
    with change() as ran:
        guide.save_revision().publish()
    assert ran.count(BOOK_RENDER) == 2
    assert book(client, old).status_code == 200
    assert book(client, new).status_code == 200

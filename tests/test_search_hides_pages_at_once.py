"""A page that stops being public leaves every search channel with the change itself, not when
the queued index task runs: hits, totals, facet counts, suggestions, on the page and the API.

No test here runs a queued task (search/hidden.py): each checks that the index still holds
the page, and that searches leave it out all the same."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.models import CatalogueIndexPage
from search import index
from search.backends import get_search_backend
from search.models import HiddenPage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pension():
    """Two guides found by 养老保险; the first is the one each test hides."""
    hidden = factories.guide(title="城乡居民养老保险参保登记", popular_names="")
    kept = factories.guide(title="城乡居民养老保险待遇申领", popular_names="")
    list(index.rebuild(get_search_backend()))
    return hidden, kept


def api(client, q="养老保险"):
    return client.get("/api/search/", {"q": q}).json()


def suggested(client, q):
    return [s["text"] for s in client.get("/api/search/suggest/", {"q": q}).json()["suggestions"]]


def assert_left_out(client, page, kept):
    """Gone from the API (hits, total, facets, suggestions), the page and the suggest API,
    while the index still holds it."""
    assert page.pk in get_search_backend().page_ids()  # its removal has not run
    data = api(client)
    assert [hit["title"] for hit in data["hits"]] == [kept.title]
    assert data["total"] == 1
    assert data["facets"]["type"] == [{"value": "guide", "label": "办事指南", "count": 1}]
    assert page.title not in [s["text"] for s in data["suggestions"]]
    assert page.title not in client.get("/search/", {"q": "养老保险"}).content.decode()
    assert suggested(client, "城乡居民") == [kept.title]  # by prefix
    assert suggested(client, "cxjm") == [kept.title]  # by initials
    assert suggested(client, "参保登记") == []  # inside a title


def test_a_guide_restricted_in_the_admin_is_gone_from_the_very_next_answer(client, pension):
    page, kept = pension
    assert len(api(client)["hits"]) == 2
    client.force_login(factories.user("admin", superuser=True))
    response = client.post(f"/admin/pages/{page.pk}/privacy/", {"restriction_type": "login"})
    assert response.json()["step"] == "set_privacy_done"
    client.logout()
    assert_left_out(client, page, kept)


def test_an_unpublished_guide_is_gone_from_the_very_next_answer(client, pension):
    page, kept = pension
    with transaction.atomic():
        page.unpublish()
    assert_left_out(client, page, kept)


def test_a_guide_moved_under_a_private_section_is_gone_at_once(client, pension):
    page, kept = pension
    private = factories.add_page(factories.home(), CatalogueIndexPage(title="内部目录"))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    page.move(private, pos="last-child")
    assert_left_out(client, page, kept)


def test_restricting_a_section_hides_every_guide_under_it_and_lifting_it_shows_them_again(
    client, pension
):
    section = factories.catalogue()
    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.LOGIN
    )
    assert api(client)["total"] == 0 and suggested(client, "城乡") == []
    restriction.delete()
    assert api(client)["total"] == 2  # shown again before any task ran
    assert not HiddenPage.objects.exists()


def test_a_guide_whose_expiry_passes_is_gone_without_any_job(client, pension, monkeypatch):
    page, kept = pension
    soon = timezone.now() + datetime.timedelta(hours=1)
    page.expire_at = soon
    page.save_revision().publish()  # its document now carries the expiry
    list(index.rebuild(get_search_backend()))
    assert api(client)["total"] == 2
    later = soon + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert_left_out(client, page, kept)


def test_the_queued_sync_removes_the_page_and_forgets_it(
    client, pension, django_capture_on_commit_callbacks, run_queued_tasks
):
    page, kept = pension
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert HiddenPage.objects.filter(page_id=page.pk).exists()
    run_queued_tasks("search.")
    assert page.pk not in get_search_backend().page_ids()
    assert not HiddenPage.objects.exists()
    assert [hit["title"] for hit in api(client)["hits"]] == [kept.title]


def test_a_sync_that_read_the_page_before_the_change_was_committed_does_not_forget_it(
    pension, django_capture_on_commit_callbacks
):
    """The hide is stamped at commit: a sync whose read began between the editor's write and
    the commit saw the page public, and must leave it hidden for the page's own sync."""
    from search import hidden

    page, _ = pension
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
        read_during_the_change = timezone.now()  # a sync reads here, before the commit
    hidden.forget([page.pk], noted_before=read_during_the_change)
    assert HiddenPage.objects.filter(page_id=page.pk).exists()

"""Public pages come from the cache, and the cache is never stale (cms/caching).

Each test first proves the page was served from the cache (X-Cache: hit), then changes what
it shows the way an editor or the scheduler does, and proves the next visitor sees it.
"""

import datetime
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from cms.caching import version
from cms.models import ServiceGuidePage
from tests import factories

pytestmark = pytest.mark.django_db


def cached(client, url):
    """GET `url` twice; the second answer must come from the cache."""
    first = client.get(url)
    assert first.status_code == 200, url
    second = client.get(url)
    assert second["X-Cache"] == "hit", url
    assert second.content == first.content
    return second


def republish(page, **changes):
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()


@pytest.fixture
def guide():
    return factories.guide(title="食品经营许可")


PUBLIC_VIEWS = ["", "kiosk/"]


@pytest.mark.parametrize("suffix", PUBLIC_VIEWS)
def test_a_republished_guide_is_served_new_at_once(client, guide, suffix):
    cached(client, guide.url + suffix)
    republish(guide, title="食品经营许可（新）")
    assert "食品经营许可（新）" in client.get(guide.url + suffix).content.decode()


def test_a_published_guide_appears_on_the_cached_catalogue_and_home(client, guide):
    catalogue = guide.get_parent()
    cached(client, catalogue.url)
    cached(client, "/")
    new = factories.guide(title="药品零售企业许可", parent=catalogue, high_frequency=True)
    assert new.title in client.get(catalogue.url).content.decode()
    assert client.get("/")["X-Cache"] == "miss"


def test_an_unpublished_guide_leaves_page_api_and_catalogue(client, guide):
    catalogue = guide.get_parent()
    cached(client, guide.url)
    cached(client, catalogue.url)
    cached(client, f"/api/v2/pages/{guide.pk}/")
    guide.unpublish()
    assert client.get(guide.url).status_code == 404
    assert client.get(f"/api/v2/pages/{guide.pk}/").status_code == 404
    assert guide.title not in client.get(catalogue.url).content.decode()


def test_a_moved_guide_leaves_its_old_address(client, guide):
    old_url = guide.url
    cached(client, old_url)
    other = type(guide.get_parent())(title="另一目录", slug="another")
    guide.move(factories.add_page(factories.home(), other), pos="last-child")
    new_url = Page.objects.get(pk=guide.pk).url
    moved = client.get(old_url)  # Wagtail's automatic redirect, not the cached page
    assert (moved.status_code, moved["Location"]) == (301, new_url)
    assert client.get(new_url).status_code == 200


def test_a_page_made_private_is_never_served_from_the_cache(client, guide):
    cached(client, guide.url)
    PageViewRestriction.objects.create(page=guide, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(guide.url)
    assert response.status_code == 302  # to the login page
    assert "X-Cache" not in response


def test_a_renamed_department_reaches_every_cached_guide(client, guide):
    second = factories.guide(title="食品生产许可", department=guide.department)
    for page in (guide, second):
        cached(client, page.url)
    guide.department.name = "市场监督管理局（食品药品）"
    guide.department.save()
    for page in (guide, second):
        assert "市场监督管理局（食品药品）" in client.get(page.url).content.decode()


def test_an_edited_material_reaches_the_cached_kiosk_view(client, guide):
    cached(client, guide.url + "kiosk/")
    material = guide.materials.first().material
    material.name = "营业执照副本（电子证照可免交）"
    material.save()
    assert material.name in client.get(guide.url + "kiosk/").content.decode()


def test_a_guide_is_hidden_at_its_expiry_time_before_the_scheduler_runs(client, guide):
    republish(guide, expire_at=timezone.now() + datetime.timedelta(seconds=2))
    cached(client, guide.url)
    time.sleep(2.1)
    assert client.get(guide.url).status_code == 404


def test_logged_in_visitors_are_never_served_or_stored(client, guide):
    editor = factories.user("cache-editor", superuser=True)
    client.force_login(editor)
    first = client.get(guide.url)
    assert first.status_code == 200 and "X-Cache" not in first
    client.logout()
    assert client.get(guide.url)["X-Cache"] == "miss"  # nothing the editor saw was kept


def test_the_print_view_with_its_nonce_is_never_stored(client, guide):
    client.get(guide.url + "print/")
    response = client.get(guide.url + "print/")
    assert response.status_code == 200
    assert "X-Cache" not in response


def test_a_search_index_update_retires_cached_answers(client, guide):
    from search import index

    before = version.current()
    index.sync([guide.pk])
    assert version.current() != before


def test_a_draft_keeps_the_cache(client, guide):
    cached(client, guide.url)
    guide.title = "草稿里的新名称"
    guide.save_revision()
    response = client.get(guide.url)
    assert response["X-Cache"] == "hit"
    assert "草稿里的新名称" not in response.content.decode()


def test_cached_answers_carry_validators_and_revalidate(client, guide):
    response = cached(client, guide.url)
    assert response["ETag"] and response["Last-Modified"]
    assert response["Cache-Control"] == "public, no-cache"
    assert response["X-Frame-Options"] == "DENY"  # headers of the first answer kept
    assert "Content-Security-Policy" in response
    again = client.get(guide.url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    republish(guide, summary="新的概述")
    changed = client.get(guide.url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert changed.status_code == 200


@pytest.fixture
def front_cache(settings):
    """A front cache on loopback that records the PURGE requests it gets."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    purged = []

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
            purged.append(f"http://{self.headers['Host']}{self.path}")
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    backend = "wagtail.contrib.frontend_cache.backends.HTTPBackend"
    location = f"http://127.0.0.1:{server.server_port}"
    settings.WAGTAILFRONTENDCACHE = {"default": {"BACKEND": backend, "LOCATION": location}}
    yield purged
    server.shutdown()


def test_only_purgeable_addresses_may_be_kept_by_a_front_cache(
    client, guide, settings, front_cache
):
    assert cached(client, guide.url)["Cache-Control"] == "public, no-cache"
    settings.PAGE_CACHE_PROXY_SECONDS = 600
    assert client.get(guide.url)["Cache-Control"] == "public, max-age=0, s-maxage=600"
    # An address with a query string cannot be purged by address: revalidated each time.
    situation = guide.situations.first()
    chosen = client.get(guide.url, {"situation": situation.pk})
    assert chosen["Cache-Control"] == "public, no-cache"
    del settings.WAGTAILFRONTENDCACHE  # no purge, no keeping
    assert client.get(guide.url)["Cache-Control"] == "public, no-cache"


def test_a_renamed_department_purges_every_public_page_from_the_front_cache(
    guide, front_cache, django_capture_on_commit_callbacks, run_queued_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        guide.department.name = "市场监督管理局（更名）"
        guide.department.save()
    assert run_queued_tasks("cms.caching.frontend") == ["cms.caching.frontend.purge_public_pages"]
    full = guide.get_full_url()
    for url in (full, full + "kiosk/", full + "pdf/", guide.get_parent().get_full_url()):
        assert url in front_cache
    assert f"http://testserver/api/v2/pages/{guide.pk}/" in front_cache


def test_changes_while_a_purge_waits_join_it(
    guide, front_cache, django_capture_on_commit_callbacks
):
    from django_q.models import OrmQ

    with django_capture_on_commit_callbacks(execute=True):
        for name in ("一", "二", "三"):
            guide.department.name = name
            guide.department.save()
    purges = [q for q in OrmQ.objects.all() if q.task["func"].startswith("cms.caching.frontend")]
    assert len(purges) == 1


def test_a_cached_pdf_is_served_without_rendering_html(client, guide, monkeypatch):
    from publications import editions

    first = client.get(guide.url + "pdf/")
    assert first.status_code == 200
    first_body = b"".join(first.streaming_content)

    def no_rendering(*args, **kwargs):
        raise AssertionError("the print HTML was rendered again")

    monkeypatch.setattr(editions, "guide_html", no_rendering)
    second = client.get(guide.url + "pdf/")
    assert b"".join(second.streaming_content) == first_body
    assert second["ETag"] == first["ETag"]
    monkeypatch.undo()
    republish(guide, title="食品经营许可（新）")
    third = client.get(guide.url + "pdf/")
    assert third["ETag"] != first["ETag"]


def test_the_version_is_shared_by_processes_through_files(tmp_path):
    """The embedded default: gunicorn's workers and the job workers share files, not memory."""
    location = str(tmp_path / "pages")
    pages = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": location}
    with override_settings(CACHES=settings.CACHES | {"pages": pages}):
        before = version.current()
        assert version.current() == before
        bump = (
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings.test';"
            "django.setup(); from django.conf import settings as s; from django.core.cache import"
            f" caches; s.CACHES['pages']={pages!r}; from cms.caching import version;"
            " version.bump()"
        )
        subprocess.run([sys.executable, "-c", bump], check=True, cwd=settings.BASE_DIR)
        assert version.current() != before


def test_a_query_string_is_part_of_the_address(client, guide):
    situation = guide.situations.first()
    plain = cached(client, guide.url)
    chosen = client.get(guide.url, {"situation": situation.pk})
    assert chosen["X-Cache"] == "miss"
    assert chosen.content != plain.content


def test_a_cached_pdf_is_sent_from_its_file_until_the_guide_changes(client, guide):
    first = client.get(guide.url + "pdf/")
    body = b"".join(first.streaming_content)
    second = client.get(guide.url + "pdf/")
    assert second["X-Cache"] == "hit"
    assert b"".join(second.streaming_content) == body
    assert second["Content-Type"] == "application/pdf"
    assert client.get(guide.url + "pdf/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    republish(guide, title="食品经营许可（新）")
    third = client.get(guide.url + "pdf/")
    assert third["X-Cache"] == "miss"
    assert third["ETag"] != first["ETag"]


def test_a_private_guides_pdf_is_never_stored(client, guide):
    PageViewRestriction.objects.create(
        page=guide, restriction_type=PageViewRestriction.PASSWORD, password="内部"
    )
    response = client.get(guide.url + "pdf/")
    assert response.status_code == 200  # the password form
    assert b"%PDF" not in response.content
    assert "X-Cache" not in response


def search_api(client, query):
    return client.get("/api/search/", {"q": query})


def test_a_repeated_search_is_answered_from_the_cache_and_still_counted(client, guide):
    from wagtail.contrib.search_promotions.models import Query

    from search import index

    index.sync([guide.pk])
    first = search_api(client, "食品经营")
    assert [hit["title"] for hit in first.json()["hits"]] == [guide.title]

    def no_search(*args, **kwargs):
        raise AssertionError("the search ran again")

    from search import service

    original, service.run = service.run, no_search
    try:
        second = search_api(client, "食品经营")
    finally:
        service.run = original
    assert second.content == first.content
    assert Query.get("食品经营").hits == 2


def test_a_newly_indexed_guide_reaches_the_cached_search_answer(client, guide):
    from search import index

    index.sync([guide.pk])
    assert search_api(client, "药品零售").json()["total"] == 0
    new = factories.guide(title="药品零售企业许可")
    index.sync([new.pk])  # what the search worker runs after the publish commits
    assert [hit["title"] for hit in search_api(client, "药品零售").json()["hits"]] == [new.title]


def test_a_pdf_read_before_a_publish_is_not_remembered_as_the_new_one(guide):
    from publications import cache

    before = ServiceGuidePage.objects.get(pk=guide.pk)  # loaded by a request...
    republish(guide, title="食品经营许可（新）")  # ...while an editor publishes
    old = cache.guide_pdf(before)
    new = cache.guide_pdf(ServiceGuidePage.objects.get(pk=guide.pk))
    assert new.etag != old.etag
    old.file.close()
    new.file.close()


def test_a_failing_cache_serves_pages_uncached(client, guide, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("Redis is restarting")

    monkeypatch.setattr(version.cache(), "get", down)
    monkeypatch.setattr(version.cache(), "set", down)
    for url in (guide.url, guide.url + "pdf/", "/api/search/?q=食品"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.get("X-Cache") != "hit"


def test_a_visitors_repeated_search_costs_one_write(client, guide):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.contrib.search_promotions.models import Query

    from search import index

    index.sync([guide.pk])
    search_api(client, "食品经营")
    with CaptureQueriesContext(connection) as queries:
        search_api(client, "食品经营")
    statements = [q["sql"] for q in queries.captured_queries]
    assert not any("hotquery" in sql for sql in statements), statements
    writes = [sql for sql in statements if sql.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(writes) == 1 and "querydailyhits" in writes[0], statements
    assert Query.get("食品经营").hits == 2


def test_an_answer_over_https_is_not_served_over_http(client, guide):
    """Answers hold absolute links: one asked over https (or claimed so by a forwarded
    header) must not be what a plain-http visitor gets."""
    from search import index

    index.sync([guide.pk])
    secure = client.get("/api/search/", {"q": "食品经营"}, secure=True)
    assert secure.json()["hits"][0]["url"].startswith("https://")
    plain = client.get("/api/search/", {"q": "食品经营"})
    assert plain.json()["hits"][0]["url"].startswith("http://")
    cached(client, guide.url)
    assert client.get(guide.url, secure=True)["X-Cache"] == "miss"

"""Drafts, private pages and expired pages never appear in any public channel, and wrong
addresses or odd query strings give 404s or ordinary pages, never 500s."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.caching import version
from cms.models import ServiceGuidePage
from tests import factories

pytestmark = pytest.mark.django_db

CHANNEL_SUFFIXES = ["", "kiosk/", "print/"]


def api_listing_titles(client):
    response = client.get("/api/v2/pages/", {"type": "cms.ServiceGuidePage", "limit": 100})
    assert response.status_code == 200
    return {item["title"] for item in response.json()["items"]}


def sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return response.content.decode()


def make_private(page):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


def make_expired(page):
    ServiceGuidePage.objects.filter(pk=page.pk).update(
        expire_at=timezone.now() - datetime.timedelta(hours=1)
    )
    page.refresh_from_db()
    public_content_changed()


def public_content_changed():
    # A raw update fires no signal. In use an expiry time is published in advance and the
    # cache foresees it (cms.caching.version.next_change; tests/test_page_cache.py).
    version.bump()


@pytest.fixture
def hidden_guides():
    public = factories.guide(title="公开的指南")
    draft = factories.guide(title="草稿指南", live=False)
    private = factories.guide(title="内部指南")
    make_private(private)
    expired = factories.guide(title="过期指南")
    make_expired(expired)
    return public, [draft, private, expired]


def test_hidden_guides_are_absent_from_every_channel(client, hidden_guides):
    public, hidden = hidden_guides
    titles = api_listing_titles(client)
    xml = sitemap(client)
    assert public.title in titles
    assert public.url in xml or public.full_url in xml
    for guide in hidden:
        assert guide.title not in titles
        assert guide.slug not in xml
        for suffix in CHANNEL_SUFFIXES:
            url = f"{factories.catalogue().url}{guide.slug}/{suffix}"
            response = client.get(url)
            assert response.status_code in (302, 404), (guide.title, suffix, response.status_code)
            assert guide.title.encode() not in response.content
        detail = client.get(f"/api/v2/pages/{guide.pk}/")
        assert detail.status_code == 404


def test_a_private_guide_redirects_anonymous_visitors_to_login(client):
    private = factories.guide(title="内部指南")
    make_private(private)
    response = client.get(private.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_catalogue_lists_only_public_guides(client, hidden_guides):
    public, hidden = hidden_guides
    html = client.get(factories.catalogue().url).content.decode()
    assert public.title in html
    for guide in hidden:
        assert guide.title not in html


def test_a_policy_lists_only_public_guides_citing_it(client):
    policy = factories.policy(title="被引用的政策")
    factories.guide(title="公开引用者", basis_policy=policy)
    factories.guide(title="草稿引用者", basis_policy=policy, live=False)
    html = client.get(policy.url).content.decode()
    assert "公开引用者" in html
    assert "草稿引用者" not in html


@pytest.mark.parametrize(
    "path",
    [
        "/no-such-page/",
        "/api/v2/pages/999999/",
        "/api/v2/pages/abc/",
        "/documents/999999/missing.pdf",
        "/admin-not-here/",
    ],
)
def test_wrong_addresses_are_404(client, path):
    factories.guide()
    assert client.get(path).status_code == 404


def test_an_unknown_channel_of_a_guide_is_404(client):
    guide = factories.guide()
    assert client.get(guide.url + "nonsense/").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"situation": "abc"},
        {"situation": "99999999999999999999"},
        {"situation": "-1"},
        {"situation": "²"},
        {"page": "xyz"},
        {"page": "99999"},
        {"department": "<script>alert(1)</script>"},
        {"theme": "' OR 1=1 --"},
        {"audience": "🙂"},
        {"item_type": "行政许可" * 500},
        {"flag": ["high_frequency", "nonsense"]},
        {"validity": "已废止"},
    ],
)
def test_odd_query_strings_never_cause_a_500(client, query):
    guide = factories.guide()
    policy = factories.policy()
    for url in (
        guide.url,
        guide.url + "kiosk/",
        guide.url + "print/",
        factories.catalogue().url,
        policy.get_parent().url,
    ):
        response = client.get(url, query)
        assert response.status_code == 200, (url, query)
        assert b"<script>alert(1)</script>" not in response.content


def test_api_with_a_bad_filter_is_a_400_not_a_500(client):
    factories.guide()
    assert client.get("/api/v2/pages/", {"type": "cms.NoSuchPage"}).status_code == 400
    assert client.get("/api/v2/pages/", {"limit": "many"}).status_code == 400


def test_a_page_under_an_expired_parent_is_hidden_everywhere(client):
    from cms.models import MagazineArticlePage, MagazineColumn, MagazineIssuePage, MagazinePage

    magazine = factories.add_page(factories.home(), MagazinePage(title="政务服务"))
    issue = factories.add_page(
        magazine,
        MagazineIssuePage(
            title="2026年第1期", issue_number=1, published_on=datetime.date(2026, 1, 1)
        ),
    )
    column = MagazineColumn.objects.create(name="改革动态")
    article = factories.add_page(
        issue, MagazineArticlePage(title="过期期次里的文章", column=column, body=[])
    )
    assert client.get(article.url).status_code == 200

    MagazineIssuePage.objects.filter(pk=issue.pk).update(
        expire_at=timezone.now() - datetime.timedelta(hours=1)
    )
    public_content_changed()
    assert client.get(article.url).status_code == 404
    assert client.get(f"/api/v2/pages/{article.pk}/").status_code == 404
    assert article.slug not in sitemap(client)


def test_a_draft_section_hides_the_live_pages_under_it(client):
    hidden_catalogue = factories.catalogue()
    guide = factories.guide(title="草稿目录下的指南", parent=hidden_catalogue)
    type(hidden_catalogue).objects.filter(pk=hidden_catalogue.pk).update(live=False)
    assert client.get(guide.url).status_code == 404
    assert guide.title not in api_listing_titles(client)


def test_the_home_page_never_features_a_private_gallery(client):
    from wagtail.models import Collection

    from cms.models import GalleryIndexPage, GalleryPage

    index = factories.add_page(factories.home(), GalleryIndexPage(title="窗口风采"))
    collection = Collection.get_first_root_node().add_child(name="内部照片")
    gallery = factories.add_page(index, GalleryPage(title="内部活动照片", collection=collection))
    make_private(gallery)
    home = factories.home()
    home.featured_gallery = gallery
    factories.publish(home)
    assert "内部活动照片" not in client.get("/").content.decode()


def test_a_repealed_policy_does_not_link_to_a_private_successor(client):
    successor = factories.policy(title="尚未公开的新办法")
    make_private(successor)
    old = factories.policy(title="旧办法", validity="repealed", superseded_by=successor)
    assert "尚未公开的新办法" not in client.get(old.url).content.decode()


def test_the_api_lists_no_images_or_documents_and_search_works(client):
    factories.guide(title="营业执照办理")
    assert client.get("/api/v2/documents/").status_code == 404
    assert client.get("/api/v2/images/").status_code == 404
    response = client.get("/api/v2/pages/", {"search": "营业执照", "type": "cms.ServiceGuidePage"})
    assert response.status_code == 200


def test_documents_are_not_served_around_their_privacy_check(client, settings):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model().objects.create(
        title="内部表格", file=ContentFile(b"%PDF-1.4\n", name="neibu.pdf")
    )
    assert client.get(settings.MEDIA_URL + document.file.name).status_code == 404
    assert client.get(document.url).status_code == 200

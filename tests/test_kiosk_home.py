"""The hall kiosk's start screen (/kiosk/): high-frequency guides, themes, one-thing bundles and
the hall's contacts; only public content; odd query strings give an ordinary page."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.models import OneThingIndexPage, OneThingItem, OneThingPage, ServiceGuidePage, Theme
from publications import views
from tests import factories

pytestmark = pytest.mark.django_db

START = "/kiosk/"


def links(response):
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return {a["href"] for a in soup.find_all("a", href=True)}


def in_theme(guide, theme):
    guide.themes = [theme]
    return factories.publish(guide)


def draft_in_theme(title, theme):
    """A draft whose database row is already filed under `theme`."""
    guide = factories.guide(title=title, live=False)
    guide.themes = [theme]
    guide.save()
    assert ServiceGuidePage.objects.filter(pk=guide.pk, live=False, themes=theme).exists()
    return guide


@pytest.fixture
def civil_registry():
    return Theme.objects.create(name="户籍", slug="hu-ji", description="户口登记、迁移")


def test_start_screen_lists_a_high_frequency_guide_by_its_kiosk_url(client):
    live = factories.guide(title="居民身份证换领")
    response = client.get(START)
    assert live.url + "kiosk/" in links(response)
    assert "居民身份证换领" in response.content.decode()


def test_draft_private_and_expired_guides_never_appear_on_the_start_screen(client):
    factories.guide(title="公开的指南")
    draft = factories.guide(title="草稿指南", live=False)
    private = factories.guide(title="内部指南")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    expired = factories.guide(title="过期指南")
    ServiceGuidePage.objects.filter(pk=expired.pk).update(
        expire_at=timezone.now() - datetime.timedelta(hours=1)
    )
    html = client.get(START).content.decode()
    assert "公开的指南" in html
    for hidden in (draft, private, expired):
        assert hidden.title not in html
        assert hidden.slug not in html


def test_a_guide_that_is_not_high_frequency_is_not_a_start_tile(client):
    everyday = factories.guide(title="日常事项", high_frequency=False)
    assert everyday.url + "kiosk/" not in links(client.get(START))


def test_theme_tiles_lead_to_the_themes_listing(client, civil_registry):
    in_theme(factories.guide(title="户口迁移"), civil_registry)
    assert f"{START}?theme=hu-ji" in links(client.get(START))


def test_a_theme_without_public_guides_has_no_tile(client, civil_registry):
    draft_in_theme("户口迁移", civil_registry)
    assert f"{START}?theme=hu-ji" not in links(client.get(START))


def test_the_theme_listing_shows_only_that_themes_public_guides(client, civil_registry):
    moving = in_theme(factories.guide(title="户口迁移"), civil_registry)
    company = factories.guide(title="公司设立")  # the factory's theme is 企业开办
    draft = draft_in_theme("草稿户籍事项", civil_registry)

    response = client.get(START, {"theme": "hu-ji"})
    hrefs = links(response)
    html = response.content.decode()
    assert moving.url + "kiosk/" in hrefs
    assert company.url + "kiosk/" not in hrefs
    assert draft.title not in html
    assert "户籍" in html


def test_the_theme_listing_pages_with_previous_and_next_buttons(
    client, civil_registry, monkeypatch
):
    monkeypatch.setattr(views, "KIOSK_GUIDES_PER_PAGE", 1)
    first = in_theme(factories.guide(title="户口迁移"), civil_registry)
    second = in_theme(factories.guide(title="户口登记"), civil_registry)
    ordered = sorted([first, second], key=lambda g: g.implementation_code)

    page_one = client.get(START, {"theme": "hu-ji"})
    assert ordered[0].url + "kiosk/" in links(page_one)
    assert f"{START}?theme=hu-ji&page=2" in links(page_one)
    assert "下一页" in page_one.content.decode()

    page_two = client.get(START, {"theme": "hu-ji", "page": "2"})
    assert ordered[1].url + "kiosk/" in links(page_two)
    assert ordered[0].url + "kiosk/" not in links(page_two)
    assert f"{START}?theme=hu-ji&page=1" in links(page_two)

    # A page past the end shows the last page; one that is not a number, the first.
    assert ordered[1].url + "kiosk/" in links(client.get(START, {"theme": "hu-ji", "page": "99"}))
    assert ordered[0].url + "kiosk/" in links(client.get(START, {"theme": "hu-ji", "page": "x"}))


@pytest.mark.parametrize(
    "query",
    [
        "theme=no-such-theme",
        "theme=%E6%88%B7%E7%B1%8D",
        "theme=" + "x" * 5000,
        "page=abc",
        "theme=qiye-kaiban&page=abc",
        "theme=qiye-kaiban&page=-3",
        "theme=qiye-kaiban&page=0",
        "theme=qiye-kaiban&page=1.5",
        "theme=qiye-kaiban&page=1e9",
        "theme=qiye-kaiban&page=99999999999999999999999",
        "theme=qiye-kaiban&theme=hu-ji&page=2&page=3",
        "theme=&page=",
    ],
)
def test_odd_query_strings_answer_an_ordinary_page(client, query):
    factories.guide(title="公司设立")
    response = client.get(f"{START}?{query}")
    assert response.status_code == 200
    assert "自助服务终端" in response.content.decode()


def test_the_start_screen_lists_public_one_thing_bundles(client):
    guide = factories.guide(title="公司设立")
    index = factories.add_page(factories.home(), OneThingIndexPage(title="一件事一次办"))
    bundles = [
        factories.add_page(
            index,
            OneThingPage(
                title=title, life_event="新开办一家企业", items=[OneThingItem(guide=guide)]
            ),
            live=live,
        )
        for title, live in [("开办企业一件事", True), ("草稿一件事", False)]
    ]
    response = client.get(START)
    assert bundles[0].url in links(response)
    assert bundles[1].url not in links(response)
    assert "草稿一件事" not in response.content.decode()


def test_the_start_screen_shows_the_hall_hotline_and_address(client):
    home = factories.home()
    home.hotline = "0535-12345"
    home.hall_address = "示范市人民大道188号 市民之家"
    factories.publish(home)
    html = client.get(START).content.decode()
    assert "0535-12345" in html
    assert "示范市人民大道188号 市民之家" in html


def test_the_start_screen_has_no_site_chrome_and_no_script(client):
    factories.guide(title="公司设立")
    soup = BeautifulSoup(client.get(START).content, "html.parser")
    assert soup.find("footer") is None
    assert soup.find("script") is None
    assert soup.select_one("body.kiosk") is not None


def test_the_guide_kiosk_back_buttons_return_to_the_start_screen(client):
    guide = factories.guide(title="公司设立")
    situation = guide.situations.first()
    for params in ({}, {"situation": situation.pk}):
        response = client.get(guide.url + "kiosk/", params)
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        backs = soup.select("a[data-back]")
        assert backs
        assert {a["href"] for a in backs} == {START}

"""The head every public page shares: a viewport (phones lay the page out at their width,
the print/ views too) and the favicon: every kind of public page links the SVG mark, and
/favicon.ico, which browsers and crawlers ask for regardless, leads to it instead of a 404."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests import factories

pytestmark = pytest.mark.django_db

ICON = "cms/img/favicon.svg"


def icon_links(html):
    return [
        link["href"] for link in BeautifulSoup(html, "html.parser").find_all("link", rel="icon")
    ]


def test_favicon_ico_redirects_to_the_svg_mark(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(ICON)
    # Cacheable by browsers and nginx for a day, never the 404 page.
    assert "max-age=86400" in response["Cache-Control"]
    assert finders.find(ICON), "the static file the redirect names exists"


def test_the_mark_is_a_self_contained_svg():
    with open(finders.find(ICON), encoding="utf-8") as file:
        svg = BeautifulSoup(file.read(), "html.parser").svg
    assert svg is not None and svg.get("viewbox") == "0 0 64 64"
    # Paths only: a favicon cannot count on a CJK font being there to draw a character.
    assert svg.find("text") is None


def public_pages(client):
    """Every kind of public page's HTML, by URL or template name."""
    guide = factories.guide()
    policy = factories.policy()
    urls = [
        factories.home().url,
        guide.url,
        guide.url + "kiosk/",
        guide.url + "print/",
        policy.url + "print/",
        "/kiosk/",
        "/search/?q=营业执照",
    ]
    pages = {url: client.get(url).content.decode() for url in urls}
    pages["404"] = client.get("/no-such-page/").content.decode()
    request = RequestFactory().get("/")
    for name in ("400.html", "429.html", "500.html"):
        pages[name] = render_to_string(name, request=request)
    return pages


def test_every_kind_of_public_page_links_the_icon(client):
    pages = public_pages(client)
    found = {
        name: [href.endswith(ICON) for href in icon_links(html)] for name, html in pages.items()
    }
    assert found == {name: [True] for name in pages}


def test_every_kind_of_public_page_has_a_viewport(client):
    pages = public_pages(client)
    viewports = {
        name: [
            meta.get("content")
            for meta in BeautifulSoup(html, "html.parser").find_all(
                "meta", attrs={"name": "viewport"}
            )
        ]
        for name, html in pages.items()
    }
    assert viewports == {name: ["width=device-width, initial-scale=1"] for name in pages}

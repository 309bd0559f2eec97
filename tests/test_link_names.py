"""Links are named for what they open: on a page, two links with the same accessible name go
to the same place (WCAG 2.4.4 link purpose). The catalogue had thirty "办事指南" and "在线办理"
links, each to a different item, that a screen reader's link list could not tell apart.

The accessible name is computed as browsers do for these templates: aria-label if present,
otherwise the text of the link (visually hidden text included, aria-hidden text and its
images' alt left out; an image's alt otherwise), whitespace collapsed."""

import re
from collections import defaultdict

import pytest
from bs4 import BeautifulSoup, NavigableString

from cms.models import CatalogueIndexPage
from cms.models.catalogue import GUIDES_PER_PAGE
from tests import factories
from tests.bundles import opening_a_company

pytestmark = pytest.mark.django_db


def text_of(element):
    if isinstance(element, NavigableString):
        return str(element)
    if element.get("aria-hidden") == "true":
        return ""
    if element.name == "img":
        return element.get("alt", "")
    return "".join(text_of(child) for child in element.children)


def accessible_name(link):
    name = link.get("aria-label") or text_of(link)
    return re.sub(r"\s+", " ", name).strip()


def ambiguous_links(html):
    """{name: [hrefs]} for every name that several links with different hrefs share."""
    hrefs = defaultdict(set)
    for link in BeautifulSoup(html, "html.parser").select("a[href]"):
        hrefs[accessible_name(link)].add(link["href"])
    return {name: sorted(found) for name, found in hrefs.items() if len(found) > 1}


def page_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def catalogue_of_many():
    """More guides than one catalogue page holds, each with an online service: a full page of
    办事指南 and 在线办理 buttons, and the pagination."""
    for n in range(GUIDES_PER_PAGE + 1):
        factories.guide(online_url=f"https://zwfw.example.gov.cn/apply/{n}")
    return CatalogueIndexPage.objects.get()


def test_the_catalogue_names_each_items_buttons(client, catalogue_of_many):
    html = page_html(client, catalogue_of_many.url)
    links = BeautifulSoup(html, "html.parser").select(".guide-item__actions a")
    assert len(links) == 2 * GUIDES_PER_PAGE
    # Label in name (WCAG 2.5.3): the name starts with the words a sighted user sees.
    for link in links:
        visible = text_of(link).split("：")[0]
        assert accessible_name(link).startswith(visible) and visible in ("办事指南", "在线办理")
    assert ambiguous_links(html) == {}
    # Filtered, on its last page: the pagination's 首页 is not the site's 首页.
    filtered = f"{catalogue_of_many.url}?audience=legal&page=2"
    assert ambiguous_links(page_html(client, filtered)) == {}


def test_the_home_page_has_no_two_links_of_one_name(client):
    opening_a_company()
    for n in range(3):
        factories.policy(title=f"关于优化营商环境的通知{n}")
    factories.magazine_issue()
    assert ambiguous_links(page_html(client, factories.home().url)) == {}


def test_search_results_have_no_two_links_of_one_name(client):
    for n in range(12):
        factories.guide(title=f"营业执照变更登记{n}", online_url=f"https://example.gov.cn/{n}")
    html = page_html(client, "/search/?q=营业执照")
    assert "营业执照变更登记" in html
    assert ambiguous_links(html) == {}


def test_a_bundle_page_names_each_view_guide_link(client):
    bundle = opening_a_company().bundle
    assert ambiguous_links(page_html(client, bundle.url)) == {}


def test_the_policy_list_and_a_magazine_issue_have_no_two_links_of_one_name(client):
    for n in range(3):
        factories.policy(title=f"关于优化营商环境的通知{n}")
    issue = factories.magazine_issue()
    assert ambiguous_links(page_html(client, factories.policy_index().url)) == {}
    assert ambiguous_links(page_html(client, issue.url)) == {}

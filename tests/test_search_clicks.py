"""A click on a search result: counted, then sent to the page itself, with no JavaScript;
never sent anywhere a link could name."""

import re

import pytest
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from search import index
from search.backends import get_search_backend
from search.models import SearchDay
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide():
    page = factories.guide(title="结婚登记", popular_names="领证")
    list(index.rebuild(get_search_backend()))
    return page


def result_links(html):
    results = html.split('class="search-results"')[1].split("</ol>")[0]
    return [m.replace("&amp;", "&") for m in re.findall(r'href="([^"]*)"', results)]


def clicks(query):
    return SearchDay.objects.get(query_string=query, date=timezone.localdate()).clicks


def test_a_result_link_works_without_javascript_counts_the_click_and_lands_on_the_page(
    client, guide
):
    html = client.get("/search/", {"q": "结婚"}).content.decode()
    (link,) = result_links(html)
    assert link.startswith("/search/go/?")
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == guide.url
    assert "no-cache" in response["Cache-Control"]  # every click reaches the app
    assert clicks("结婚") == 1
    client.get(link)  # the same visitor again the same day
    assert clicks("结婚") == 1
    client.get(link, REMOTE_ADDR="10.0.0.7")  # without a search of their own that day
    assert clicks("结婚") == 2


def test_a_best_bet_link_counts_its_click_too(client, guide):
    SearchPromotion.objects.create(query=Query.get("领证"), page=guide, description="二楼")
    html = client.get("/search/", {"q": "领证"}).content.decode()
    bet = html.split('class="search-bestbets"')[1].split("</section>")[0]
    link = re.search(r'href="([^"]*)"', bet)[1].replace("&amp;", "&")
    assert client.get(link)["Location"] == guide.url
    assert clicks("领证") == 1


@pytest.mark.parametrize(
    "page",
    ["999999", "//evil.example.com", "https://evil.example.com/", "-1", "9" * 40, ""],
)
def test_an_unknown_page_goes_back_to_the_search_never_elsewhere(client, guide, page):
    client.get("/search/", {"q": "结婚"})
    response = client.get("/search/go/", {"q": "结婚", "page": page})
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=%E7%BB%93%E5%A9%9A"
    assert clicks("结婚") == 0


def test_a_page_no_longer_public_is_not_redirected_to(client, guide):
    client.get("/search/", {"q": "结婚"})
    link = f"/search/go/?q=结婚&page={guide.pk}"
    PageViewRestriction.objects.create(page=guide, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(link)["Location"].startswith("/search/?q=")
    guide.unpublish()
    assert client.get(link)["Location"].startswith("/search/?q=")
    assert clicks("结婚") == 0


def test_a_made_up_link_adds_no_query_to_the_statistics(client, guide):
    response = client.get("/search/go/", {"q": "刷单加微信", "page": guide.pk})
    assert response["Location"] == guide.url  # the visitor still gets the page
    assert not SearchDay.objects.filter(query_string="刷单加微信").exists()

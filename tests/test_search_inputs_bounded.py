"""What a visitor sends is cut before it reaches a link, a template, a log or an engine: a
page's size does not grow with its URL, and no link carries a parameter the search does not
read."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from wagtail.contrib.search_promotions.models import Query

from search import index
from search.backends import get_search_backend
from search.models import SearchDay
from search.query import MAX_QUERY_LENGTH
from tests import factories

pytestmark = pytest.mark.django_db

HUGE = "营业执照" * 15_000  # 60,000 characters, 540,000 once percent-encoded
# 100 Chinese characters percent-encoded (900) plus filters and a page: links stay well below.
LINK_BOUND = 1_500


@pytest.fixture
def catalogue():
    for n in range(12):
        factories.guide(title=f"营业执照遗失补领{n:02d}", popular_names="", audience="legal")
    list(index.rebuild(get_search_backend()))


def links(html):
    return [m.replace("&amp;", "&") for m in re.findall(r'href="(\?[^"]*)"', html)]


def test_a_60000_character_query_answers_a_small_page_with_short_links(client, catalogue):
    response = client.get("/search/", {"q": HUGE, "type": "guide", "audience": "legal"})
    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < 100_000
    found = links(html)
    assert found and max(map(len, found)) <= LINK_BOUND
    # The query went into the page, the links and the log cut to MAX_QUERY_LENGTH.
    assert HUGE[: MAX_QUERY_LENGTH + 1] not in html
    carried = parse_qs(urlsplit(found[0]).query)["q"][0]
    assert carried == HUGE[:MAX_QUERY_LENGTH]
    assert all(len(q.query_string) <= MAX_QUERY_LENGTH for q in Query.objects.all())
    # Every page's header search box shows the query too.
    assert len(client.get("/", {"q": HUGE}).content) < 100_000


def test_the_api_echoes_at_most_the_cut_query(client, catalogue):
    data = client.get("/api/search/", {"q": HUGE}).json()
    assert len(data["query"]) <= MAX_QUERY_LENGTH
    suggest = client.get("/api/search/suggest/", {"q": HUGE})
    assert len(suggest.json()["query"]) == MAX_QUERY_LENGTH and len(suggest.content) < 10_000
    nothing = client.get("/api/search/", {"q": "潜" * 60_000})
    assert nothing.status_code == 200 and len(nothing.content) < 10_000
    assert all(len(q.query_string) <= MAX_QUERY_LENGTH for q in SearchDay.objects.all())


def test_links_carry_only_the_parameters_the_search_reads_with_values_that_exist(client, catalogue):
    response = client.get(
        "/search/",
        {
            "q": "营业执照",
            "page_size": "5",
            "utm_source": "x" * 5_000,
            "type": "guide",
            "department": "no-such-department" * 100,
            "flag": ["zero_visit", "made-up"] * 200,
            "<script>": "alert(1)",
        },
    )
    found = links(response.content.decode())
    assert found and max(map(len, found)) <= LINK_BOUND
    for link in found:
        carried = parse_qs(urlsplit(link).query)
        known = {"q", "type", "department", "theme", "audience", "item_type", "flag", "page"}
        assert set(carried) <= known | {"page_size"}, link
        assert "no-such-department" not in link and "made-up" not in link
        assert carried.get("page_size") == ["5"]
        assert carried.get("flag", ["zero_visit"])[0] == "zero_visit"
    next_page = next(link for link in found if "page=2" in link)
    assert parse_qs(urlsplit(next_page).query)["type"] == ["guide"]

"""Hot queries (热门搜索) a centre can stand behind: what several visitors asked and found,
never one person's repeated text, a query that found nothing, contact details or offers, or
what an editor hid. Each rule has its test."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from search import hot, index
from search.backends import get_search_backend
from search.models import HotQuery, HotQueryBlockedWord, HotQueryVisitor
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    factories.guide(title="营业执照遗失补领", popular_names="执照丢了")
    factories.guide(title="结婚登记", popular_names="领证")
    factories.guide(title="公积金贷款申请", popular_names="")
    list(index.rebuild(get_search_backend()))


def search_as(client, visitor, q, url="/search/", **params):
    """A search by one of several visitors, told apart as the site tells them: by address."""
    return client.get(url, {"q": q, **params}, REMOTE_ADDR=f"10.0.0.{visitor}")


def shown(client):
    html = client.get("/search/").content.decode()
    if "热门搜索" not in html:
        return []
    line = html[html.index("热门搜索") :].split("</p>")[0]
    return [part.split("</a>")[0] for part in line.split('">')[1:]]


def test_a_query_is_hot_once_three_visitors_asked_it(client, catalogue):
    for visitor in range(2):
        search_as(client, visitor, "结婚")
    assert shown(client) == []
    search_as(client, 2, "结婚", url="/api/search/")  # the API's visitors count too
    assert shown(client) == ["结婚"]


def test_one_visitor_repeating_a_query_counts_once(client, catalogue):
    for _ in range(5):
        search_as(client, 1, "结婚")
    assert shown(client) == []
    assert HotQueryVisitor.objects.count() == 1


def test_behind_a_declared_proxy_visitors_are_told_apart_by_forwarded_address(
    client, catalogue, settings
):
    settings.TRUSTED_PROXIES = 1
    for visitor in range(3):
        client.get(
            "/search/",
            {"q": "结婚"},
            REMOTE_ADDR="127.0.0.1",  # nginx
            HTTP_X_FORWARDED_FOR=f"203.0.113.{visitor}",
        )
    assert shown(client) == ["结婚"]
    # One visitor typing a new first hop each time stays one visitor.
    for spoof in range(3):
        client.get(
            "/search/",
            {"q": "领证"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"1.1.1.{spoof}, 203.0.113.9",
        )
    assert "领证" not in shown(client)


def test_one_client_changing_its_browser_name_stays_one_visitor(client, catalogue):
    for browser in ("Firefox", "Chrome", "WeChat"):
        client.get("/search/", {"q": "结婚"}, REMOTE_ADDR="10.0.0.1", HTTP_USER_AGENT=browser)
    assert shown(client) == []


def test_addresses_of_one_ipv6_network_are_one_visitor(client, catalogue):
    for host in ("1", "2", "abcd"):
        client.get("/search/", {"q": "结婚"}, REMOTE_ADDR=f"2001:db8:1:2::{host}")
    assert shown(client) == []


def test_a_visitor_is_stored_as_a_keyed_hash_of_the_day_never_the_address(
    client, catalogue, monkeypatch
):
    search_as(client, 7, "结婚")
    stored = HotQueryVisitor.objects.get().visitor
    assert "10.0.0.7" not in stored and len(stored) == 32
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    search_as(client, 7, "结婚")
    # The same visitor the next day: counted again, and not linkable to the day before.
    first, second = HotQueryVisitor.objects.order_by("day").values_list("visitor", flat=True)
    assert first != second


def test_queries_that_found_nothing_or_only_partial_matches_are_never_hot(client, catalogue):
    for visitor in range(3):
        search_as(client, visitor, "潜水艇驾驶执照")  # nothing as typed: partial matches
        search_as(client, visitor, "宇宙飞船")  # nothing at all
    assert search_as(client, 0, "潜水艇驾驶执照", url="/api/search/").json()["relaxed"]
    assert shown(client) == []
    assert not HotQuery.objects.exists()


def test_a_later_page_or_a_filtered_search_is_not_a_new_visit(client, catalogue):
    for visitor in range(3):
        search_as(client, visitor, "结婚", page="2")
        search_as(client, visitor, "结婚", audience="person")
    assert shown(client) == []


@pytest.mark.parametrize(
    "query",
    [
        "营业执照 加微信领补贴",
        "营业执照 加 V 信",
        "营业执照代办",
        "公积金贷款",  # a real service, blocked by the starter list: editors may remove 贷款
        "结婚登记 QQ群",
        "结婚登记 13812345678",
        "结婚登记 138-1234-5678",
        "营业执照 www.example.com",
        "营业执照 https://t.cn/abc",
        "营业执照 a@b.cn",
    ],
)
def test_contact_details_offers_and_numbers_never_become_hot(client, catalogue, query):
    for visitor in range(5):
        search_as(client, visitor, query)
    assert shown(client) == []


def test_an_editors_blocked_word_removes_a_hot_query_at_once(client, catalogue):
    for visitor in range(3):
        search_as(client, visitor, "结婚")
    assert shown(client) == ["结婚"]
    HotQueryBlockedWord.objects.create(word="结婚")
    assert shown(client) == []


def test_the_starter_blocked_words_come_with_the_migration():
    words = set(HotQueryBlockedWord.objects.values_list("word", flat=True))
    assert {"微信", "qq", "加群", "代办", "贷款", "刷单", "返利", "赌"} <= words


def test_an_editor_hides_a_hot_query_in_the_admin(client, catalogue):
    for visitor in range(3):
        search_as(client, visitor, "结婚")
        search_as(client, visitor, "执照")
    assert sorted(shown(client)) == ["执照", "结婚"]
    client.force_login(factories.user("reviewer", "审核员"))
    listing = client.get(reverse("hot_queries:index")).content.decode()
    assert "结婚" in listing and "近30天访客数" in listing
    entry = HotQuery.objects.get(query_string="结婚")
    response = client.post(reverse("hot_queries:edit", args=[entry.pk]), {"hidden": "on"})
    assert response.status_code == 302
    # Entries come from visitors' searches, never typed in by hand.
    assert client.get(reverse("hot_queries:add")).status_code in (302, 403)
    client.logout()
    assert shown(client) == ["执照"]


def test_visits_older_than_the_window_are_forgotten(client, catalogue):
    entry = HotQuery.objects.create(query_string="结婚")
    long_ago = timezone.localdate() - datetime.timedelta(days=hot.HOT_QUERY_DAYS)
    for visitor in range(3):
        HotQueryVisitor.objects.create(query=entry, day=long_ago, visitor=f"v{visitor}")
    assert shown(client) == []  # out of the window
    search_as(client, 1, "执照")  # the day's first counted search clears the old visits
    assert not HotQueryVisitor.objects.filter(day=long_ago).exists()
    assert not HotQuery.objects.filter(query_string="结婚").exists()


def test_an_editor_adds_a_blocked_word_in_the_admin_as_queries_are_read(client, catalogue):
    for visitor in range(3):
        search_as(client, visitor, "結婚")  # traditional: read as 结婚
    client.force_login(factories.user("reviewer", "审核员"))
    response = client.post(reverse("hot_query_blocked_words:add"), {"word": " 結 婚 "})
    assert response.status_code == 302
    assert HotQueryBlockedWord.objects.filter(word="结婚").exists()
    client.logout()
    assert shown(client) == []

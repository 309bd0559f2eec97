"""RSS and Atom feeds of the policies and of each magazine's issues: what the list page lists
(live, public, unexpired), with Chinese titles and descriptions, absolute links, well-formed
XML under the feed content types, and linked from the list pages' <head>."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from cms.caching import version
from publications import editions
from tests import factories

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"


def make_private(page):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


def make_expired(page):
    # Still live: publish_scheduled has not run yet, and the feed must not wait for it.
    Page.objects.filter(pk=page.pk).update(expire_at=timezone.now() - datetime.timedelta(hours=1))
    version.bump()  # a raw update fires no signal (tests/test_public_visibility.py)


def rss(client, url):
    response = client.get(url + "rss/")
    assert response.status_code == 200
    assert response["Content-Type"] == RSS_TYPE
    root = ET.fromstring(response.content)  # well-formed, or this raises
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.find("channel")


def atom(client, url):
    response = client.get(url + "atom/")
    assert response.status_code == 200
    assert response["Content-Type"] == ATOM_TYPE
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def rss_items(channel):
    return {item.findtext("title"): item for item in channel.findall("item")}


def atom_entries(feed):
    return {entry.findtext(f"{ATOM}title"): entry for entry in feed.findall(f"{ATOM}entry")}


@pytest.fixture
def policies():
    public = factories.policy(
        title="关于优化营业执照办理流程的通知",
        document_number="示政发〔2026〕3号",
        summary="营业执照一日办结，材料减至三件。",
    )
    hidden = {
        "draft": factories.policy(title="尚未发布的通知", live=False),
        "private": factories.policy(title="内部通知"),
        "expired": factories.policy(title="已过期的通知"),
    }
    make_private(hidden["private"])
    make_expired(hidden["expired"])
    return public, hidden


@pytest.fixture
def issues():
    magazine = factories.magazine(title="政务服务", sponsor="示范市政务服务管理办公室")
    column = factories.magazine_column("改革动态", 1)
    public = factories.magazine_issue(magazine, title="2026年第3期")
    factories.magazine_article(public, column, title="一窗受理提速增效")
    factories.magazine_article(public, column, title="尚未发布的文章", live=False)
    hidden = {
        "draft": factories.magazine_issue(
            magazine, title="2026年第4期", issue_number=4, live=False
        ),
        "private": factories.magazine_issue(magazine, title="2026年第2期", issue_number=2),
        "expired": factories.magazine_issue(magazine, title="2026年第1期", issue_number=1),
    }
    make_private(hidden["private"])
    make_expired(hidden["expired"])
    return magazine, public, hidden


def test_the_policy_feeds_list_public_policies_only(client, policies):
    public, hidden = policies
    index = public.get_parent().specific

    channel = rss(client, index.url)
    assert channel.findtext("title") == f"{editions.site_of(index)[0]} · 政策文件"
    assert channel.findtext("language") == "zh-cn"
    assert channel.findtext("link").startswith("http")
    items = rss_items(channel)
    assert list(items) == [public.title]
    item = items[public.title]
    assert item.findtext("link") == public.get_full_url()
    assert item.findtext("link").startswith("http://") and item.findtext("link").endswith(
        public.url
    )
    description = item.findtext("description")
    assert "文号：示政发〔2026〕3号" in description and "效力状态：现行有效" in description
    assert "营业执照一日办结" in description
    assert item.findtext("category") == "现行有效"

    entries = atom_entries(atom(client, index.url))
    assert list(entries) == [public.title]
    entry = entries[public.title]
    assert entry.find(f"{ATOM}link").get("href") == public.get_full_url()
    assert entry.findtext(f"{ATOM}updated")
    assert "发文机关：示范市人民政府" in entry.findtext(f"{ATOM}summary")
    for page in hidden.values():
        assert page.title not in (client.get(index.url + "rss/").content.decode())
        assert page.title not in (client.get(index.url + "atom/").content.decode())


def test_the_magazine_feeds_list_public_issues_with_their_public_contents(client, issues):
    magazine, public, hidden = issues

    channel = rss(client, magazine.url)
    assert "政务服务" in channel.findtext("title")
    items = rss_items(channel)
    assert list(items) == ["政务服务 2026年第3期（总第27期）"]
    item = next(iter(items.values()))
    assert item.findtext("link") == public.get_full_url()
    description = item.findtext("description")
    assert "本期聚焦“一件事一次办”改革" in description
    assert "本期目录：一窗受理提速增效" in description
    assert "尚未发布的文章" not in description
    assert item.findtext("category") == "改革动态"

    feed = atom(client, magazine.url)
    assert feed.find(f"{ATOM}author").findtext(f"{ATOM}name") == "示范市政务服务管理办公室"
    entries = atom_entries(feed)
    assert list(entries) == ["政务服务 2026年第3期（总第27期）"]
    for page in hidden.values():
        assert page.title not in client.get(magazine.url + "rss/").content.decode()
        assert page.title not in client.get(magazine.url + "atom/").content.decode()


def test_the_list_pages_link_their_feeds_in_their_head(client, policies, issues):
    public, _ = policies
    magazine, _, _ = issues
    for page in (public.get_parent(), magazine):
        head = BeautifulSoup(client.get(page.url).content, "html.parser").head
        links = {link["type"]: link["href"] for link in head.find_all("link", rel="alternate")}
        assert links == {
            "application/rss+xml": page.url + "rss/",
            "application/atom+xml": page.url + "atom/",
        }
        for content_type, href in links.items():
            assert client.get(href)["Content-Type"].startswith(content_type)


def test_a_newly_published_policy_reaches_the_cached_feed_at_once(client, policies):
    public, _ = policies
    index = public.get_parent()
    assert client.get(index.url + "rss/")["X-Cache"] == "miss"
    assert client.get(index.url + "rss/")["X-Cache"] == "hit"
    factories.policy(title="新发布的通知")
    assert "新发布的通知" in rss_items(rss(client, index.url))


def test_control_characters_pasted_into_a_summary_leave_the_feeds_well_formed(client):
    policy = factories.policy(title="含控制字符的通知", summary="第一段\x0b第二段\x08")
    index = policy.get_parent()
    item = rss_items(rss(client, index.url))["含控制字符的通知"]
    assert "第一段 第二段" in item.findtext("description")
    assert "含控制字符的通知" in atom_entries(atom(client, index.url))


def test_the_feeds_of_a_private_list_page_are_private_too(client, policies):
    public, _ = policies
    index = public.get_parent()
    make_private(index)
    for suffix in ("rss/", "atom/"):
        response = client.get(index.url + suffix)
        assert response.status_code == 302  # to the login page, like the list page itself
        assert public.title not in response.content.decode()


def test_a_list_page_without_public_items_has_an_empty_valid_feed(client):
    magazine = factories.magazine()
    assert rss(client, magazine.url).findall("item") == []
    assert atom(client, magazine.url).findall(f"{ATOM}entry") == []

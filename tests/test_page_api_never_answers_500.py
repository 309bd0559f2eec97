"""The page API answers every request below 500: odd, huge, negative or malformed parameters
get a 4xx with a message saying what is wrong, and ?search= works across every public page
type without `type`."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

GUIDES = "cms.ServiceGuidePage"
HUGE = "9" * 30
LONG = "营" * 10_000

CORPUS = [
    # limit and offset
    {"offset": HUGE},
    {"offset": "-1"},
    {"offset": "-" + HUGE},
    {"offset": "1.5"},
    {"offset": "1e3"},
    {"offset": "²"},
    {"offset": "１２"},
    {"offset": LONG},
    {"limit": HUGE},
    {"limit": "-1"},
    {"limit": "0"},
    {"limit": "101"},
    {"limit": "abc"},
    {"limit": LONG},
    {"limit": "100", "offset": str(10**9)},
    # types
    {"type": "cms.NoSuchPage"},
    {"type": "auth.User"},
    {"type": "cms.Department"},
    {"type": "nonsense"},
    {"type": ","},
    {"type": GUIDES + ","},
    {"type": LONG},
    {"type": "wagtailcore.Page"},
    {"type": GUIDES + ",cms.PolicyPage", "fields": "*"},
    # fields
    {"fields": "**"},
    {"fields": "*,*"},
    {"fields": "-*"},
    {"fields": "nope"},
    {"fields": "("},
    {"fields": ","},
    {"fields": "title(x)"},
    {"fields": "_,-title"},
    {"fields": LONG},
    {"type": GUIDES, "fields": "*"},
    {"type": GUIDES, "fields": "materials(nope)"},
    {"type": GUIDES, "fields": "materials(("},
    {"type": GUIDES, "fields": "legal_bases(policy_url(x))"},
    {"type": GUIDES, "fields": "department"},
    {"type": GUIDES, "fields": "parent"},
    # search
    {"search": "x"},
    {"search": "营业"},
    {"search": ""},
    {"search": LONG},
    {"search": '"unterminated'},
    {"search": "a OR b AND -c"},
    {"search": "%_*"},
    {"type": GUIDES, "search": "营业", "search_operator": "xyz"},
    {"search": "营业", "search_operator": "or"},
    {"search": "营业", "search_operator": LONG},
    {"search": "x", "order": "title"},
    {"search": "x", "order": "nope"},
    {"type": GUIDES, "search": "营业", "order": "legal_days"},
    {"search": "x", "child_of": "root"},
    {"search": "x", "type": GUIDES, "offset": HUGE},
    # filters on fields
    {"id": HUGE},
    {"id": "abc"},
    {"type": GUIDES, "legal_days": HUGE},
    {"type": GUIDES, "legal_days": "abc"},
    {"type": GUIDES, "kiosk_available": "maybe"},
    {"type": GUIDES, "title": LONG},
    {"type": GUIDES, "implementation_code": LONG},
    {"nonsense": "1"},
    # the page tree, locale and site
    {"child_of": HUGE},
    {"child_of": "abc"},
    {"child_of": "-1"},
    {"descendant_of": HUGE},
    {"ancestor_of": "abc"},
    {"translation_of": HUGE},
    {"child_of": "root", "descendant_of": "root"},
    {"locale": "xx"},
    {"locale": LONG},
    {"site": LONG},
    {"site": "a:b"},
    # order and output format
    {"order": "random", "offset": "3"},
    {"order": "nope"},
    {"order": "-"},
    {"order": LONG},
    {"rich_text_format": "xyz"},
    {"format": "xml"},
    {"format": "api"},
    # NUL characters (PostgreSQL refuses them in text)
    {"search": "a\x00b"},
    {"title": "\x00"},
    {"type": GUIDES + "\x00"},
    # find/ only reads these
    {"html_path": LONG},
    {"html_path": "/../../etc/passwd"},
]


@pytest.fixture
def guide():
    return factories.guide(title="营业执照办理", basis_policy=factories.policy())


@pytest.mark.parametrize("query", CORPUS, ids=lambda query: repr(query)[:60])
def test_no_query_string_makes_the_page_api_answer_500(client, guide, query):
    for url in ("/api/v2/pages/", f"/api/v2/pages/{guide.pk}/", "/api/v2/pages/find/"):
        response = client.get(url, query)
        assert response.status_code < 500, (url, query)
        if 400 <= response.status_code < 500:
            assert response.content.strip(), (url, query)  # says what is wrong


@pytest.mark.parametrize(
    "path", ["/api/v2/pages/99999999999999999999999/", "/api/v2/pages/0/", "/api/v2/pages/-1/"]
)
def test_a_detail_address_that_names_no_page_is_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query, message",
    [
        ({"offset": "99999999999999999999999"}, "offset 不能大于"),
        ({"type": GUIDES, "search": "营业", "search_operator": "xyz"}, "search_operator"),
    ],
)
def test_values_wagtail_would_pass_to_the_database_are_a_400_with_a_message(
    client, guide, query, message
):
    response = client.get("/api/v2/pages/", query)
    assert response.status_code == 400
    assert message in response.json()["message"]


def test_find_with_an_id_that_is_no_number_is_a_400(client, guide):
    response = client.get("/api/v2/pages/find/", {"id": "abc"})
    assert response.status_code == 400
    assert "id" in response.json()["message"]
    assert client.get("/api/v2/pages/find/", {"id": guide.pk}).status_code == 302


def test_search_without_a_type_finds_public_pages_of_every_type(client, guide):
    factories.policy(title="关于营业执照便利化的通知")
    factories.policy(title="营业执照草稿通知", live=False)

    response = client.get("/api/v2/pages/", {"search": "营业执照"})

    assert response.status_code == 200
    found = {(item["meta"]["type"], item["title"]) for item in response.json()["items"]}
    assert found == {(GUIDES, "营业执照办理"), ("cms.PolicyPage", "关于营业执照便利化的通知")}

"""Whatever a visitor or a scanner sends, the search endpoints answer without a server error:
engine syntax (Elasticsearch, SQL, FTS5), control characters, broken percent-encoding, huge,
negative and non-numeric pages, unknown filter values and repeated parameters.

A 400 is a fine answer (a NUL character is refused before any view: cms/middleware.py); a
500 never is. Run on SQLite and on PostgreSQL (embedded backend)."""

import pytest

from search import index
from search.backends import get_search_backend
from tests import factories

pytestmark = pytest.mark.django_db

ENDPOINTS = ["/search/", "/search/go/", "/api/search/", "/api/search/suggest/"]

QUERIES = [
    'title:"x" AND (a OR b)~2^3 /regex/ *',
    "营业执照 AND title:营业* OR body:(执照~2)^10",
    '{"query": {"match_all": {}}}',
    "' OR 1=1 --",
    "'; DROP TABLE portal_search_indexeddocument; --",
    "营业' UNION SELECT password FROM auth_user --",
    'NEAR(营业 执照) "x" * ^ -',
    'title : 执照 NOT 补领 OR "*"',
    "- * ^ : ( ) \" ' \\ % _ [ ] { } | & ! ~ < > ? /",
    "\x01\x1f",
    "社保\x01卡\x1f\x7f\u0085",
    "\u200b\u200e\u202e营业执照\ufeff",
    "e\u0301\u0301\u0301",
    "🙂" * 50,
    "x" * 10_000,
    "营业执照" * 2_500,
    "ｙｙｚｚ　ＹＹＺＺ",
    "   ",
    "",
]

PAGES = [
    "0",
    "-1",
    "-99999999999",
    "9" * 30,
    "9" * 5_000,  # beyond Python's 4,300-digit limit for int()
    "1e3",
    "1.5",
    "abc",
    " 2 ",
    "٣",  # an Arabic-Indic digit: int() reads it as 3
]

# Query strings as a client might send them, not encoded by the test client.
RAW = [
    "q=%E4%B8",  # a UTF-8 sequence cut short
    "q=%ZZ",
    "q=%",
    "q=%E4%B8%AD%",
    "q=%ED%A0%80",  # a UTF-16 surrogate, invalid in UTF-8
    "q=%C0%AF",  # an overlong encoding
    "q=%FF%FE",
    "q=%E8%90%A5%E4%B8%9A&page=%FF&page_size=%E4%B8",
    "q=a&q=b&q=c&page=1&page=2&page_size=1&page_size=999",
    "q=%E8%90%A5%E4%B8%9A&type=guide&type=policy&type=nonsense",
    "q=%E8%90%A5%E4%B8%9A&" + "flag=zero_visit&" * 200 + "flag=nonsense",
    "q=%E8%90%A5%E4%B8%9A&department=%00",  # NUL: refused with 400
    "q=x&" + "&".join(f"unknown{n}=v" for n in range(500)),
    "q[]=x&q[0]=y&page[]=1",
    "&&&=&==&q",
]


@pytest.fixture
def catalogue():
    factories.guide(title="营业执照遗失补领", popular_names="执照丢了", high_frequency=True)
    factories.policy(title="关于推行容缺受理的通知", document_number="示政办发〔2025〕17号")
    list(index.rebuild(get_search_backend()))


def assert_no_server_error(client, path, **params):
    for endpoint in ENDPOINTS:
        response = client.get(endpoint + path, params or None)
        assert response.status_code < 500, (endpoint + path)[:200]


@pytest.mark.parametrize("q", QUERIES)
def test_engine_syntax_and_odd_characters_never_cause_a_server_error(client, catalogue, q):
    assert_no_server_error(client, "", q=q)
    assert_no_server_error(
        client,
        "",
        q=q,
        type="nonsense",
        department="D999",
        theme="no-such-theme",
        audience="both",
        item_type="<b>",
        flag=["zero_visit", "nonsense", "zero_visit"],
    )


@pytest.mark.parametrize("number", PAGES)
def test_any_page_or_page_size_is_answered(client, catalogue, number):
    assert_no_server_error(client, "", q="营业执照", page=number, page_size=number)


@pytest.mark.parametrize("query_string", RAW)
def test_broken_encoding_and_repeated_parameters_are_answered(client, catalogue, query_string):
    assert_no_server_error(client, "?" + query_string)

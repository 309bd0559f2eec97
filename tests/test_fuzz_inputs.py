"""Every request gets an answer: hostile or broken query values on the public pages' filters,
pagers and the situation parameter of the guide channels give a page or a 4xx, never a 500.

The search endpoints and the page API have fuzz tests of their own (test_search_fuzz.py,
test_page_api_bounds.py); this covers the rest of what a visitor can type into a URL.
"""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

# Query syntax of the engines behind the site, SQL, markup, control characters, numbers a
# paginator or int() might choke on, very long values.
HOSTILE_VALUES = [
    "",
    " ",
    "' OR 1=1 --",
    '"; DROP TABLE wagtailcore_page; --',
    'title:"x" AND (a OR b)~2^3',
    "/.*/",
    "*",
    "NEAR(营业 执照) ^ -",
    "\x01\x1f\x7f",
    "\u202e\u200b",
    "%",
    "<script>alert(1)</script>",
    "𠀀𪚥",
    "../../etc/passwd",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "1.5",
    "١٢٣",  # Arabic-Indic digits: int() accepts them
    "x" * 10_000,
]
# Query strings that are not valid percent-encoded UTF-8.
RAW_QUERIES = ["%E4%B8", "%ZZ", "%FF%FE", "%C0%AF", "a=%", "=&&=&", "page=%E4%B8"]


@pytest.fixture
def site(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "100000/m")
    guide = factories.guide(title="营业执照办理", high_frequency=True)
    policy = factories.policy(title="关于优化营商环境的若干措施")
    return {"guide": guide, "catalogue": guide.get_parent(), "policies": policy.get_parent()}


def answers(client, url, **params):
    response = client.get(url, params)
    assert response.status_code < 500, (url, params)
    return response


def test_catalogue_filters_and_pager_answer_any_value(client, site):
    url = site["catalogue"].url
    for name in ("department", "theme", "audience", "item_type", "flag", "page"):
        for value in HOSTILE_VALUES:
            answers(client, url, **{name: value})
    answers(client, url, flag=["free", "x" * 5000, "", "online"], page=["2", "abc"])


def test_policy_list_filters_answer_any_value(client, site):
    for name in ("validity", "page"):
        for value in HOSTILE_VALUES:
            answers(client, site["policies"].url, **{name: value})


@pytest.mark.parametrize("channel", ["", "kiosk/", "print/", "pdf/"])
def test_the_situation_parameter_of_every_guide_channel_answers_any_value(client, site, channel):
    url = site["guide"].url + channel
    for value in HOSTILE_VALUES:
        answers(client, url, situation=value)


def test_the_kiosk_start_screen_answers_any_theme_or_page(client, site):
    for value in HOSTILE_VALUES:
        answers(client, "/kiosk/", theme=value)
        answers(client, "/kiosk/", theme="", page=value)


@pytest.mark.parametrize("raw", RAW_QUERIES)
def test_broken_percent_encoding_is_answered_everywhere(client, site, raw):
    for url in (
        "/",
        site["catalogue"].url,
        site["policies"].url,
        site["guide"].url,
        site["guide"].url + "print/",
        "/kiosk/",
        "/search/",
        "/api/search/",
        "/api/v2/pages/",
    ):
        response = client.get(f"{url}?{raw}")
        assert response.status_code < 500, (url, raw)


def test_odd_paths_are_not_found_not_errors(client, site):
    for path in (
        "/%E4%B8/",
        "/ban-shi-zhi-nan/%ZZ/",
        "/" + "x" * 5000 + "/",
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/documents/abc/x.pdf",
        "/documents/99999999999999999999/x.pdf",
        "/publications/departments/%00/guide-book.pdf",
        "/publications/departments/" + "9" * 300 + "/guide-book.pdf",
    ):
        response = client.get(path)
        assert 400 <= response.status_code < 500, (path, response.status_code)

"""The search page and the JSON API: what a visitor sees, and what odd input gets."""

import json

import pytest
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from search import index
from search.backends import get_search_backend
from search.models import SearchDay, Synonym
from tests import factories

pytestmark = pytest.mark.django_db


def index_everything():
    list(index.rebuild(get_search_backend()))


@pytest.fixture
def catalogue():
    licence = factories.guide(
        title="营业执照遗失补领", popular_names="执照丢了", high_frequency=True
    )
    company = factories.guide(
        title="有限责任公司设立登记", popular_names="开公司、办执照", high_frequency=False
    )
    marriage = factories.guide(
        title="结婚登记",
        popular_names="领证",
        sub_item="",
        summary="男女双方自愿结婚，到婚姻登记机关办理结婚登记。",
        result_name="结婚证",
        audience="person",
        high_frequency=False,
    )
    policy = factories.policy(
        title="关于推行容缺受理的通知", document_number="示政办发〔2025〕17号"
    )
    index_everything()
    return {"licence": licence, "company": company, "marriage": marriage, "policy": policy}


def test_a_two_character_query_finds_guides_with_highlights_and_details(client, catalogue):
    html = client.get("/search/", {"q": "执照"}).content.decode()
    assert "<mark>执照</mark>" in html  # highlighted in the title and snippet
    assert "营业<mark>执照</mark>遗失补领" in html
    assert catalogue["company"].implementation_code in html
    assert "结婚登记" not in html.split("search-results")[1].split("</ol>")[0]


def test_a_policy_is_found_by_its_document_number(client, catalogue):
    html = client.get("/search/", {"q": "〔2025〕17号"}).content.decode()
    assert "关于推行容缺受理的通知" in html
    assert "示政办发〔2025〕17号" in html


def test_drafts_are_not_found(client, catalogue):
    factories.guide(title="尚未发布的草稿事项", live=False)
    index_everything()
    html = client.get("/search/", {"q": "草稿事项"}).content.decode()
    assert "尚未发布的草稿事项" not in html


def test_type_tabs_and_filters_are_links_that_work_without_javascript(client, catalogue):
    html = client.get("/search/", {"q": "登记"}).content.decode()
    assert 'href="?q=%E7%99%BB%E8%AE%B0&amp;type=guide"' in html
    filtered = client.get("/search/", {"q": "登记", "audience": "person"}).content.decode()
    results = filtered.split('class="search-results"')[1].split("</ol>")[0]
    # Result links go through /search/go/ (it counts the click), naming the page by its id.
    assert f'&amp;page={catalogue["marriage"].pk}"' in results
    assert f'&amp;page={catalogue["company"].pk}"' not in results
    assert "清除全部筛选" in filtered


def test_a_zero_result_page_offers_suggestions_and_high_frequency_items(client, catalogue):
    html = client.get("/search/", {"q": "宠物犬只登记证明办理"}).content.decode()
    assert "没有找到" in html or "包含部分关键词" in html
    html = client.get("/search/", {"q": "潜水艇"}).content.decode()
    assert "没有找到与“潜水艇”相关的结果" in html
    assert "高频事项" in html and "营业执照遗失补领" in html
    assert SearchDay.objects.get(query_string="潜水艇").zero_results == 1
    client.get("/search/", {"q": "潜水艇"})  # the same visitor again: counted once a day
    client.get("/search/", {"q": "潜水艇"}, REMOTE_ADDR="10.0.0.9")
    assert SearchDay.objects.get(query_string="潜水艇").zero_results == 2


def test_answered_queries_become_hot_queries_on_the_search_page(client, catalogue):
    for visitor in range(3):
        client.get("/search/", {"q": "结婚"}, REMOTE_ADDR=f"10.0.0.{visitor}")
    client.get("/search/", {"q": "结婚", "page": "2"})  # later pages are not new searches
    assert Query.get("结婚").hits == 3  # the editors' log counts searches
    html = client.get("/search/").content.decode()
    assert "热门搜索" in html and 'href="?q=%E7%BB%93%E5%A9%9A"' in html


def test_an_editors_best_bet_comes_first_and_a_synonym_works_at_once(client, catalogue):
    SearchPromotion.objects.create(
        query=Query.get("结婚"), page=catalogue["marriage"], description="婚姻登记处在二楼"
    )
    html = client.get("/search/", {"q": "结婚"}).content.decode()
    assert html.index("婚姻登记处在二楼") < html.index("search-results")
    assert "找到 <strong>0</strong>" not in html
    assert client.get("/api/search/", {"q": "成家"}).json()["total"] == 0
    Synonym.objects.create(terms="成家，结婚")
    assert client.get("/api/search/", {"q": "成家"}).json()["hits"][0]["title"] == "结婚登记"


def test_pagination_links_carry_the_query_and_filters(client):
    for n in range(12):
        factories.guide(title=f"居住证签注{n:02d}", high_frequency=False)
    index_everything()
    first = client.get("/search/", {"q": "居住证", "type": "guide"}).content.decode()
    assert "第 1 / 2 页" in first
    assert 'href="?q=%E5%B1%85%E4%BD%8F%E8%AF%81&amp;type=guide&amp;page=2"' in first
    second = client.get("/search/", {"q": "居住证", "type": "guide", "page": "2"}).content.decode()
    assert second.count('class="search-result"') == 2 and 'rel="prev"' in second


def test_the_api_returns_hits_facets_and_suggestions(client, catalogue):
    data = client.get("/api/search/", {"q": "执照", "type": "guide"}).json()
    assert data["total"] == 2
    assert [hit["title"] for hit in data["hits"]] == ["营业执照遗失补领", "有限责任公司设立登记"]
    first = data["hits"][0]
    assert first["url"] == "http://testserver" + catalogue["licence"].url
    assert first["type"] == "guide" and first["type_label"] == "办事指南"
    assert first["highlight"]["title"] == "营业<mark>执照</mark>遗失补领"
    assert {"value": "guide", "label": "办事指南", "count": 2} in data["facets"]["type"]
    # Labels, not positions: departments with equal counts come in name order, and factory
    # names (市场监督管理局999, …1004) sort differently as the suite's sequence grows.
    labels = {entry["label"] for entry in data["facets"]["department"]}
    assert catalogue["licence"].department.name in labels
    # Suggestions beside the hits: titles that start with or contain what was typed.
    suggested = {s["text"]: s for s in data["suggestions"]}
    assert suggested["营业执照遗失补领"]["url"] == first["url"]
    assert suggested["营业执照遗失补领"]["type"] == "guide"
    empty = client.get("/api/search/", {"q": "潜水艇"}).json()
    assert empty["total"] == 0 and empty["hits"] == [] and empty["suggestions"] == []


def test_pinyin_initials_find_the_guide_in_the_results_not_only_in_suggestions(client, catalogue):
    html = client.get("/search/", {"q": "yyzz"}).content.decode()
    assert "没有找到" not in html
    results = html[html.index('class="search-results') :]
    assert "<mark>营业执照</mark>遗失补领" in results  # read as 营业执照, and marked


def test_the_suggest_api_answers_pinyin_initials(client, catalogue):
    response = client.get("/api/search/suggest/", {"q": "yyzz"})
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["suggestions"][0]["text"] == "营业执照遗失补领"
    assert data["suggestions"][0]["url"] == "http://testserver" + catalogue["licence"].url


@pytest.mark.parametrize(
    "query",
    [
        "",
        "x" * 10000,
        "title:* OR (",
        "'; DROP TABLE x; --",
        "🙂🙂",
        "％＄＃",
        "營業執照",
        "{title}: 执照",
        "证" * 300,
    ],
)
def test_odd_queries_answer_200(client, catalogue, query):
    for url in ("/search/", "/api/search/", "/api/search/suggest/"):
        response = client.get(
            url,
            {
                "q": query,
                "page": "abc",
                "type": "nonsense",
                "flag": ["x", "zero_visit"],
                "page_size": "-5",
            },
        )
        assert response.status_code == 200, url


def test_traditional_characters_find_simplified_text(client, catalogue):
    assert (
        client.get("/api/search/", {"q": "營業執照"}).json()["hits"][0]["title"]
        == "营业执照遗失补领"
    )


def test_a_page_number_past_the_end_shows_the_last_page(client, catalogue):
    data = client.get("/api/search/", {"q": "执照", "page": "99999", "page_size": "1"}).json()
    assert (data["page"], data["pages"]) == (2, 2)
    assert [hit["title"] for hit in data["hits"]] == ["有限责任公司设立登记"]
    html = client.get("/search/", {"q": "执照", "page": "50"}).content.decode()
    assert "营业<mark>执照</mark>遗失补领" in html and "第 1 / 1 页" not in html


def test_hot_queries_are_those_several_visitors_asked_and_never_hold_id_numbers(client, catalogue):
    client.get("/search/", {"q": "执照"})  # one visitor: not hot
    for visitor in range(3):
        client.get("/search/", {"q": "结婚"}, REMOTE_ADDR=f"10.0.0.{visitor}")
        client.get(
            "/search/", {"q": "结婚登记 330106199001011234"}, REMOTE_ADDR=f"10.0.0.{visitor}"
        )
    hot = client.get("/search/").content.decode()
    hot = hot[hot.index("热门搜索") :].split("</p>")[0]
    assert "结婚" in hot and "执照" not in hot and "330106" not in hot


def test_a_nul_character_is_a_400_not_a_500(client):
    assert client.get("/search/", {"q": "社保\x00"}).status_code == 400


def test_elasticsearch_down_is_a_503_page_and_a_log_line(client, settings, caplog):
    settings.PORTAL_SEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.elasticsearch",
            "URL": "http://127.0.0.1:9",
            "TIMEOUT": 1,
        }
    }
    get_search_backend.cache_clear()
    try:
        page = client.get("/search/", {"q": "社保"})
        api = client.get("/api/search/", {"q": "社保"})
        suggest = client.get("/api/search/suggest/", {"q": "sb"})
    finally:
        get_search_backend.cache_clear()
    assert page.status_code == 503 and "检索服务暂时不可用" in page.content.decode()
    assert page["Retry-After"] == "30"
    assert api.status_code == 503 and "error" in api.json()
    assert suggest.status_code == 503
    assert "检索服务不可用" in caplog.text


@pytest.mark.parametrize("status", [429, 403])
def test_an_overloaded_or_refusing_cluster_is_the_503_page_too(client, settings, status):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Refusing(BaseHTTPRequestHandler):
        def do_any(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = json.dumps({"error": {"type": "refused", "reason": "busy"}, "status": status})
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("X-Elastic-Product", "Elasticsearch")
            self.end_headers()
            self.wfile.write(body.encode())

        do_GET = do_POST = do_PUT = do_HEAD = do_any

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Refusing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.PORTAL_SEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.elasticsearch",
            "URL": f"http://127.0.0.1:{server.server_address[1]}",
            "TIMEOUT": 2,
        }
    }
    get_search_backend.cache_clear()
    try:
        page = client.get("/search/", {"q": "社保"})
        api = client.get("/api/search/", {"q": "社保"})
    finally:
        get_search_backend.cache_clear()
        server.shutdown()
    assert page.status_code == 503 and "检索服务暂时不可用" in page.content.decode()
    assert api.status_code == 503


def test_the_admin_search_finds_chinese_titles(client, catalogue):
    client.force_login(factories.user("admin", superuser=True))
    html = client.get("/admin/pages/search/", {"q": "遗失补领"}).content.decode()
    assert "营业执照遗失补领" in html

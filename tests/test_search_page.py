"""The interim search page finds Chinese text and never fails on odd input."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_two_character_query_finds_a_guide_by_its_popular_name(client):
    factories.guide(title="有限责任公司设立登记", popular_names="开公司、办执照")
    factories.guide(title="结婚登记", popular_names="领证")
    html = client.get("/search/", {"q": "执照"}).content.decode()
    assert "有限责任公司设立登记" in html
    assert "结婚登记" not in html


def test_a_policy_is_found_by_its_document_number(client):
    factories.policy(title="关于推行容缺受理的通知", document_number="示政办发〔2025〕17号")
    html = client.get("/search/", {"q": "〔2025〕17号"}).content.decode()
    assert "关于推行容缺受理的通知" in html


def test_drafts_are_not_found(client):
    factories.guide(title="尚未发布的草稿事项", live=False)
    html = client.get("/search/", {"q": "草稿事项"}).content.decode()
    assert "尚未发布的草稿事项" not in html


@pytest.mark.parametrize(
    "query", ["", "x" * 10000, "title:* OR (", "'; DROP TABLE x; --", "🙂🙂", "％＄＃", "營業執照"]
)
def test_odd_queries_answer_200(client, query):
    factories.guide()
    assert client.get("/search/", {"q": query, "page": "abc"}).status_code == 200


def test_a_nul_character_is_a_400_not_a_500(client):
    assert client.get("/search/", {"q": "社保\x00"}).status_code == 400

"""The contract every search backend keeps: one suite, run against each.

- embedded: on the database the suite runs on (SQLite under `make test`, PostgreSQL in CI's
  second run), so both dialects are proved;
- osmem: the Elasticsearch backend against osmem-server, an OpenSearch-API test server, on
  the wire (what it does and does not prove: docs/search.md);
- elasticsearch: the same against a real cluster, when ELASTICSEARCH_URL is set.

Documents are built directly (no CMS pages), so a failure here is the backend's.
"""

import datetime
import os
import uuid

import pytest
from django.utils import timezone
from osmem_server import OsmemServer

from search import query as search_query
from search.attachments import add_sections
from search.backends import load_backend
from search.documents import HIGH_FREQUENCY_BOOST, PortalDocument
from search.lexicon import Group, Lexicon
from search.query import SearchRequest
from search.sources import suggestion
from search.synonyms import Synonyms

BACKENDS = ["embedded", "osmem"]
if os.environ.get("ELASTICSEARCH_URL"):
    BACKENDS.append("elasticsearch")


@pytest.fixture(scope="session")
def osmem_base():
    server = OsmemServer.start()
    yield server
    server.close()


@pytest.fixture(params=BACKENDS)
def backend(request, db):
    if request.param == "embedded":
        yield load_backend("default", BACKEND="search.backends.embedded")
        return
    if request.param == "osmem":
        clone = request.getfixturevalue("osmem_base").clone()
        request.addfinalizer(clone.close)
        url = clone.url
    else:
        url = os.environ["ELASTICSEARCH_URL"]
    engine = load_backend(
        "default",
        BACKEND="search.backends.elasticsearch",
        URL=url,
        INDEX=f"contract-{uuid.uuid4().hex[:10]}",
        ANALYZER=os.environ.get("ELASTICSEARCH_ANALYZER", "")
        if request.param == "elasticsearch"
        else "",
    )
    yield engine
    engine.clear()


def doc(page_id, title, kind="guide", **fields):
    high_frequency = fields.pop("high_frequency", False)
    values = {
        "keywords": "",
        "materials": "",
        "body": "",
        "summary": "",
        "department": "",
        "theme": [],
        "audience": "",
        "item_type": "",
        "flags": [],
        "details": {},
        "expire_at": None,
        "date": None,
    }
    values.update(fields)
    document = PortalDocument(
        page_id=page_id,
        kind=kind,
        title=title,
        url=f"/p/{page_id}/",
        high_frequency=high_frequency,
        boost=HIGH_FREQUENCY_BOOST if high_frequency else 1.0,
        **values,
    )
    document.suggest = suggestion([title], 30 if high_frequency else 20)
    return document


def search(backend, q, synonyms=(), page=1, page_size=10, lexicon=None, pinyin=None, **filters):
    parsed = search_query.parse(q, Synonyms([list(group) for group in synonyms]), lexicon, pinyin)
    return backend.search(SearchRequest(parsed, filters=filters, page=page, page_size=page_size))


def titles(backend, q, **options):
    return [hit.title for hit in search(backend, q, **options).hits]


def test_a_two_character_query_finds_the_word_inside_longer_words(backend):
    backend.update(
        [
            doc(1, "社保卡申领", body="办理社保卡需本人到场"),
            doc(2, "社会保障局办事指南", body="社会保障局地址"),
            doc(3, "结婚登记"),
        ]
    )
    assert titles(backend, "社保") == ["社保卡申领"]
    assert titles(backend, "社会保障") == ["社会保障局办事指南"]


def test_a_term_matches_only_where_its_characters_are_adjacent(backend):
    # 营业 and 执照 both appear, but never as 营业执照.
    backend.update([doc(1, "营业场所登记", body="执照另行办理"), doc(2, "营业执照遗失补领")])
    assert titles(backend, "营业执照") == ["营业执照遗失补领"]


def test_a_one_character_query_finds_it_at_the_start_middle_and_end_of_words(backend):
    backend.update(
        [doc(1, "证明开具"), doc(2, "居民身份证"), doc(3, "残疾人证件补办"), doc(4, "结婚登记")]
    )
    assert sorted(titles(backend, "证")) == ["居民身份证", "残疾人证件补办", "证明开具"]


def test_every_term_of_a_query_must_match(backend):
    backend.update([doc(1, "营业执照遗失补领"), doc(2, "营业执照注销"), doc(3, "驾驶证补领")])
    assert titles(backend, "营业执照 补领") == ["营业执照遗失补领"]


def test_a_title_match_ranks_above_keywords_materials_and_body(backend):
    backend.update(
        [
            doc(1, "甲事项", body="需要出生医学证明"),
            doc(2, "乙事项", materials="出生医学证明"),
            doc(3, "丙事项", keywords="出生医学证明"),
            doc(4, "出生医学证明补发"),
        ]
    )
    assert titles(backend, "出生医学证明") == ["出生医学证明补发", "丙事项", "乙事项", "甲事项"]


def test_a_high_frequency_item_is_lifted_above_an_equal_match_and_a_shorter_title_wins_a_tie(
    backend,
):
    backend.update(
        [
            doc(1, "公积金提取（离职）"),
            doc(2, "公积金提取"),
            doc(3, "公积金提取（退休）", high_frequency=True),
        ]
    )
    assert titles(backend, "公积金提取") == [
        "公积金提取（退休）",
        "公积金提取",
        "公积金提取（离职）",
    ]


def test_a_strong_field_beats_high_frequency_in_a_weaker_one(backend):
    backend.update([doc(1, "户籍迁移", high_frequency=True, body="办理户口"), doc(2, "户口簿补领")])
    assert titles(backend, "户口") == ["户口簿补领", "户籍迁移"]


def test_synonyms_widen_a_term(backend):
    backend.update([doc(1, "社会保险关系转移"), doc(2, "医疗保险报销")])
    assert titles(backend, "社保 转移", synonyms=[("社保", "社会保险")]) == ["社会保险关系转移"]
    # 社保卡 is nowhere: only a partial match (社会, 保险 of 社会保险卡), marked as such.
    partial = search(backend, "社保卡", synonyms=[("社保", "社会保险")])
    assert partial.relaxed and [hit.title for hit in partial.hits] == ["社会保险关系转移"]
    assert titles(backend, "社保") == []


def test_traditional_full_width_and_question_words_are_normalised(backend):
    backend.update([doc(1, "营业执照遗失补领"), doc(2, "ETC 卡办理")])
    assert titles(backend, "營業執照") == ["营业执照遗失补领"]
    assert titles(backend, "怎么办理营业执照？") == ["营业执照遗失补领"]
    assert titles(backend, "ＥＴＣ") == ["ETC 卡办理"]


def test_codes_are_found_whole_and_by_their_parts(backend):
    backend.update(
        [
            doc(1, "企业设立登记", keywords="37060000MB-XK-0001"),
            doc(2, "其他", keywords="37060000MB-QT-0002"),
        ]
    )
    assert titles(backend, "37060000MB-XK-0001") == ["企业设立登记"]
    assert sorted(titles(backend, "37060000mb")) == ["企业设立登记", "其他"]


def test_filters_narrow_the_hits_and_facets_count_them(backend):
    backend.update(
        [
            doc(
                1,
                "社保参保登记",
                department="RS",
                theme=["shebao", "jiuye"],
                audience="person",
                item_type="public_service",
                flags=["zero_visit"],
            ),
            doc(
                2,
                "社保单位登记",
                department="RS",
                theme=["shebao"],
                audience="legal",
                item_type="public_service",
            ),
            doc(
                3,
                "社保待遇申领",
                department="YB",
                theme=["shebao"],
                audience="both",
                item_type="payment",
                flags=["zero_visit", "instant"],
            ),
            doc(4, "社保政策解读", kind="policy"),
            doc(5, "社保窗口风采", kind="gallery"),
        ]
    )
    everything = search(backend, "社保")
    assert everything.total == 5
    assert everything.facets["type"] == {"guide": 3, "gallery": 1, "policy": 1}
    assert everything.facets["department"] == {"RS": 2, "YB": 1}
    assert everything.facets["theme"] == {"shebao": 3, "jiuye": 1}
    # 个人和法人 counts under both.
    assert everything.facets["audience"] == {"legal": 2, "person": 2}
    # Counts are whole numbers, as the JSON API prints them (5, not 5.0).
    counts = [everything.total, *(n for f in everything.facets.values() for n in f.values())]
    assert {type(n) for n in counts} == {int}

    guides = search(backend, "社保", type="guide")
    assert guides.total == 3
    # The type tabs keep counting every type; the other facets count within the filter.
    assert guides.facets["type"] == everything.facets["type"]

    person = search(backend, "社保", audience="person")
    assert sorted(h.title for h in person.hits) == ["社保参保登记", "社保待遇申领"]
    assert person.facets["department"] == {"RS": 1, "YB": 1}

    assert titles(backend, "社保", department="RS", theme="jiuye") == ["社保参保登记"]
    assert titles(backend, "社保", flag=["zero_visit", "instant"]) == ["社保待遇申领"]
    assert search(backend, "社保", flag=["zero_visit"]).facets["flag"] == {
        "zero_visit": 2,
        "instant": 1,
    }


def test_pages_partition_the_results(backend):
    backend.update([doc(n, f"居住证办理{n:02d}") for n in range(1, 26)])
    pages = [search(backend, "居住证", page=p, page_size=10) for p in (1, 2, 3)]
    assert [r.total for r in pages] == [25, 25, 25]
    assert [len(r.hits) for r in pages] == [10, 10, 5]
    assert pages[0].pages == 3
    seen = [h.page_id for r in pages for h in r.hits]
    assert sorted(seen) == list(range(1, 26))


def test_matches_are_marked_in_the_title_and_the_snippet(backend):
    long_body = "窗口说明。" * 40 + "办理时请携带户口簿原件。" + "其他事项。" * 40
    backend.update([doc(1, "户口迁移登记", body=long_body)])
    hit = search(backend, "户口簿").hits[0]
    assert hit.title_highlight == "户口迁移登记"  # 户口簿 is not in the title
    assert "<mark>户口簿</mark>" in hit.highlight
    assert hit.highlight.startswith("…") and hit.highlight.endswith("…")
    hit = search(backend, "户口").hits[0]
    assert hit.title_highlight == "<mark>户口</mark>迁移登记"


def test_html_in_documents_is_escaped_in_highlights(backend):
    backend.update([doc(1, "<b>营业执照</b>补领", summary="<script>alert(1)</script>营业执照")])
    hit = search(backend, "营业执照").hits[0]
    assert "<b>" not in hit.title_highlight and "&lt;b&gt;" in hit.title_highlight
    assert "<script>" not in hit.highlight


def test_a_term_only_in_an_attached_file_finds_the_document_and_its_snippet_names_the_file(
    backend,
):
    policy = doc(1, "关于促进外贸发展的通知", kind="policy", body="现将有关事项通知如下。")
    rules = "第一条 " + "总则。" * 60 + "支持建设跨境电商综合试验区，培育外贸新业态。"
    add_sections(policy, [("实施细则", "/documents/7/xize.pdf", rules), ("附表", "/d/8/", "附表")])
    backend.update([policy, doc(2, "外贸企业备案", body="现将有关事项通知如下。")])
    [hit] = search(backend, "跨境电商").hits
    assert hit.attachment == {"title": "实施细则", "url": "/documents/7/xize.pdf"}
    assert hit.highlight.startswith("附件《实施细则》：…")
    assert "<mark>跨境电商</mark>综合试验区" in hit.highlight
    assert "附表" not in hit.highlight  # the snippet stays inside the file it quotes
    [_, hit] = search(backend, "通知如下").hits
    assert hit.attachment is None and hit.highlight.startswith("现将有关事项")


def test_expired_documents_are_never_returned_or_suggested(backend):
    past = timezone.now() - datetime.timedelta(minutes=1)
    future = timezone.now() + datetime.timedelta(days=30)
    backend.update(
        [doc(1, "临时通告旧版", expire_at=past), doc(2, "临时通告新版", expire_at=future)]
    )
    assert titles(backend, "临时通告") == ["临时通告新版"]
    assert [s.text for s in backend.suggest("临时")] == ["临时通告新版"]


def test_pages_hidden_since_they_were_indexed_are_left_out_of_hits_counts_and_suggestions(
    backend,
):
    from search.models import HiddenPage

    backend.update(
        [
            doc(1, "公租房申请", department="ZJ"),
            doc(2, "公租房资格复核", department="ZJ"),
            doc(3, "公租房退出", department="FG", kind="policy"),
        ]
    )
    HiddenPage.objects.bulk_create([HiddenPage(page_id=2), HiddenPage(page_id=3)])
    results = search(backend, "公租房")
    assert [h.title for h in results.hits] == ["公租房申请"]
    assert results.total == 1
    assert results.facets["type"] == {"guide": 1}
    assert results.facets["department"] == {"ZJ": 1}
    assert [s.text for s in backend.suggest("公租房")] == ["公租房申请"]  # by prefix
    assert [s.text for s in backend.suggest("gzf")] == ["公租房申请"]
    assert [s.text for s in backend.suggest("复核")] == []  # inside a title
    # The relaxed retry leaves them out too.
    assert [h.title for h in search(backend, "公租房资格审核复核").hits] == ["公租房申请"]


def test_suggestions_by_prefix_full_pinyin_initials_and_chinese_infix(backend):
    backend.update(
        [
            doc(1, "营业执照遗失补领", high_frequency=True),
            doc(2, "营业性演出审批"),
            doc(3, "居民身份证换领"),
            doc(4, "结婚登记"),
        ]
    )
    assert [s.text for s in backend.suggest("营业")] == ["营业执照遗失补领", "营业性演出审批"]
    assert [s.text for s in backend.suggest("yyzz")] == ["营业执照遗失补领"]
    assert [s.text for s in backend.suggest("YingYe")] == ["营业执照遗失补领", "营业性演出审批"]
    # Initials from inside the title: what a visitor calls it (身份证) finds the official name.
    assert [s.text for s in backend.suggest("sfz")] == ["居民身份证换领"]
    assert [s.text for s in backend.suggest("身份证")] == ["居民身份证换领"]
    assert backend.suggest("") == [] and backend.suggest("！？") == []
    suggestion = backend.suggest("jhdj")[0]
    assert (suggestion.url, suggestion.kind) == ("/p/4/", "guide")


def test_suggestions_typed_from_the_start_of_a_title_come_before_those_from_inside(backend):
    backend.update(
        [
            doc(1, "居民身份证换领"),  # sfz from inside: jm·sfz·hl
            doc(2, "身份证明材料核验服务"),  # sfz from the start, and a longer title
            doc(3, "临时身份证办理", high_frequency=True),  # from inside, but high frequency
        ]
    )
    assert [s.text for s in backend.suggest("sfz")] == [
        "临时身份证办理",
        "身份证明材料核验服务",
        "居民身份证换领",
    ]


def test_update_replaces_and_remove_deletes(backend):
    backend.update([doc(1, "旧标题事项"), doc(2, "保留事项")])
    backend.update([doc(1, "新标题事项")])
    assert "旧标题事项" not in titles(backend, "旧标题")  # 标题 alone is a partial match
    assert titles(backend, "新标题") == ["新标题事项"]
    backend.remove([1, 999])
    assert titles(backend, "事项") == ["保留事项"]
    assert backend.page_ids() == {2}


def test_a_rebuild_swaps_in_whole_and_keeps_answering_until_then(backend):
    backend.update([doc(1, "旧目录事项"), doc(2, "将被删除事项")])
    rebuild = backend.rebuild(iter([[doc(1, "新目录事项一")], [doc(3, "新目录事项三")]]))
    next(rebuild)  # the first chunk is written, the swap has not happened
    assert sorted(titles(backend, "事项")) == ["将被删除事项", "旧目录事项"]
    # An update made during the rebuild reaches the new index too.
    backend.update([doc(4, "重建期间发布事项")])
    list(rebuild)
    assert sorted(titles(backend, "事项")) == ["新目录事项一", "新目录事项三", "重建期间发布事项"]
    assert backend.page_ids() == {1, 3, 4}


def test_a_failed_rebuild_leaves_the_live_index_as_it_was(backend):
    backend.update([doc(1, "现行事项")])

    def chunks():
        yield [doc(2, "半途事项")]
        raise RuntimeError("数据库断开")

    with pytest.raises(RuntimeError):
        list(backend.rebuild(chunks()))
    assert titles(backend, "事项") == ["现行事项"]
    backend.update([doc(3, "之后发布事项")])
    assert sorted(titles(backend, "事项")) == ["之后发布事项", "现行事项"]


def test_a_long_query_that_matches_nothing_exactly_falls_back_to_partial_matches(backend):
    backend.update([doc(1, "出生医学证明补发"), doc(2, "结婚登记")])
    strict = search(backend, "出生证明补发")
    assert strict.relaxed and [h.title for h in strict.hits] == ["出生医学证明补发"]
    assert search(backend, "营业执照").total == 0  # a short query stays strict


def test_partial_matches_need_half_the_tokens_and_any_one_only_when_half_finds_nothing(backend):
    backend.update([doc(1, "出生医学证明补发"), doc(2, "学历证明开具"), doc(3, "综合所得汇算清缴")])
    # 出生 生证 证明: two of three, so 学历证明开具 (证明 alone) is left out.
    assert [h.title for h in search(backend, "出生证明").hits] == ["出生医学证明补发"]
    # 个税 税汇 汇算: no document has two; one then suffices.
    fallback = search(backend, "个税汇算")
    assert fallback.relaxed and [h.title for h in fallback.hits] == ["综合所得汇算清缴"]


@pytest.mark.parametrize(
    "q",
    [
        "title:* OR (",
        '"; DROP TABLE x; --',
        "🙂🙂",
        "％＄＃",
        "NOT AND OR",
        "a" * 10000,
        "证" * 500,
        "*",
        "-",
        "{title}:x",
    ],
)
def test_odd_queries_answer_without_error(backend, q):
    backend.update([doc(1, "营业执照遗失补领", body="title or drop table")])
    result = search(backend, q)
    assert result.total == len(result.hits) <= 1
    assert isinstance(backend.suggest(q), list)


def test_the_elasticsearch_mapping_names_every_field_of_the_document():
    from search.backends.elasticsearch import IndexedPortalDocument
    from search.documents import FIELDS

    assert set(IndexedPortalDocument._doc_type.mapping) == set(FIELDS)
    assert "prepared" not in FIELDS


def test_a_rebuild_loads_without_refreshes_or_replicas_and_serves_with_both(osmem_base, db):
    """Elasticsearch's advice for bulk loads; the live index gets both back before the swap."""
    clone = osmem_base.clone()
    engine = load_backend(
        "default",
        BACKEND="search.backends.elasticsearch",
        URL=clone.url,
        INDEX=f"contract-{uuid.uuid4().hex[:10]}",
        REPLICAS=2,
    )
    seen_while_loading = []

    def chunks():
        building = engine.indices_of(engine.building)
        seen_while_loading.append(engine.client.indices.get_settings(index=building[0]))
        yield [doc(1, "企业设立登记")]

    try:
        list(engine.rebuild(chunks()))
        (loading,) = seen_while_loading[0].values()
        assert loading["settings"]["index"]["refresh_interval"] == "-1"
        assert str(loading["settings"]["index"]["number_of_replicas"]) == "0"
        (live,) = engine.client.indices.get_settings(index=engine.index).values()
        assert live["settings"]["index"]["refresh_interval"] == "1s"
        assert str(live["settings"]["index"]["number_of_replicas"]) == "2"
    finally:
        engine.clear()
        clone.close()


def test_a_colloquial_name_finds_the_item_of_its_standard_name_by_title(backend):
    lexicon = Lexicon(
        [Group("犬只登记", ("养狗", "办狗证"), "t"), Group("生育登记", ("准生证",), "t")]
    )
    backend.update(
        [
            doc(1, "犬只登记", body="养犬人应当办理登记"),
            doc(2, "宠物医院备案", body="养狗的市民可以就近就诊"),
            doc(3, "生育登记"),
        ]
    )
    # The title that the lexicon names comes before a body that says the colloquial word.
    assert titles(backend, "养狗", lexicon=lexicon) == ["犬只登记", "宠物医院备案"]
    assert titles(backend, "准生证怎么办", lexicon=lexicon) == ["生育登记"]
    assert titles(backend, "办狗证需要什么材料", lexicon=lexicon)[0] == "犬只登记"


def test_a_lost_certificate_finds_its_replacement_before_its_first_issue(backend):
    backend.update(
        [
            doc(1, "居民身份证首次申领"),
            doc(2, "居民身份证补领"),
            doc(3, "机动车驾驶证有效期满换证"),
            doc(4, "机动车驾驶证补领"),
            doc(5, "营业执照注销登记"),
        ]
    )
    lexicon = Lexicon([Group("机动车驾驶证", ("驾照",), "t")])
    assert titles(backend, "身份证丢了") == ["居民身份证补领"]
    assert titles(backend, "补办身份证") == ["居民身份证补领"]
    assert titles(backend, "驾照到期了", lexicon=lexicon) == ["机动车驾驶证有效期满换证"]
    assert titles(backend, "驾照丢了怎么办", lexicon=lexicon) == ["机动车驾驶证补领"]
    # No item for a renewal: the certificate's items, rather than nothing.
    assert titles(backend, "营业执照过期了") == ["营业执照注销登记"]


def test_the_lexicon_finds_an_item_where_it_is_named_not_where_a_body_mentions_it(backend):
    lexicon = Lexicon([Group("犬只登记", ("养狗",), "t")])
    backend.update(
        [
            doc(1, "城市养犬管理", keywords="犬只登记"),
            doc(2, "宠物防疫须知", body="养犬人须先办理犬只登记"),
            doc(3, "动物诊疗许可", materials="犬只登记证明"),
        ]
    )
    # Named in an alias: found. Mentioned in a body or a material: not what 养狗 asks for.
    assert titles(backend, "养狗", lexicon=lexicon) == ["城市养犬管理"]
    # The visitor's own words are still found anywhere.
    assert titles(backend, "犬只登记", lexicon=lexicon) == [
        "城市养犬管理",
        "动物诊疗许可",
        "宠物防疫须知",
    ]


def test_a_phrase_found_only_in_a_body_does_not_hide_a_title_with_most_of_the_words(backend):
    backend.update(
        [
            doc(1, "年度工作安排的通知", body="请各企业按时办理营业执照年报"),
            doc(2, "营业执照年度报告公示"),
            doc(3, "食品经营许可"),
        ]
    )
    assert titles(backend, "营业执照年报") == ["营业执照年度报告公示", "年度工作安排的通知"]
    # A title match stays an exact search: the body's phrase is not the better answer there.
    assert titles(backend, "营业执照") == ["营业执照年度报告公示", "年度工作安排的通知"]


def test_a_damaged_certificate_finds_its_exchange_and_its_replacement(backend):
    backend.update(
        [
            doc(1, "社会保障卡申领"),
            doc(2, "社会保障卡换领"),
            doc(3, "社会保障卡补领"),
        ]
    )
    synonyms = [("社保卡", "社会保障卡")]
    assert set(titles(backend, "社保卡坏了", synonyms=synonyms)[:2]) == {
        "社会保障卡换领",
        "社会保障卡补领",
    }


def test_a_typo_or_a_word_inside_a_phrasing_finds_the_item_when_nothing_else_does(backend):
    lexicon = Lexicon(
        [
            Group("居住证申领", ("办居住证",), "t"),
            Group("失业保险金申领", ("领失业金",), "t"),
        ]
    )
    backend.update([doc(1, "居住证申领"), doc(2, "失业保险金申领"), doc(3, "居民身份证申领")])
    assert titles(backend, "居往证", lexicon=lexicon) == ["居住证申领"]
    assert titles(backend, "失业金怎么领", lexicon=lexicon) == ["失业保险金申领"]


def test_pinyin_initials_and_a_misspelt_word_find_their_guides_in_the_results(backend):
    from search.pinyin import Vocabulary

    titles_ = ["营业执照补领", "住房公积金提取", "法律援助申请", "居民身份证申领"]
    backend.update([doc(n, title) for n, title in enumerate(titles_, 1)])
    words = Vocabulary(titles_)
    assert titles(backend, "yyzz", pinyin=words) == ["营业执照补领"]
    assert titles(backend, "gongjijin", pinyin=words) == ["住房公积金提取"]
    assert titles(backend, "gongjijing", pinyin=words) == ["住房公积金提取"]
    assert titles(backend, "falu yuanzhu", pinyin=words) == ["法律援助申请"]
    assert titles(backend, "身份证shenling", pinyin=words) == ["居民身份证申领"]


def test_letters_read_as_words_no_title_holds_whole_are_searched_loosely_like_chinese(backend):
    from search.pinyin import Vocabulary

    backend.update([doc(1, "租赁住房提取住房公积金"), doc(2, "居民身份证申领")])
    words = Vocabulary(["租房", "租房补贴", "提取公积金", "公积金提取"])
    assert titles(backend, "zufangtiqugongjijin", pinyin=words) == ["租赁住房提取住房公积金"]


def test_a_partial_match_ranks_the_visitors_words_above_an_item_names_and_frequency(backend):
    # The lexicon names the item otherwise than this centre (内地居民收养登记 / 收养登记).
    lexicon = Lexicon([Group("内地居民收养登记", ("领养孩子",), "t")])
    backend.update(
        [
            doc(1, "内地居民结婚登记", high_frequency=True, body="夫妻双方及子女的户口簿"),
            doc(2, "收养登记", body="收养人应当提交的材料"),
            doc(3, "内地居民身份证申领", high_frequency=True),
        ]
    )
    synonyms = [("领养", "收养")]
    found = titles(backend, "领养孩子", synonyms=synonyms, lexicon=lexicon)
    # 收养 (the visitor's 领养, through the synonym) in the title outweighs 内地, 居民 and
    # 登记 of the item name in a frequent title.
    assert found[0] == "收养登记"


def test_a_partial_match_holding_more_of_the_words_beats_a_frequent_one(backend):
    backend.update(
        [
            doc(1, "客运出租经营许可"),
            doc(2, "出租汽车驾驶员证", high_frequency=True, keywords="经营", body="出租车"),
        ]
    )
    # No title holds 出租车经营: partial matches. 出租 and 经营 in the title (20) beat 出租 in
    # the title, 经营 in the keywords and 租车 in the body (16), which high frequency would
    # lift to 24 if it multiplied a partial match's score instead of breaking its ties.
    assert titles(backend, "出租车经营") == ["客运出租经营许可", "出租汽车驾驶员证"]


def test_the_retry_for_a_body_only_match_keeps_the_exact_match(backend):
    backend.update([doc(1, "转移手续说明", body="请办理社保转接"), doc(2, "社会保险关系登记")])
    found = titles(backend, "社会保险 转接", synonyms=[("社会保险", "社保")])
    assert "转移手续说明" in found


def test_no_partial_match_rests_on_a_word_only_an_item_name_brought(backend):
    lexicon = Lexicon([Group("犬只登记", ("养狗办证",), "t")])
    backend.update([doc(1, "结婚登记"), doc(2, "出生登记")])
    assert titles(backend, "养狗办证", lexicon=lexicon) == []


def test_letters_with_an_editors_synonym_are_not_loosened_into_its_characters(backend):
    from search.pinyin import Vocabulary

    backend.update([doc(1, "岗位定位说明"), doc(2, "卫生许可")])
    parsed = search_query.parse(
        "gps", Synonyms([["gps", "卫星定位"]]), None, Vocabulary(["卫生许可", "岗位定位说明"])
    )
    assert backend.search(SearchRequest(parsed)).hits == []


def test_a_phrase_in_many_bodies_is_not_searched_loosely_again(backend, monkeypatch):
    from search.backends import base

    monkeypatch.setattr(base, "BODY_ONLY_MAX_MATCHES", 1)
    backend.update(
        [
            doc(1, "年度工作安排的通知", body="请各企业按时办理营业执照年报"),
            doc(2, "关于年报的提醒", body="营业执照年报截止日期"),
            doc(3, "营业执照年度报告公示"),
        ]
    )
    # Two exact matches, past the limit: what they are is the answer, the loose search costs
    # more than it finds.
    assert set(titles(backend, "营业执照年报")) == {"年度工作安排的通知", "关于年报的提醒"}

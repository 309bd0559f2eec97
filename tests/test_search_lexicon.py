"""The service lexicon (search/lexicon): the shipped groups are well formed, phrasings inside a
query become the standard item names, and editors extend and replace groups in the admin."""

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from search import index, lexicon
from search import query as search_query
from search.backends import get_search_backend
from search.lexicon import Group, Lexicon
from search.models import ServiceTerm
from tests import factories

THEMES = [
    "企业",
    "不动产",
    "户籍",
    "社会保险",
    "医疗保障",
    "公积金",
    "税务",
    "交通",
    "民政",
    "教育",
    "卫生",
    "生态环境",
    "农业",
    "文化",
    "退役军人",
    "人力资源",
]


def test_the_shipped_lexicon_has_hundreds_of_groups_across_every_theme():
    groups = lexicon.shipped()
    assert len(groups) >= 400
    headers = "".join(
        line
        for path in lexicon.DIRECTORY.glob("*.txt")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# 主题")
    )
    assert [theme for theme in THEMES if theme not in headers] == []
    for group in groups:
        assert group.phrasings, group
        # A phrasing inside its own standard name adds nothing: the search finds it anyway.
        assert not any(p in lexicon.text.normalise_query(group.standard) for p in group.phrasings)


def test_the_issue_examples_map_to_their_items():
    words = lexicon.Lexicon(lexicon.shipped())
    assert "犬只登记" in words.variants("养狗")
    assert "生育登记" in words.variants("准生证")
    assert "机动车检验合格标志核发" in words.variants("车辆年检")
    assert any("药品零售" in v for v in words.variants("开药店"))


def test_a_malformed_line_names_its_file_and_line(tmp_path):
    path = tmp_path / "99-test.txt"
    path.write_text("# 主题：测试\n犬只登记 = 养狗\n犬只年检 养狗年检\n", encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match="99-test.txt 第 3 行"):
        lexicon.parse_file(path)


def test_a_phrasing_inside_a_term_is_replaced_and_the_standard_name_stands_alone():
    words = Lexicon([Group("犬只登记", ("养狗", "狗证"), "t")])
    assert words.variants("狗证补办") == ["犬只登记补办", "犬只登记"]
    assert words.variants("狗证补办", "broad") == ["犬只登记补办", "犬只登记", "犬只"]
    assert words.variants("狗证补办", "in place") == ["犬只登记补办"]
    assert words.variants("犬只登记") == []
    # The longer phrasing wins over one inside it.
    words = Lexicon(
        [Group("个体工商户设立登记", ("个体户",), "t"), Group("户口迁移", ("户口",), "t")]
    )
    assert words.variants("个体户注册", "broad") == [
        "个体工商户设立登记注册",
        "个体工商户设立登记",
        "个体工商户",
    ]


def test_question_and_request_words_are_dropped():
    for asked in (
        "准生证怎么办",
        "如何办理准生证",
        "准生证需要什么材料",
        "准生证在哪里办",
        "办理准生证",
    ):
        parsed = search_query.parse(asked)
        assert [variants[0].text for variants in parsed.terms] == ["准生证"], asked


def test_a_loss_or_renewal_is_searched_as_typed_then_as_the_certificate_and_the_intent():
    parsed = search_query.parse("社保卡丢了怎么办")
    assert parsed.intent
    assert [variants[0].text for variants in parsed.terms] == ["社保卡丢了"]
    with_intent, bare = parsed.fallbacks
    assert [variants[0].text for variants in with_intent.terms] == ["社保卡", "补领"]
    assert [variants[0].text for variants in bare.terms] == ["社保卡"]
    assert search_query.parse("补办社保卡").fallbacks[0].terms[0][0].text == "社保卡"
    renewal = search_query.parse("驾照快到期了")
    assert renewal.fallbacks[0].terms[-1][0].text == "换领"
    assert not search_query.parse("补办").intent  # nothing else: meant as typed
    # As typed, the lexicon only rewrites in place; a phrasing that says the loss itself
    # maps to its item.
    words = Lexicon(
        [
            Group("内地居民补领婚姻登记证", ("结婚证丢了",), "t"),
            Group("机动车驾驶证", ("驾照",), "t"),
        ]
    )
    assert [v.text for v in search_query.parse("驾照丢了", lexicon=words).terms[0]] == [
        "驾照丢了",
        "机动车驾驶证丢了",
    ]
    assert "内地居民补领婚姻登记证" in [
        v.text for v in search_query.parse("结婚证丢了", lexicon=words).terms[0]
    ]


@pytest.mark.django_db
def test_an_editors_group_adds_to_the_lexicon_and_one_of_a_shipped_name_replaces_it():
    shipped = lexicon.shipped()[0]
    ServiceTerm.objects.create(standard_name="无障碍设施改造补贴", phrasings="家里装扶手、装扶手")
    assert "无障碍设施改造补贴" in lexicon.current().variants("装扶手")

    ServiceTerm.objects.create(standard_name=shipped.standard, phrasings="一个新说法")
    current = lexicon.current()
    assert shipped.standard in current.variants("一个新说法")
    assert shipped.standard not in current.variants(shipped.phrasings[0])


@pytest.mark.django_db
def test_an_editors_group_without_phrasings_switches_the_shipped_one_off():
    shipped = lexicon.shipped()[0]
    term = ServiceTerm(standard_name=shipped.standard, phrasings="")
    term.full_clean()
    term.save()
    assert shipped.standard not in lexicon.current().variants(shipped.phrasings[0])
    # A new name needs at least one phrasing.
    with pytest.raises(ValidationError, match="至少填写一个俗称"):
        ServiceTerm(standard_name="从未有过的事项", phrasings="").full_clean()


@pytest.mark.django_db
def test_the_search_api_answers_with_an_editors_new_phrasing_at_once(client):
    guide = factories.guide(title="无障碍设施改造补贴申请")
    list(index.rebuild(get_search_backend()))
    assert client.get("/api/search/", {"q": "扶手杆"}).json()["total"] == 0
    ServiceTerm.objects.create(standard_name="无障碍设施改造补贴", phrasings="扶手杆")
    answer = client.get("/api/search/", {"q": "扶手杆"}).json()
    assert [hit["title"] for hit in answer["hits"]] == [guide.title]


@pytest.mark.django_db
def test_editors_find_the_lexicon_in_the_admin(admin_client):
    ServiceTerm.objects.create(standard_name="犬只登记", phrasings="养狗")
    response = admin_client.get("/admin/snippets/portal_search/serviceterm/")
    assert response.status_code == 200
    assert "俗称词库" in response.content.decode() and "犬只登记" in response.content.decode()


def test_pinyin_full_initials_and_one_wrong_letter_read_as_the_vocabularys_words():
    from search.pinyin import Vocabulary

    words = Vocabulary(
        ["住房公积金提取", "营业执照遗失补领", "社会保障卡申领", "社保卡", "工程机械登记"]
    )
    assert words.hanzi("gongjijin") == ["公积金"]
    assert words.hanzi("GongJiJin") == ["公积金"]
    assert words.hanzi("yyzz") == ["营业执照"]
    assert words.hanzi("gongjijing") == ["公积金"]  # one letter too many
    assert words.hanzi("yingyezhizao") == ["营业执照"]  # one letter missing
    assert words.hanzi("shebaoka") == ["社保卡"]
    # Letters that read as nothing of the vocabulary, or too few to tell.
    assert words.hanzi("pdf") == [] and words.hanzi("zz") == []


def test_pinyin_reads_lu_with_an_umlaut_typed_as_v_or_as_u():
    from search.pinyin import Vocabulary

    words = Vocabulary(["法律援助申请", "绿色通道", "道路运输"])
    assert words.hanzi("falvyuanzhu") == ["法律援助"]
    assert words.hanzi("faluyuanzhu") == ["法律援助"]
    assert words.hanzi("lvse") == words.hanzi("luse") == ["绿色"]
    assert words.hanzi("daolu") == ["道路"]


def test_pinyin_reads_sounds_many_speakers_do_not_tell_apart_at_any_length():
    from search.pinyin import Vocabulary

    words = Vocabulary(["出生医学证明", "出生证明", "驾照换证", "住房公积金贷款", "市场监管"])
    # s for sh and en for eng (chusheng), ing for in (gongjijin), en for eng (zheng): past the
    # 14 letters a misspelling is tried at, and two of them in one syllable.
    assert words.hanzi("chusenzhengming") == ["出生证明"]
    assert words.hanzi("jiazhaohuanzhen") == ["驾照换证"]
    assert words.hanzi("gongjijingdaikuan") == ["公积金贷款"]
    assert words.hanzi("sichangjianguan") == ["市场监管"]
    # Sounds that are not among those (l for sh, o for u) stay apart.
    assert words.hanzi("chulenzhengming") == [] and words.hanzi("gongjijindaikoan") == []


def test_a_letter_wrong_reads_as_one_word_before_pieces_read_by_sound():
    from search.pinyin import Vocabulary, blurred

    # hukouzhuansi is 户口转移 with one letter wrong, and by sound 户口 装食 (zhuang, shi).
    words = Vocabulary(["户口转移", "户口", "装食", "驾照", "换证"])
    assert words.hanzi("hukouzhuansi") == ["户口转移"]
    # Pieces by sound when nothing is one letter away: 驾照 换证 from zhen for zheng.
    assert words.hanzi("jiazhaohuanzhen") == ["驾照 换证"]
    # ian/iang and uan/uang are not one sound (县, 乡); an/ang, en/eng, in/ing are.
    assert blurred("xiang") != blurred("xian") and blurred("guang") != blurred("guan")
    assert blurred("shang") == blurred("san") and blurred("ying") == blurred("yin")


@pytest.mark.django_db
def test_pinyin_and_traditional_characters_find_guides_in_the_results(client):
    factories.guide(title="营业执照遗失补领")
    factories.guide(title="住房公积金提取")
    list(index.rebuild(get_search_backend()))
    for typed, title in [
        ("yyzz", "营业执照遗失补领"),
        ("gongjijin", "住房公积金提取"),
        ("營業執照", "营业执照遗失补领"),
    ]:
        hits = client.get("/api/search/", {"q": typed}).json()["hits"]
        assert hits and hits[0]["title"] == title, typed


@pytest.mark.django_db
def test_a_first_issue_ranks_before_its_follow_up_unless_the_loss_is_asked_for(client):
    factories.guide(title="社会保障卡补领")
    factories.guide(title="社会保障卡申领")
    list(index.rebuild(get_search_backend()))

    def first(q):
        return client.get("/api/search/", {"q": q}).json()["hits"][0]["title"]

    assert first("社保卡怎么申请") == "社会保障卡申领"
    assert first("社会保障卡") == "社会保障卡申领"  # the shorter title no longer decides
    assert first("社保卡丢了") == "社会保障卡补领"
    assert first("补办社保卡") == "社会保障卡补领"


@pytest.mark.django_db
def test_what_an_item_name_is_about_is_tried_only_when_nothing_closer_is_found(client):
    factories.guide(title="生育服务登记")  # the lexicon says 生育登记
    list(index.rebuild(get_search_backend()))
    parsed = search_query.parse("准生证", lexicon=lexicon.current())
    assert "生育" not in [v.text for v in parsed.terms[0]]
    assert "生育" in [v.text for v in parsed.fallbacks[-1].terms[0]]
    hits = client.get("/api/search/", {"q": "准生证"}).json()["hits"]
    assert [hit["title"] for hit in hits] == ["生育服务登记"]


def test_a_phrasing_cut_by_a_question_word_is_kept_whole_and_synonyms_reach_the_lexicon():
    from search.synonyms import Synonyms

    words = Lexicon(
        [Group("机动车转移登记", ("二手车过户",), "t"), Group("收养登记", ("收养孩子",), "t")]
    )
    parsed = search_query.parse("二手车怎么过户", lexicon=words)
    assert len(parsed.terms) == 1 and "机动车转移登记" in [v.text for v in parsed.terms[0]]
    parsed = search_query.parse("领养孩子", Synonyms([["领养", "收养"]]), words)
    assert "收养登记" in [v.text for v in parsed.terms[0]]


def test_long_letter_strings_are_not_read_letter_by_letter_for_misspellings(monkeypatch):
    from search import pinyin

    words = pinyin.Vocabulary(["住房公积金提取"])
    tried = []
    monkeypatch.setattr(pinyin, "edits", lambda letters: tried.append(letters) or iter(()))
    assert words.hanzi("gongjijinqgongjijinq") == []  # 20 letters: too long to respell
    assert words.hanzi("q" * 40) == []  # past MAX_LETTERS: not read at all
    assert tried == []
    words.hanzi("gongjijinx")
    assert tried == ["gongjijinx"]
    words.hanzi("gongjijinx")  # remembered
    assert tried == ["gongjijinx"]


def test_a_misspelt_word_scans_the_vocabulary_once_for_each_chain_it_tries():
    # Every spelling one letter away from 14 letters (755 of them) makes the same few chains:
    # counted each time, they took seconds at 55,000 documents.
    from collections import Counter

    from search import lexicon, pinyin

    words = pinyin.Vocabulary(
        [w for group in lexicon.shipped() for w in (group.standard, *group.phrasings)]
    )
    scans = Counter()

    class Counted(str):
        def count(self, chain, *bounds):
            scans[chain] += 1
            return str.count(self, chain, *bounds)

    words.text = Counted(words.text)
    words.hanzi("jidaoxintongdi")
    assert len(scans) > 10 and set(scans.values()) == {1}


def test_a_lone_loss_word_says_it_for_the_rest_of_the_query():
    for asked in ("社保卡 补办", "社保卡怎么补办"):
        parsed = search_query.parse(asked)
        assert parsed.intent, asked
        assert [v[0].text for v in parsed.fallbacks[0].terms] == ["社保卡", "补领"], asked


def test_words_the_visitor_separated_are_never_joined():
    words = Lexicon(
        [Group("出生登记", ("上户口",), "t"), Group("机动车转移登记", ("二手车过户",), "t")]
    )
    assert [v[0].text for v in search_query.parse("网上 户口迁移", lexicon=words).terms] == [
        "网上",
        "户口迁移",
    ]
    assert [v[0].text for v in search_query.parse("二手车怎么过户 费用", lexicon=words).terms] == [
        "二手车过户",
        "费用",
    ]


def test_each_other_reading_is_tried_once_and_the_loose_one_is_marked_partial():
    words = Lexicon([Group("生育登记", ("准生证",), "t")])
    parsed = search_query.parse("潜水艇", lexicon=words)
    assert parsed.fallbacks == ()  # nothing of the lexicon: no other reading at all
    parsed = search_query.parse("准生证", lexicon=words)
    assert len(parsed.fallbacks) == 1 and parsed.fallbacks[0].partial
    assert "生育" in [v.text for v in parsed.fallbacks[0].terms[0]]


def test_an_editors_synonym_of_letters_comes_before_their_pinyin_reading():
    from search.pinyin import Vocabulary
    from search.synonyms import Synonyms

    parsed = search_query.parse(
        "gps", Synonyms([["gps", "卫星定位"]]), pinyin=Vocabulary(["高频事项", "告牌"])
    )
    assert "卫星定位" in [v.text for v in parsed.terms[0]]


@pytest.mark.django_db
def test_an_editors_standard_name_is_normalised_like_a_query():
    term = ServiceTerm(standard_name="營業執照 ＫＴＶ", phrasings="開歌廳、a")
    with pytest.raises(ValidationError, match="至少两个字"):
        term.full_clean()
    term.phrasings = "開歌廳"
    assert term.group.standard == "营业执照 ktv" and term.group.phrasings == ("开歌厅",)


def test_a_malformed_lexicon_file_is_reported_by_the_system_check(tmp_path, monkeypatch):
    from search.checks import lexicon_files_read

    (tmp_path / "01-test.txt").write_text("犬只登记 养狗\n", encoding="utf-8")
    monkeypatch.setattr(lexicon, "DIRECTORY", tmp_path)
    lexicon.shipped.cache_clear()
    try:
        errors = lexicon_files_read(None)
        assert [e.id for e in errors] == ["search.E001"] and "01-test.txt 第 1 行" in errors[0].msg
    finally:
        monkeypatch.undo()
        lexicon.shipped.cache_clear()
    assert lexicon_files_read(None) == []


def test_one_wrong_character_is_put_right_by_the_lexicons_words():
    words = lexicon.Lexicon(
        [
            lexicon.Group("居住证申领", ("办居住证", "暂住证"), "t"),
            lexicon.Group("居民户口簿补领", ("户口簿丢了", "补户口簿"), "t"),
            lexicon.Group("企业职工基本养老保险关系转移接续", ("养老保险转移接续",), "t"),
        ]
    )
    assert words.respelt("居往证") == "居住证"
    assert words.respelt("户口薄补办") == "户口簿补办"
    # One run at the edge of a longer word is too little evidence.
    assert words.respelt("养老保险转移接绪") == "养老保险转移接绪"
    # Words the lexicon knows, or too far from any of them, stay as typed.
    assert words.respelt("居住证") == "居住证"
    assert words.respelt("营业执照") == "营业执照"
    assert words.respelt("证居往") == "证居往"


def test_a_word_inside_phrasings_names_their_items():
    words = lexicon.Lexicon(
        [
            lexicon.Group("失业保险金申领", ("领失业金", "离职领失业金"), "t"),
            lexicon.Group("失业保险关系转移接续", ("失业金转移",), "t"),
            lexicon.Group("犬只登记", ("养狗",), "t"),
        ]
    )
    assert words.containing("失业金") == ["失业保险金申领", "失业保险关系转移接续"]
    # Two characters when they name a few items; a phrasing itself is read as one.
    assert words.containing("失业") == ["失业保险金申领", "失业保险关系转移接续"]
    assert words.containing("领失业金") == []


def test_two_characters_inside_phrasings_of_many_items_name_none():
    many = [lexicon.Group(f"医保事项{n}", (f"医保办理{n}",), "t") for n in "一二三四五六七"]
    words = lexicon.Lexicon(many)
    assert words.containing("医保") == []
    assert len(lexicon.Lexicon(many[:6]).containing("医保")) == 6


def test_two_characters_in_one_phrasing_or_not_chinese_name_nothing():
    words = lexicon.Lexicon(
        [
            lexicon.Group("个体工商户年度报告", ("个体户年报", "个体年报"), "t"),
            lexicon.Group("机动车驾驶人满分教育", ("驾照扣12分", "扣分学习"), "t"),
        ]
    )
    assert words.containing("年报") == ["个体工商户年度报告"]  # in two phrasings
    assert words.containing("驾照") == []  # in one only
    assert words.containing("12") == [] and words.containing("扣1") == []

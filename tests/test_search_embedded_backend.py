"""The embedded backend picks its dialect by the site's database, and refuses any database it
has none for instead of guessing (search/backends/embedded/__init__.py); a partial search is
driven by its rarest terms, which PostgreSQL estimates from its statistics."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.backends import load_backend
from search.backends.embedded.postgresql import estimated_share, token_shares
from search.query import SearchRequest, loosened, parse
from tests.test_search_backends import doc

pytestmark = pytest.mark.django_db


def test_the_embedded_backend_speaks_the_dialect_of_the_database():
    backend = load_backend("default", BACKEND="search.backends.embedded")
    assert type(backend.dialect).__module__ == f"search.backends.embedded.{connection.vendor}"


def test_another_database_stops_the_embedded_backend_with_an_explanation(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "mysql")
    with pytest.raises(ImproperlyConfigured) as refused:
        load_backend("default", BACKEND="search.backends.embedded")
    assert "只支持 SQLite 和 PostgreSQL" in str(refused.value)
    assert "mysql" in str(refused.value)
    # The command that would build the index says so too, rather than writing to a dialect
    # it guessed.
    with pytest.raises(CommandError, match="只支持 SQLite 和 PostgreSQL"):
        call_command("rebuild_search_index")


def test_a_partial_search_is_driven_by_its_rarest_terms_looked_up_once_per_generation():
    backend = load_backend("default", BACKEND="search.backends.embedded")
    documents = [doc(i, f"从业资格证明第{i}号") for i in range(1, 80)]
    list(backend.rebuild(iter([[*documents, doc(100, "出租车从业资格证")]])))
    live = backend.live()
    terms = loosened(parse("出租资格")).terms  # 出租 租资 资格: 1, 0 and 80 documents
    assert [variants[0].text for variants in terms] == ["出租", "租资", "资格"]

    with CaptureQueriesContext(connection):
        backend.dialect.rarest(terms, 2, live)  # PostgreSQL reads the statistics here
    with CaptureQueriesContext(connection) as again:
        drivers = backend.dialect.rarest(terms, 2, live)

    assert [variants[0].text for variants in drivers] == ["出租", "租资"]
    # PostgreSQL estimates from what ANALYZE kept, read once per generation; SQLite's FTS5
    # counts each term from its index.
    assert len(again) == (0 if connection.vendor == "postgresql" else len(terms))
    # Two of the three terms: only the taxi licence has both 出租 and 资格.
    result = backend.search(SearchRequest(parse("出租资格")))
    assert result.relaxed and [hit.title for hit in result.hits] == ["出租车从业资格证"]


def test_a_terms_share_of_documents_is_estimated_from_the_common_tokens():
    # The statistics' arrays: tokens, their shares, then the least and greatest share and
    # the share of empty vectors.
    shares, rare = token_shares(
        ["^t登记", "登记表", "资格证", "出租车"], [0.9, 0.5, 0.8, 0.02, 0.02, 0.9, 0.0]
    )
    assert estimated_share("'资格证'", shares, rare) == 0.8
    assert estimated_share("'登记':*", shares, rare) == 0.5  # any token it starts
    assert estimated_share("'^t登记':*", shares, rare) == 0.9
    assert estimated_share("('资格证' & '出租车')", shares, rare) == 0.02  # the least
    assert estimated_share("('资格证' | '出租车')", shares, rare) == pytest.approx(0.82)
    assert estimated_share("'登记表' | '资格证'", shares, rare) == 1.0  # never over all
    # A token not among the common ones: half the least common's share.
    assert estimated_share("'医保'", shares, rare) == rare == 0.01
    assert estimated_share(
        "(('^t登记':*) | ('^k登记':* & '资格证'))", shares, rare
    ) == pytest.approx(0.91)


def _corpus_of_relaxed_cases():
    """Documents for the relaxed attempts below: 证明 and 登记 in most of them."""
    documents = [doc(i, f"出生登记第{i}号", body="出生 登记 证明") for i in range(1, 40)]
    documents += [
        doc(50, "小学新生入学登记", keywords="小学入学"),
        doc(51, "出生医学证明补发", kind="guide", body="出生证明 登记"),
        doc(52, "出生证明办理须知", kind="policy", body="小学 入学"),
        doc(53, "医学证明登记", kind="policy", body="出生"),
    ]
    backend = load_backend("default", BACKEND="search.backends.embedded")
    list(backend.rebuild(iter([documents])))
    return backend


def _words(*words, names=False):
    from search.query import ParsedQuery
    from search.text import Term

    return ParsedQuery(text="".join(words), terms=tuple((Term(w, names=names),) for w in words))


def test_the_relaxed_attempts_in_one_statement_answer_as_one_statement_each():
    """EmbeddedSearchBackend._relaxed asks every relaxed attempt in one statement (what
    _first_found does on PostgreSQL), and
    tests a term more common than the drivers only on candidates holding enough of the
    others: the same attempt, rows, scores and counts as asking them one after another
    (BaseSearchBackend._first_found), with and without filters, first and second page."""
    from search.backends.base import BaseSearchBackend

    backend = _corpus_of_relaxed_cases()
    query = _words
    own = query("出生", "证明")
    cases = [
        # Half of six item-name words, four of them in no document (the attempt is not
        # asked): then the visitor's own words.
        [(query("学一", "一年", "年级", "级新", "学登", "登记", names=True), 3), (own, 1)],
        # Three of five, 登记 among them: found by the first attempt.
        [(query("出生", "医学", "证明", "补发", "登记"), 3), (own, 1)],
        [(query("小学", "新生", "入学", "登记", "学登"), 3), (own, 1)],
        [(own, 2), (query("出生", "登记"), 1)],
        [(query("无此", "无彼", "无它"), 2), (query("无此"), 1)],  # nothing at all
    ]
    for attempts in cases:
        for request in (
            SearchRequest(own),
            SearchRequest(own, filters={"type": "policy"}),
            SearchRequest(own, filters={"type": "guide"}, page=2, page_size=2),
        ):
            one = backend._relaxed(request, attempts, frozenset())
            each = BaseSearchBackend._first_found(backend, request, attempts, frozenset())
            assert (one[0], one[1], one[3]) == (each[0], each[1], each[3]), attempts
            assert [(h.page_id, h.score) for h in one[2]] == [
                (h.page_id, h.score) for h in each[2]
            ], attempts
    # The first case's rows come from its second attempt; the policy filter keeps the third
    # case to its second attempt too (its first finds a guide only).
    assert backend._relaxed(SearchRequest(own), cases[0], frozenset())[0] == 1
    assert backend._relaxed(SearchRequest(own), cases[2], frozenset())[0] == 0
    policies = SearchRequest(own, filters={"type": "policy"})
    assert backend._relaxed(policies, cases[2], frozenset())[0] == 1


def test_a_terms_frequency_is_zero_exactly_where_no_document_holds_it():
    backend = _corpus_of_relaxed_cases()
    terms = _words("学一", "出生", "学登", "证明", "租资").terms
    frequencies = backend.dialect.frequencies(terms, backend.live(), [True] * len(terms))
    # 学登 is in one title (小学新生入学登记); 学一 and 租资 in none.
    assert [f == 0 for f in frequencies] == [True, False, False, False, True]


def test_terms_no_document_holds_are_left_out_of_a_relaxed_search_with_the_same_answer(
    monkeypatch,
):
    """A term in no document is held by no row: the relaxed search leaves it out, and an
    attempt left with fewer terms than it needs is not asked at all; the answer is the one
    of asking every term (frequencies never 0)."""
    backend = _corpus_of_relaxed_cases()
    own = _words("出生", "证明")
    cases = [
        # Of six item-name words only 学登 and 登记 are in a document: three cannot be held.
        [(_words("学一", "一年", "年级", "级新", "学登", "登记", names=True), 3), (own, 1)],
        [(_words("出生", "医学", "证明", "补发", "登记", "租资"), 3), (own, 1)],
        [(_words("小学", "学入", "入学", "学上"), 2), (_words("小学", "入学", "学上"), 1)],
        [(_words("无此", "无彼", "无它", names=True), 2), (_words("无此"), 1)],  # nothing
        # The last attempt cannot be held: the first is still asked as a first attempt is.
        [(own, 1), (_words("学一", "一年", "年级", names=True), 2)],
    ]
    requests = [
        SearchRequest(own),
        SearchRequest(own, filters={"type": "policy"}),
        SearchRequest(own, filters={"type": "guide"}, page=2, page_size=2),
        SearchRequest(own, filters={"type": "notice"}),  # a kind no page is
    ]
    answers = [
        backend._relaxed(request, attempts, frozenset())
        for attempts in cases
        for request in requests
    ]
    with CaptureQueriesContext(connection) as asked:
        backend._relaxed(requests[0], cases[0], frozenset())
    statement = max((q["sql"] for q in asked.captured_queries), key=len)
    assert "学一" not in statement and "t1 AS" not in statement  # only the second attempt
    # Nothing at all: the first attempt is not asked, only the last (one term of one).
    with CaptureQueriesContext(connection) as asked:
        backend._relaxed(requests[0], cases[3], frozenset())
    searches = [q["sql"] for q in asked.captured_queries if "WITH t0" in q["sql"]]
    assert len(searches) == 1 and "t1 AS" not in searches[0] and "无彼" not in searches[0]

    real = backend.dialect.frequencies
    monkeypatch.setattr(
        backend.dialect, "frequencies", lambda *asked: [f or 0.5 for f in real(*asked)]
    )
    every_term = [
        backend._relaxed(request, attempts, frozenset())
        for attempts in cases
        for request in requests
    ]
    for answer, expected in zip(answers, every_term, strict=True):
        assert (answer[0], answer[1], answer[3]) == (expected[0], expected[1], expected[3])
        assert [(h.page_id, h.score) for h in answer[2]] == [
            (h.page_id, h.score) for h in expected[2]
        ]
    assert answers[0][0] == 1 and answers[0][1] > 0  # the visitor's own words answer
    assert answers[12][1] == 0  # nothing at all
    assert answers[16][0] == 0 and answers[16][1] > 0  # the first attempt, the last skipped


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_a_search_statement_is_planned_without_scanning_the_token_table():
    """The planner would scan the table for a token in most documents, reading every row's
    vector out of TOAST; a search statement is planned from the index, and the setting is
    as it was after it, inside the request's transaction too."""
    backend = _corpus_of_relaxed_cases()
    table = backend.dialect.table(backend.live())
    sql = f"EXPLAIN SELECT id FROM {table} WHERE tokens @@ %s::tsquery"
    with connection.cursor() as cursor:
        cursor.execute(sql, ["'证明':*"])
        plain = "\n".join(row[0] for row in cursor.fetchall())
        backend.dialect.execute(cursor, sql, ["'证明':*"])
        planned = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SHOW enable_seqscan")
        setting = cursor.fetchone()[0]
    assert "Seq Scan" in plain  # what the planner does on its own with this table
    assert "Seq Scan" not in planned and "Bitmap Index Scan" in planned
    assert setting == "on"


def test_a_relaxed_search_keeps_pages_with_two_of_the_visitors_words_before_any_with_one():
    """Nothing holds 小学入学报名 nor three of its five tokens: the pages with two of them
    answer (the school's enrolment notice), not every page that says 小学 (a teacher's
    licence ranks above it by its title's 小学 alone)."""
    backend = load_backend("default", BACKEND="search.backends.embedded")
    documents = [doc(1, "义务教育招生公告", body="小学 网上报名 须知")]
    documents += [doc(i, f"小学教师资格认定第{i}批", kind="policy") for i in range(2, 12)]
    list(backend.rebuild(iter([documents])))

    result = backend.search(SearchRequest(parse("小学入学报名")))

    assert result.relaxed
    assert [hit.page_id for hit in result.hits] == [1] and result.total == 1


def test_a_variant_that_holds_another_is_left_out_of_the_statement_with_the_same_rows():
    """最低生活保障审批 (an item name: titles and keywords) matches only where 最低生活保障 does:
    the statement asks the shorter alone and finds the same pages, on both databases."""
    from search.backends.embedded.dialect import necessary
    from search.text import Term

    short, name, synonym = Term("低保"), Term("最低生活保障审批", names=True), Term("最低生活保障")
    assert necessary((short, name, synonym)) == [short, synonym]
    # Not where the shorter is an item name and the longer is matched anywhere, nor for
    # letters (abc is one token and does not hold ab), nor twice for the same text.
    body_wide, short_name = Term("最低生活保障"), Term("生活保障", names=True)
    assert necessary((body_wide, short_name)) == [body_wide, short_name]
    letters = (Term("abc"), Term("ab"))
    assert necessary(letters) == list(letters)
    first, again = Term("社保卡"), Term("社保卡")
    assert necessary((first, again)) == [first]

    backend = load_backend("default", BACKEND="search.backends.embedded")
    documents = [
        doc(1, "最低生活保障审批", body="申请最低生活保障"),
        doc(2, "城乡最低生活保障金发放", keywords="最低生活保障审批"),
        doc(3, "低保边缘家庭认定", body="最低生活保障审批结果"),
        doc(4, "临时救助", body="最低 生活 保障"),
    ]
    list(backend.rebuild(iter([documents])))
    from search.query import ParsedQuery

    def found(*variants):
        query = ParsedQuery(text="低保", terms=(tuple(variants),))
        result = backend.search(SearchRequest(query))
        return result.total, [(hit.page_id, hit.score) for hit in result.hits]

    with CaptureQueriesContext(connection) as asked:
        both = found(name, synonym)
    assert "审批" not in max((q["sql"] for q in asked.captured_queries), key=len)
    assert both == found(synonym) and both[0] == 3

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


def test_the_relaxed_attempts_in_one_statement_answer_as_one_statement_each():
    """EmbeddedSearchBackend._relaxed asks every relaxed attempt in one statement (what
    _first_found does on PostgreSQL), and
    tests a term more common than the drivers only on candidates holding enough of the
    others: the same attempt, rows, scores and counts as asking them one after another
    (BaseSearchBackend._first_found), with and without filters, first and second page."""
    from search.backends.base import BaseSearchBackend
    from search.query import ParsedQuery
    from search.text import Term

    backend = load_backend("default", BACKEND="search.backends.embedded")
    documents = [doc(i, f"出生登记第{i}号", body="出生 登记") for i in range(1, 40)]
    documents += [
        doc(50, "小学新生入学登记", keywords="小学入学"),
        doc(51, "出生医学证明补发", kind="guide", body="出生证明 登记"),
        doc(52, "出生证明办理须知", kind="policy", body="小学 入学"),
        doc(53, "医学证明登记", kind="policy", body="出生"),
    ]
    list(backend.rebuild(iter([documents])))

    def query(*words, names=False):
        return ParsedQuery(text="".join(words), terms=tuple((Term(w, names=names),) for w in words))

    own = query("出生", "证明")
    cases = [
        # Half of six item-name words (登记 common: counted after the others), none has them:
        # then the visitor's own words.
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

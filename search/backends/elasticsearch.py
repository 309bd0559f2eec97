"""The Elasticsearch backend, through the official client and its DSL (elasticsearch.dsl).

    PORTAL_SEARCH_BACKENDS = {"default": {
        "BACKEND": "search.backends.elasticsearch",
        "URL": "http://elasticsearch:9200",
        "INDEX": "zhengwu-portal",       # the alias searches read
        "ANALYZER": "smartcn",           # optional: a word analyzer installed on the cluster
        "TIMEOUT": 5,                    # seconds; a slow cluster answers 503, not a hung page
    }}

The index mapping is declared here (IndexedPortalDocument), a field for each field of the
plain PortalDocument (search/documents.py); this is the only module that imports the
Elasticsearch client. Text fields use the built-in `cjk` analyzer, which makes the same
character bigrams as the embedded backend, so a term is matched the same way: a phrase of
its bigrams (match_phrase), and a lone character by any bigram containing it (wildcard).
With ANALYZER set, each text field gets a `words` sub-field in that analyzer (IK or smartcn
segment words: 社会保障局 → 社会保障, 局), which only adds a small bonus inside a ranking
tier, never decides a match.

The query scores like the embedded backend: each term counts the weight of the strongest
field it is found in (constant_score in a dis_max), the sum is multiplied by the document's
boost (function_score), and ties go to the shorter title. Facets are aggregations; the hit
list is narrowed by a post_filter so the type tabs can count outside the type filter.

A rebuild writes a new concrete index (INDEX-<time>) that the INDEX-building alias also
points to, so updates made meanwhile land in both; at the end one update_aliases call moves
INDEX to it, and the old index is deleted: zero downtime, and never a half-built index.
"""

import datetime
import logging

from django.utils import timezone
from elastic_transport import ApiError, TransportError, Urllib3HttpNode
from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.dsl import (
    Boolean,
    Completion,
    Date,
    Document,
    Float,
    Integer,
    Keyword,
    Object,
    Q,
    Search,
    Text,
)
from elasticsearch.helpers import BulkIndexError, bulk, scan

from search.backends.base import FACET_FIELDS, BaseSearchBackend, SearchUnavailable
from search.documents import FIELDS, NAME_FIELDS, NAME_WORD_WEIGHT, TEXT_FIELDS
from search.query import Hit, Suggestion

logger = logging.getLogger("search")

TIERS = ("title", "keywords", "materials")
FACET_SIZES = {"department": 200, "theme": 200, "audience": 10, "item_type": 20, "flags": 20}
# A word-analyzer match adds at most this much inside a tier (tiers are 1 apart or more).
WORDS_BONUS = 0.5
# Elasticsearch's built-in `cjk` analyzer: bigrams of Chinese characters, as the embedded
# backend makes them (search/text.py), and present on every cluster without plugins. A word
# analyzer (IK, smartcn) can be added as a sub-field for ranking (ANALYZER).
CJK = "cjk"


class IndexedPortalDocument(Document):
    """The index mapping of a PortalDocument (search/documents.py), one field for each of its
    fields; tests/test_search_backends.py checks that the two name the same fields."""

    page_id = Integer()
    kind = Keyword()
    title = Text(analyzer=CJK)
    keywords = Text(analyzer=CJK)
    materials = Text(analyzer=CJK)
    body = Text(analyzer=CJK)
    url = Keyword(index=False)
    summary = Text(index=False)
    details = Object(enabled=False)
    department = Keyword()
    theme = Keyword(multi=True)
    audience = Keyword()
    item_type = Keyword()
    flags = Keyword(multi=True)
    high_frequency = Boolean()
    boost = Float()
    date = Date()
    expire_at = Date()
    # A list of {"input": [...], "weight": n} entries (search.sources.suggestion).
    suggest = Completion(analyzer="keyword", preserve_separators=False, multi=True)

    class Index:
        # The real name comes from settings (INDEX).
        name = "zhengwu-portal"


class PlainJsonNode(Urllib3HttpNode):
    """The client announces `application/vnd.elasticsearch+json; compatible-with=9`; every
    Elasticsearch also accepts plain `application/json`, and OpenSearch-API servers (the
    osmem-server CI uses) accept only that. Sending plain JSON works with both."""

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if headers:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                if name in headers and "compatible-with" in headers[name]:
                    headers[name] = "application/json"
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)


def run_text(phrase) -> str:
    """A term's phrase of bigrams back as the characters it came from (营业 业执 执照 → 营业执照)."""
    return phrase[0] + "".join(token[1:] for token in phrase[1:])


BULK_RETRIES = 5


class SearchBackend(BaseSearchBackend):
    def __init__(self, alias, params):
        super().__init__(alias, params)
        self.index = params.get("INDEX", "zhengwu-portal")
        self.building = f"{self.index}-building"
        self.words_analyzer = params.get("ANALYZER") or ""
        # Copies of each shard on other nodes: 1 (Elasticsearch's default) survives a node's
        # loss; a single-node cluster shows yellow with it, and may set 0.
        self.replicas = int(params.get("REPLICAS", 1))
        self.client = Elasticsearch(
            params["URL"],
            node_class=PlainJsonNode,
            request_timeout=float(params.get("TIMEOUT", 5)),
            max_retries=int(params.get("RETRIES", 0)),
            retry_on_timeout=False,
        )

    def call(self, method, *args, **kwargs):
        """A client call, with the cluster being down turned into SearchUnavailable."""
        try:
            return method(*args, **kwargs)
        except NotFoundError:
            raise
        except TransportError as error:
            raise SearchUnavailable(f"Elasticsearch 无法连接：{error}") from error
        except ApiError as error:
            # Overloaded (429), refusing our credentials (401, 403) or failing (5xx): the
            # cluster cannot answer now, which a visitor sees as the 503 page. Anything else
            # (a 400) is a request this code built wrongly, and stays an error.
            if error.status_code >= 500 or error.status_code in (401, 403, 408, 429):
                raise SearchUnavailable(f"Elasticsearch 出错：{error}") from error
            raise

    # --- the index -----------------------------------------------------------------------

    def mapping(self) -> dict:
        mapping = IndexedPortalDocument._doc_type.mapping.to_dict()
        mapping["properties"]["title_length"] = {"type": "integer"}
        if self.words_analyzer:
            for name in TEXT_FIELDS:
                mapping["properties"][name]["fields"] = {
                    "words": {"type": "text", "analyzer": self.words_analyzer}
                }
        return mapping

    def serving_settings(self):
        return {"refresh_interval": "1s", "number_of_replicas": self.replicas}

    def create_index(self, loading=False) -> str:
        """A new index; `loading`: for a rebuild, with no refreshes and no replicas while the
        documents go in (Elasticsearch's advice for bulk loads), until `ready_to_serve`."""
        name = f"{self.index}-{timezone.now():%Y%m%d%H%M%S%f}"
        index_settings = {"number_of_shards": 1, "max_result_window": 10000}
        index_settings |= (
            {"refresh_interval": "-1", "number_of_replicas": 0}
            if loading
            else self.serving_settings()
        )
        self.call(
            self.client.indices.create,
            index=name,
            mappings=self.mapping(),
            settings=index_settings,
        )
        return name

    def ready_to_serve(self, name):
        """Refreshes and replicas back, before the alias swap makes the index the live one."""
        self.call(self.client.indices.put_settings, index=name, settings=self.serving_settings())
        self.call(self.client.indices.refresh, index=name)

    def indices_of(self, alias) -> list[str]:
        try:
            return sorted(self.call(self.client.indices.get_alias, name=alias))
        except NotFoundError:
            return []

    def write_targets(self) -> list[str]:
        live = self.indices_of(self.index)
        if not live:
            name = self.create_index()
            self.call(self.client.indices.put_alias, index=name, name=self.index)
            live = [name]
        return live + [i for i in self.indices_of(self.building) if i not in live]

    # --- writing -------------------------------------------------------------------------

    def source(self, doc) -> dict:
        body = {name: getattr(doc, name) for name in FIELDS}
        body["title_length"] = len(doc.title or "")
        if isinstance(body.get("date"), datetime.datetime):
            body["date"] = body["date"].date().isoformat()
        return body

    def index_actions(self, index, documents):
        return [
            {"_op_type": "index", "_index": index, "_id": d.page_id, "_source": self.source(d)}
            for d in documents
        ]

    def _bulk(self, actions, refresh):
        try:
            # A busy cluster answers 429 for some documents: those are sent again, after 2, 4,
            # 8… seconds, up to BULK_RETRIES times (elasticsearch.helpers.streaming_bulk).
            self.call(
                bulk,
                self.client,
                actions,
                refresh=refresh,
                raise_on_error=True,
                chunk_size=500,
                max_retries=BULK_RETRIES,
                initial_backoff=2,
            )
        except BulkIndexError as error:
            failures = [
                e for e in error.errors if "delete" not in e or e["delete"].get("status") != 404
            ]
            if failures:
                raise

    def update(self, documents, refresh="wait_for"):
        documents = list(documents)
        if documents:
            targets = self.write_targets()
            actions = [
                action for index in targets for action in self.index_actions(index, documents)
            ]
            self._bulk(actions, refresh)

    def remove(self, page_ids, refresh="wait_for"):
        page_ids = list(page_ids)
        if page_ids:
            actions = [
                {"_op_type": "delete", "_index": index, "_id": page_id}
                for index in self.write_targets()
                for page_id in page_ids
            ]
            self._bulk(actions, refresh)

    def rebuild(self, chunks):
        for stale in self.indices_of(self.building):  # left by a rebuild that crashed
            self.call(self.client.indices.delete, index=stale)
        new = self.create_index(loading=True)
        self.call(self.client.indices.put_alias, index=new, name=self.building)
        try:
            for documents in chunks:
                self._bulk(self.index_actions(new, documents), refresh=False)
                yield len(documents)
            self.ready_to_serve(new)
        except BaseException:
            self.call(self.client.indices.delete, index=new)
            raise
        old = self.indices_of(self.index)
        if self.call(self.client.indices.exists, index=self.index) and not old:
            # An index (not an alias) of that name, made by hand or an older version.
            self.call(self.client.indices.delete, index=self.index)
        swap = [
            {"add": {"index": new, "alias": self.index}},
            {"remove": {"index": new, "alias": self.building}},
        ]
        swap += [{"remove": {"index": index, "alias": self.index}} for index in old]
        self.call(self.client.indices.update_aliases, actions=swap)
        for index in old:
            self.call(self.client.indices.delete, index=index)

    def clear(self):
        for index in set(self.indices_of(self.index) + self.indices_of(self.building)):
            self.call(self.client.indices.delete, index=index)

    def page_ids(self):
        try:
            hits = scan(
                self.client, index=self.index, query={"query": {"match_all": {}}}, _source=False
            )
            return {int(hit["_id"]) for hit in hits}
        except NotFoundError:
            return set()
        except TransportError as error:
            raise SearchUnavailable(str(error)) from error

    def problems(self):
        try:
            self.client.info()
        except (TransportError, ApiError) as error:
            return [f"无法连接 Elasticsearch（{self.params['URL']}）：{error}"]
        return []

    # --- reading -------------------------------------------------------------------------

    def variant_in(self, fields, term):
        """One variant of a term, found in any of `fields`: each phrase of its bigrams, and
        each lone character. An item name (text.Term.names) only in titles and keywords."""
        if term.names:
            fields = [f for f in fields if f in NAME_FIELDS]
            if not fields:
                return Q("match_none")
        parts = [
            Q(
                "bool",
                should=[Q("match_phrase", **{f: run_text(p)}) for f in fields],
                minimum_should_match=1,
            )
            for p in term.phrases
        ]
        parts += [self.wildcard(fields, char) for char in term.prefixes]
        return Q("bool", filter=parts)

    @staticmethod
    def wildcard(fields, char):
        # The index holds bigrams; a lone character is in every bigram that contains it.
        return Q(
            "bool",
            should=[Q("wildcard", **{f: {"value": f"*{char}*"}}) for f in fields],
            minimum_should_match=1,
        )

    def term_in(self, fields, variants):
        return Q(
            "bool",
            should=[self.variant_in(fields, v) for v in variants],
            minimum_should_match=1,
        )

    def term_score(self, variants, relaxed=False):
        """The weight of the strongest field the term is found in (title 10 … anywhere 1)."""
        weights = list(TEXT_FIELDS.values())
        if relaxed and all(variant.names for variant in variants):
            weights = [weight * NAME_WORD_WEIGHT for weight in weights]
        tiers = [
            Q("constant_score", filter=self.term_in([field], variants), boost=weight)
            for field, weight in zip(TIERS, weights, strict=False)
        ]
        tiers.append(
            Q(
                "constant_score",
                filter=self.term_in(list(TEXT_FIELDS), variants),
                boost=weights[-1],
            )
        )
        scored = Q("dis_max", queries=tiers, tie_breaker=0)
        if self.words_analyzer:
            words = " ".join(v.text for v in variants)
            bonus = Q(
                "multi_match", query=words, fields=[f"{f}.words" for f in TIERS], type="best_fields"
            )
            scored = Q(
                "bool", must=[scored], should=[Q("constant_score", filter=bonus, boost=WORDS_BONUS)]
            )
        return scored

    def visible(self, hidden):
        """Documents a visitor may see: unexpired, and not of a page hidden since it was
        written (search/hidden.py)."""
        now = timezone.now().isoformat()
        return Q(
            "bool",
            should=[
                Q("bool", must_not=[Q("exists", field="expire_at")]),
                Q("range", expire_at={"gt": now}),
            ],
            minimum_should_match=1,
            must_not=[Q("terms", page_id=sorted(hidden))] if hidden else [],
        )

    @staticmethod
    def filter_queries(filters, skip=()):
        queries = []
        for name, wanted in filters.items():
            if name in skip:
                continue
            field = FACET_FIELDS[name]
            if name == "flag":
                queries += [Q("term", flags=value) for value in wanted]
            elif name == "audience":
                queries.append(Q("terms", audience=[wanted, "both"]))
            else:
                queries.append(Q("term", **{field: wanted}))
        return queries

    def _search(self, request, hidden):
        terms = [self.term_score(variants, request.relaxed) for variants in request.query.terms]
        if request.relaxed:  # some terms, scored by which match and where
            matched = Q("bool", should=terms, minimum_should_match=request.minimum_match)
        else:
            matched = Q("bool", must=terms)
        query = Q("bool", must=[matched], filter=[self.visible(hidden)])
        if not request.relaxed:  # a partial match's boost only breaks ties (embedded backend)
            query = Q(
                "function_score",
                query=query,
                functions=[{"field_value_factor": {"field": "boost", "missing": 1}}],
                boost_mode="multiply",
            )
        search = (
            Search(using=self.client, index=self.index)
            .query(query)
            .sort("_score", {"boost": "desc"}, {"title_length": "asc"}, {"page_id": "asc"})
            .source(["page_id", "kind", "title", "url", "summary", "body", "keywords", "details"])
            .extra(track_total_hits=True, from_=request.offset, size=request.page_size)
        )
        all_filters = self.filter_queries(request.filters)
        if all_filters:
            search = search.post_filter(Q("bool", filter=all_filters))
        kinds = search.aggs.bucket(
            "kinds",
            "filter",
            Q("bool", filter=self.filter_queries(request.filters, skip=("type",))),
        )
        kinds.bucket("kind", "terms", field="kind", size=20)
        facets = search.aggs.bucket("facets", "filter", Q("bool", filter=all_filters))
        for field, size in FACET_SIZES.items():
            facets.bucket(field, "terms", field=field, size=size)
        try:
            response = self.call(search.execute)
        except NotFoundError:
            logger.warning(
                "Elasticsearch 索引 %s 不存在：请运行 python manage.py rebuild_search_index",
                self.index,
            )
            return 0, [], {}
        counts = {"kind": {b.key: b.doc_count for b in response.aggregations.kinds.kind.buckets}}
        for field in FACET_SIZES:
            counts[field] = {
                b.key: b.doc_count for b in getattr(response.aggregations.facets, field).buckets
            }
        hits = [
            Hit(
                score=hit.meta.score or 0.0,
                page_id=hit.page_id,
                kind=hit.kind,
                title=hit.title,
                url=hit.url,
                summary=hit.summary or "",
                body=hit.body or "",
                keywords=hit.keywords or "",
                details=hit.details.to_dict() if hit.details else {},
            )
            for hit in response.hits
        ]
        return response.hits.total.value, hits, counts

    def _suggest(self, key, phrase, limit, hidden):
        fields = ["page_id", "title", "url", "kind", "expire_at"]
        now = timezone.now()
        search = Search(using=self.client, index=self.index).source(fields).extra(size=0)
        search = search.suggest(
            "titles",
            key,
            completion={"field": "suggest", "size": limit * 3, "skip_duplicates": True},
        )
        try:
            response = self.call(search.execute)
        except NotFoundError:
            return []
        found, seen = [], set()
        for option in response.suggest.titles[0].options:
            source = option._source
            expire_at = source.to_dict().get("expire_at")
            if expire_at and datetime.datetime.fromisoformat(expire_at) <= now:
                continue
            if source.page_id in hidden:  # a completion suggester takes no such filter
                continue
            if source.page_id not in seen:
                seen.add(source.page_id)
                found.append((option._score, source))
        found.sort(key=lambda pair: (-pair[0], len(pair[1].title), pair[1].title))
        suggestions = [Suggestion(text=s.title, url=s.url, kind=s.kind) for _, s in found]
        if phrase and len(suggestions) < limit:
            infix = (
                Search(using=self.client, index=self.index)
                .query(
                    Q(
                        "bool",
                        must=[self.variant_in(["title"], phrase)],
                        filter=[self.visible(hidden)],
                    )
                )
                .sort({"boost": "desc"}, {"title_length": "asc"}, {"page_id": "asc"})
                .source(fields)
                .extra(size=limit * 2)
            )
            for hit in self.call(infix.execute):
                if hit.page_id not in seen:
                    seen.add(hit.page_id)
                    suggestions.append(Suggestion(text=hit.title, url=hit.url, kind=hit.kind))
        return suggestions[:limit]

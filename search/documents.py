"""What a search document is: one definition for every backend.

`PortalDocument` is an elasticsearch.dsl `Document` (the official client's DSL), so the
Elasticsearch mapping comes straight from it; the embedded backend stores the same fields in
its own table (search/models.py, IndexedDocument). Builders in search/sources.py turn each
public page into one of these.

The four text fields are the ranking tiers, strongest first: a match in the title counts
more than one in the aliases and keywords, which counts more than one in the materials,
which counts more than one in the body.
"""

from elasticsearch.dsl import (
    Boolean,
    Completion,
    Date,
    Document,
    Float,
    Integer,
    Keyword,
    Object,
    Text,
)

# Elasticsearch's built-in `cjk` analyzer: bigrams of Chinese characters, as the embedded
# backend makes them (search/text.py), and present on every cluster without plugins. A word
# analyzer (IK, smartcn) can be added as a sub-field for ranking: search/backends/elasticsearch.py.
CJK = "cjk"

# Text fields in ranking order, with the boost each tier gets.
TEXT_FIELDS = {"title": 10.0, "keywords": 5.0, "materials": 2.0, "body": 1.0}

# What a visitor can narrow the results by; each is a keyword field of the document.
FACETS = ("kind", "department", "theme", "audience", "item_type", "flags")

# Content types (`kind`), in the order the search page shows them.
KINDS = {
    "guide": "办事指南",
    "bundle": "一件事",
    "policy": "政策文件",
    "article": "电子刊物",
    "gallery": "窗口风采",
}

# High-frequency items (高频事项) are lifted above others that match as well.
HIGH_FREQUENCY_BOOST = 1.5


class PortalDocument(Document):
    """One public page, as every search backend stores it. `meta.id` is the page id."""

    page_id = Integer()
    kind = Keyword()
    title = Text(analyzer=CJK)
    keywords = Text(analyzer=CJK)
    materials = Text(analyzer=CJK)
    body = Text(analyzer=CJK)
    # Shown, not searched.
    url = Keyword(index=False)
    summary = Text(index=False)
    details = Object(enabled=False)
    # Facets and filters.
    department = Keyword()
    theme = Keyword(multi=True)
    audience = Keyword()
    item_type = Keyword()
    flags = Keyword(multi=True)
    high_frequency = Boolean()
    boost = Float()
    date = Date()
    # The earliest expiry of the page and its ancestors: an expired page leaves the results at
    # once, before the worker's publish_scheduled job unpublishes it.
    expire_at = Date()
    # Typed-prefix suggestions: the title and aliases, each also as full pinyin and initials
    # (营业执照 → yingyezhizhao, yyzz), computed by the app so no pinyin plugin is needed.
    # A list of {"input": [...], "weight": n} entries: keys typed from the start of a title
    # weigh more than keys typed from inside it (search.sources.suggestion).
    suggest = Completion(analyzer="keyword", preserve_separators=False, multi=True)

    class Index:
        # The real name comes from settings (search/backends/elasticsearch.py).
        name = "zhengwu-portal"

    @property
    def suggest_keys(self) -> list[tuple[str, int]]:
        """(key, weight) for every way of typing this document's title."""
        return [
            (key, int(entry["weight"])) for entry in self.suggest or [] for key in entry["input"]
        ]

"""What a search document is: one definition for every backend.

`PortalDocument` is a plain dataclass. Builders in search/sources.py turn each public page
into one; the embedded backend stores its fields in its own table (search/models.py,
IndexedDocument), the Elasticsearch backend in an index whose mapping it declares itself
(search/backends/elasticsearch.py). Nothing here needs an engine's library, so the embedded
default runs without the Elasticsearch client.

The four text fields are the ranking tiers, strongest first: a match in the title counts
more than one in the aliases and keywords, which counts more than one in the materials,
which counts more than one in the body.
"""

import datetime
import re
from dataclasses import dataclass, field, fields

# Text fields in ranking order, with the boost each tier gets.
TEXT_FIELDS = {"title": 10.0, "keywords": 5.0, "materials": 2.0, "body": 1.0}
# Where items are named: what the service lexicon's standard names are matched in
# (search.text.Term.names).
NAME_FIELDS = ("title", "keywords")
# In a partial match, a word only an item name brought (the lexicon's 内地居民收养登记 for
# 领养孩子) counts this much of one the visitor wrote: it says where to look, not what was
# asked. In a title (1.5) it is worth less than the visitor's word in the materials (2), more
# than in a body (1).
NAME_WORD_WEIGHT = 0.15

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
# An item that follows another one (补领, 换领, 注销, 变更…) ranks below its first issue when
# they match alike: 社保卡怎么申请 wants 社会保障卡申领 before 社会保障卡补领. A query that says
# the loss or renewal matches the follow-up's title once more (search/query.py, INTENT_WORDS)
# and still puts it first.
FOLLOW_UP_BOOST = 0.8
FOLLOW_UP = re.compile(
    "补领|补发|补办|补证|换领|换发|换证|遗失|挂失|注销|变更|更正|延续|撤销|迁出|歇业"
)


@dataclass
class PortalDocument:
    """One public page, as every search backend stores it; `page_id` is its id everywhere."""

    page_id: int
    kind: str = ""
    title: str = ""
    keywords: str = ""
    materials: str = ""
    body: str = ""
    # Shown, not searched.
    url: str = ""
    summary: str = ""
    details: dict = field(default_factory=dict)
    # Facets and filters.
    department: str = ""
    theme: list[str] = field(default_factory=list)
    audience: str = ""
    item_type: str = ""
    flags: list[str] = field(default_factory=list)
    high_frequency: bool = False
    boost: float = 1.0
    date: datetime.date | None = None
    # The earliest expiry of the page and its ancestors: an expired page leaves the results at
    # once, before the worker's publish_scheduled job unpublishes it.
    expire_at: datetime.datetime | None = None
    # Typed-prefix suggestions: the title and aliases, each also as full pinyin and initials
    # (营业执照 → yingyezhizhao, yyzz), computed by the app so no pinyin plugin is needed.
    # A list of {"input": [...], "weight": n} entries: keys typed from the start of a title
    # weigh more than keys typed from inside it (search.sources.suggestion).
    suggest: list[dict] = field(default_factory=list)
    # Not a field of the document: what a backend's `prepare` made of it in a rebuild's worker
    # process (search/sources.py, public_documents). Such a document crosses the pipe holding
    # only its page_id and this.
    prepared: object = field(default=None, repr=False, compare=False)

    @property
    def suggest_keys(self) -> list[tuple[str, int]]:
        """(key, weight) for every way of typing this document's title."""
        return [
            (key, int(entry["weight"])) for entry in self.suggest or [] for key in entry["input"]
        ]


# The document's own fields, which every backend stores.
FIELDS = tuple(f.name for f in fields(PortalDocument) if f.name != "prepared")

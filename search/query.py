"""A search as the backends receive it, and what they give back.

The visitor's words are parsed once, here, the same way for every backend: normalised
(full-width, case, traditional → simplified), split into terms, question words dropped,
each term widened by the editors' synonyms. A backend only has to match "every term, each
through any of its variants" and count facets; highlighting, labels and paging are shared.
"""

import functools
import math
from dataclasses import dataclass, field

from search import text

MAX_QUERY_LENGTH = 100
MAX_TERMS = 8
MAX_VARIANTS = 10
DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 50
# Deeper pages are never useful and cost the engines most (Elasticsearch refuses beyond
# 10,000 by default).
MAX_PAGE = 100
# The relaxed retry matches some of a query's tokens; this many at most.
MAX_LOOSE_TOKENS = 12

# Words that carry the question or the request, not what is asked about: 怎么办理营业执照
# means 营业执照. Longest first, so 怎么办理 goes before 怎么. Where one is cut out, the query
# splits into separate terms (新生儿落户需要什么材料 → 新生儿落户).
QUESTION_WORDS = (
    "需要准备什么材料",
    "需要带什么材料",
    "需要什么材料",
    "要带什么材料",
    "要什么材料",
    "需要哪些材料",
    "要哪些材料",
    "需要带什么",
    "要带什么",
    "需要什么手续",
    "要什么手续",
    "办理流程",
    "怎么申请",
    "如何申请",
    "怎么办理",
    "如何办理",
    "怎样办理",
    "在哪里办",
    "去哪里办",
    "去哪儿办",
    "在哪办",
    "去哪办",
    "哪里办",
    "怎么弄",
    "怎么办",
    "咋办",
    "咋弄",
    "怎么",
    "怎样",
    "如何",
    "在哪里",
    "在哪儿",
    "在哪",
    "哪里",
    "什么",
    "需要",
    "我要",
    "我想",
    "想要",
    "请问",
    "可以吗",
    "能不能",
    "办理",
    "吗",
    "呢",
)

# What a visitor says of a certificate that is lost or runs out (身份证丢了, 补办社保卡, 驾照到期了).
# The words go, and the matching intent becomes a term of its own — any of its words, in the
# title or the text — so 身份证丢了 finds 居民身份证补领 before 居民身份证首次申领. A search that
# finds nothing with it is retried without it (search/backends/base.py).
INTENT_WORDS = {
    "loss": (
        "弄丢了",
        "丢失了",
        "遗失了",
        "找不到了",
        "不见了",
        "被偷了",
        "被盗了",
        "丢了",
        "弄丢",
        "丢失",
        "遗失",
        "掉了",
        "被盗",
        "补办",
        "补领",
        "补发",
        "补证",
        "重新办",
    ),
    "renewal": (
        "快到期了",
        "要到期了",
        "快过期了",
        "到期了",
        "过期了",
        "失效了",
        "快到期",
        "要到期",
        "到期",
        "过期",
        "期满",
        "失效",
        "续期",
        "换证",
        "换领",
        "换新",
    ),
}
INTENT_WORDS["damage"] = (
    "弄坏了",
    "损坏了",
    "磨损了",
    "弄脏了",
    "写满了",
    "看不清了",
    "坏了",
    "破了",
    "损坏",
    "破损",
    "磨损",
    "脏了",
    "写满",
)
# A damaged certificate is exchanged (换领) where the item exists, else replaced (补领).
INTENT_VARIANTS = {
    "loss": ("补领", "补办", "补发", "遗失", "补证", "挂失"),
    "renewal": ("换领", "换证", "换发", "期满", "到期", "延续"),
    "damage": ("换领", "换发", "换证", "补领", "补发", "补办"),
}


@dataclass(frozen=True)
class ParsedQuery:
    """`terms`: all must match; each is a tuple of variants, any of which may match."""

    text: str
    terms: tuple[tuple[text.Term, ...], ...] = ()
    # Other readings, tried in order while the query finds nothing (search/backends/base.py):
    # for 补办社保卡, 社保卡 + a loss term, then 社保卡 alone.
    fallbacks: tuple["ParsedQuery", ...] = ()
    intent: bool = False  # the query says a loss or renewal (INTENT_WORDS)
    partial: bool = False  # a loose reading: its answers are shown as partial matches

    def __bool__(self):
        return bool(self.terms)

    @property
    def needles(self) -> list[str]:
        """Every variant's text, longest first: what highlighting marks."""
        seen = {variant.text for variants in self.terms for variant in variants}
        return sorted(seen, key=len, reverse=True)

    @property
    def token_count(self) -> int:
        """The tokens of the visitor's own words: each term's first variant, or for letters
        the Chinese they were read as (zufangtiqugongjijin is 租房 提取公积金, six tokens)."""
        count = 0
        for variants in self.terms:
            typed = next((v for v in variants if v.spoken), variants[0])
            count += len(typed.tokens) + len(typed.prefixes)
        return count

    @property
    def fewest_tokens(self) -> int:
        """The fewest tokens a page matching every term holds: each term's shortest variant
        of the visitor's words or their synonyms (not an item name's)."""
        return sum(
            min((len(v.tokens) + len(v.prefixes) for v in variants if not v.names), default=0)
            for variants in self.terms
        )

    def own_words(self) -> "ParsedQuery":
        """The query without the item names readings added (text.Term.names)."""
        terms = tuple(tuple(v for v in variants if not v.names) for variants in self.terms)
        return ParsedQuery(self.text, terms)


def split_groups(query: str) -> list[list[str]]:
    """The query's words, grouped by what the visitor separated (spaces, punctuation): within
    a group, the parts a question word cut apart (二手车怎么过户 → [二手车, 过户])."""
    pieces = [piece for piece in text.TERM_SEPARATOR.split(query) if piece]
    groups = []
    for piece in pieces:
        for word in QUESTION_WORDS:
            piece = piece.replace(word, " ")
        if piece.split():
            groups.append(piece.split())
    # A query of nothing but question words (怎么办) is meant as typed.
    return groups or [[piece] for piece in pieces]


ALL_INTENT_WORDS = {word: intent for intent, words in INTENT_WORDS.items() for word in words}


def split_intent(word: str) -> tuple[str, str | None]:
    """`word` without its loss or renewal words, and which intent they were (or None):
    社保卡丢了 → (社保卡, "loss"), 补办社保卡 → (社保卡, "loss"). A word of nothing else stays."""
    for intent, words in INTENT_WORDS.items():
        core = word
        for intent_word in words:
            core = core.replace(intent_word, "")
        if core != word and text.Term(core):
            return core, intent
    return word, None


def parse(raw: str, synonyms=None, lexicon=None, pinyin=None) -> ParsedQuery:
    """The visitor's query, normalised and split; `synonyms` (search.synonyms.Synonyms),
    `lexicon` (search.lexicon.Lexicon) and, for terms typed in letters, `pinyin`
    (search.pinyin.Vocabulary) add variants to each term.

    A query that says a loss or renewal is first searched as typed (身份证补领 is a title),
    then, if that finds nothing, as the certificate and the intent (补办身份证 → 身份证 +
    补领…), then as the certificate alone."""
    query = text.normalise_query((raw or "")[:MAX_QUERY_LENGTH]).strip()
    shown = " ".join(query.split())
    words = []
    for group in split_groups(query):
        # A phrasing a question word cut in two (二手车怎么过户: 二手车过户) keeps its parts
        # whole; what the visitor separated stays separate.
        joined = "".join(group)
        cut = (
            lexicon
            and len(group) > 1
            and any(not any(p in part for part in group) for p in lexicon.phrasings_in(joined))
        )
        words += [joined] if cut else group
    words = words[:MAX_TERMS]
    widen = functools.partial(widened, synonyms=synonyms, lexicon=lexicon, pinyin=pinyin)
    split = [split_intent(word) for word in words]
    # A word that is only a loss or renewal (社保卡 补办, 社保卡怎么补办) says it for the rest.
    alone = [ALL_INTENT_WORDS.get(word) if len(words) > 1 else None for word in words]
    intents = [i for (_, i), a in zip(split, alone, strict=True) for i in (i, a) if i]
    # As typed, a word saying a loss keeps it and the lexicon only rewrites it in place
    # (社保卡丢了 → 社会保障卡丢了): the item names alone would find the first issue.
    terms = tuple(
        widen(word, reach="in place" if intent else "named")
        for word, (_, intent) in zip(words, split, strict=True)
    )
    terms = tuple(t for t in terms if t)
    if not terms:
        return ParsedQuery(text=shown)
    cores = [core for (core, _), a in zip(split, alone, strict=True) if not a]
    readings = []
    if intents and cores:
        # The item names anywhere here: a follow-up item's text names the first issue
        # (护士延续注册 says 护士执业注册), and this reading is only tried when the first found
        # nothing, so what it costs matters less.
        named = tuple(t for t in (widen(core, names_only=False) for core in cores) if t)
        intent_term = tuple(map(text.Term, INTENT_VARIANTS[intents[0]]))
        readings += [ParsedQuery(shown, (*named, intent_term)), ParsedQuery(shown, named)]
    if lexicon and cores:
        # One wrong character (居往证, 户口薄补办), put right by the lexicon's words.
        respelt = [lexicon.respelt(core) for core in cores]
        if respelt != cores:
            named = tuple(t for t in (widen(core) for core in respelt) if t)
            if intents:
                named += (tuple(map(text.Term, INTENT_VARIANTS[intents[0]])),)
            readings.append(ParsedQuery(shown, named, partial=True))
        # A word inside the lexicon's phrasings (失业金: 领失业金, 失业金转移): their items.
        inside = [lexicon.containing(core) for core in cores]
        if any(inside):
            named = tuple(
                (*widen(core), *(text.Term(name, names=True) for name in names))[:MAX_VARIANTS]
                for core, names in zip(cores, inside, strict=True)
            )
            readings.append(ParsedQuery(shown, named, partial=True))
        # What the lexicon's item names are about (生育登记 → 生育): a centre that words the
        # item otherwise (生育服务登记) is found, but only when nothing closer is; a partial
        # answer, marked as such.
        broad = tuple(t for t in (widen(core, reach="broad") for core in cores) if t)
        readings.append(ParsedQuery(shown, broad, partial=True))
    # Each reading once, and none that repeats the query as typed.
    seen, fallbacks = {texts_of(terms)}, []
    for reading in readings:
        if reading.terms and texts_of(reading.terms) not in seen:
            seen.add(texts_of(reading.terms))
            fallbacks.append(reading)
    return ParsedQuery(shown, terms, fallbacks=tuple(fallbacks), intent=bool(intents))


def texts_of(terms) -> tuple:
    return tuple(tuple(variant.text for variant in variants) for variants in terms)


def widened(
    word, synonyms=None, lexicon=None, pinyin=None, reach="named", names_only=True
) -> tuple[text.Term, ...]:
    """One term: the word and the other ways of writing it, at most MAX_VARIANTS; the
    lexicon's item names only where items are named (text.Term.names) unless not
    `names_only`."""
    written = [word]
    if pinyin and text.is_pinyin_like(word):
        # gongjijin → 公积金: the Chinese is then widened like typed Chinese.
        written += pinyin.hanzi(word)
    likeliest = written[1] if len(written) > 1 else word
    # An editor's synonym of the letters as typed (gps → 卫星定位) comes before any reading.
    others = [*synonyms.variants(word), *synonyms.variants(likeliest)] if synonyms else []
    others = list(dict.fromkeys(o for o in others if o not in written))
    named = lexicon.variants(likeliest, reach) if lexicon else []
    # 领养小孩 → 收养小孩 → the lexicon's 收养登记.
    named_others = [v for other in others if lexicon for v in lexicon.variants(other, reach)]
    # The visitor's words and their synonyms anywhere; the lexicon's item names only where
    # items are named (text.Term.names).
    anywhere = {*written, *others}
    ordered = dict.fromkeys([*written, *named, *others, *named_others])
    return tuple(
        term
        for term in (
            text.Term(v, names=names_only and v not in anywhere, spoken=v in written[1:])
            for v in list(ordered)[:MAX_VARIANTS]
        )
        if term
    )


def loosened(query: ParsedQuery) -> ParsedQuery:
    """The same query with each token a term of its own (新生儿落户 → 新生 生儿 儿落 落户), for the
    relaxed retry: some of the terms must match, and a document scores by which it has, where."""
    names = {}  # token → whether it came only from item names (text.Term.names)
    for variants in query.terms:
        for variant in variants:
            for piece in [t for phrase in variant.phrases for t in phrase] + variant.prefixes:
                names[piece] = names.get(piece, True) and variant.names
    unique = list(names)[:MAX_LOOSE_TOKENS]
    return ParsedQuery(
        text=query.text, terms=tuple((text.Term(piece, names=names[piece]),) for piece in unique)
    )


@dataclass
class SearchRequest:
    query: ParsedQuery
    filters: dict = field(default_factory=dict)  # facet name → value (list for "flag")
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    # Some terms instead of all (at least minimum_match of them): the fallback when the strict
    # search finds nothing.
    relaxed: bool = False
    minimum_match: int = 1

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


@dataclass
class Hit:
    page_id: int
    kind: str
    title: str
    url: str
    summary: str = ""
    body: str = ""
    keywords: str = ""
    details: dict = field(default_factory=dict)
    # The backend's ranking score: each term's strongest field's weight (documents.TEXT_FIELDS)
    # summed, times the document's boost.
    score: float = 0.0
    # Filled by the shared code after the backend answers.
    kind_label: str = ""
    title_highlight: str = ""
    highlight: str = ""
    # The attached file the snippet is from ({"title", "url"}), when it is from one.
    attachment: dict | None = None


@dataclass
class SearchResults:
    request: SearchRequest
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    # facet name → {value: count}; "type" counts ignore every filter (they are the tabs),
    # the others count within the current filters.
    facets: dict = field(default_factory=dict)
    relaxed: bool = False

    @property
    def pages(self) -> int:
        return max(
            1,
            math.ceil(min(self.total, MAX_PAGE * self.request.page_size) / self.request.page_size),
        )


@dataclass(frozen=True)
class Suggestion:
    text: str
    url: str
    kind: str

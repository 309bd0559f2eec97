"""Chinese text for the index: normalising, tokenising, pinyin keys and highlighting.

Databases do not segment Chinese: SQLite's unicode61 tokenizer and PostgreSQL's `simple`
configuration take a whole sentence as one token, so 社保 finds nothing inside 办理社保卡.
The embedded backend therefore tokenises in the application, the way Elasticsearch's `cjk`
analyzer does: every run of Chinese characters becomes overlapping character bigrams
(营业执照 → 营业 业执 执照). A query's bigrams are then found inside any longer word, which
dictionary segmentation (jieba and the like) misses: 社会保障 inside 社会保障局 is one word to
jieba and four bigrams here. Two additions make one-character queries work too: the last
character of each run is also indexed on its own, and a one-character query is a prefix
query, so 证 finds both 证明 (a bigram starting with 证) and 身份证 (its lone tail).

Latin letters and digits form words of their own ([0-9a-z]+), so implementation codes such
as 37060000MB-XK-0001 are found whole or by any of their parts.
"""

import re
import unicodedata
from functools import lru_cache

import opencc
from django.utils.html import escape
from django.utils.safestring import mark_safe
from pypinyin import Style, lazy_pinyin

# CJK Unified Ideographs and their extensions A (U+3400) and B-F (plane 2: 堃喆䶮 and the
# rare characters of personal and place names), plus the compatibility ideographs.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
RUN = re.compile(rf"[{HAN}]+|[0-9a-z]+")
HAN_RUN = re.compile(rf"[{HAN}]+")
# What separates the terms of a query: anything that is neither Chinese nor a letter or a
# digit (spaces, punctuation, Elasticsearch or SQL syntax, emoji).
TERM_SEPARATOR = re.compile(rf"[^{HAN}0-9a-z]+")

_to_simplified = opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """NFKC (full-width ＡＢＣ１２３ → abc123, compatibility forms) and lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def normalise_query(text: str) -> str:
    """A visitor's words as the index holds text: normalised, and traditional characters
    turned simplified (營業執照 → 营业执照), since the centre publishes in simplified."""
    return _to_simplified.convert(normalise(text))


def tokens(text: str) -> list[str]:
    """The index tokens of a text, in order: bigrams plus each run's last character for
    Chinese, whole words for Latin letters and digits."""
    result = []
    for run in RUN.findall(normalise(text)):
        if len(run) == 1 or run[0] <= "z":  # a lone character, or letters and digits
            result.append(run)
        else:
            # map(str.__add__, ...) pairs each character with the next, at C speed: a rebuild
            # tokenises some 200 million characters.
            result.extend(map(str.__add__, run, run[1:]))
            result.append(run[-1])
    return result


def index_text(text: str) -> str:
    """`tokens` joined by spaces: what the database's own tokenizer then splits again."""
    return " ".join(tokens(text))


class Term:
    """One word of a query, as the index can match it.

    `phrases`: token sequences that must each appear in this order (营业执照 → 营业 业执 执照,
    so the term matches exactly where the text contains 营业执照); `prefixes`: lone Chinese
    characters, each matched by any token starting with it; `tokens`: the phrases' tokens,
    flattened, for engines that match them loosely (the relaxed search).

    `names`: found only where items are named, in titles and keywords (aliases, popular
    names). So are the standard names the service lexicon reads a query as (养狗 → 犬只登记):
    a guide that mentions 犬只登记 in its body is not what 养狗 asks for, and matching item
    names in 55,000 bodies was most of what they cost."""

    __slots__ = ("text", "phrases", "prefixes", "tokens", "names", "spoken")

    def __init__(self, text: str, names: bool = False, spoken: bool = False):
        self.text = text
        self.names = names
        self.spoken = spoken  # the Chinese that letters were read as (search.pinyin)
        phrases, prefixes = [], []
        for run in RUN.findall(text):
            if not HAN_RUN.fullmatch(run):
                phrases.append((run,))
            elif len(run) == 1:
                prefixes.append(run)
            else:
                phrases.append(tuple(run[i : i + 2] for i in range(len(run) - 1)))
        self.phrases = list(dict.fromkeys(phrases))
        self.prefixes = list(dict.fromkeys(prefixes))
        self.tokens = list(dict.fromkeys(token for phrase in self.phrases for token in phrase))

    def __bool__(self):
        return bool(self.phrases or self.prefixes)

    def __repr__(self):
        return f"Term({self.text!r}{', names=True' if self.names else ''})"


@lru_cache(maxsize=4096)
def pinyin_keys(text: str) -> tuple[str, str]:
    """(full pinyin, initials) of a title, letters and digits only: 营业执照 → ("yingyezhizhao",
    "yyzz"). Latin words and digits in the text stay as they are in both."""
    text = normalise(text)
    full, initials = [], []
    for run in RUN.findall(text):
        if HAN_RUN.fullmatch(run):
            syllables = lazy_pinyin(run, style=Style.NORMAL, errors="ignore")
            full.extend(syllables)
            initials.extend(s[0] for s in syllables if s)
        else:
            full.append(run)
            initials.append(run)
    clean = re.compile(r"[^0-9a-z]")
    return clean.sub("", "".join(full)), clean.sub("", "".join(initials))


def suggestion_key(text: str) -> str:
    """What a typed prefix is compared with: normalised, without spaces or punctuation."""
    return "".join(RUN.findall(normalise(text)))


def is_pinyin_like(text: str) -> bool:
    return bool(text) and text.isascii() and text.isalpha()


# --- highlighting ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _changed_characters() -> tuple[dict, re.Pattern]:
    """What normalise() does to single characters: those it turns into one other character
    (Ｂ → b, ，→ ,) as a str.translate table, and a pattern finding those it turns into
    several (㈱ → (株)). Computed once (a tenth of a second), over the planes that hold text."""
    one_to_one, expanding = {}, []
    for code in range(0x30000):
        char = chr(code)
        out = unicodedata.normalize("NFKC", char).lower()
        if out == char:
            continue
        if len(out) == 1:
            one_to_one[code] = out
        else:
            expanding.append(re.escape(char))
    return one_to_one, re.compile("[" + "".join(expanding) + "]")


def _normalised_with_offsets(text: str) -> tuple[str, list[int]]:
    """The text normalised character by character, with each normalised character's index in
    the original: NFKC may turn one character into several (㈱ → (株)), and marks must land
    on the original text."""
    one_to_one, expanding = _changed_characters()
    if not expanding.search(text):  # the usual case, done at C speed
        return text.translate(one_to_one), range(len(text))
    chars, offsets = [], []
    for index, char in enumerate(text):
        for out in unicodedata.normalize("NFKC", char).lower():
            chars.append(out)
            offsets.append(index)
    return "".join(chars), offsets


def match_spans(text: str, needles) -> list[tuple[int, int]]:
    """Where any of `needles` (normalised strings) occurs in `text`, as merged (start, end)
    spans of the original text."""
    if not text:
        return []
    haystack, offsets = _normalised_with_offsets(text)
    spans = []
    for needle in needles:
        if not needle:
            continue
        start = haystack.find(needle)
        while start != -1:
            end = start + len(needle)
            spans.append((offsets[start], offsets[end - 1] + 1))
            start = haystack.find(needle, start + 1)
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mentions(text: str, needles) -> bool:
    """Whether any of `needles` occurs in `text` as match_spans finds them. Most texts that
    do hold one as written, which is found without normalising a whole body first."""
    if not text:
        return False
    return any(needle and needle in text for needle in needles) or bool(match_spans(text, needles))


def _marked(text: str, spans) -> str:
    parts, position = [], 0
    for start, end in spans:
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)


def highlight(text: str, needles) -> str:
    """The whole text, HTML-escaped, with every match wrapped in <mark>."""
    return mark_safe(_marked(text or "", match_spans(text or "", needles)))


def snippet(text: str, needles, length: int = 120) -> str:
    """About `length` characters of `text` around its first match, HTML-escaped, matches in
    <mark>, with an ellipsis where text was cut. Without a match: the start of the text."""
    text = " ".join((text or "").split())
    spans = match_spans(text, needles)
    if not spans or len(text) <= length:
        start = 0
    else:
        # Start a little before the first match, so the reader sees what leads up to it.
        start = max(0, min(spans[0][0] - length // 4, len(text) - length))
    end = min(len(text), start + length)
    window = [
        (max(s, start) - start, min(e, end) - start) for s, e in spans if e > start and s < end
    ]
    body = _marked(text[start:end], window)
    return mark_safe(("…" if start > 0 else "") + body + ("…" if end < len(text) else ""))

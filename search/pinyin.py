"""Pinyin typed into the search box, turned into the Chinese it most likely means.

Visitors at a kiosk or on a phone without a Chinese keyboard type gongjijin, yyzz or
shebaoka. The index holds Chinese; rather than index pinyin beside every text, the query's
letters are read against a vocabulary of the words the site is searched for — the titles and
popular names of public guides and bundles, and the service lexicon — and become variants of
the term (gongjijin → 公积金), which every backend then matches like typed Chinese.

How: the vocabulary's character bigrams are filed under the pinyin of their two characters
(公积 under gong·ji) and under their initials (g·j). The letters are split into syllables
(every way they split: xian is xian or xi·an), or taken letter by letter as initials, and
chained bigram by bigram (gong·ji → 公积, ji·jin → 积金: 公积金), the likeliest chains first
(how often their bigrams occur in the vocabulary). When the letters as typed give nothing, the
sounds many speakers do not tell apart are taken as one (chusenzhengming → 出生证明), then full
pinyin with one wrong, missing or extra letter (gongjijinn). Tones are never needed.
"""

import math
import unicodedata
from collections import Counter, defaultdict
from functools import cache, cached_property, lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict

from search import text

MIN_LETTERS = 3  # ab, pd, ok… are more often Latin than pinyin
MAX_LETTERS = 24
# The one-letter-wrong reading tries ~50 spellings a letter: only for words of this length.
MAX_MISSPELT_LETTERS = 14
MAX_SEGMENTATIONS = 8
BEAM = 24
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@lru_cache(maxsize=1)
def syllables() -> frozenset[str]:
    """Every toneless syllable of Mandarin, as pypinyin writes them (lü → lv)."""
    result = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            # ǜ decomposes to u, a diaeresis and a tone mark: the diaeresis makes it v.
            plain = unicodedata.normalize("NFKD", reading).replace("u\u0308", "v")
            result.add("".join(c for c in plain if c.isascii()).lower())
    return frozenset(s for s in result if s.isalpha())


def spellings(syllable: str) -> tuple[str, ...]:
    """How a syllable is typed: lü as lv (keyboards' way, and pypinyin's) or as lu, which
    most visitors type for it (falu, falv → 法律)."""
    return (syllable, syllable.replace("v", "u")) if "v" in syllable else (syllable,)


def segmentations(letters: str, limit: int = MAX_SEGMENTATIONS) -> list[tuple[str, ...]]:
    """The ways `letters` split into whole syllables, fewest syllables first."""
    known = syllables()

    @cache
    def split_from(start):
        if start == len(letters):
            return [()]
        found = []
        for end in range(min(len(letters), start + 6), start, -1):
            if letters[start:end] in known:
                found += [(letters[start:end], *rest) for rest in split_from(end)]
        return found[:limit]

    return sorted(split_from(0), key=len)[:limit]


@cache
def blurred(syllable: str) -> str:
    """The syllable as heard by the fuzzy-sound setting (模糊音) of every Chinese input method:
    z/zh, c/ch and s/sh at the start and an/ang, en/eng, in/ing at the end are one sound
    (sheng, seng, shen and sen all read sen). Speakers of southern Mandarin and many older
    visitors do not tell them apart, and type them as they say them (chusen for chusheng).
    ian/iang and uan/uang stay apart (乡 and 县): input methods offer them as options of their
    own, and merged they make more words of one spelling."""
    if syllable[:2] in ("zh", "ch", "sh"):
        syllable = syllable[0] + syllable[2:]
    if syllable[-3:] in ("ang", "eng", "ing") and syllable[-4:] not in ("iang", "uang"):
        syllable = syllable[:-1]
    return syllable


def edits(letters: str):
    """Every string one letter away: one deleted, replaced, inserted or two swapped."""
    for i in range(len(letters) + 1):
        head, tail = letters[:i], letters[i:]
        if tail:
            yield head + tail[1:]
            for c in LETTERS:
                if c != tail[0]:
                    yield head + c + tail[1:]
            if len(tail) > 1:
                yield head + tail[1] + tail[0] + tail[2:]
        for c in LETTERS:
            yield head + c + tail


# Each run's syllables, as the last vocabulary read them: the next one (after a publish)
# reads only its new runs, and runs no title has any more are let go with the old one.
_spoken: dict[str, list[str]] = {}


class Vocabulary:
    """Bigrams of the words the site is searched for, filed by pinyin and by initials."""

    def __init__(self, words):
        self.by_syllables = defaultdict(Counter)  # ("gong", "ji") → {"公积": 12, "共计": 1}
        self.by_initials = defaultdict(Counter)  # ("g", "j") → …
        global _spoken
        # Reading the runs was most of the work (at 55,000 documents: 1.4 s a vocabulary;
        # 0.12 s with each title once and the runs the last vocabulary read kept).
        readings = {}  # each distinct run of Chinese, read once
        runs = Counter()  # titles repeat (one item in every district): each read once
        for word, times in Counter(words).items():
            for run in text.HAN_RUN.findall(text.normalise_query(word)):
                if len(run) >= 2:
                    runs[run] += times
        for run, times in runs.items():
            spoken = _spoken.get(run) or lazy_pinyin(run, style=Style.NORMAL, errors="ignore")
            readings[run] = spoken
            if len(spoken) != len(run):  # a character pypinyin cannot read
                continue
            for i in range(len(run) - 1):
                bigram = run[i : i + 2]
                for first in spellings(spoken[i]):
                    for second in spellings(spoken[i + 1]):
                        self.by_syllables[first, second][bigram] += times
                self.by_initials[spoken[i][0], spoken[i + 1][0]][bigram] += times
        _spoken = readings
        # Every run, one per line: a chain of bigrams is only a word if it occurs here whole.
        self.text = "\n".join(readings)
        self.read = {}
        self.counted = {}

    def _chains(self, keys, table) -> list[tuple[float, str]]:
        """Strings whose consecutive bigrams are filed under consecutive pairs of `keys`,
        with their log-likelihood, likeliest first."""
        beams = [
            (math.log(count), bigram) for bigram, count in table.get((keys[0], keys[1]), {}).items()
        ]
        for i in range(1, len(keys) - 1):
            following = table.get((keys[i], keys[i + 1]), {})
            beams = [
                (score + math.log(count), chain + bigram[1])
                for score, chain in sorted(beams, reverse=True)[:BEAM]
                for bigram, count in following.items()
                if bigram[0] == chain[-1]
            ]
            if not beams:
                return []
        return sorted(beams, reverse=True)

    @cached_property
    def by_blurred(self):
        """by_syllables filed by sound (`blurred`): ("sen", "zen") → {"生证": 3…}. Made by the
        first query that needs it: most never do."""
        table = defaultdict(Counter)
        for (first, second), bigrams in self.by_syllables.items():
            table[blurred(first), blurred(second)].update(bigrams)
        return table

    def _keys(self, split, fuzzy):
        """The table to read a split in, and its keys: as spelt, or as heard (`blurred`)."""
        if fuzzy:
            return [blurred(s) for s in split], self.by_blurred
        return split, self.by_syllables

    def _from_syllables(self, letters, fuzzy=False):
        chains = []
        for split in segmentations(letters):
            if len(split) >= 2:
                chains += self._chains(*self._keys(split, fuzzy))
        return chains

    def _words(self, letters, fuzzy=False):
        """Full pinyin of several words (jiazhaohuanzheng → 驾照 换证, written with a space so
        each word is a phrase of its own): the fewest pieces, each a word of the vocabulary."""
        for split in segmentations(letters):
            split, table = self._keys(split, fuzzy)
            best = {0: []}  # syllables covered → the fewest words covering them
            for end in range(2, len(split) + 1):
                for start in range(end - 1):
                    if start not in best or (
                        end in best and len(best[end]) <= len(best[start]) + 1
                    ):
                        continue
                    word = self._likeliest(self._chains(split[start:end], table), 1)
                    if word:
                        best[end] = best[start] + word
            if len(best.get(len(split), ())) > 1:
                return [" ".join(best[len(split)])]
        return []

    def hanzi(self, typed: str, limit: int = 4) -> list[str]:
        """The Chinese `typed` most likely stands for, likeliest first (empty if it does not
        read as pinyin of the vocabulary). Remembered: visitors type the same few words."""
        letters = typed.lower()
        if not readable(letters):
            return []
        key = (letters, limit)
        if key not in self.read:
            if len(self.read) > 4096:
                self.read.clear()
            self.read[key] = self._hanzi(letters, limit)
        return self.read[key]

    def _hanzi(self, letters, limit):
        """The readings, from the surest to the loosest: as typed (one word, then several),
        initials, then with sounds not told apart (模糊音), then with one letter wrong; a
        single word before several at each of the last two, so that a reading by sound in
        pieces (户口 装食) never hides one word misspelt by a letter (户口转移)."""
        found = self._likeliest(self._from_syllables(letters), limit) or self._words(letters)
        if not found and len(letters) <= 8:
            # Initials: yyzz → 营业执照. Only short runs: nobody types twelve initials.
            found = self._likeliest(self._chains(list(letters), self.by_initials), limit)
        if not found:
            # chusenzhengming, jiazhaohuanzhen: past the letters a misspelling is tried at.
            found = self._likeliest(self._from_syllables(letters, fuzzy=True), limit)
        misspelt = 5 <= len(letters) <= MAX_MISSPELT_LETTERS
        spellings = sorted(set(edits(letters))) if not found and misspelt else []
        if spellings:
            # One letter wrong (gongjijinn): every spelling one letter away, the likeliest
            # chain of them all.
            chains = []
            for candidate in spellings:
                chains += self._from_syllables(candidate)
            found = self._likeliest(chains, limit)
        if not found:
            found = self._words(letters, fuzzy=True)
        if not found and spellings:
            # Several words, one of them misspelt: the fewest words, then the most common.
            splits = [w[0].split() for w in map(self._words, spellings) if w]
            splits.sort(key=lambda words: (len(words), -sum(map(self.occurrences, words))))
            found = [" ".join(splits[0])] if splits else []
        return found

    def _likeliest(self, chains, limit):
        """Chains that occur whole in the vocabulary, the most frequent first (营业执照 before
        营业资质, made of bigrams that each occur somewhere)."""
        found = {}
        for score, chain in sorted(chains, reverse=True)[: BEAM * 2]:
            if chain not in found:
                occurrences = self.occurrences(chain)
                if occurrences:
                    found[chain] = (occurrences, score)
        return sorted(found, key=found.get, reverse=True)[:limit]

    def occurrences(self, chain) -> int:
        """How often `chain` occurs in the vocabulary's runs. Remembered: the spellings one
        letter away from a word make the same few chains hundreds of times (jidaoxintongdi:
        582 counts of 37 chains, each a scan of every run, seconds at 55,000 documents)."""
        if chain not in self.counted:
            if len(self.counted) > 65536:
                self.counted.clear()
            self.counted[chain] = self.text.count(chain)
        return self.counted[chain]


def vocabulary_words():
    """The titles and popular names of public guides and bundles, and the lexicon's words."""
    from cms.models import OneThingPage, ServiceGuidePage
    from cms.models.mixins import public_pages
    from search import lexicon

    words = []
    for model in (ServiceGuidePage, OneThingPage):
        pages = public_pages(model.objects.all())
        fields = ["title", "popular_names"] if model is ServiceGuidePage else ["title"]
        for row in pages.values_list(*fields):
            words.extend(w for w in row if w)
    for group in lexicon.current().groups:
        words.append(group.standard)
        words.extend(group.phrasings)
    return words


_cached = {"stamp": None, "vocabulary": None}


def current() -> Vocabulary:
    """The vocabulary for the site as it is: rebuilt when the content version moves (a
    publish, an edit of the lexicon), once per process, on the first pinyin query after."""
    from cms.caching import version

    stamp = version.current()
    if stamp != _cached["stamp"] or _cached["vocabulary"] is None:
        _cached.update(stamp=stamp, vocabulary=Vocabulary(vocabulary_words()))
    return _cached["vocabulary"]


def readable(letters: str) -> bool:
    return MIN_LETTERS <= len(letters) <= MAX_LETTERS and text.is_pinyin_like(letters)


class Lazy:
    """A vocabulary built only when a query has letters to read: Chinese queries never pay
    for it."""

    def __init__(self, make):
        self.make = make

    def hanzi(self, typed, limit=4):
        return self.make().hanzi(typed, limit) if readable(typed.lower()) else []

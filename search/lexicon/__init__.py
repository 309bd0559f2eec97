"""The service lexicon (服务词库): how people say things, mapped to the standard item names.

A citizen does not know that 养狗 is 犬只登记 or that 扯证 is 内地居民结婚登记. The product
ships several hundred such groups, one theme per file beside this module (`*.txt`, one line
per group: `标准事项名称 = 俗称、简称、口语说法`), and editors add their own or replace a
shipped group in the admin (搜索 → 俗称词库, search.models.ServiceTerm).

Applied to the query, not the index, like the synonyms: an edit works on the next search,
on every backend, with no rebuild. A query term that contains a phrasing gets the standard
name as a variant, both in place of the phrasing (狗证补办 → 犬只登记补办) and alone, so the
guide is found by its title.
"""

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Max

from search import text
from search.synonyms import swapped

DIRECTORY = Path(__file__).resolve().parent
PHRASING_SEPARATORS = re.compile(r"[、,，;；\s]+")
# What an item name ends with to say what is done (犬只登记, 药品零售企业许可): centres word the
# object and the action differently (生育登记 / 生育服务登记), so the object is tried alone too.
ACTIONS = re.compile(
    r"(?:首次)?(?:设立|登记|许可|核发|申领|备案|审批|认定|确认|提取|补领|换领|签发|审核|"
    r"办理|给付|申请|鉴定|查询|换证|补发|缴纳|报装|开具|核准|延续|评定|发放|申报)+$"
)
BRACKETED = re.compile(r"[（(][^）)]*[）)]")
# A term shorter than this is inside too many phrasings to say which item it means, unless
# they name at most MAX_SHORT_INSIDE items (年报: the annual reports of companies, sole
# traders, social organisations…; 医保 names 24 items, which is no reading).
MIN_INSIDE = 3
MAX_SHORT_INSIDE = 6


@dataclass(frozen=True)
class Group:
    standard: str  # the item's standard name, as the catalogue prints it
    phrasings: tuple[str, ...]  # normalised as queries are
    source: str  # the file it came from, or "编辑" for an editor's group


def normalised_name(value: str) -> str:
    """A standard name as queries are written (full-width, case, traditional → simplified),
    so that an editor's KTV经营许可 or 營業執照 means what it says."""
    return " ".join(text.normalise_query(value or "").split())


def split_phrasings(value: str) -> list[str]:
    words = (text.normalise_query(w) for w in PHRASING_SEPARATORS.split(value or ""))
    return list(dict.fromkeys(w for w in words if text.Term(w)))


def parse_file(path: Path) -> list[Group]:
    """The groups of one lexicon file; a malformed line stops the site with its place."""
    groups = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        standard, separator, phrasings = line.partition("=")
        standard, words = normalised_name(standard), split_phrasings(phrasings)
        if not separator or not standard or not words:
            raise ImproperlyConfigured(
                f"服务词库 {path.name} 第 {number} 行格式不对（应为“标准事项名称 = 俗称、俗称”）：{line}"
            )
        groups.append(Group(standard, tuple(words), path.name))
    return groups


@lru_cache(maxsize=1)
def shipped() -> tuple[Group, ...]:
    """Every group the product ships, in file order; an item named in two themes' files
    (公共场所卫生许可: health, and hotels under public security) is one group."""
    merged = {}
    for path in sorted(DIRECTORY.glob("*.txt")):
        for group in parse_file(path):
            if group.standard in merged:
                first = merged[group.standard]
                phrasings = tuple(dict.fromkeys(first.phrasings + group.phrasings))
                group = Group(group.standard, phrasings, first.source)
            merged[group.standard] = group
    return tuple(merged.values())


class Lexicon:
    """Phrasing → standard names, looked up inside a query's terms."""

    def __init__(self, groups):
        self.groups = list(groups)
        self.standards = {}  # phrasing → standard names
        for group in self.groups:
            for phrasing in group.phrasings:
                names = self.standards.setdefault(phrasing, [])
                if group.standard not in names:
                    names.append(group.standard)
        # By first character, longest first: a term is scanned once, position by position.
        self.by_first = {}
        for phrasing in sorted(self.standards, key=len, reverse=True):
            self.by_first.setdefault(phrasing[0], []).append(phrasing)

    def phrasings_in(self, term: str) -> list[str]:
        """The phrasings found in `term`, longest first, none inside another one found."""
        found = []
        for start, char in enumerate(term):
            for phrasing in self.by_first.get(char, ()):
                if term.startswith(phrasing, start):
                    found.append(phrasing)
                    break
        found.sort(key=len, reverse=True)
        return [p for p in dict.fromkeys(found) if not any(p != o and p in o for o in found)]

    def variants(self, term: str, reach: str = "named") -> list[str]:
        """The term with each phrasing it contains written as its standard name, then the
        standard names alone, then what they are about: 狗证补办 → 犬只登记补办, 犬只登记,
        犬只. `reach`: "in place" for the first of these only, "named" for the first two,
        "broad" for all three."""
        replaced, alone, objects = [], [], []
        for phrasing in self.phrasings_in(term):
            for standard in self.standards[phrasing]:
                # The whole term a phrasing: written in place, it is the standard name.
                replaced.append(swapped(term, phrasing, standard) if phrasing != term else standard)
                alone.append(standard)
                objects.append(object_of(standard))
        variants = {
            "in place": replaced,
            "named": replaced + alone,
            "broad": replaced + alone + [o for o in objects if o],
        }[reach]
        return [v for v in dict.fromkeys(variants) if v != term]

    def containing(self, term: str) -> list[str]:
        """The standard names of phrasings that hold all of `term`, when the term is no
        phrasing and holds none: 失业金 is in 领失业金 and 失业金转移. Two Chinese characters
        only when they are in two phrasings at least and those name a few items (年报 is in
        公司年报, 个体户年报, 社团年报…): letters and digits (go, 12) are no reading."""
        if len(term) < 2 or term in self.standards:
            return []
        if len(term) < MIN_INSIDE:
            phrasings, names = self._pairs.get(term, (0, []))
            return list(names) if phrasings >= 2 and len(names) <= MAX_SHORT_INSIDE else []
        names = [
            standard
            for phrasing, standards in self.standards.items()
            if term in phrasing
            for standard in standards
        ]
        return list(dict.fromkeys(names))

    @cached_property
    def _pairs(self) -> dict[str, tuple[int, list[str]]]:
        """Every two Chinese characters inside a phrasing → how many phrasings hold them and
        their standard names: built once, since every query of two characters asks."""
        pairs = {}
        for phrasing, standards in self.standards.items():
            for pair in {phrasing[i : i + 2] for i in range(len(phrasing) - 1)}:
                if text.HAN_RUN.fullmatch(pair):
                    count, names = pairs.get(pair, (0, []))
                    pairs[pair] = (count + 1, names + [s for s in standards if s not in names])
        return pairs

    def respelt(self, term: str) -> str:
        """`term` with one wrong character put right (居往证 → 居住证, 户口薄补办 → 户口簿补办),
        read by runs of three characters: the character whose replacement makes the most of
        the runs around it words of the lexicon (two at least, or the whole of a three-
        character term), the commonest such. Unchanged if none does."""
        runs, gaps = self._runs, self._by_gap
        known = self._known_runs(term)
        best, best_key = term, None
        for position in range(len(term)):
            covering = range(max(0, position - 2), min(position, len(term) - 3) + 1)
            choices = set()
            for start in covering:
                piece = term[start : start + 3]
                gap = piece[: position - start] + "?" + piece[position - start + 1 :]
                choices.update(run[position - start] for run in gaps.get(gap, ()))
            for char in choices - {term[position]}:
                candidate = term[:position] + char + term[position + 1 :]
                gained = self._known_runs(candidate) - known
                # Two runs' evidence, or a three-character term made a word: one run at the
                # edge of a longer term is too little (外资企业 is not 独资企业).
                if gained < min(2, len(term) - 2):
                    continue
                weight = sum(runs[candidate[start : start + 3]] for start in covering)
                # Then by longer runs: 户口簿补 is a lexicon word's, 户口证补 is not.
                longer = sum(candidate[i : i + 4] in runs for i in range(len(candidate) - 3))
                key = (gained, longer, weight)
                if best_key is None or key > best_key:
                    best, best_key = candidate, key
        return best

    def _known_runs(self, term: str) -> int:
        return sum(term[i : i + 3] in self._runs for i in range(len(term) - 2))

    @cached_property
    def _runs(self) -> Counter:
        """Every run of three and of four characters in the lexicon's words, with how often."""
        runs = Counter()
        for group in self.groups:
            for word in (group.standard, *group.phrasings):
                for length in (3, 4):
                    runs.update(word[i : i + length] for i in range(len(word) - length + 1))
        return runs

    @cached_property
    def _by_gap(self) -> dict:
        """Each run under its spellings with one character left open (居?证 → 居住证)."""
        gaps = {}
        for run in (run for run in self._runs if len(run) == 3):
            for i in range(3):
                gaps.setdefault(run[:i] + "?" + run[i + 1 :], []).append(run)
        return gaps


def object_of(standard: str) -> str:
    """What an item name is about, without its action or bracketed case: 生育登记 → 生育,
    不动产转移登记（继承） → 不动产转移. Empty when little would be left."""
    name = BRACKETED.sub("", standard)
    core = ACTIONS.sub("", name)
    return core if core != standard and len(core) >= 2 else ""


def combined(editor_groups) -> Lexicon:
    """The shipped groups, with an editor's group replacing the shipped one of the same
    standard name (an editor's group without phrasings switches it off)."""
    editors = {group.standard: group for group in editor_groups}
    groups = [group for group in shipped() if group.standard not in editors]
    return Lexicon(groups + [group for group in editors.values() if group.phrasings])


_cached = {"stamp": None, "lexicon": None}


def current() -> Lexicon:
    """The lexicon as editors left it: one small aggregate per search tells whether any of
    their groups changed, so every process sees an edit on its next search."""
    from search.models import ServiceTerm

    stamp = tuple(ServiceTerm.objects.aggregate(n=Count("pk"), t=Max("updated_at")).values())
    if stamp != _cached["stamp"] or _cached["lexicon"] is None:
        editor_groups = [term.group for term in ServiceTerm.objects.all()]
        _cached.update(stamp=stamp, lexicon=combined(editor_groups))
    return _cached["lexicon"]

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
from dataclasses import dataclass
from functools import lru_cache
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

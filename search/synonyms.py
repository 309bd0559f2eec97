"""The editors' synonym groups, applied to a query's terms."""

from django.db.models import Count, Max

from search.models import Synonym


class Synonyms:
    def __init__(self, groups):
        self.groups = [group for group in groups if len(group) > 1]

    def variants(self, term: str) -> list[str]:
        """Other ways of writing `term`: each synonym it contains swapped for the group's other
        words (社保卡补办 → 社会保险卡补办). A word inside a longer matched word of the same
        group is left alone, so 居民身份证 does not become 居民居民身份证."""
        result = []
        for group in self.groups:
            present = [word for word in group if word in term]
            present = [w for w in present if not any(w != o and w in o for o in present)]
            for word in present:
                result.extend(swapped(term, word, other) for other in group if other != word)
        return [variant for variant in dict.fromkeys(result) if variant != term]


def swapped(term: str, word: str, other: str) -> str:
    """`term` with `word` written as `other`. Where the characters after `word` are how
    `other` goes on past its last shared character, they are part of it, not doubled:
    出生证明 with 出生证 → 出生医学证明 is 出生医学证明, not 出生医学证明明."""
    before, _, after = term.partition(word)
    tail = other.rpartition(word[-1])[2] if word[-1] in other else ""
    if tail and after.startswith(tail):
        after = after[len(tail) :]
    return before + other + (swapped(after, word, other) if word in after else after)


_cached = {"stamp": None, "synonyms": Synonyms([])}


def current() -> Synonyms:
    """The groups as editors left them. One small aggregate per search tells whether any
    changed, so every web process sees an edit on its next search."""
    stamp = tuple(Synonym.objects.aggregate(n=Count("pk"), t=Max("updated_at")).values())
    if stamp != _cached["stamp"]:
        groups = [synonym.words for synonym in Synonym.objects.all()]
        _cached.update(stamp=stamp, synonyms=Synonyms(groups))
    return _cached["synonyms"]

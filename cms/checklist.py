"""A visitor's own checklist for a one-thing bundle (一件事): which handling situation (办理情形)
applies to them in each item, and the one list that follows from it.

The choice lives in the address's query string, one parameter per item, `item-<guide id>=<situation
id>` (or `=all` for "I am not sure: the whole guide"). So the checklist is a plain GET form that
works without JavaScript, a link that can be shared, and a QR code on its printed copy; nothing
is stored anywhere. An item left out of the query counts as `all`: a visitor who does not choose
gets every material, never too few.

What a situation needs is what the guide page shows for it (`ServiceGuidePage.materials_for`):
the guide's own material rows for the materials the situation names. The merge is the bundle's
rule (docs/architecture.md): one entry per material code, with the largest number of copies any
item asks for, required when any item requires it. The total time is the sum of the chosen
limits, as for the whole bundle (`OneThingPage.total_promised_days`): the combined window hands
the items on one after another.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from cms.choices import Requirement

PARAM_PREFIX = "item-"
WHOLE_GUIDE = "all"


class InvalidChoice(ValueError):
    """The query names an item or a situation this bundle does not have (now): the message,
    in Chinese, says which, for a 400 page rather than a wrong list."""


@dataclass(frozen=True)
class Pick:
    """One item of the bundle and the situation chosen in it (None: the whole guide)."""

    guide: object  # a ServiceGuidePage
    situation: object = None  # one of its HandlingSituation rows, or None

    @property
    def param(self):
        return f"{PARAM_PREFIX}{self.guide.pk}"

    @property
    def value(self):
        return str(self.situation.pk) if self.situation else WHOLE_GUIDE

    @property
    def label(self):
        if self.situation:
            return self.situation.name
        return "全部情形" if self.guide.situations.all() else "无需选择情形"

    @property
    def material_rows(self):
        return self.guide.materials_for(self.situation)

    @property
    def promised_days(self):
        return self.situation.promised_days if self.situation else self.guide.promised_days

    @property
    def legal_days(self):
        return self.situation.effective_legal_days if self.situation else self.guide.legal_days

    @property
    def fee_text(self):
        return (self.situation.fee_text if self.situation else self.guide.fee_text) or "不收费"


@dataclass
class MergedMaterial:
    code: str
    name: str
    form: str
    copies: int
    requirement: str
    used_by: list = field(default_factory=list)  # the titles of the items that ask for it


@dataclass
class Shared:
    """A fee text or a window, once, with the items it applies to."""

    value: object
    used_by: list = field(default_factory=list)


@dataclass
class Checklist:
    picks: list
    materials: list  # of MergedMaterial, in the order the items first ask for them
    promised_days: int
    legal_days: int
    fees: list  # of Shared(fee text)
    windows: list  # of Shared(ServiceWindow)

    @property
    def query_string(self):
        return query_string(self.picks)

    @property
    def free(self):
        return all(fee.value == "不收费" for fee in self.fees)

    @property
    def window_groups(self):
        """The windows gathered by the items they serve, for a short list: a person needs to
        know where each item is handled, and items of one department share their windows.
        Each group is Shared(value=[windows], used_by=[titles])."""
        groups = {}
        for window in self.windows:
            key = tuple(window.used_by)
            groups.setdefault(key, Shared([], list(key))).value.append(window.value)
        return list(groups.values())


def choose(guides, params):
    """The picks a query string (a QueryDict) makes among `guides`, the bundle's public items
    in order. Parameters that are not `item-…` are ignored (a messenger app adds its own to
    shared links); an `item-…` that names no such item or situation raises InvalidChoice."""
    by_param = {}
    for guide in guides:
        by_param.setdefault(f"{PARAM_PREFIX}{guide.pk}", guide)  # a guide bundled twice: once
    chosen = {}
    for key in params:
        if not key.startswith(PARAM_PREFIX):
            continue
        guide = by_param.get(key)
        if guide is None:
            raise InvalidChoice(f"链接中的事项（{key[:40]}）不在本一件事中，或已停止公开。")
        values = set(params.getlist(key))
        if len(values) > 1:
            raise InvalidChoice(f"事项“{guide.title}”同时选择了多个情形，请只选一个。")
        chosen[key] = _situation(guide, values.pop())
    return [Pick(guide, chosen.get(key)) for key, guide in by_param.items()]


def _situation(guide, value):
    if value in ("", WHOLE_GUIDE):
        return None
    if value.isascii() and value.isdigit():  # "²".isdigit() is True, int("²") fails
        situation = next((s for s in guide.situations.all() if s.pk == int(value)), None)
        if situation is not None:
            return situation
    raise InvalidChoice(f"事项“{guide.title}”没有链接中的办理情形（{value[:20]}），它可能已调整。")


def query_string(picks):
    """The query that reopens these picks: every item, in the bundle's order, and nothing else."""
    return urlencode([(pick.param, pick.value) for pick in picks])


def merge(picks):
    """One checklist for the picks: materials once per code, the summed limits, each fee text
    and each window once."""
    materials, fees, windows = {}, {}, {}
    for pick in picks:
        title = pick.guide.title
        for row in pick.material_rows:
            entry = materials.setdefault(
                row.material.code,
                MergedMaterial(
                    code=row.material.code,
                    name=row.material.name,
                    form=row.material.get_form_display(),
                    copies=row.copies,
                    requirement=row.get_requirement_display(),
                ),
            )
            entry.copies = max(entry.copies, row.copies)
            if row.requirement == Requirement.REQUIRED:  # required by one item: required
                entry.requirement = row.get_requirement_display()
            if title not in entry.used_by:
                entry.used_by.append(title)
        fees.setdefault(pick.fee_text, Shared(pick.fee_text)).used_by.append(title)
        for window in pick.guide.windows.all():
            windows.setdefault(window.pk, Shared(window)).used_by.append(title)
    return Checklist(
        picks=list(picks),
        materials=list(materials.values()),
        promised_days=sum(pick.promised_days for pick in picks),
        legal_days=sum(pick.legal_days for pick in picks),
        fees=list(fees.values()),
        windows=sorted(windows.values(), key=lambda shared: shared.value.number),
    )

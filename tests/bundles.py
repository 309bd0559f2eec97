"""Builders for one-thing bundle tests: a bundle of three items whose checklist was worked out
by hand, and readers of the checklist page. Plain functions, every value a test relies on
visible."""

from types import SimpleNamespace

from bs4 import BeautifulSoup
from django.http import QueryDict

from cms import checklist
from cms.models import GuideMaterial, HandlingSituation, OneThingPage
from tests import factories


def item(title, rows, situations, windows, **overrides):
    """A published guide whose materials are `rows` [(material, copies, requirement)] and whose
    situations are [(name, promised days, fee, [materials])], at `windows`."""
    values = {"title": title, "legal_days": 20, "promised_days": 5, "charges_fee": False}
    values.update(overrides)
    guide = factories.guide(**values)
    guide.materials = [
        GuideMaterial(sort_order=n, material=material, copies=copies, requirement=requirement)
        for n, (material, copies, requirement) in enumerate(rows)
    ]
    guide.situations = []
    for n, (name, days, fee, materials) in enumerate(situations):
        situation = HandlingSituation(sort_order=n, name=name, promised_days=days, fee=fee)
        situation.materials = materials
        guide.situations.add(situation)
    guide.windows = windows
    return factories.publish(guide)


def opening_a_company():
    """开办企业一件事 with three items, each with two situations.

    item           situation        days  fee          materials (copies)
    企业设立登记    本人办理          1     —            身份证 1, 租赁合同 1
                   委托代理人办理     2     —            身份证 1, 租赁合同 1, 委托书 1
    公章刻制备案    法定代表人办理     0     —            身份证 2, 营业执照 1
                   委托办理          1     刻章费80元    身份证 2, 营业执照 1, 委托书 2
    银行开户        基本存款账户      1     开户工本费20元 营业执照 3, 印鉴卡 1
                   一般存款账户      2     —            身份证 1, 营业执照 3, 印鉴卡 1
    """
    m = SimpleNamespace(
        id_card=factories.material(code="M-ID", name="居民身份证"),
        lease=factories.material(code="M-LEASE", name="房屋租赁合同"),
        proxy=factories.material(code="M-PROXY", name="授权委托书"),
        licence=factories.material(code="M-LIC", name="营业执照", form="copy"),
        seal_card=factories.material(code="M-SEAL", name="预留印鉴卡"),
    )
    w = SimpleNamespace(
        business=factories.window(number="B01", name="企业开办综合窗口", zone="B区"),
        police=factories.window(number="B07", name="公安印章窗口", zone="B区"),
        bank=factories.window(number="C03", name="银行服务窗口", zone="C区", floor="二楼"),
    )
    register = item(
        "企业设立登记",
        [(m.id_card, 1, "required"), (m.lease, 1, "required"), (m.proxy, 1, "conditional")],
        [
            ("本人办理", 1, "", [m.id_card, m.lease]),
            ("委托代理人办理", 2, "", [m.id_card, m.lease, m.proxy]),
        ],
        [w.business],
    )
    seal = item(
        "公章刻制备案",
        [(m.id_card, 2, "required"), (m.licence, 1, "required"), (m.proxy, 2, "conditional")],
        [
            ("法定代表人办理", 0, "", [m.id_card, m.licence]),
            ("委托办理", 1, "刻章费80元", [m.id_card, m.licence, m.proxy]),
        ],
        [w.business, w.police],
    )
    bank = item(
        "银行开户",
        [(m.id_card, 1, "conditional"), (m.licence, 3, "required"), (m.seal_card, 1, "required")],
        [
            ("基本存款账户", 1, "开户工本费20元", [m.licence, m.seal_card]),
            ("一般存款账户", 2, "", [m.id_card, m.licence, m.seal_card]),
        ],
        [w.bank],
    )
    bundle = factories.bundle([register, seal, bank], window_note="B区 1-3号企业开办综合窗口")
    return SimpleNamespace(bundle=bundle, register=register, seal=seal, bank=bank, m=m, w=w)


def situation(guide, name):
    return HandlingSituation.objects.get(guide=guide, name=name)


def chosen(opening):
    """The choice whose list tests/test_bundle_checklist.py worked out by hand."""
    return {
        f"item-{opening.register.pk}": situation(opening.register, "委托代理人办理").pk,
        f"item-{opening.seal.pk}": situation(opening.seal, "法定代表人办理").pk,
        f"item-{opening.bank.pk}": situation(opening.bank, "基本存款账户").pk,
    }


def query(values):
    params = QueryDict(mutable=True)
    for key, value in values.items():
        params[key] = str(value)
    return params


def picks_for(opening, values):
    bundle = OneThingPage.objects.get(pk=opening.bundle.pk)
    return checklist.choose(bundle.bundled_guides, query(values))


def form_fields(html):
    """What the checklist form submits as it stands: each radio group's checked value."""
    form = BeautifulSoup(html, "html.parser").select_one("form.checklist-form")
    assert form["method"] == "get"
    groups = {}
    for radio in form.select("input[type=radio]"):
        groups.setdefault(radio["name"], None)
        if radio.has_attr("checked"):
            groups[radio["name"]] = radio["value"]
    return form["action"].split("#")[0], groups


def material_codes(html):
    rows = BeautifulSoup(html, "html.parser").select("[data-material-code]")
    return [row["data-material-code"] for row in rows]

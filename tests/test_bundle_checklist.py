"""A visitor's checklist for a one-thing bundle (cms/checklist.py, the bundle's checklist/ page):
one situation chosen per item gives exactly the materials those situations need, merged by
code with the largest number of copies, the summed time limits, and each fee and window once.
Checked against a list worked out by hand for a bundle of three items."""

import itertools

import pytest
from bs4 import BeautifulSoup
from django.http import QueryDict

from cms import checklist
from tests import factories
from tests.bundles import (
    chosen,
    form_fields,
    material_codes,
    opening_a_company,
    picks_for,
    query,
    situation,
)
from tests.test_same_source_channels import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def opening():
    return opening_a_company()


# --- the merge ---------------------------------------------------------------------------


def test_three_chosen_situations_give_exactly_the_hand_computed_list(opening):
    merged = checklist.merge(picks_for(opening, chosen(opening)))

    # Worked out by hand from the table in tests/bundles.py (opening_a_company): the power of
    # attorney once, with the one copy registration asks for (the seal item's two are for a
    # situation not chosen); the ID card with the seal item's two copies; the licence with the
    # bank's three; nothing of the situations not chosen.
    assert [(m.code, m.name, m.copies, m.used_by) for m in merged.materials] == [
        ("M-ID", "居民身份证", 2, ["企业设立登记", "公章刻制备案"]),
        ("M-LEASE", "房屋租赁合同", 1, ["企业设立登记"]),
        ("M-PROXY", "授权委托书", 1, ["企业设立登记"]),
        ("M-LIC", "营业执照", 3, ["公章刻制备案", "银行开户"]),
        ("M-SEAL", "预留印鉴卡", 1, ["银行开户"]),
    ]
    assert [m.requirement for m in merged.materials] == ["必要", "必要", "情形需要", "必要", "必要"]
    assert merged.promised_days == 2 + 0 + 1
    assert merged.legal_days == 20 * 3
    assert [(fee.value, fee.used_by) for fee in merged.fees] == [
        ("不收费", ["企业设立登记", "公章刻制备案"]),
        ("开户工本费20元", ["银行开户"]),
    ]
    assert [(s.value.number, s.used_by) for s in merged.windows] == [
        ("B01", ["企业设立登记", "公章刻制备案"]),
        ("B07", ["公章刻制备案"]),
        ("C03", ["银行开户"]),
    ]
    # Listed by the items they serve, each window still once.
    assert [([w.number for w in g.value], g.used_by) for g in merged.window_groups] == [
        (["B01"], ["企业设立登记", "公章刻制备案"]),
        (["B07"], ["公章刻制备案"]),
        (["C03"], ["银行开户"]),
    ]


def test_other_situations_change_the_list_and_the_copies(opening):
    values = chosen(opening) | {
        f"item-{opening.register.pk}": situation(opening.register, "本人办理").pk,
        f"item-{opening.seal.pk}": situation(opening.seal, "委托办理").pk,
    }
    merged = checklist.merge(picks_for(opening, values))
    copies = {m.code: m.copies for m in merged.materials}
    # Now the power of attorney comes from the seal item, with its two copies.
    assert copies == {"M-ID": 2, "M-LEASE": 1, "M-PROXY": 2, "M-LIC": 3, "M-SEAL": 1}
    assert merged.promised_days == 1 + 1 + 1
    assert ("刻章费80元", ["公章刻制备案"]) in [(fee.value, fee.used_by) for fee in merged.fees]


def test_an_item_left_out_or_on_all_counts_with_every_material_of_its_guide(opening):
    values = chosen(opening)
    del values[f"item-{opening.bank.pk}"]
    picks = picks_for(opening, values | {f"item-{opening.seal.pk}": "all"})
    assert [pick.situation for pick in picks[1:]] == [None, None]
    merged = checklist.merge(picks)
    copies = {m.code: m.copies for m in merged.materials}
    assert copies == {"M-ID": 2, "M-LEASE": 1, "M-PROXY": 2, "M-LIC": 3, "M-SEAL": 1}
    # A guide taken whole promises its own limit (5 days), not one of its situations'.
    assert merged.promised_days == 2 + 5 + 5


def test_the_whole_bundle_is_the_checklist_of_a_visitor_who_chooses_nothing(opening):
    assert opening.bundle.merged_materials == [
        {
            "code": m.code,
            "name": m.name,
            "form": m.form,
            "copies": m.copies,
            "requirement": m.requirement,
            "used_by": m.used_by,
        }
        for m in checklist.merge(picks_for(opening, {})).materials
    ]
    assert opening.bundle.total_promised_days == 15


def test_the_query_string_reopens_the_same_choice_in_the_bundles_order(opening):
    picks = picks_for(opening, chosen(opening) | {"from": "singlemessage"})
    again = checklist.choose(
        opening.bundle.bundled_guides, QueryDict(checklist.query_string(picks))
    )
    assert again == picks
    assert checklist.query_string(picks) == "&".join(
        f"item-{guide.pk}={chosen(opening)[f'item-{guide.pk}']}"
        for guide in (opening.register, opening.seal, opening.bank)
    )


def test_an_item_or_situation_the_bundle_does_not_have_is_refused_with_a_reason(opening):
    key = f"item-{opening.register.pk}"
    own = [situation(opening.register, name).pk for name in ("本人办理", "委托代理人办理")]
    for params, says in [
        (query({"item-999999": "1"}), "不在本一件事中"),
        (query({"item-abc": "1"}), "不在本一件事中"),
        (query({key: "999999"}), "没有链接中的办理情形"),
        (query({key: situation(opening.seal, "委托办理").pk}), "没有链接中的办理情形"),
        (query({key: "²"}), "没有链接中的办理情形"),
        (QueryDict(f"{key}={own[0]}&{key}={own[1]}"), "同时选择了多个情形"),
    ]:
        with pytest.raises(checklist.InvalidChoice, match=says):
            checklist.choose(opening.bundle.bundled_guides, params)


def test_only_published_public_items_count(opening):
    draft = factories.guide(title="草稿事项", live=False)
    bundle = factories.bundle([opening.register, draft], title="含草稿事项的一件事")
    picks = checklist.choose(bundle.bundled_guides, QueryDict())
    assert [pick.guide.title for pick in picks] == ["企业设立登记"]
    with pytest.raises(checklist.InvalidChoice):
        checklist.choose(bundle.bundled_guides, query({f"item-{draft.pk}": "all"}))


# --- the page, as a browser without JavaScript uses it --------------------------------------


def test_the_checklist_form_is_a_plain_get_form_with_one_radio_group_per_item(client, opening):
    response = client.get(opening.bundle.url + "checklist/")
    assert response.status_code == 200
    html = response.content.decode()
    action, groups = form_fields(html)
    assert action == opening.bundle.url + "checklist/"
    assert set(groups) == {f"item-{g.pk}" for g in (opening.register, opening.seal, opening.bank)}
    assert set(groups.values()) == {"all"}  # before choosing: every material, never too few
    assert "<script" not in html.split("<main", 1)[1]  # the page needs no script of its own
    assert material_codes(html) == ["M-ID", "M-LEASE", "M-PROXY", "M-LIC", "M-SEAL"]


def test_submitting_the_form_gives_the_chosen_list_and_keeps_the_choice(client, opening):
    action, groups = form_fields(client.get(opening.bundle.url + "checklist/").content.decode())
    groups.update({key: str(value) for key, value in chosen(opening).items()})
    response = client.get(action, groups)  # what the browser sends on submit
    assert response.status_code == 200
    html = response.content.decode()
    assert material_codes(html) == ["M-ID", "M-LEASE", "M-PROXY", "M-LIC", "M-SEAL"]
    assert form_fields(html)[1] == {key: str(value) for key, value in chosen(opening).items()}
    text = visible_text(html)
    for expected in (
        "委托代理人办理",
        "法定代表人办理",
        "基本存款账户",
        "3个工作日",
        "开户工本费20元",
    ):
        assert expected in text
    assert "B07 公安印章窗口" in text and "C03 银行服务窗口（C区 二楼）" in text
    copies = {
        row["data-material-code"]: row.select_one("[data-copies]").get_text()
        for row in BeautifulSoup(html, "html.parser").select("[data-material-code]")
    }
    assert copies == {
        "M-ID": "2份",
        "M-LEASE": "1份",
        "M-PROXY": "1份",
        "M-LIC": "3份",
        "M-SEAL": "1份",
    }


def test_a_narrower_choice_drops_materials_from_the_page(client, opening):
    values = chosen(opening) | {
        f"item-{opening.register.pk}": situation(opening.register, "本人办理").pk
    }
    html = client.get(opening.bundle.url + "checklist/", values).content.decode()
    assert material_codes(html) == ["M-ID", "M-LEASE", "M-LIC", "M-SEAL"]
    assert "授权委托书" not in visible_text(html)


def test_the_page_links_its_own_address_and_the_pdf_of_the_same_choice(client, opening):
    html = client.get(opening.bundle.url + "checklist/", chosen(opening)).content.decode()
    picks = picks_for(opening, chosen(opening))
    soup = BeautifulSoup(html, "html.parser")
    hrefs = [a["href"] for a in soup.select("a[href]")]
    assert f"{opening.bundle.url}checklist/pdf/?{checklist.query_string(picks)}" in hrefs
    assert opening.bundle.checklist_url(picks) in soup.get_text()


def test_the_bundle_page_leads_to_the_checklist(client, opening):
    html = client.get(opening.bundle.url).content.decode()
    assert f'href="{opening.bundle.url}checklist/"' in html


def test_unrelated_parameters_are_ignored(client, opening):
    response = client.get(
        opening.bundle.url + "checklist/",
        chosen(opening) | {"from": "singlemessage", "isappinstalled": "0"},
    )
    assert response.status_code == 200


def test_bad_parameters_get_400_and_a_clear_message_never_a_500(client, opening):
    cases = [
        ({"item-999999": "1"}, "不在本一件事中"),
        ({f"item-{opening.register.pk}": "999999"}, "没有链接中的办理情形"),
        ({f"item-{opening.register.pk}": "'><script>"}, "没有链接中的办理情形"),
    ]
    for suffix, (params, says) in itertools.product(["checklist/", "checklist/pdf/"], cases):
        response = client.get(opening.bundle.url + suffix, params)
        assert response.status_code == 400, (suffix, params)
        assert response["Content-Type"].startswith("text/html")
        text = visible_text(response.content.decode())
        assert "无法生成清单" in text and says in text
        assert "<script>" not in response.content.decode().split("<main", 1)[1]
        # The form to start again is there, and nothing of a list.
        assert form_fields(response.content.decode())[1]
        assert not material_codes(response.content.decode())


def test_a_bundle_that_is_not_public_has_no_checklist(client, opening):
    draft = factories.bundle([opening.register], live=False, title="未发布的一件事")
    for suffix in ("checklist/", "checklist/pdf/"):
        response = client.get(f"{opening.bundle.get_parent().url}{draft.slug}/{suffix}")
        assert response.status_code == 404

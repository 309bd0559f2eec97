"""One record, every channel: the web page, the JSON API, the kiosk view and the print view
of a guide show the same value for every standard element (DOMAIN.md §1)."""

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cms.models import Material, ServiceGuidePage, ServiceWindow, Theme
from tests import factories

pytestmark = pytest.mark.django_db


def visible_text(html):
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return re.sub(r"\s+", " ", soup.get_text(" "))


def expected_values(guide):
    """Every element of the guide as the text a reader must find, keyed by element."""
    values = {
        "事项名称": guide.title,
        "实施编码": guide.implementation_code,
        "基本编码": guide.basic_code,
        "子项": guide.sub_item,
        "业务办理项": guide.handling_case_display,
        "事项类型": guide.item_type_display,
        "行使层级": guide.exercise_level_display,
        "实施主体": guide.department_name,
        "服务对象": guide.audience_display,
        "申请对象": guide.applicant_scope,
        "受理条件": "名称经申报无重复",
        "不予受理": guide.refusal_grounds,
        "数量限制": guide.quantity_limit,
        "网上办理": guide.online_url,
        "掌上办理": guide.app_channel,
        "办理地点": guide.office_address,
        "办理时间": guide.office_hours,
        "法定时限": guide.legal_days_label,
        "承诺时限": guide.promised_days_label,
        "压缩比例": f"{guide.compression_rate:g}%",
        "收费标准": guide.fee_text,
        "收费依据": guide.fee_basis,
        "结果名称": guide.result_name,
        "咨询电话": guide.enquiry_phone,
        "投诉电话": guide.complaint_phone,
        "进度查询": guide.status_url,
    }
    for theme in guide.theme_names:
        values[f"主题 {theme}"] = theme
    for window in guide.window_labels:
        values[f"窗口 {window}"] = window
    for label in guide.flag_labels + guide.delivery_labels:
        values[f"标签 {label}"] = label
    for basis in guide.legal_bases.all():
        values[f"依据 {basis.title}"] = basis.title
        values[f"依据条款 {basis.title}"] = basis.article
        values[f"依据类型 {basis.title}"] = basis.kind_display
    for row in guide.materials.all():
        for attr in (
            "code",
            "name",
            "form_display",
            "source",
            "requirement_display",
            "condition",
            "legal_basis",
        ):
            if getattr(row, attr):
                values[f"材料 {row.code} {attr}"] = getattr(row, attr)
    for situation in guide.situations.all():
        values[f"情形 {situation.name}"] = situation.name
    for step in guide.steps.all():
        for attr in ("name", "description", "handler", "time_limit"):
            values[f"环节 {step.name} {attr}"] = getattr(step, attr)
    for step in guide.special_steps.all():
        values[f"特别程序 {step.name}"] = step.name
    for faq in guide.faqs.all():
        values[f"问题 {faq.question}"] = faq.question
        values[f"解答 {faq.question}"] = faq.answer
    return {key: value for key, value in values.items() if value}


@pytest.fixture
def guide():
    return factories.guide(title="食品经营许可（新办）")


@pytest.mark.parametrize("suffix", ["", "kiosk/", "print/"])
def test_every_element_shows_in_the_html_channels(client, guide, suffix):
    response = client.get(guide.url + suffix)
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    missing = {key: value for key, value in expected_values(guide).items() if value not in text}
    assert missing == {}


def test_every_element_is_in_the_api_with_the_models_values(client, guide):
    response = client.get(f"/api/v2/pages/{guide.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == guide.title
    scalar = [
        "implementation_code",
        "basic_code",
        "sub_item",
        "handling_case_display",
        "popular_names",
        "summary",
        "item_type_display",
        "exercise_level_display",
        "department_name",
        "audience_display",
        "applicant_scope",
        "refusal_grounds",
        "quantity_limit",
        "online_url",
        "app_channel",
        "kiosk_available",
        "office_address",
        "office_hours",
        "saturday_service",
        "legal_days",
        "promised_days",
        "compression_rate",
        "fee_text",
        "fee_basis",
        "result_name",
        "enquiry_phone",
        "complaint_phone",
        "visits_required",
        "status_url",
    ]
    for name in scalar:
        assert data[name] == getattr(guide, name), name
    assert data["conditions"] == guide.conditions
    assert data["theme_names"] == guide.theme_names
    assert data["window_labels"] == guide.window_labels
    assert data["flag_labels"] == guide.flag_labels
    assert data["delivery_labels"] == guide.delivery_labels
    assert [b["title"] for b in data["legal_bases"]] == [b.title for b in guide.legal_bases.all()]
    assert [(m["code"], m["name"], m["copies"], m["form_display"]) for m in data["materials"]] == [
        (m.code, m.name, m.copies, m.form_display) for m in guide.materials.all()
    ]
    assert [
        (s["name"], s["material_codes"], s["promised_days"], s["fee_text"])
        for s in data["situations"]
    ] == [(s.name, s.material_codes, s.promised_days, s.fee_text) for s in guide.situations.all()]
    assert [s["name"] for s in data["steps"]] == [s.name for s in guide.steps.all()]
    assert [(s["name"], s["days"], s["counted_in_limit"]) for s in data["special_steps"]] == [
        (s.name, s.days, s.counted_in_limit) for s in guide.special_steps.all()
    ]
    assert [(f["question"], f["answer"]) for f in data["faqs"]] == [
        (f.question, f.answer) for f in guide.faqs.all()
    ]
    assert data["channel_urls"]["kiosk"] == guide.url + "kiosk/"


@pytest.mark.parametrize("suffix", ["", "kiosk/", "print/"])
def test_picking_a_situation_shows_only_its_materials_limit_and_fee(client, guide, suffix):
    first, second = guide.situations.all()
    text = visible_text(client.get(guide.url + suffix, {"situation": first.pk}).content.decode())
    assert "居民身份证" in text
    assert "企业设立登记申请书" not in text
    text = visible_text(client.get(guide.url + suffix, {"situation": second.pk}).content.decode())
    assert "企业设立登记申请书" in text and "工本费10元/本（代理）" in text


def guide_form_data(department, theme, window, id_card, form):
    data = nested_form_data(
        {
            "title": "建筑工程施工许可证核发",
            "slug": "",
            "basic_code": "000143001000",
            "implementation_code": "37060000JS-XK-0099",
            "sub_item": "房屋建筑工程施工许可",
            "handling_case": "new",
            "popular_names": "施工证",
            "summary": "开工前申领施工许可证",
            "item_type": "permit",
            "exercise_level": "municipal",
            "department": department.pk,
            "audience": "legal",
            "run_at_most_once": "on",
            "high_frequency": "on",
            "applicant_scope": "建设单位",
            "conditions": rich_text("<p>已办理用地批准手续</p>"),
            "refusal_grounds": "未取得规划许可的不予受理",
            "quantity_limit": "无数量限制",
            "legal_bases": inline_formset(
                [
                    {
                        "kind": "creation",
                        "title": "《中华人民共和国建筑法》",
                        "article": "第七条",
                        "policy": "",
                    }
                ]
            ),
            "materials": inline_formset(
                [
                    {
                        "material": id_card.pk,
                        "copies": 1,
                        "requirement": "required",
                        "condition": "",
                        "legal_basis": "",
                    },
                    {
                        "material": form.pk,
                        "copies": 3,
                        "requirement": "conditional",
                        "condition": "委托办理时",
                        "legal_basis": "",
                    },
                ]
            ),
            "situations": inline_formset(
                [
                    {
                        "name": "本人办理",
                        "description": "",
                        "promised_days": 1,
                        "legal_days": 15,
                        "fee": "",
                    },
                    {
                        "name": "委托办理",
                        "description": "",
                        "promised_days": 2,
                        "legal_days": "",
                        "fee": "",
                    },
                ]
            ),
            "steps": inline_formset(
                [
                    {
                        "name": "受理",
                        "description": "核验材料",
                        "handler": "窗口",
                        "time_limit": "即时",
                    }
                ]
            ),
            "flowchart": "",
            "special_steps": inline_formset(
                [{"name": "现场踏勘", "days": 3, "counted_in_limit": "", "description": "必要时"}]
            ),
            "legal_days": 15,
            "promised_days": 2,
            "fee_standard": "",
            "fee_basis": "",
            "result_name": "建筑工程施工许可证",
            "result_sample": "",
            "delivery_window": "on",
            "delivery_post": "on",
            "online_url": "https://zwfw.example.gov.cn/sgxk",
            "app_channel": "",
            "office_address": "市民之家三楼",
            "office_hours": "工作日",
            "enquiry_phone": "0535-1111111",
            "complaint_phone": "0535-12345",
            "visits_required": 1,
            "status_url": "",
            "faqs": inline_formset([{"question": "需要多久？", "answer": "两个工作日"}]),
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            "action-publish": "1",
        }
    )
    # Multiple-choice fields post a list; nested_form_data would number them as subforms.
    data.update(
        themes=[theme.pk],
        windows=[window.pk],
        **{"situations-0-materials": [id_card.pk], "situations-1-materials": [id_card.pk, form.pk]},
    )
    return data


def test_every_element_can_be_entered_in_the_admin(client):
    client.force_login(factories.user("admin", superuser=True))
    department = factories.department(name="住房和城乡建设局")
    theme = Theme.objects.create(name="工程建设", slug="gong-cheng-jian-she")
    window = factories.window(department)
    id_card = Material.objects.create(code="M-ID", name="居民身份证")
    form = Material.objects.create(code="M-SG", name="施工许可申请表")
    parent = factories.catalogue()
    url = reverse("wagtailadmin_pages:add", args=("cms", "serviceguidepage", parent.pk))
    response = client.post(url, guide_form_data(department, theme, window, id_card, form))
    assert response.status_code == 302, (
        response.context["form"].errors if response.context else response
    )

    guide = ServiceGuidePage.objects.get(implementation_code="37060000JS-XK-0099")
    assert guide.live
    assert guide.slug == "37060000js-xk-0099"
    assert guide.theme_names == ["工程建设"]
    assert guide.window_labels == [str(window)]
    assert guide.flag_labels == ["最多跑一次", "高频事项"]
    assert [b.title for b in guide.legal_bases.all()] == ["《中华人民共和国建筑法》"]
    assert [(m.code, m.copies) for m in guide.materials.all()] == [("M-ID", 1), ("M-SG", 3)]
    situations = list(guide.situations.all())
    assert [s.material_codes for s in situations] == [["M-ID"], ["M-ID", "M-SG"]]
    assert [s.name for s in guide.special_steps.all()] == ["现场踏勘"]
    assert [f.question for f in guide.faqs.all()] == ["需要多久？"]
    assert ServiceWindow.objects.get(pk=window.pk) in guide.windows.all()

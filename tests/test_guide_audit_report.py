"""The guide audit in the admin (报告 → 指南要素完整度, 部门指南得分): who sees it, the
department and rule filters, the order by score, the XLSX export; and the editor's panel with
the findings of the draft being edited."""

import io
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from openpyxl import load_workbook

from cms.audit.scoring import catalogue_audits
from tests import factories
from tests.audit import blank_form, complete_guide

pytestmark = pytest.mark.django_db

GUIDES = reverse("guide_audit_report")
DEPARTMENTS = reverse("department_audit_report")


@pytest.fixture
def catalogue():
    """Two departments: 城管 with a complete guide and one without phone or fee basis (70),
    市场 with a guide whose form has no blank (85)."""
    urban = factories.department(code="URB", name="示范市城市管理局")
    market = factories.department(code="MKT", name="示范市市场监督管理局")
    return {
        "complete": complete_guide(title="户外广告设施设置许可", department=urban),
        "no_phone": complete_guide(
            title="城市道路挖掘许可", department=urban, enquiry_phone="", fee_basis=""
        ),
        "no_blank": factories.guide(title="食品经营许可", department=market),
        "urban": urban,
        "market": market,
    }


def login(client, group):
    client.force_login(factories.user(f"user-{len(group)}-{group}", group))
    return client


def rows(html):
    listing = html.split('id="listing-results"')[1]
    if "<tbody" not in listing:
        return []
    body = listing.split("<tbody")[1].split("</tbody>")[0]
    return [
        [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


@pytest.mark.parametrize("group", ["编辑", "审核员", "管理人员"])
def test_editors_reviewers_and_managers_see_both_reports_in_the_reports_menu(
    client, catalogue, group
):
    login(client, group)
    assert client.get(GUIDES).status_code == 200
    assert client.get(DEPARTMENTS).status_code == 200
    menu = client.get("/admin/").content.decode()  # the sidebar's data: labels are escaped
    assert GUIDES in menu and DEPARTMENTS in menu


def test_the_public_never_sees_the_reports(client, catalogue):
    for url in (GUIDES, DEPARTMENTS, GUIDES + "?export=xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_admin_user_who_may_edit_no_page_is_refused(client, catalogue):
    group = Group.objects.create(name="只读用户")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    login(client, "只读用户")
    response = client.get(GUIDES)
    assert response.status_code in (302, 403)
    assert "户外广告设施设置许可" not in response.content.decode()
    assert GUIDES not in client.get("/admin/").content.decode()


def test_guides_are_listed_lowest_score_first_with_their_findings(client, catalogue):
    login(client, "编辑")
    listed = rows(client.get(GUIDES).content.decode())
    assert [(r[0], r[2], r[4], r[5]) for r in listed] == [
        ("城市道路挖掘许可", "示范市城市管理局", "70.0", "2"),
        ("食品经营许可", "示范市市场监督管理局", "85.0", "1"),
        ("户外广告设施设置许可", "示范市城市管理局", "100.0", "0"),
    ]
    assert "[严重] 要素缺失：未填写“咨询电话”。" in listed[0][6]
    assert "[严重] 收费缺少依据：收费事项未写明收费依据。" in listed[0][6]
    assert listed[2][6] == "未发现问题"
    highest_first = rows(client.get(GUIDES, {"ordering": "-score"}).content.decode())
    assert [r[0] for r in highest_first] == [
        "户外广告设施设置许可",
        "食品经营许可",
        "城市道路挖掘许可",
    ]


def test_the_report_filters_by_department_and_by_rule(client, catalogue):
    login(client, "审核员")
    urban = rows(client.get(GUIDES, {"department": catalogue["urban"].pk}).content.decode())
    assert [r[0] for r in urban] == ["城市道路挖掘许可", "户外广告设施设置许可"]
    materials = rows(client.get(GUIDES, {"rule": "materials"}).content.decode())
    assert [r[0] for r in materials] == ["食品经营许可"]
    both = {"rule": "fees", "department": catalogue["market"].pk}
    assert rows(client.get(GUIDES, both).content.decode()) == []


def test_the_xlsx_export_holds_every_guide_with_its_findings(client, catalogue):
    login(client, "编辑")
    response = client.get(GUIDES, {"export": "xlsx", "department": catalogue["urban"].pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('filename="guide-audit.xlsx"')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    table = list(sheet.values)
    assert table[0] == ("事项名称", "实施编码", "实施主体", "状态", "得分", "问题数", "问题")
    assert [(r[0], r[2], r[4], r[5]) for r in table[1:]] == [
        ("城市道路挖掘许可", "示范市城市管理局", 70.0, 2),
        ("户外广告设施设置许可", "示范市城市管理局", 100.0, 0),
    ]
    assert table[1][6].splitlines() == [
        "【要素缺失】未填写“咨询电话”。",
        "【收费缺少依据】收费事项未写明收费依据。",
    ]


def test_departments_are_scored_by_the_mean_of_their_guides_and_exported(client, catalogue):
    login(client, "管理人员")
    listed = rows(client.get(DEPARTMENTS).content.decode())
    # Equal scores: in the departments' own order (sort order, then code: MKT before URB).
    assert [r[:5] for r in listed] == [
        ["示范市市场监督管理局", "1", "85.0", "1", "1"],
        ["示范市城市管理局", "2", "85.0", "1", "2"],
    ]
    assert listed[1][5] == "要素缺失 1；收费缺少依据 1"
    response = client.get(DEPARTMENTS, {"export": "xlsx"})
    table = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert table[0][:5] == ("实施主体", "指南数", "平均得分", "有问题的指南", "问题数")
    assert table[0][5] == "要素缺失（指南数）"
    assert table[2][:8] == ("示范市城市管理局", 2, 85.0, 1, 2, 1, 0, 1)


# --- the editor's panel --------------------------------------------------------------------


def test_the_editor_sees_the_findings_of_the_draft_before_publishing(client, catalogue):
    guide = catalogue["complete"]
    login(client, "编辑")
    edit = reverse("wagtailadmin_pages:edit", args=[guide.pk])
    assert "本草稿要素齐全，未发现问题（得分 100.0）" in client.get(edit).content.decode()

    draft = guide.get_latest_revision_as_object()
    draft.enquiry_phone = ""
    draft.fee_basis = ""
    draft.save_revision()

    html = client.get(edit).content.decode()
    assert "本草稿得分 70.0，发现 2 个问题" in html
    assert "[严重] 未填写“咨询电话”。" in html
    assert "[严重] 收费事项未写明收费依据。" in html
    # The report reads what is published: still complete until a reviewer publishes the draft.
    listed = {r[0]: r[4] for r in rows(client.get(GUIDES).content.decode())}
    assert listed["户外广告设施设置许可"] == "100.0"


def test_a_new_guide_is_audited_once_it_is_saved(client, catalogue):
    login(client, "编辑")
    parent = catalogue["complete"].get_parent()
    add = reverse("wagtailadmin_pages:add", args=["cms", "serviceguidepage", parent.pk])
    assert "保存草稿后，这里显示本指南的要素检查结果。" in client.get(add).content.decode()


def test_the_catalogue_is_audited_once_until_its_content_changes(
    client, catalogue, django_assert_max_num_queries
):
    login(client, "编辑")
    client.get(GUIDES)
    with django_assert_max_num_queries(4):  # the content's stamp; no guide, row or link read
        audits = catalogue_audits()
    assert len(audits) == 3

    guide = catalogue["complete"]
    guide.enquiry_phone = ""
    guide.save_revision().publish()
    listed = {r[0]: r[4] for r in rows(client.get(GUIDES).content.decode())}
    assert listed["户外广告设施设置许可"] == "80.0"
    # A blank form uploaded for the market's application form (a material: no page published).
    form = catalogue["no_blank"].materials.get(material__name="企业设立登记申请书").material
    form.blank_form = blank_form()
    form.save()
    listed = {r[0]: r[4] for r in rows(client.get(GUIDES).content.decode())}
    assert listed["食品经营许可"] == "100.0"

"""The guide audit's rules (指南要素完整度, cms/audit/rules.py): for each, a guide that breaks it
and one that does not; then the scores of guides and departments."""

import datetime

import pytest
from django.utils import timezone

from cms.audit.rules import RULES, Severity, is_fill_in_form
from cms.audit.scoring import TOTAL_WEIGHT, audit_guide, audit_guides, by_department, summary
from cms.models import GuideLegalBasis, HandlingSituation, LinkCheck, Material, ServiceGuidePage
from tests import factories
from tests.audit import complete_guide

pytestmark = pytest.mark.django_db


def findings(guide, rule):
    return [f for f in audit_guide(guide).findings if f.rule == rule]


def messages(guide, rule):
    return [f.message for f in findings(guide, rule)]


def test_a_complete_guide_passes_every_rule_and_scores_100():
    audit = audit_guide(complete_guide())
    assert audit.findings == []
    assert audit.score == 100.0


# --- 要素缺失 ------------------------------------------------------------------------------


def test_an_empty_standard_element_is_a_finding():
    guide = complete_guide()
    guide.enquiry_phone = ""
    guide.result_name = "  "
    guide.conditions = "<p> </p>"  # an empty paragraph is no condition
    found = findings(guide, "elements")
    assert [f.element for f in found] == ["受理条件", "审批结果名称", "咨询电话"]
    assert found[0].message == "未填写“受理条件”。"
    assert {f.severity for f in found} == {Severity.ERROR}


def test_a_guide_with_no_way_to_apply_and_no_steps_misses_both():
    guide = complete_guide(online_url="", app_channel="", kiosk_available=False)
    guide.windows = []
    guide.steps = []
    assert [f.element for f in findings(guide, "elements")] == ["办理流程", "办理方式"]


# --- 承诺时限超过法定时限 --------------------------------------------------------------------


def test_promised_days_over_the_legal_days_are_a_finding():
    guide = complete_guide()
    assert messages(guide, "time_limits") == []
    guide.promised_days = 20  # legal 15; the admin form refuses it, an import or a shell may not
    assert messages(guide, "time_limits") == [
        "承诺办结时限 20 个工作日超过法定办结时限 15 个工作日。"
    ]


def test_a_situation_promising_more_than_its_legal_limit_is_a_finding():
    guide = complete_guide()
    material = guide.materials.first().material
    own = HandlingSituation(name="邮寄办理", promised_days=16, legal_days=None)  # guide's 15
    own.materials = [material]
    shorter = HandlingSituation(name="当场办理", promised_days=3, legal_days=2)
    shorter.materials = [material]
    fine = HandlingSituation(name="网上办理", promised_days=15, legal_days=None)
    fine.materials = [material]
    guide.situations = [own, shorter, fine]
    assert messages(guide, "time_limits") == [
        "办理情形“邮寄办理”承诺时限 16 个工作日超过法定时限 15 个工作日。",
        "办理情形“当场办理”承诺时限 3 个工作日超过法定时限 2 个工作日。",
    ]


# --- 收费缺少依据 ---------------------------------------------------------------------------


def test_a_fee_without_its_basis_is_a_finding():
    guide = complete_guide()
    assert messages(guide, "fees") == []
    guide.fee_basis = ""
    assert messages(guide, "fees") == ["收费事项未写明收费依据。"]


def test_a_situation_charging_on_a_free_guide_without_basis_is_a_finding():
    guide = complete_guide(charges_fee=False, fee_standard="", fee_basis="")
    # The factory's second situation charges 工本费10元/本（代理）; the first says nothing.
    assert messages(guide, "fees") == [
        "办理情形“委托代理人办理”收取“工本费10元/本（代理）”，指南却未写明收费依据（事项标为不收费）。"
    ]
    second = guide.situations.get(name="委托代理人办理")
    second.fee = "不收费"
    guide.situations = [guide.situations.get(name="自然人独资设立"), second]
    assert messages(guide, "fees") == []


# --- 材料缺少编码或空白表格 -------------------------------------------------------------------


def test_a_form_to_fill_in_without_its_blank_form_is_a_finding():
    guide = factories.guide()  # its 企业设立登记申请书 has no blank form
    found = findings(guide, "materials")
    assert [(f.element, f.severity) for f in found] == [
        ("申请材料：企业设立登记申请书", Severity.WARNING)
    ]
    assert "未提供空白表格下载" in found[0].message
    # 居民身份证 is no form: no blank form is expected of it.
    assert complete_guide().materials.get(material__name="居民身份证").material.blank_form is None


def test_a_material_without_its_code_is_a_finding():
    guide = complete_guide()
    Material.objects.filter(name="居民身份证").update(code="")  # the form refuses it, SQL not
    guide = ServiceGuidePage.objects.get(pk=guide.pk)
    assert messages(guide, "materials") == ["材料“居民身份证”没有材料编码。"]


@pytest.mark.parametrize(
    "name, is_form",
    [
        ("企业设立登记申请书", True),
        ("社会保险登记表", True),
        ("授权委托书", True),
        ("告知承诺书", True),
        ("无配偶及无禁止结婚亲属关系签字声明", True),
        ("住房公积金提取申请表（个人）", True),
        ("居民身份证", False),
        ("环境影响报告书（表）", False),  # a report the applicant's consultant writes
        ("营业执照", False),
    ],
)
def test_forms_to_fill_in_are_told_by_their_name(name, is_form):
    assert is_fill_in_form(Material(code="X", name=name)) is is_form


# --- 办理情形未列材料 -----------------------------------------------------------------------


def test_a_situation_without_materials_is_a_finding():
    guide = complete_guide()
    assert messages(guide, "situations") == []
    empty = HandlingSituation(name="容缺办理", promised_days=1)
    guide.situations = [empty]
    assert messages(guide, "situations") == ["办理情形“容缺办理”未列出所需材料。"]


def test_a_situation_naming_a_material_the_guide_does_not_list_is_a_finding():
    guide = complete_guide()
    unlisted = factories.material(name="股东会决议")
    situation = HandlingSituation(name="增资设立", promised_days=1)
    situation.materials = [guide.materials.first().material, unlisted]
    guide.situations = [situation]
    found = findings(guide, "situations")
    assert [f.message for f in found] == [
        "办理情形“增资设立”所需的“股东会决议”不在本指南的申请材料中，群众选择该情形时看不到。"
    ]
    assert found[0].severity == Severity.WARNING  # the listed one still shows


# --- 法律依据缺失或已废止 -------------------------------------------------------------------


def test_a_basis_citing_a_repealed_document_is_a_finding_naming_its_successor():
    successor = factories.policy(title="中华人民共和国医师法", document_number="主席令第九十四号")
    repealed = factories.policy(
        title="中华人民共和国执业医师法",
        document_number="主席令第五号",
        validity="repealed",
        superseded_by=successor,
    )
    guide = complete_guide(basis_policy=repealed)
    assert messages(guide, "legal_bases") == [
        "引用的《中华人民共和国公司法》（主席令第五号）已废止，已由《中华人民共和国医师法》替代，"
        "请核对法律依据。"
    ]
    assert messages(complete_guide(basis_policy=successor), "legal_bases") == []


def test_no_basis_no_creation_basis_and_no_article_are_findings():
    guide = complete_guide()
    guide.legal_bases = []
    assert messages(guide, "legal_bases") == ["未填写法律依据。"]
    guide.legal_bases = [
        GuideLegalBasis(kind="implementation", title="《市场主体登记管理条例》", article="")
    ]
    assert messages(guide, "legal_bases") == [
        "缺少设定依据。",
        "实施依据《市场主体登记管理条例》未写明条款内容。",
    ]


# --- 外部链接失效 ---------------------------------------------------------------------------


def test_a_link_the_check_found_dead_is_a_finding_and_the_audit_opens_no_connection(
    monkeypatch,
):
    def no_network(*args, **kwargs):
        raise AssertionError("the audit must not open a connection")

    monkeypatch.setattr("urllib.request.urlopen", no_network)
    guide = complete_guide(
        conditions='<p>名称先经<a href="https://mc.example.gov.cn/?a=1&amp;b=2">自主申报</a>。</p>'
    )
    checked = timezone.make_aware(datetime.datetime(2026, 12, 1, 2, 0))
    LinkCheck.objects.create(url=guide.status_url, checked_at=checked, status_code=200)
    assert messages(guide, "links") == []  # alive, or never checked: nothing to say
    LinkCheck.objects.create(
        url=guide.online_url, checked_at=checked, status_code=404, failures=1, is_dead=True
    )
    LinkCheck.objects.create(
        url="https://mc.example.gov.cn/?a=1&b=2",
        checked_at=checked,
        error="URLError: timed out",
        failures=2,
        is_dead=True,
    )
    assert messages(guide, "links") == [
        "网上办理地址 https://zwfw.example.gov.cn/apply/qysl 无法访问（HTTP 404，2026-12-01 检查）。",
        "受理条件中的链接 https://mc.example.gov.cn/?a=1&b=2 无法访问（URLError: timed out，"
        "2026-12-01 检查）。",
    ]


# --- scores ----------------------------------------------------------------------------------


def test_the_weights_add_up_to_20_so_each_point_of_weight_is_5_points_of_score():
    assert TOTAL_WEIGHT == 20
    assert {code: rule.weight for code, rule in RULES.items()} == {
        "elements": 4,
        "time_limits": 3,
        "fees": 2,
        "materials": 3,
        "situations": 3,
        "legal_bases": 3,
        "links": 2,
    }


def test_a_guide_scores_the_weighted_share_of_the_rules_it_passes():
    guide = complete_guide()
    guide.enquiry_phone = ""
    guide.complaint_phone = ""  # two findings, one rule: weight 4 lost once
    guide.fee_basis = ""  # weight 2
    audit = audit_guide(guide)
    assert audit.failed_rules == {"elements", "fees"}
    assert audit.finding_count == 3
    assert audit.score == 70.0  # 100 × (20 − 4 − 2) / 20


def test_a_department_scores_the_mean_of_its_guides():
    department = factories.department(name="示范市城市管理局")
    complete_guide(department=department)
    complete_guide(department=department, enquiry_phone="")  # 80
    complete_guide(department=department, enquiry_phone="", fee_basis="")  # 70
    other = complete_guide()
    audits = audit_guides(ServiceGuidePage.objects.all())
    rows = {row.department.pk: row for row in by_department(audits)}
    assert rows[department.pk].score == 83.3  # (100 + 80 + 70) / 3
    assert rows[department.pk].failing_count == 2
    assert rows[department.pk].failing_for("elements") == 2
    assert rows[other.department.pk].score == 100.0
    figures = summary(audits)
    assert figures["guides"] == 4 and figures["mean_score"] == 87.5
    assert figures["rules"]["elements"] == {
        "label": "要素缺失",
        "weight": 4,
        "guides": 2,
        "findings": 2,
    }


def test_auditing_a_catalogue_reads_its_rows_in_a_fixed_number_of_queries(
    django_assert_max_num_queries,
):
    for _ in range(3):
        complete_guide()
    with django_assert_max_num_queries(12):
        audits = audit_guides(ServiceGuidePage.objects.all())
    assert len(audits) == 3

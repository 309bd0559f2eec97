"""The rules of the guide audit (指南要素完整度), one function per rule.

Each rule reads one guide (a saved page, or the draft an editor is working on, rebuilt from
its revision) and returns its findings; a rule with no finding is passed. Rules read the
guide's rows with `.all()` only, never a filtered query of their own, so a draft's in-memory
rows and a list's prefetched rows are read the same way. The elements are those of the national
guidance on guides (国办函〔2016〕108号) as DOMAIN.md §1 lists them.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags

from cms.choices import LegalBasisKind


class Severity(models.TextChoices):
    ERROR = "error", "严重"
    WARNING = "warning", "一般"


@dataclass(frozen=True)
class Finding:
    rule: str  # the code of the rule that found it (RULES)
    severity: str  # Severity
    element: str  # the guide element concerned, as the editor's form names it
    message: str

    @property
    def severity_label(self):
        return Severity(self.severity).label

    @property
    def rule_label(self):
        return RULES[self.rule].label

    def __str__(self):
        return f"【{self.rule_label}】{self.message}"


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    weight: int  # its share of a guide's score: cms.audit.scoring
    check: Callable  # check(guide, dead_links) -> list[Finding]


def _filled(text):
    return bool(strip_tags(text or "").strip())


def _any(rows):
    return any(True for _ in rows.all())


# The elements every guide carries (国办函〔2016〕108号 §二), each with how to tell it is there
# and how much its absence weighs. Item type, department, audience, codes and time limits are
# required fields: a guide cannot be saved without them, so they are not checked here.
ELEMENTS = [
    ("基本编码", lambda g: _filled(g.basic_code), Severity.WARNING),
    ("申请对象", lambda g: _filled(g.applicant_scope), Severity.ERROR),
    ("受理条件", lambda g: _filled(g.conditions), Severity.ERROR),
    ("不予受理情形", lambda g: _filled(g.refusal_grounds), Severity.WARNING),
    ("数量限制", lambda g: _filled(g.quantity_limit), Severity.WARNING),
    ("申请材料", lambda g: _any(g.materials), Severity.ERROR),
    ("办理流程", lambda g: _any(g.steps), Severity.ERROR),
    (
        "办理方式",
        lambda g: bool(g.online_url or g.app_channel or g.kiosk_available or _any(g.windows)),
        Severity.ERROR,
    ),
    ("办理地点", lambda g: _filled(g.office_address), Severity.ERROR),
    ("办理时间", lambda g: _filled(g.office_hours), Severity.ERROR),
    ("审批结果名称", lambda g: _filled(g.result_name), Severity.ERROR),
    (
        "结果送达方式",
        lambda g: g.delivery_window or g.delivery_locker or g.delivery_post,
        Severity.WARNING,
    ),
    ("咨询电话", lambda g: _filled(g.enquiry_phone), Severity.ERROR),
    ("投诉电话", lambda g: _filled(g.complaint_phone), Severity.ERROR),
    ("办件进度查询", lambda g: _filled(g.status_url), Severity.WARNING),
]

# Materials the applicant fills in or signs on a form the department hands out; those need a
# blank form to download (DOMAIN.md §1 "blank form and filled sample for download"). Read from
# the name, as catalogues name them: 申请表, 登记表, 申请书, 授权委托书, 告知承诺书, 签字声明.
FILL_IN_FORM = re.compile(r"(表|申请书|申报书|委托书|承诺书|声明)$")

# A situation's fee that is no fee needs no basis.
NO_FEE = {"不收费", "免费", "无", "免收"}


def is_fill_in_form(material):
    name = re.sub(r"[（(][^）)]*[）)]$", "", material.name.strip())  # 环境影响报告书（表）
    return bool(FILL_IN_FORM.search(name))


def missing_elements(guide, dead_links):
    """要素缺失: a standard element left empty."""
    return [
        Finding("elements", severity, label, f"未填写“{label}”。")
        for label, present, severity in ELEMENTS
        if not present(guide)
    ]


def promised_over_legal(guide, dead_links):
    """承诺时限超过法定时限: the promise is a reduction of the legal limit, never more
    (the guide's own form refuses it, a situation's and an import's do not)."""
    findings = []
    if guide.promised_days > guide.legal_days:
        findings.append(
            Finding(
                "time_limits",
                Severity.ERROR,
                "办理时限",
                f"承诺办结时限 {guide.promised_days} 个工作日超过法定办结时限 "
                f"{guide.legal_days} 个工作日。",
            )
        )
    for situation in guide.situations.all():
        legal = situation.legal_days if situation.legal_days is not None else guide.legal_days
        if situation.promised_days > legal:
            findings.append(
                Finding(
                    "time_limits",
                    Severity.ERROR,
                    f"办理情形：{situation.name}",
                    f"办理情形“{situation.name}”承诺时限 {situation.promised_days} 个工作日"
                    f"超过法定时限 {legal} 个工作日。",
                )
            )
    return findings


def fee_without_basis(guide, dead_links):
    """收费缺少依据: a fee is only lawful with its basis (收费依据) published beside it."""
    findings = []
    has_basis = _filled(guide.fee_basis)
    if guide.charges_fee and not _filled(guide.fee_standard):
        findings.append(Finding("fees", Severity.ERROR, "收费标准", "收费事项未写明收费标准。"))
    if guide.charges_fee and not has_basis:
        findings.append(Finding("fees", Severity.ERROR, "收费依据", "收费事项未写明收费依据。"))
    for situation in guide.situations.all():
        fee = situation.fee.strip()
        if fee and fee not in NO_FEE and not has_basis and not guide.charges_fee:
            findings.append(
                Finding(
                    "fees",
                    Severity.ERROR,
                    f"办理情形：{situation.name}",
                    f"办理情形“{situation.name}”收取“{fee}”，指南却未写明收费依据"
                    "（事项标为不收费）。",
                )
            )
    return findings


def incomplete_materials(guide, dead_links):
    """材料信息不全: a material without its catalogue code, or a form without its blank."""
    findings = []
    for row in guide.materials.all():
        material = row.material
        element = f"申请材料：{material.name}"
        if not material.code.strip():
            findings.append(
                Finding(
                    "materials", Severity.ERROR, element, f"材料“{material.name}”没有材料编码。"
                )
            )
        if is_fill_in_form(material) and not material.blank_form_id:
            findings.append(
                Finding(
                    "materials",
                    Severity.WARNING,
                    element,
                    f"材料“{material.name}”（{material.code}）需申请人填写，未提供空白表格下载。",
                )
            )
    return findings


def situations_without_materials(guide, dead_links):
    """办理情形未列材料: a citizen who picks the situation is shown its materials only, so a
    situation naming none (or only materials the guide does not list) shows an empty list."""
    findings = []
    listed = {row.material_id for row in guide.materials.all()}
    for situation in guide.situations.all():
        element = f"办理情形：{situation.name}"
        materials = list(situation.materials.all())
        if not materials:
            findings.append(
                Finding(
                    "situations",
                    Severity.ERROR,
                    element,
                    f"办理情形“{situation.name}”未列出所需材料。",
                )
            )
            continue
        unlisted = [m.name for m in materials if m.pk not in listed]
        if unlisted:
            severity = Severity.ERROR if len(unlisted) == len(materials) else Severity.WARNING
            findings.append(
                Finding(
                    "situations",
                    severity,
                    element,
                    f"办理情形“{situation.name}”所需的“{'、'.join(unlisted)}”不在本指南的"
                    "申请材料中，群众选择该情形时看不到。",
                )
            )
    return findings


def repealed_or_missing_bases(guide, dead_links):
    """法律依据缺失或已废止: no basis, no 设定依据, a basis citing a repealed document, a basis
    without its article."""
    bases = list(guide.legal_bases.all())
    if not bases:
        return [Finding("legal_bases", Severity.ERROR, "法律依据", "未填写法律依据。")]
    findings = []
    if not any(basis.kind == LegalBasisKind.CREATION for basis in bases):
        findings.append(Finding("legal_bases", Severity.WARNING, "法律依据", "缺少设定依据。"))
    for basis in bases:
        element = f"法律依据：{basis.title}"
        if basis.is_repealed:
            policy = basis.policy
            number = policy.document_number
            number = f"（{number}）" if number and number not in basis.title else ""
            successor = (
                f"，已由《{policy.superseded_by.title}》替代" if policy.superseded_by_id else ""
            )
            findings.append(
                Finding(
                    "legal_bases",
                    Severity.ERROR,
                    element,
                    f"引用的{basis.title}{number}已废止{successor}，请核对法律依据。",
                )
            )
        if not _filled(basis.article):
            findings.append(
                Finding(
                    "legal_bases",
                    Severity.WARNING,
                    element,
                    f"{basis.get_kind_display()}{basis.title}未写明条款内容。",
                )
            )
    return findings


def dead_external_links(guide, dead_links):
    """外部链接失效: a link the scheduled check (cms.audit.links) found dead; `dead_links`
    maps each dead address to its LinkCheck."""
    from cms.audit.links import guide_links

    findings = []
    for element, url in guide_links(guide):
        check = dead_links.get(url)
        if check is not None:
            when = f"{timezone.localtime(check.checked_at):%Y-%m-%d}" if check.checked_at else ""
            findings.append(
                Finding(
                    "links",
                    Severity.WARNING,
                    element,
                    f"{element} {url} 无法访问（{check.outcome}，{when} 检查）。",
                )
            )
    return findings


# code → Rule, in the order reports list them. The weights are documented in docs/audit.md.
RULES = {
    rule.code: rule
    for rule in (
        Rule("elements", "要素缺失", 4, missing_elements),
        Rule("time_limits", "承诺时限超过法定时限", 3, promised_over_legal),
        Rule("fees", "收费缺少依据", 2, fee_without_basis),
        Rule("materials", "材料缺少编码或空白表格", 3, incomplete_materials),
        Rule("situations", "办理情形未列材料", 3, situations_without_materials),
        Rule("legal_bases", "法律依据缺失或已废止", 3, repealed_or_missing_bases),
        Rule("links", "外部链接失效", 2, dead_external_links),
    )
}

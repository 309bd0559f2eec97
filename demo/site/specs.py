"""From the hand-written catalogue to one specification per guide, without touching the database.

Both ways of loading read these specs: `builder` turns each into a Wagtail page with
revisions, `bulk` uses them as templates for thousands of synthetic guides. Everything here is
a pure function of the data modules, so the demo is the same on every machine and every run.
"""

from dataclasses import dataclass, field
from functools import cache

from demo.site import data
from demo.site.catalogue import (
    COMMON_FAQ,
    DEPARTMENT_DEFAULTS,
    GENERIC_SITUATIONS,
    ITEM_TYPES,
    ITEMS,
    S,
    for_case,
)
from demo.site.gaps import apply_gaps
from demo.site.texts import POLICIES

# Application forms the catalogue names item by item get codes from here on.
ITEM_FORM_CODE_START = 1001
RESULT_CODE_START = 1001
COPIES = {"divorce_agreement": 3, "sale_contract": 2, "mortgage_contract": 2, "gift_contract": 2}
# Departments whose person items are also taken at the A区 comprehensive windows.
COMPREHENSIVE_DEPARTMENTS = {"hrss", "medical", "civil", "fund", "veterans", "disabled"}
COMPLAINT_PHONE = "0799-86118000（中心督查科）；12345政务服务便民热线"
CASE_ORDER = ("new", "change", "renewal", "cancellation", "other")


@dataclass(frozen=True)
class MaterialSpec:
    key: str
    code: str
    name: str
    form: str
    source: str
    notes: str
    electronic_licence: bool
    kind: str  # common / form / result


@dataclass
class GuideSpec:
    """Everything a guide page carries, with references by natural key: material keys,
    policy keys, window numbers, theme names, department key."""

    title: str
    implementation_code: str
    basic_code: str
    handling_case: str
    item_type: str
    department: str
    audience: str
    themes: tuple
    popular_names: str
    summary: str
    applicant_scope: str
    conditions: str
    refusal_grounds: str
    legal_days: int
    promised_days: int
    result_name: str
    windows: tuple
    office_address: str
    office_hours: str
    saturday_service: bool
    online_url: str
    kiosk_available: bool
    enquiry_phone: str
    visits_required: int
    charges_fee: bool = False
    fee_standard: str = ""
    fee_basis: str = ""
    delivery_locker: bool = False
    delivery_post: bool = True
    citywide: bool = False
    nearby: bool = False
    tolerance_acceptance: bool = False
    high_frequency: bool = False
    materials: list = field(default_factory=list)  # (key, copies, requirement, condition, basis)
    situations: list = field(
        default_factory=list
    )  # (name, description, keys, promised, legal, fee)
    bases: list = field(default_factory=list)  # (kind, policy key)
    steps: list = field(default_factory=list)  # (name, description, handler, time limit)
    special_steps: list = field(default_factory=list)  # (name, days, counted, description)
    faqs: list = field(default_factory=list)  # (question, answer)

    @property
    def instant(self):
        return self.promised_days == 0

    @property
    def zero_visit(self):
        return self.visits_required == 0

    @property
    def run_at_most_once(self):
        return self.visits_required <= 1


def departments():
    return {dept.key: dept for dept in data.DEPARTMENTS}


def policies():
    return {policy.key: policy for policy in POLICIES}


def item_title(item, word):
    if "{}" in item.name:
        return item.name.format(word)
    if len(item.cases) > 1:
        raise ValueError(f"{item.name}: several handling cases need a {{}} for the case word")
    return item.name


def item_label(item):
    """The item's name without its case word, for its own application form."""
    return item.name.replace("（{}）", "").replace("{}", "")


def is_certificate(result):
    return any(word in result for word in ("证", "执照", "许可证"))


@cache
def material_catalogue():
    """key → MaterialSpec: the shared materials, one application form per item that has no
    shared one, and each certificate a later case asks the applicant to bring back."""
    catalogue = {
        key: MaterialSpec(key, *values, kind="common") for key, values in data.MATERIALS.items()
    }
    by_name = {spec.name: key for key, spec in catalogue.items()}
    form_no, result_no = ITEM_FORM_CODE_START, RESULT_CODE_START
    for dept_key, items in ITEMS.items():
        dept = departments()[dept_key]
        for item in items:
            if not item.form:
                name = f"{item_label(item)}申请表"
                if name not in by_name:
                    key = f"form:{name}"
                    catalogue[key] = MaterialSpec(
                        key,
                        f"CL-SQ-{form_no}",
                        name,
                        "original",
                        f"{dept.short_name}提供",
                        "可在窗口领取或在网上办事大厅下载，也可在线填写。",
                        False,
                        "form",
                    )
                    by_name[name] = key
                    form_no += 1
            if is_certificate(item.result) and item.result not in by_name:
                key = f"result:{item.result}"
                catalogue[key] = MaterialSpec(
                    key,
                    f"CL-ZZ-{result_no}",
                    item.result,
                    "original",
                    f"{dept.short_name}核发",
                    "变更、延续、注销时交回或出示原证；已发放电子证照的可免予提交。",
                    True,
                    "result",
                )
                by_name[item.result] = key
                result_no += 1
    return catalogue


def material_key_by_name(name):
    return next(key for key, spec in material_catalogue().items() if spec.name == name)


def form_key(item):
    if item.form:
        return item.form
    return material_key_by_name(f"{item_label(item)}申请表")


def promised_for_case(promised, case):
    """Later cases re-check less than a first application: a change or renewal re-examines
    only what changed, a cancellation is settled on the spot."""
    if case in ("change", "renewal"):
        return 0 if promised <= 3 else max(1, promised // 2)
    if case == "cancellation":
        return 0
    return promised


def result_for_case(item, case):
    if case in item.result_by_case:
        return item.result_by_case[case]
    if case == "cancellation":
        return "准予注销决定书" if item.type == "XK" else "注销登记结果通知"
    return item.result


def applicant_word(audience):
    return {"person": "申请人本人", "legal": "法定代表人（负责人）", "both": "申请人"}[audience]


def applicant_scope(item):
    if item.scope:
        return item.scope
    return {
        "person": "具有完全民事行为能力的自然人；无民事行为能力或限制民事行为能力人由其监护人代为申请。",
        "legal": "依法设立的企业、事业单位、社会组织等法人和非法人组织。",
        "both": "自然人、法人和非法人组织。",
    }[item.audience]


def conditions_html(item, case, defaults, result):
    lines = list(for_case(item.conditions, case) or defaults["conditions"])
    extra = {
        "change": f"已取得{result}，相关登记或许可事项发生变化；",
        "renewal": f"{result}有效期届满前30个工作日内提出申请，仍符合原许可条件；",
        "cancellation": "依法终止相关活动，或者许可被依法撤回、撤销、吊销；",
    }.get(case)
    if extra and is_certificate(result):
        lines.append(extra)
    lines = [line.rstrip("；。") for line in lines]
    items = "".join(
        f"<li>{line}{'。' if i == len(lines) - 1 else '；'}</li>" for i, line in enumerate(lines)
    )
    return f"<ol>{items}</ol>"


def numbered(lines):
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))


def steps_for(dept, result, promised, instant_decision):
    """受理 → 审查 → 决定 → 送达, with the time each step takes."""
    if promised == 0:
        review, decide, deliver = "即时", "即时", "即时"
    else:
        review = f"{max(promised - 1, 1)}个工作日" if promised > 1 else "1个工作日内"
        decide, deliver = "1个工作日", "1个工作日"
    decision = (
        f"符合条件的作出准予决定，制发{result}；不符合条件的出具不予许可决定书，说明理由并告知申请复议或提起诉讼的权利。"
        if instant_decision
        else f"审核通过的出具{result}；不符合条件的书面告知理由。"
    )
    return [
        (
            "受理",
            "查验申请材料，齐全且符合法定形式的当场受理并出具受理回执；不齐全的一次性告知需补正的全部内容。",
            "综合受理窗口工作人员",
            "即时",
        ),
        (
            "审查",
            "对申请材料的真实性、完整性和是否符合法定条件进行审查。",
            f"{dept.short_name}审批科室经办人",
            review,
        ),
        ("决定", decision, f"{dept.short_name}审批科室负责人", decide),
        (
            "送达",
            f"{result}由统一出件窗口发放，或按申请人选择免费邮寄、存入自助柜。",
            "统一出件窗口工作人员",
            deliver,
        ),
    ]


def situations_for(item, case):
    """The item's own situations for this case (a plain tuple belongs to its first case),
    else the generic ones of the case; always two to four."""
    if isinstance(item.situations, dict):
        chosen = item.situations.get(case, ())
    else:
        chosen = item.situations if case == next(iter(item.cases)) else ()
    chosen = list(chosen) or list(GENERIC_SITUATIONS.get(case, GENERIC_SITUATIONS["other"]))
    if len(chosen) < 2:
        chosen.append(GENERIC_SITUATIONS["new"][1])
    word = applicant_word(item.audience)
    return [
        S(
            s.name.format(applicant=word),
            s.description.format(applicant=word),
            s.materials,
            s.days,
            s.legal,
            s.fee,
        )
        for s in chosen[:4]
    ]


def bases_for(item, defaults):
    """(kind, policy key) pairs: the item's bases, then its department's, as creation and
    implementation basis, plus a supervision basis."""
    keys = list(dict.fromkeys(tuple(item.bases) + tuple(defaults["bases"])))
    if len(keys) < 2:
        keys.append("yhyshj")
    keys = keys[:3]
    kinds = ["creation", "implementation", "supervision"]
    result = [(kinds[i], key) for i, key in enumerate(keys[:2])]
    # Permits are supervised under the Administrative Licensing Law (第六章 监督检查).
    if item.type == "XK" and "xzxkf" not in keys[:2]:
        result.append(("supervision", "xzxkf"))
    elif len(keys) > 2:
        result.append(("supervision", keys[2]))
    return result


def faqs_for(defaults, index):
    pool = list(defaults["faq"])
    picked = [pool[index % len(pool)]]
    if len(pool) > 1 and index % 3 == 0:
        picked.append(pool[(index + 1) % len(pool)])
    picked.append(COMMON_FAQ[index % len(COMMON_FAQ)])
    return picked


def windows_for(dept, audience):
    numbers = list(dept.windows[:3])
    if audience == "person" and dept.key in COMPREHENSIVE_DEPARTMENTS:
        numbers += ["A01", "A02", "A03", "A04"]
    return tuple(dict.fromkeys(numbers))


@cache
def guide_specs():
    """One GuideSpec per guide of the demo catalogue, in catalogue order (demo/site/gaps.py
    leaves a few of them incomplete on purpose)."""
    specs = []
    depts = departments()
    catalogue = material_catalogue()
    index = 0
    for dept_key, items in ITEMS.items():
        dept = depts[dept_key]
        defaults = DEPARTMENT_DEFAULTS[dept_key]
        sequence = {}
        for item_no, item in enumerate(items, start=1):
            legal, promised_new = item.days
            cases = sorted(item.cases, key=CASE_ORDER.index)
            for case in cases:
                index += 1
                abbr = item.type
                sequence[abbr] = sequence.get(abbr, 0) + 1
                result = result_for_case(item, case)
                promised = min(promised_for_case(promised_new, case), legal)
                situations = situations_for(item, case)
                base_keys = [form_key(item)] + list(for_case(item.materials, case))
                if case != "new" and is_certificate(item.result):
                    base_keys.append(material_key_by_name(item.result))
                base_keys = list(dict.fromkeys(base_keys))
                situations = [
                    (
                        s.name,
                        s.description,
                        tuple(dict.fromkeys(base_keys + list(s.materials))),
                        min(s.days if s.days is not None else promised, legal),
                        s.legal,
                        s.fee,
                    )
                    for s in situations
                ]
                bases = bases_for(item, defaults)
                basis_title = f"《{policies()[bases[1][1]].title}》"
                tolerance = item.tolerance or defaults.get("tolerance", False)
                # One secondary material may be handed in later where 容缺受理 applies.
                tolerated = next(
                    (
                        key
                        for key in base_keys[1:]
                        if tolerance
                        and catalogue[key].kind == "common"
                        and not catalogue[key].code.startswith("CL-SF")
                    ),
                    None,
                )
                materials = [
                    (
                        key,
                        COPIES.get(key, 1),
                        "tolerated" if key == tolerated else "required",
                        "主要材料齐全的，本材料可容缺后补" if key == tolerated else "",
                        basis_title,
                    )
                    for key in base_keys
                ]
                needed_by = {}
                for name, _description, keys, *_ in situations:
                    for key in keys:
                        if key not in base_keys:
                            needed_by.setdefault(key, []).append(f"“{name}”")
                materials += [
                    (
                        key,
                        COPIES.get(key, 1),
                        "conditional",
                        f"适用于{'、'.join(names)}情形",
                        basis_title,
                    )
                    for key, names in needed_by.items()
                ]
                visits = 0 if item.online else (item.visits or 1)
                fee = for_case(item.fee, case)
                windows = windows_for(dept, item.audience)
                saturday = defaults.get("saturday", False)
                title = item_title(item, item.cases[case])
                code = f"{dept.code}-{abbr}-{sequence[abbr]:04d}"
                summary = (
                    item.summary
                    if item.summary and case == cases[0]
                    else f"向{dept.name}申请{title}，"
                    + ("材料齐全当场办结" if promised == 0 else f"{promised}个工作日内办结")
                    + f"，结果为{result}。"
                )
                spec = GuideSpec(
                    title=title,
                    implementation_code=code,
                    basic_code=f"{dept.code[:7]}{abbr}{item_no:03d}",
                    handling_case=case,
                    item_type=ITEM_TYPES[abbr],
                    department=dept_key,
                    audience=item.audience,
                    themes=item.themes,
                    popular_names=item.popular if case == cases[0] else "",
                    summary=summary,
                    applicant_scope=applicant_scope(item),
                    conditions=conditions_html(item, case, defaults, item.result),
                    refusal_grounds=numbered(defaults["refusal"]),
                    legal_days=legal,
                    promised_days=promised,
                    result_name=result,
                    windows=windows,
                    office_address=f"示范市东城区人民大道188号 {dept.address}（{'、'.join(windows)}号窗口）",
                    office_hours=data.SATURDAY_HOURS if saturday else data.OFFICE_HOURS,
                    saturday_service=saturday,
                    online_url=(
                        f"{data.ONLINE_BASE}/apply/{code}"
                        if item.online
                        else f"{data.ONLINE_BASE}/appointment/{code}"
                    ),
                    kiosk_available=item.online and item.audience == "person",
                    enquiry_phone=dept.phone,
                    visits_required=visits,
                    charges_fee=bool(fee),
                    fee_standard=fee[0] if fee else "",
                    fee_basis=fee[1] if fee else "",
                    delivery_locker=is_certificate(result),
                    delivery_post=True,
                    citywide=item.citywide or defaults.get("citywide", False),
                    nearby=(item.nearby or defaults.get("nearby", False))
                    and item.audience != "legal",
                    tolerance_acceptance=tolerance and item.audience != "person",
                    high_frequency=case in item.hf,
                    materials=materials,
                    situations=situations,
                    bases=bases,
                    steps=steps_for(dept, result, promised, item.type == "XK"),
                    special_steps=list(for_case(item.special, case)),
                    faqs=faqs_for(defaults, index),
                )
                specs.append(spec)
    return apply_gaps(specs)  # a few guides left incomplete for the audit to find


def catalogue_figures(specs=None):
    """The shares DOMAIN.md quotes, for the command's summary and the tests."""
    specs = guide_specs() if specs is None else specs
    total = len(specs)
    legal = sum(s.legal_days for s in specs)
    promised = sum(s.promised_days for s in specs)
    return {
        "guides": total,
        "instant": sum(s.instant for s in specs) / total,
        "run_at_most_once": sum(s.run_at_most_once for s in specs) / total,
        "zero_visit": sum(s.zero_visit for s in specs) / total,
        "high_frequency": sum(s.high_frequency for s in specs),
        "compression": (legal - promised) / legal if legal else 0,
    }

"""The demo guides left incomplete on purpose, so that the guide audit (指南要素完整度,
cms/audit, docs/audit.md) has real findings to show: each gap below is one a provincial
assessment would find. Four more guides cite a repealed regulation, as their item's law was
replaced (demo/site/texts.py); the audit finds those without help.

The gaps stay within what tests/test_load_demo.py asks of every demo guide (two to four
situations each naming materials the guide lists, two legal bases or more, steps, FAQs...), so
the rules on situations and links have no demo finding: their tests build their own guides.
"""

from dataclasses import replace

# Application forms whose blank form the demo does not upload (材料缺少空白表格).
FORMS_WITHOUT_BLANK = {"form:营业性演出审批申请表"}


def fee_without_basis_and_situation_over_limit(spec):
    """不动产权证书补发: the fee's basis (收费依据) was never filled in, and the proxy
    situation promises 35 working days where the law allows 30: the 15-day loss notice was
    added to the promise instead of being listed as a special step."""
    spec.fee_basis = ""
    name, description, keys, _promised, legal, fee = spec.situations[1]
    spec.situations[1] = (name, description + "含遗失公告期。", keys, 35, legal, fee)


def missing_phone_and_result(spec):
    """营业性演出审批: no enquiry phone, no result name; its application form has no blank
    form to download (FORMS_WITHOUT_BLANK)."""
    spec.enquiry_phone = ""
    spec.result_name = ""


def missing_creation_basis_and_address(spec):
    """砍伐城市树木审批: the creation basis (设定依据) was dropped when the bases were
    re-entered, and the office address is empty."""
    spec.bases = [basis for basis in spec.bases if basis[0] != "creation"]
    spec.office_address = ""


# implementation code → what is missing from that guide.
GAPS = {
    "3799002001-QR-0015": fee_without_basis_and_situation_over_limit,
    "3799015001-XK-0004": missing_phone_and_result,
    "3799016001-XK-0009": missing_creation_basis_and_address,
}


def apply_gaps(specs):
    """The specs with the gaps above: copies of the affected ones, the others as they are."""
    result = []
    for spec in specs:
        gap = GAPS.get(spec.implementation_code)
        if gap:
            spec = replace(spec, situations=list(spec.situations), bases=list(spec.bases))
            gap(spec)
        result.append(spec)
    return result

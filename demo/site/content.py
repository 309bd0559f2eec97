"""Texts and files the demo builds its pages with: policy bodies, honour citations, magazine
article blocks, the spreadsheets attached as blank forms and policy annexes, and a policy's
annex as a PDF."""

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from wagtail.rich_text import RichText

from cms.models import (
    CatalogueIndexPage,
    GalleryIndexPage,
    MagazinePage,
    OneThingIndexPage,
    PolicyIndexPage,
)
from demo.site import specs
from demo.site.catalogue import BUNDLES

INDEX_MODELS = {
    "CatalogueIndexPage": CatalogueIndexPage,
    "OneThingIndexPage": OneThingIndexPage,
    "PolicyIndexPage": PolicyIndexPage,
    "GalleryIndexPage": GalleryIndexPage,
    "MagazinePage": MagazinePage,
}
FLOWCHARTS = {
    "instant": ("办理流程图（即办件）", ("受理", "即时审查", "当场办结", "送达")),
    "standard": ("办理流程图（承诺件）", ("受理", "审查", "决定", "送达")),
    "special": ("办理流程图（含特别程序）", ("受理", "审查", "特别程序", "决定", "送达")),
}
# Collections (图片集/文档集) of the demo, under the root collection.
FORMS_COLLECTION = "办事表格"
SAMPLES_COLLECTION = "办理结果样本"
FLOWCHART_COLLECTION = "办理流程图"
POLICY_COLLECTION = "政策文件附件"
COVERS_COLLECTION = "电子刊物封面"
# Policies that carry a spreadsheet annex generated from the catalogue.
ANNEXES = {
    "zdpyc_2023": "附件：市级“最多跑一次”事项清单",
    "yjs_fa": "附件：“一件事一次办”事项清单",
}

# A policy whose annex is a PDF, as most are: search reads its text (docs/search.md, "Attached
# files"), so 尿毒症透析 finds the chronic-disease measures, whose own text names no disease.
PDF_ANNEXES = {"mtb": "附件：门诊慢特病病种目录及认定标准"}
CHRONIC_DISEASES = (
    ("高血压（Ⅱ级及以上）", "二级以上医疗机构确诊，规律服用降压药物三个月以上。"),
    ("糖尿病", "符合糖尿病诊断标准，需长期服用降糖药物或使用胰岛素。"),
    ("慢性肾功能衰竭（尿毒症透析）", "需规律血液透析或腹膜透析治疗。"),
    ("恶性肿瘤门诊放化疗", "病理确诊，需门诊放疗、化疗或靶向药物治疗。"),
    ("器官移植术后抗排异治疗", "器官移植术后需长期服用抗排异药物。"),
    ("重性精神障碍", "精神专科医院确诊的精神分裂症、双相情感障碍等。"),
    ("肺结核", "结核病定点医疗机构确诊，需规范抗结核治疗。"),
    ("帕金森病", "神经内科确诊，需长期药物治疗。"),
)


def annex_pdf_html(policy_key):
    """The PDF annex's page: a numbered table of diseases and how each is established."""
    rows = "".join(
        f"<tr><td>{n}</td><td>{name}</td><td>{rule}</td></tr>"
        for n, (name, rule) in enumerate(CHRONIC_DISEASES, start=1)
    )
    return (
        "<html lang='zh-CN'><head><style>body { font-family: 'Noto Serif CJK SC', serif; font-size: 12pt }"
        " table { border-collapse: collapse; width: 100% } td, th { border: 1px solid #333;"
        " padding: 4pt }</style></head><body>"
        f"<h1>{PDF_ANNEXES[policy_key][3:]}</h1>"
        "<table><tr><th>序号</th><th>病种</th><th>认定标准</th></tr>"
        f"{rows}</table><p>未列入本目录的病种，按国家和省有关规定执行。</p></body></html>"
    )


def basis_title(page):
    number = f"（{page.document_number}）" if page.document_number else ""
    return f"《{page.title}》{number}"


def policy_body(policy):
    points = "".join(f"<li>{point}</li>" for point in policy.points)
    local = policy.number.startswith("示")
    parts = [f"<p>{policy.summary}</p>", "<h2>主要内容</h2>", f"<ol>{points}</ol>"]
    if policy.effective:
        day = policy.effective
        parts.append(f"<p>本文件自{day.year}年{day.month}月{day.day}日起施行。</p>")
    if policy.note:
        parts.append(f"<p>效力说明：{policy.note}</p>")
    if not local:
        parts.append("<p>本页为要点摘编，条文以发布机关公布的正式文本为准。</p>")
    return "".join(parts)


def honour_citation(honour, awarded_on):
    label = {"service_star": "服务之星", "model_post": "党员示范岗", "red_flag": "流动红旗"}[honour]
    if honour == "red_flag" and awarded_on:
        # A red flag is awarded at the start of a month for the month before.
        month = date(awarded_on.year - (awarded_on.month == 1), (awarded_on.month - 2) % 12 + 1, 1)
        return f"{month.year}年{month.month}月{label}窗口"
    if honour == "service_star" and awarded_on:
        return f"{awarded_on.year - 1}年度{label}"
    return label


def article_block(block):
    if block[0] == "p":
        return ("paragraph", RichText(block[1]))
    return ("quote", {"text": block[1], "source": block[2]})


FORM_FIELDS = (
    ("申请人（单位）名称", "示范市青禾餐饮管理有限公司"),
    ("统一社会信用代码 / 身份证件号码", "91379900MA7XQ2L31K"),
    ("法定代表人（负责人）", "赵明远"),
    ("经办人及联系电话", "孙晓丽 139 0799 0000"),
    ("通讯地址", "示范市北湖区滨河路66号"),
    ("申请事项及内容", "（按实际申请事项填写）"),
    ("结果领取方式", "☑ 免费邮寄　□ 窗口领取　□ 自助柜领取"),
)


def form_workbook(name, filled):
    """An application form as an XLSX sheet: title, fields, the applicant's commitment."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "申请表"
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 52
    sheet["A1"] = name + ("（示例）" if filled else "")
    sheet["A1"].font = Font(size=16, bold=True)
    sheet.merge_cells("A1:B1")
    sheet["A1"].alignment = Alignment(horizontal="center")
    for row, (label, example) in enumerate(FORM_FIELDS, start=3):
        sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
        sheet.cell(row=row, column=2, value=example if filled else "")
    last = len(FORM_FIELDS) + 4
    sheet.cell(
        row=last,
        column=1,
        value="本人（单位）承诺所填写内容和提交的材料真实、有效，并承担相应的法律责任。",
    )
    sheet.merge_cells(start_row=last, start_column=1, end_row=last, end_column=2)
    sheet.cell(row=last + 2, column=1, value="申请人（签章）：")
    sheet.cell(row=last + 2, column=2, value="2026年3月18日" if filled else "　　年　　月　　日")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def annex_workbook(policy_key):
    """The annex of a list document, generated from the catalogue it lists."""
    workbook = Workbook()
    sheet = workbook.active
    depts = specs.departments()
    if policy_key == "yjs_fa":
        sheet.title = "一件事清单"
        sheet.append(["序号", "一件事名称", "服务对象", "包含事项"])
        for i, (title, _event, audience, _note, guides, _body) in enumerate(BUNDLES, start=1):
            sheet.append(
                [
                    i,
                    title,
                    {"person": "个人", "legal": "法人", "both": "个人和法人"}[audience],
                    "、".join(guides),
                ]
            )
    else:
        sheet.title = "事项清单"
        sheet.append(["序号", "实施编码", "事项名称", "实施部门", "到现场次数", "是否零上门"])
        rows = [s for s in specs.guide_specs() if s.run_at_most_once]
        for i, spec in enumerate(rows, start=1):
            sheet.append(
                [
                    i,
                    spec.implementation_code,
                    spec.title,
                    depts[spec.department].name,
                    spec.visits_required,
                    "是" if spec.zero_visit else "否",
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""The catalogue import: JSON and XLSX in, service guides out, all or nothing, idempotent.

The XLSX workbooks are written here with openpyxl instead of being committed: a reader sees
every cell a test relies on next to the assertion, and a binary file would not show in a
diff. tests/fixtures/catalogue/guides.json is the valid example the docs point to.
"""

import copy
import datetime
import json
import re
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision

from cms import catalogue_import
from cms.models import (
    CatalogueIndexPage,
    Department,
    HomePage,
    Material,
    PolicyIndexPage,
    PolicyPage,
    ServiceGuidePage,
    ServiceWindow,
    Theme,
)

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "catalogue"
FOOD = "62052400MZ-XK-0001"
ID_CARD = "62052400GA-QT-0002"


# --- fixtures ---------------------------------------------------------------------------


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def site():
    """The reference data the example catalogue names, and the catalogue index page."""
    home = HomePage.objects.get()
    catalogue = publish(home, CatalogueIndexPage(title="办事指南"))
    policies = publish(home, PolicyIndexPage(title="政策文件"))
    policy = publish(
        policies,
        PolicyPage(
            title="食品经营许可和备案管理办法",
            document_number="国家市场监督管理总局令第92号",
            issuer="国家市场监督管理总局",
            issued_on=datetime.date(2023, 6, 15),
            body="<p>第一条 为规范食品经营许可和备案活动……</p>",
        ),
    )
    Department.objects.create(code="SCJG", name="市场监督管理局")
    Department.objects.create(code="GA", name="公安局")
    Theme.objects.create(name="企业开办", slug="qiye-kaiban")
    Theme.objects.create(name="户籍", slug="huji")
    for number in ("A01", "A02", "B12"):
        ServiceWindow.objects.create(number=number, name=f"{number} 综合窗口", zone="A区")
    return {"catalogue": catalogue, "policy": policy}


def example():
    return json.loads((FIXTURES / "guides.json").read_text(encoding="utf-8"))


def write_json(tmp_path, data, name="catalogue.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def write_xlsx(tmp_path, sheets, name="catalogue.xlsx"):
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def run(path, *args):
    out = StringIO()
    call_command("import_catalogue", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def snapshot():
    """Everything an import may write, to prove a failed or dry run wrote nothing."""
    return {
        "pages": Page.objects.count(),
        "guides": list(ServiceGuidePage.objects.values_list("implementation_code", "title")),
        "revisions": Revision.objects.count(),
        "materials": list(Material.objects.values_list("code", "name")),
    }


def guide(code):
    return ServiceGuidePage.objects.get(implementation_code=code)


def revisions(page):
    return Revision.objects.filter(object_id=str(page.pk), base_content_type__model="page")


# The example catalogue as a workbook, with the documented Chinese headers. Child rows of the
# two items are interleaved and separated by a blank row: they are matched by 实施编码.
ITEM_HEADERS = [
    "实施编码", "事项名称", "基本编码", "子项名称", "业务办理项", "别名/俗称", "一句话说明",
    "事项类型", "行使层级", "实施主体编码", "服务对象", "主题分类", "申请对象", "受理条件",
    "不予受理情形", "数量限制", "网上办理地址", "掌上办理", "可在自助终端办理", "办理窗口",
    "办理地点", "办理时间", "周六可办", "法定办结时限（工作日）", "承诺办结时限（工作日）",
    "是否收费", "收费标准", "收费依据", "审批结果名称", "窗口领取", "自助柜领取", "免费邮寄",
    "咨询电话", "投诉电话", "到现场次数", "办件进度查询", "最多跑一次", "零上门", "即办件",
    "全城通办", "就近办", "容缺受理", "高频事项",
]  # fmt: skip
EXAMPLE_SHEETS = {
    "事项": [
        ITEM_HEADERS,
        [
            FOOD, "食品经营许可（新办）", FOOD, "食品经营许可新办", "新办",
            "办食品经营许可证、开饭店", "在本市从事食品销售和餐饮服务，应当取得食品经营许可。",
            "行政许可", "市级", "SCJG", "法人", "企业开办",
            "在本市从事食品经营活动的企业和个体工商户",
            "具有与经营的食品品种、数量相适应的经营场所；\n有食品安全管理人员和规章制度。",
            "申请材料存在隐瞒真实情况或提供虚假材料的，不予受理。", "无数量限制",
            f"https://zwfw.example.gov.cn/item/{FOOD}", "“i城市”App", "是", "A01、A02",
            "市政务服务中心一楼 A 区", "周一至周六 9:00-17:00", "是", 20, "5", "否", None,
            None, "食品经营许可证", "是", "是", "是", "0000-12345", 12345, 0,
            "https://zwfw.example.gov.cn/status", "是", "是", "否", "是", "否", "是", "是",
        ],
        [
            ID_CARD, "居民身份证换领", None, None, "变更", None, None, "公共服务", "县级", "GA",
            "个人", "huji", None, None, None, None, None, None, None, "B12", None, None, None,
            60, 20, "是", "工本费20元", "《关于居民身份证收费标准及有关问题的通知》", None,
            None, None, None, None, None, 1, None, "是", None, None, None, None, None, None,
        ],
    ],
    "材料": [
        ["实施编码", "材料编码", "材料名称", "材料形式", "来源渠道", "份数", "必要性", "适用情形说明", "材料依据"],
        [FOOD, "CL-0001", "食品经营许可申请书", "原件", "申请人自备", 1, "必要", None, "《食品经营许可和备案管理办法》第十四条"],
        [ID_CARD, "CL-0101", "原居民身份证", "原件", None, 1, "必要", None, None],
        [FOOD, "CL-0002", "营业执照", "复印件", "政府部门核发", 1, "必要", None, None],
        [FOOD, "CL-0003", "网络食品交易第三方平台备案凭证", "电子材料", None, 1, "情形需要", "仅网络经营时提交", None],
    ],
    "情形": [
        ["实施编码", "情形名称", "情形说明", "所需材料编码", "承诺时限（工作日）", "法定时限（工作日）", "收费"],
        [FOOD, "有实体门店", "在固定场所经营", "CL-0001、CL-0002", 5, 20, None],
        [FOOD, "仅网络经营", None, "CL-0001,CL-0003", 3, None, "不收费"],
        [None, None, None, None, None, None, None],
        [ID_CARD, "有效期满换领", None, "CL-0101", 20, None, None],
    ],
    "依据": [
        ["实施编码", "依据类型", "法律法规名称", "条款内容", "文号"],
        [FOOD, "设定依据", "《中华人民共和国食品安全法》", "第三十五条 国家对食品生产经营实行许可制度。", None],
        [FOOD, "实施依据", "《食品经营许可和备案管理办法》", "第二条", "国家市场监督管理总局令第92号"],
        [ID_CARD, "实施依据", "《中华人民共和国居民身份证法》", "第十一条", None],
    ],
    "环节": [
        ["实施编码", "环节名称", "办理内容", "办理人员", "办理时限"],
        [FOOD, "受理", "窗口核对材料，当场决定是否受理", "窗口工作人员", "当场"],
        [ID_CARD, "受理并采集人像", None, None, "当场"],
        [FOOD, "审查", "审查材料，必要时现场核查", "审批科", "3个工作日"],
        [FOOD, "决定", None, "科室负责人", "1个工作日"],
        [ID_CARD, "制证", None, None, "20个工作日"],
        [FOOD, "送达", "窗口领取或免费邮寄", None, "1个工作日"],
    ],
    "特别程序": [
        ["实施编码", "特别程序名称", "时限（工作日）", "计入办结时限", "说明"],
        [FOOD, "现场核查", 10, "否", "需要现场核查的，核查时间不计入办结时限"],
    ],
    "常见问题": [
        ["实施编码", "问题", "解答"],
        [FOOD, "网上申请后还需要到窗口吗？", "不需要，许可证可免费邮寄。"],
        [ID_CARD, "可以异地换领吗？", "可以，全国范围内均可申请异地换领。"],
    ],
}  # fmt: skip


def assert_example_guides(site):
    """Every element of the example catalogue arrived on the live pages."""
    food = guide(FOOD)
    assert food.live and not food.has_unpublished_changes
    assert food.get_parent().specific == site["catalogue"]
    assert food.slug == "62052400mz-xk-0001"
    assert (food.title, food.basic_code, food.sub_item) == (
        "食品经营许可（新办）",
        FOOD,
        "食品经营许可新办",
    )
    assert (food.handling_case, food.item_type, food.exercise_level, food.audience) == (
        "new",
        "permit",
        "municipal",
        "legal",
    )
    assert food.department.code == "SCJG"
    assert food.theme_names == ["企业开办"]
    assert sorted(w.number for w in food.windows.all()) == ["A01", "A02"]
    assert food.conditions == (
        "<p>具有与经营的食品品种、数量相适应的经营场所；</p><p>有食品安全管理人员和规章制度。</p>"
    )
    assert food.online_url == f"https://zwfw.example.gov.cn/item/{FOOD}"
    assert (food.legal_days, food.promised_days, food.visits_required) == (20, 5, 0)
    assert food.kiosk_available and food.saturday_service and not food.charges_fee
    assert food.complaint_phone == "12345"
    assert food.flag_labels == ["最多跑一次", "零上门", "全城通办", "容缺受理", "高频事项"]
    assert food.delivery_labels == ["窗口领取", "自助柜领取", "免费邮寄"]

    assert [(b.kind, b.title, b.policy_id) for b in food.legal_bases.all()] == [
        ("creation", "《中华人民共和国食品安全法》", None),
        ("implementation", "《食品经营许可和备案管理办法》", site["policy"].pk),
    ]
    assert [
        (m.code, m.name, m.material.form, m.copies, m.requirement) for m in food.materials.all()
    ] == [
        ("CL-0001", "食品经营许可申请书", "original", 1, "required"),
        ("CL-0002", "营业执照", "copy", 1, "required"),
        ("CL-0003", "网络食品交易第三方平台备案凭证", "electronic", 1, "conditional"),
    ]
    assert food.materials.all()[0].legal_basis == "《食品经营许可和备案管理办法》第十四条"
    assert food.materials.all()[2].condition == "仅网络经营时提交"
    assert Material.objects.get(code="CL-0002").source == "政府部门核发"
    situations = list(food.situations.all())
    assert [(s.name, s.promised_days, s.legal_days, s.fee) for s in situations] == [
        ("有实体门店", 5, 20, ""),
        ("仅网络经营", 3, None, "不收费"),
    ]
    # The situation → material links were persisted by publishing, not just kept in memory.
    assert sorted(situations[0].materials.values_list("code", flat=True)) == ["CL-0001", "CL-0002"]
    assert sorted(situations[1].materials.values_list("code", flat=True)) == ["CL-0001", "CL-0003"]
    assert [(s.name, s.handler, s.time_limit) for s in food.steps.all()] == [
        ("受理", "窗口工作人员", "当场"),
        ("审查", "审批科", "3个工作日"),
        ("决定", "科室负责人", "1个工作日"),
        ("送达", "", "1个工作日"),
    ]
    assert [(s.name, s.days, s.counted_in_limit) for s in food.special_steps.all()] == [
        ("现场核查", 10, False)
    ]
    assert [f.question for f in food.faqs.all()] == ["网上申请后还需要到窗口吗？"]

    card = guide(ID_CARD)
    assert card.live
    assert (card.handling_case, card.item_type, card.exercise_level, card.audience) == (
        "change",
        "public_service",
        "county",
        "person",
    )
    assert card.charges_fee and card.fee_text == "工本费20元"
    assert card.quantity_limit == "无数量限制"  # not in the file: the model's default
    assert card.theme_names == ["户籍"]
    assert card.window_labels == ["B12 B12 综合窗口"]
    assert [s.material_codes for s in card.situations.all()] == [["CL-0101"]]
    assert [s.name for s in card.steps.all()] == ["受理并采集人像", "制证"]
    assert revisions(food).count() == revisions(card).count() == 1


# --- creating ---------------------------------------------------------------------------


def test_json_catalogue_creates_published_guides_with_every_element(site):
    output = run(FIXTURES / "guides.json")

    assert_example_guides(site)
    assert "新建 2 项，更新 0 项，未变 0 项；新增材料目录 4 条" in output


def test_xlsx_catalogue_creates_published_guides_with_every_element(site, tmp_path):
    run(write_xlsx(tmp_path, EXAMPLE_SHEETS))

    assert_example_guides(site)


def test_json_and_xlsx_of_the_same_catalogue_give_the_same_guides(site, tmp_path):
    run(write_xlsx(tmp_path, EXAMPLE_SHEETS))

    output = run(FIXTURES / "guides.json")

    assert "新建 0 项，更新 0 项，未变 2 项" in output


def test_choice_values_are_accepted_by_chinese_label_or_ascii_key(site, tmp_path):
    data = example()
    data["items"][0].update(item_type="permit", handling_case="新办", audience="legal")
    data["items"][0]["legal_bases"][0]["kind"] = "creation"
    data["items"][0]["materials"][0].update(form="original", requirement="required")
    run(FIXTURES / "guides.json")

    assert "未变 2 项" in run(write_json(tmp_path, data))


def test_plain_text_conditions_become_paragraphs_and_html_is_sanitised(site, tmp_path):
    data = example()
    data["items"][0]["conditions"] = '<p onclick="x()">条件一</p><script>alert(1)</script>'
    run(write_json(tmp_path, data))

    assert guide(FOOD).conditions == "<p>条件一</p>"


# --- idempotency and revisions ----------------------------------------------------------


def test_importing_the_same_file_twice_changes_nothing(site):
    run(FIXTURES / "guides.json")
    food = guide(FOOD)
    before = snapshot()
    children = {
        "materials": list(food.materials.values_list("pk", flat=True)),
        "situations": list(food.situations.values_list("pk", flat=True)),
        "steps": list(food.steps.values_list("pk", flat=True)),
    }

    output = run(FIXTURES / "guides.json")

    after = guide(FOOD)
    assert "新建 0 项，更新 0 项，未变 2 项；新增材料目录 0 条" in output
    assert snapshot() == before
    assert after.latest_revision_id == food.latest_revision_id
    assert after.last_published_at == food.last_published_at
    assert children == {
        "materials": list(after.materials.values_list("pk", flat=True)),
        "situations": list(after.situations.values_list("pk", flat=True)),
        "steps": list(after.steps.values_list("pk", flat=True)),
    }


def test_a_changed_file_publishes_a_new_revision_and_keeps_the_old_one(site, tmp_path):
    run(FIXTURES / "guides.json")
    food = guide(FOOD)
    first_revision = food.latest_revision
    kept_situation = food.situations.get(name="有实体门店")
    data = example()
    item = data["items"][0]
    item["promised_days"] = 3
    item["themes"] = []
    item["materials"] = item["materials"][:2]  # CL-0003 dropped...
    item["situations"][1]["materials"] = ["CL-0001"]  # ...and from the situation asking for it
    item["steps"].reverse()

    output = run(write_json(tmp_path, data), "--verbosity", "2")

    food = guide(FOOD)
    assert "新建 0 项，更新 1 项，未变 1 项" in output
    assert f"更新 {FOOD}：主题分类、承诺办结时限（工作日）、材料、情形、环节" in output
    assert revisions(food).count() == 2
    assert food.live_revision == food.latest_revision != first_revision
    assert food.promised_days == 3 and food.theme_names == []
    assert [m.code for m in food.materials.all()] == ["CL-0001", "CL-0002"]
    assert [s.name for s in food.steps.all()] == ["送达", "决定", "审查", "受理"]
    situations = {s.name: s for s in food.situations.all()}
    assert situations["仅网络经营"].material_codes == ["CL-0001"]
    # A situation that is still there keeps its id, so ?situation=<id> links keep working.
    assert situations["有实体门店"].pk == kept_situation.pk
    old = Revision.objects.get(pk=first_revision.pk).as_object()
    assert old.promised_days == 5
    assert [m.material.code for m in old.materials.all()] == ["CL-0001", "CL-0002", "CL-0003"]
    assert Material.objects.filter(code="CL-0003").exists()  # the catalogue keeps it


def test_columns_missing_from_the_file_leave_the_page_as_it_is(site, tmp_path):
    run(FIXTURES / "guides.json")
    food = guide(FOOD)
    food.office_hours = "周一至周日 8:30-18:00"
    food.save_revision().publish()
    data = example()
    for key in ("office_hours", "faqs", "special_steps"):
        del data["items"][0][key]
    data["items"][0]["materials"][0].pop("legal_basis")

    output = run(write_json(tmp_path, data))

    food = guide(FOOD)
    assert "未变 2 项" in output
    assert food.office_hours == "周一至周日 8:30-18:00"
    assert food.faqs.count() == food.special_steps.count() == 1
    assert food.materials.first().legal_basis == "《食品经营许可和备案管理办法》第十四条"


def test_an_empty_cell_clears_the_field(site, tmp_path):
    run(FIXTURES / "guides.json")
    data = example()
    data["items"][0].update(summary="", faqs=[], windows=None)

    run(write_json(tmp_path, data))

    food = guide(FOOD)
    assert (food.summary, food.faqs.count(), food.windows.count()) == ("", 0, 0)


# --- drafts and dry runs ----------------------------------------------------------------


def test_no_publish_leaves_the_live_version_and_a_draft_revision_for_review(site, tmp_path):
    run(FIXTURES / "guides.json")
    data = example()
    data["items"][0]["promised_days"] = 2
    path = write_json(tmp_path, data)

    output = run(path, "--no-publish")

    food = guide(FOOD)
    assert "更新 1 项" in output and "已存为草稿，待审核发布" in output
    assert food.promised_days == 5  # the public still sees the published version
    assert food.has_unpublished_changes
    assert food.latest_revision != food.live_revision
    assert food.latest_revision.as_object().promised_days == 2
    assert revisions(food).count() == 2

    # The draft now matches the file: running it again adds no second draft.
    assert "未变 2 项" in run(path, "--no-publish")
    assert revisions(guide(FOOD)).count() == 2


def test_no_publish_creates_new_guides_as_drafts(site):
    run(FIXTURES / "guides.json", "--no-publish")

    food = guide(FOOD)
    assert not food.live and food.has_unpublished_changes
    assert [m.code for m in food.latest_revision.as_object().materials.all()] == [
        "CL-0001",
        "CL-0002",
        "CL-0003",
    ]


def test_no_publish_builds_on_a_pending_draft_and_keeps_the_editors_changes(site, tmp_path):
    run(FIXTURES / "guides.json")
    draft = guide(FOOD)
    draft.office_hours = "周一至周日 8:30-18:00"  # an editor's draft, not yet reviewed
    draft.save_revision()
    data = example()
    del data["items"][0]["office_hours"]
    data["items"][0]["promised_days"] = 2

    run(write_json(tmp_path, data), "--no-publish")

    food = guide(FOOD)
    latest = food.latest_revision.as_object()
    assert (latest.office_hours, latest.promised_days) == ("周一至周日 8:30-18:00", 2)
    assert [s.material_codes for s in latest.situations.all()] == [
        ["CL-0001", "CL-0002"],
        ["CL-0001", "CL-0003"],
    ]
    assert (food.office_hours, food.promised_days) == ("周一至周六 9:00-17:00", 5)
    assert revisions(food).count() == 3


def test_publishing_over_an_editor_draft_warns_and_keeps_the_draft_in_history(site, tmp_path):
    run(FIXTURES / "guides.json")
    draft = guide(FOOD)
    draft.summary = "编辑草稿中的说明"
    editor_revision = draft.save_revision()
    data = example()
    data["items"][0]["promised_days"] = 2

    output = run(write_json(tmp_path, data))

    food = guide(FOOD)
    assert "该指南有未发布的修改；本次导入以线上版本为基础发布" in output
    assert food.promised_days == 2 and not food.has_unpublished_changes
    assert food.summary == "在本市从事食品销售和餐饮服务，应当取得食品经营许可。"
    assert Revision.objects.get(pk=editor_revision.pk).as_object().summary == "编辑草稿中的说明"


def test_dropping_a_material_that_a_kept_situation_needs_is_an_error(site, tmp_path):
    run(FIXTURES / "guides.json")
    data = example()
    data["items"][0]["materials"] = data["items"][0]["materials"][:2]
    del data["items"][0]["situations"]

    with pytest.raises(CommandError) as error:
        run(write_json(tmp_path, data))

    assert (
        "items[1].implementation_code：现有办理情形“仅网络经营”需要的材料“CL-0003”不在导入的材料清单中"
        in str(error.value)
    )
    assert guide(FOOD).materials.count() == 3


def test_dry_run_validates_and_counts_but_writes_nothing(site, tmp_path):
    run(FIXTURES / "guides.json")
    data = example()
    data["items"].append(copy.deepcopy(data["items"][1]))  # unchanged
    data["items"][0]["promised_days"] = 4  # updated
    data["items"][1]["实施编码"] = "62052400GA-QT-0003"  # new, with a new material
    data["items"][1]["材料"][0]["材料编码"] = "CL-0102"
    data["items"][1]["情形"][0]["所需材料编码"] = ["CL-0102"]
    before = snapshot()

    output = run(write_json(tmp_path, data), "--dry-run")

    assert "试运行，未写入" in output
    assert "将新建 1 项，将更新 1 项，未变 1 项；将新增材料目录 1 条" in output
    assert snapshot() == before


def test_dry_run_of_an_invalid_file_reports_the_errors(site, tmp_path):
    data = example()
    data["items"][0]["legal_days"] = "二十"

    with pytest.raises(CommandError, match=re.escape("items[1].legal_days：须为不小于 0 的整数")):
        run(write_json(tmp_path, data), "--dry-run")


# --- invalid files: every problem reported, nothing written -----------------------------


def test_invalid_json_reports_every_problem_with_its_path_and_writes_nothing(site, tmp_path):
    run(FIXTURES / "guides.json")
    data = example()
    valid_card = copy.deepcopy(data["items"][1])
    food, card = data["items"]
    food["item_type"] = "行政许诺"
    food["promised_days"] = 30
    food["online_url"] = "zwfw.example.gov.cn"
    food["title"] = "食品经营许可（新办）——已修改"  # a valid change, still not written
    food["materials"][1]["copies"] = "两份"
    food["situations"][0]["materials"] = ["CL-0001", "CL-9999"]
    food["legal_bases"][1]["document_number"] = "国办发〔2099〕1号"
    del food["steps"][0]["name"]
    card["实施主体编码"] = "NOPE"
    card["收费标准"] = ""
    card["主题分类"] = ["户籍", "婚育"]
    data["items"].append(valid_card)  # the same implementation code a second time
    before = snapshot()

    with pytest.raises(CommandError) as error:
        run(write_json(tmp_path, data))

    report = str(error.value)
    expected = [
        "事项 · 第1项事项 · items[1].item_type：无法识别“行政许诺”，可选值：行政许可、",
        "事项 · 第1项事项 · items[1].online_url：须为以 http:// 或 https:// 开头的有效网址",
        "材料 · 第1项事项 · items[1].materials[2].copies：须为不小于 0 的整数，实际为“两份”",
        "环节 · 第1项事项 · items[1].steps[1].name：缺少必填项“环节名称”",
        f"事项 · 第3项事项 · items[3].实施编码：实施编码“{ID_CARD}”在文件中重复（首次出现于 第2项事项）",
        "事项 · 第2项事项 · items[2].实施主体编码：部门编码“NOPE”不存在",
        "事项 · 第2项事项 · items[2].主题分类：主题（按名称或 URL 标识）“婚育”不存在",
        "依据 · 第1项事项 · items[1].legal_bases[2].document_number：政策文件中没有文号为“国办发〔2099〕1号”的文件",
        "事项 · 第1项事项 · items[1].promised_days：承诺办结时限（30）不能超过法定办结时限（20）",
        "情形 · 第1项事项 · items[1].situations[1].materials：材料编码“CL-9999”不在本事项的材料清单中",
        "事项 · 第2项事项 · items[2].收费标准：收费事项必须填写收费标准",
    ]
    for line in expected:
        assert line in report
    assert "有 11 处错误，未写入任何内容" in report
    assert snapshot() == before


def test_invalid_xlsx_reports_spreadsheet_rows_and_columns_and_writes_nothing(site, tmp_path):
    sheets = copy.deepcopy(EXAMPLE_SHEETS)
    sheets["事项"][2][7] = "公众服务"  # 事项类型 of the item on row 3
    sheets["材料"][3][5] = -1  # 份数 on row 4
    # Row 6: a code the file already named 营业执照 on row 4, under another name.
    sheets["材料"].append(
        [ID_CARD, "CL-0002", "营业执照（副本）", None, None, 1, "必要", None, None]
    )
    sheets["情形"][1][3] = "CL-0001、CL-0404"  # row 2
    sheets["环节"].append(["62052400XX-XK-9999", "受理", None, None, None])  # row 8
    sheets["特别程序"][1][3] = "也许"  # 计入办结时限 on row 2
    before = snapshot()

    with pytest.raises(CommandError) as error:
        run(write_xlsx(tmp_path, sheets))

    report = str(error.value)
    expected = [
        "事项 · 第3行 · 事项类型：无法识别“公众服务”",
        "材料 · 第4行 · 份数：不能小于 0，实际为 -1",
        "材料 · 第6行 · 材料名称：材料编码“CL-0002”在文件中已名为“营业执照”（材料 第4行），此处为“营业执照（副本）”",
        "情形 · 第2行 · 所需材料编码：材料编码“CL-0404”不在本事项的材料清单中",
        "环节 · 第8行 · 实施编码：“事项”表中没有实施编码为“62052400XX-XK-9999”的事项",
        "特别程序 · 第2行 · 计入办结时限：须为“是”或“否”，实际为“也许”",
    ]
    for line in expected:
        assert line in report
    assert snapshot() == before


def test_a_material_code_already_in_the_catalogue_under_another_name_is_an_error(site, tmp_path):
    Material.objects.create(code="CL-0002", name="营业执照副本", form="copy")

    with pytest.raises(CommandError) as error:
        run(FIXTURES / "guides.json")

    assert (
        "材料 · 第1项事项 · items[1].materials[2].material_name：材料目录中编码“CL-0002”的名称是"
        "“营业执照副本”，文件中为“营业执照”；导入不会改名" in str(error.value)
    )
    assert Material.objects.get(code="CL-0002").name == "营业执照副本"
    assert not ServiceGuidePage.objects.exists()


def test_an_existing_material_code_is_linked_not_duplicated(site):
    existing = Material.objects.create(code="CL-0002", name="营业执照", form="copy", source="")

    output = run(FIXTURES / "guides.json")

    assert "新增材料目录 3 条" in output
    assert guide(FOOD).materials.all()[1].material == existing


def test_duplicate_material_and_situation_within_an_item_are_errors(site, tmp_path):
    data = example()
    food = data["items"][0]
    food["materials"].append(dict(food["materials"][0]))
    food["situations"].append(dict(food["situations"][0]))

    with pytest.raises(CommandError) as error:
        run(write_json(tmp_path, data))

    assert "items[1].materials[4].material_code：“CL-0001”在本事项的材料中重复" in str(error.value)
    assert "items[1].situations[3].name：“有实体门店”在本事项的情形中重复" in str(error.value)


# --- unreadable files -------------------------------------------------------------------


def test_malformed_json_gives_a_clear_error(site, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"items": [{"implementation_code": "X",}]}', encoding="utf-8")

    with pytest.raises(CommandError, match=r"broken.json 不是有效的 JSON：第 1 行第 \d+ 列"):
        run(path)


def test_json_without_an_items_array_gives_a_clear_error(site, tmp_path):
    path = write_json(tmp_path, [{"implementation_code": "X"}])

    with pytest.raises(CommandError, match="顶层须为对象"):
        run(path)


def test_truncated_xlsx_gives_a_clear_error(site, tmp_path):
    path = write_xlsx(tmp_path, EXAMPLE_SHEETS)
    path.write_bytes(path.read_bytes()[:2000])

    with pytest.raises(
        CommandError, match="无法读取 catalogue.xlsx：文件已损坏或不是 Excel .xlsx 文件"
    ):
        run(path)


def test_a_text_file_named_xlsx_gives_a_clear_error(site, tmp_path):
    path = tmp_path / "catalogue.xlsx"
    path.write_text("实施编码,事项名称\n", encoding="utf-8")

    with pytest.raises(CommandError, match="文件已损坏或不是 Excel .xlsx 文件"):
        run(path)


def test_a_csv_file_without_the_required_columns_gives_a_clear_error(site, tmp_path):
    path = tmp_path / "catalogue.csv"
    path.write_text("实施编码,事项名称\n", encoding="utf-8")

    with pytest.raises(CommandError) as error:
        run(path)

    assert "catalogue.csv 的结构不符合导入格式" in str(error.value)
    assert "文件缺少必填列“事项类型”" in str(error.value)
    assert "文件缺少必填列“实施主体编码”或“实施主体”（至少一列）" in str(error.value)
    assert "CSV 文件即“事项”表" in str(error.value)


def test_a_file_that_is_no_catalogue_at_all_gives_a_clear_error(site, tmp_path):
    path = tmp_path / "catalogue.pdf"
    path.write_bytes(b"%PDF-1.7\n\x00\x01\x02\xff\xfe")

    with pytest.raises(CommandError, match="无法读取 catalogue.pdf：无法识别文件编码"):
        run(path)


def test_wrong_sheet_names_and_missing_required_columns_are_listed(site, tmp_path):
    sheets = {
        "Sheet1": [["实施编码"]],
        "材料": [["实施编码", "材料编码", "份数"]],
        "#填表说明": [["这张表会被忽略"]],
    }

    with pytest.raises(CommandError) as error:
        run(write_xlsx(tmp_path, sheets))

    report = str(error.value)
    assert "无法识别的工作表“Sheet1”" in report
    assert "缺少工作表“事项”" in report
    assert "工作表“材料”缺少必填列“材料名称”" in report
    assert "填表说明" not in report.split("可用的工作表")[0]


def test_missing_required_column_in_the_items_sheet_is_a_clear_error(site, tmp_path):
    sheets = {"事项": [row[:23] for row in EXAMPLE_SHEETS["事项"]]}  # no time limits and after

    with pytest.raises(CommandError) as error:
        run(write_xlsx(tmp_path, sheets))

    assert "工作表“事项”缺少必填列“法定办结时限（工作日）”" in str(error.value)
    assert "工作表“事项”缺少必填列“承诺办结时限（工作日）”" in str(error.value)


def test_a_site_without_a_catalogue_index_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="还没有“办事指南目录”页面"):
        run(FIXTURES / "guides.json")


# --- output -----------------------------------------------------------------------------


def many_items(count):
    items = []
    for n in range(count):
        item = copy.deepcopy(example()["items"][1])
        item["实施编码"] = f"62052400GA-QT-{n:04d}"
        items.append(item)
    return {"items": items}


def test_verbosity_zero_prints_nothing(site, tmp_path):
    out, err = StringIO(), StringIO()

    call_command(
        "import_catalogue",
        str(write_json(tmp_path, many_items(25))),
        verbosity=0,
        stdout=out,
        stderr=err,
    )

    assert out.getvalue() == err.getvalue() == ""
    assert ServiceGuidePage.objects.count() == 25


def test_many_items_show_a_progress_bar(site, tmp_path):
    err = StringIO()

    call_command(
        "import_catalogue", str(write_json(tmp_path, many_items(25))), stdout=StringIO(), stderr=err
    )

    assert "导入事项" in err.getvalue() and "25/25" in err.getvalue()


def test_the_documentation_names_every_column_and_sheet():
    doc = (Path(__file__).parent.parent / "docs" / "catalogue-import.md").read_text(
        encoding="utf-8"
    )
    for section in catalogue_import.SECTIONS:
        assert f"`{section.key}`" in doc and section.label in doc
        for column in section.columns:
            assert f"`{column.key}`" in doc, column.key
            assert column.label in doc, column.label


def test_a_sheets_header_problems_are_named_by_sheet_and_column_and_write_nothing(site, tmp_path):
    sheets = copy.deepcopy(EXAMPLE_SHEETS)
    sheets["事项"][0].append(sheets["事项"][0][1])  # the 事项名称 column a second time
    sheets["环节"] = [row[1:] for row in sheets["环节"]]  # no 实施编码 column
    before = snapshot()

    with pytest.raises(CommandError) as error:
        run(write_xlsx(tmp_path, sheets))

    report = str(error.value)
    name = sheets["事项"][0][1]
    assert f"工作表“事项”中“{name}”与“{name}”是同一列，只能保留一个" in report
    assert "工作表“环节”缺少必填列“实施编码”" in report
    assert snapshot() == before


def test_an_unknown_column_is_ignored_with_a_warning(site, tmp_path):
    sheets = copy.deepcopy(EXAMPLE_SHEETS)
    sheets["材料"][0].append("\ufeff 备注 ")

    output = run(write_xlsx(tmp_path, sheets), "--dry-run")

    assert "材料 · 第1行 · 备注：未识别的列，已忽略" in output

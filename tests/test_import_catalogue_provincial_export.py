"""The catalogue import meets a real provincial export: the national platform's 服务对象
values, departments by name, a dry run before the site has a catalogue page, implementation
codes that would rename an existing guide, and a quiet console.

tests/fixtures/catalogue/provincial.csv is such an export: the 事项 table alone, the province's
headers (事项实施编码, 实施主体) with columns the import does not know (序号, 更新时间),
departments by full or short name and never by code, 服务对象 as 自然人, 企业法人... alone or
several in one cell.
"""

import json
import logging
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cms import catalogue_import
from cms.management.logs import quiet_loggers
from cms.models import CatalogueIndexPage, Department, HomePage, ServiceGuidePage
from tests.test_import_catalogue import FIXTURES, guide, publish, run, snapshot

pytestmark = pytest.mark.django_db

EXPORT = FIXTURES / "provincial.csv"
FOOD, SOLE_TRADER, ID_CARD = "11370100SC-XK-0101", "11370100SC-DJ-0102", "11370100GA-QT-0201"
ASSOCIATION, SEAL = "11370100MZ-XK-0301", "11370100MZ-QT-0302"


@pytest.fixture
def site():
    """A catalogue page and the departments the export names (by name, never by code)."""
    catalogue = publish(HomePage.objects.get(), CatalogueIndexPage(title="办事指南"))
    Department.objects.create(code="SCJG", name="市场监督管理局", short_name="市场监管局")
    Department.objects.create(code="GA", name="公安局")
    Department.objects.create(code="MZ", name="民政局")
    return catalogue


def export_rows():
    return EXPORT.read_text(encoding="utf-8").splitlines()


def write_csv(tmp_path, lines, name="export.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def changed_export(tmp_path, **replacements):
    """The export with some cells replaced: {"old text": "new text"}, each once."""
    text = EXPORT.read_text(encoding="utf-8")
    for old, new in replacements.values():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "changed.csv"
    path.write_text(text, encoding="utf-8")
    return path


def one_item(tmp_path, **values):
    item = {
        "implementation_code": "11370100SC-XK-0999",
        "title": "测试事项",
        "item_type": "行政许可",
        "department_name": "市场监督管理局",
        "audience": "自然人",
        "legal_days": 20,
        "promised_days": 5,
    } | values
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"items": [item]}, ensure_ascii=False), encoding="utf-8")
    return path


def planned(path, **options):
    """The validated plan of a file: what an import would write, without writing."""
    return catalogue_import.validate(catalogue_import.read_catalogue(path), **options)


# --- a provincial export ---------------------------------------------------------------


def test_a_provincial_export_with_platform_audiences_and_department_names_imports_cleanly(site):
    output = run(EXPORT)

    assert "导入完成：新建 5 项，更新 0 项，未变 0 项" in output
    assert "事项 · 第1行 · 序号：未识别的列，已忽略" in output
    guides = {
        g.implementation_code: g for g in ServiceGuidePage.objects.select_related("department")
    }
    assert {code: (g.audience, g.department.code) for code, g in guides.items()} == {
        FOOD: ("legal", "SCJG"),  # 企业法人; 市场监管局 is the short name
        SOLE_TRADER: ("both", "SCJG"),  # 自然人、企业法人; the full name
        ID_CARD: ("person", "GA"),  # 自然人
        ASSOCIATION: ("legal", "MZ"),  # 社会组织法人
        SEAL: ("legal", "MZ"),  # 事业单位法人；非法人企业；其他组织
    }
    card = guides[ID_CARD]
    assert card.live and card.get_parent().specific == site
    assert (card.title, card.legal_days, card.promised_days) == ("居民身份证换领", 60, 20)
    assert card.charges_fee and card.fee_standard == "工本费20元"
    assert card.exercise_level == "county"

    assert "新建 0 项，更新 0 项，未变 5 项" in run(EXPORT)


def test_the_export_saved_in_gbk_imports_the_same(site, tmp_path):
    run(write_csv(tmp_path, export_rows(), encoding="gbk"))

    assert "未变 5 项" in run(EXPORT)


@pytest.mark.parametrize(
    ("value", "audience"),
    [
        ("自然人", "person"),
        ("企业法人", "legal"),
        ("事业单位法人", "legal"),
        ("事业法人", "legal"),
        ("社会组织法人", "legal"),
        ("非法人企业", "legal"),
        ("行政机关", "legal"),
        ("其他组织", "legal"),
        ("自然人、企业法人", "both"),
        ("企业法人,事业单位法人", "legal"),
        ("社会组织法人；自然人", "both"),
        ("自然人/行政机关", "both"),
        (["自然人", "其他组织"], "both"),
        ("1", "person"),  # the platform's codes: 1 自然人, 2 企业法人 ... 9 其他组织
        ("2,9", "legal"),
        ("个人", "person"),
        ("法人", "legal"),
        ("个人和法人", "both"),
        ("legal", "legal"),
    ],
)
def test_the_national_platforms_audiences_map_to_the_guides_choices(
    site, tmp_path, value, audience
):
    plan = planned(one_item(tmp_path, audience=value))

    assert plan.records[0].values["audience"] == audience


def test_an_unknown_audience_is_refused_with_its_row_column_and_reason(site, tmp_path):
    rows = export_rows()
    rows[3] = rows[3].replace(",自然人,", ",自然人、外国人,")

    with pytest.raises(CommandError) as error:
        run(write_csv(tmp_path, rows))

    assert "事项 · 第4行 · 服务对象：无法识别“外国人”，可选值：个人、法人、个人和法人" in str(
        error.value
    )
    assert "全国政务服务平台的服务对象：自然人、企业法人、事业单位法人" in str(error.value)
    assert not ServiceGuidePage.objects.exists()


# --- departments by code or name -------------------------------------------------------


def test_a_department_is_found_by_its_code_in_either_column_or_by_name(site, tmp_path):
    assert planned(one_item(tmp_path, department_name="GA")).records[0].values[
        "department"
    ] == Department.objects.get(code="GA")
    path = one_item(tmp_path, department_name=None, department_code="民政局")
    assert planned(path).records[0].values["department"].code == "MZ"


def test_a_short_name_two_departments_share_is_refused(site, tmp_path):
    Department.objects.create(
        code="SCJG2", name="市场监督管理局开发区分局", short_name="市场监管局"
    )

    with pytest.raises(CommandError) as error:
        run(EXPORT)

    assert (
        "事项 · 第2行 · 实施主体：简称“市场监管局”对应多个部门（市场监督管理局、市场监督管理局开发区分局），"
        "请写部门全称或编码" in str(error.value)
    )


def test_a_code_and_a_name_of_two_different_departments_are_refused(site, tmp_path):
    with pytest.raises(CommandError) as error:
        run(one_item(tmp_path, department_code="GA", department_name="民政局"))

    assert (
        "items[1].department_name：实施主体编码“GA”是“公安局”，实施主体“民政局”却是另一个部门"
        "（“民政局”，编码 MZ）" in str(error.value)
    )


def test_an_item_without_a_department_is_refused(site, tmp_path):
    with pytest.raises(CommandError) as error:
        run(one_item(tmp_path, department_name=""))

    assert (
        "items[1].department_name：必填项不能为空（“实施主体编码”或“实施主体”至少填一个）"
        in str(error.value)
    )


def test_an_unknown_department_is_refused_unless_the_import_may_create_it(site, tmp_path):
    path = changed_export(
        tmp_path, association=(",民政局,社会组织法人,", ",退役军人事务局,社会组织法人,")
    )
    before = snapshot()

    with pytest.raises(CommandError) as error:
        run(path)

    assert (
        "事项 · 第5行 · 实施主体：实施主体“退役军人事务局”不存在（按部门名称、简称和编码查找）；"
        "请先在“部门”中添加，或加 --create-departments 由导入新建" in str(error.value)
    )
    assert snapshot() == before and Department.objects.count() == 3

    output = run(path, "--create-departments")

    created = Department.objects.get(name="退役军人事务局")
    assert created.code.startswith("AUTO-")
    assert (
        f"新增部门（请在“部门”中核对编码和简称）：\n  - 退役军人事务局（编码 {created.code}）"
        in output
    )
    assert "新建 5 项，更新 0 项，未变 0 项；新增材料目录 0 条，新增部门 1 个" in output
    assert guide(ASSOCIATION).department == created
    assert "未变 5 项" in run(path)  # found by name from now on


def test_a_new_department_takes_the_files_code_or_one_made_from_its_name(site, tmp_path):
    given = planned(
        one_item(tmp_path, department_code="3799018001", department_name="退役军人事务局"),
        create_departments=True,
    )
    made = planned(one_item(tmp_path, department_name="退役军人事务局"), create_departments=True)
    # A department an earlier import made from this name, renamed since, keeps its code.
    Department.objects.create(code=made.new_departments[0].department.code, name="退役军人局")
    again = planned(one_item(tmp_path, department_name="退役军人事务局"), create_departments=True)

    assert given.new_departments[0].department.code == "3799018001"
    code = made.new_departments[0].department.code
    assert re.fullmatch(r"AUTO-[0-9A-F]{8}", code)
    assert again.new_departments[0].department.code == f"{code}-2"


# --- a dry run before the site has a catalogue page ------------------------------------


def test_a_dry_run_on_an_empty_site_validates_and_reports_what_it_would_create(tmp_path):
    before = snapshot() | {"departments": Department.objects.count()}

    output = run(EXPORT, "--dry-run", "--create-departments")

    assert "校验通过（试运行，未写入）：将新建 5 项，将更新 0 项，未变 0 项" in output
    assert (
        "将新增部门 4 个" in output
    )  # 市场监管局 and 市场监督管理局 too: the file alone cannot tell
    for name in ("市场监管局", "市场监督管理局", "公安局", "民政局"):
        assert f"  - {name}（编码 AUTO-" in output
    assert "站点中还没有“办事指南目录”页面" in output
    assert snapshot() | {"departments": Department.objects.count()} == before

    # Without --create-departments the same dry run lists every department it would refuse.
    with pytest.raises(CommandError, match="有 5 处错误，未写入任何内容"):
        run(EXPORT, "--dry-run")


# --- codes that would rename an existing guide -----------------------------------------

COLLISIONS = {
    # Another item under a code the centre already publishes a guide for.
    "retitle": ("居民身份证换领", "户口迁入（投靠亲属）"),
    # The same item handed to another department.
    "move": (",民政局,社会组织法人,", ",公安局,社会组织法人,"),
    # An ordinary change in the same file, refused with it: imports are all or nothing.
    "days": (",10,3,否,", ",10,2,否,"),
}


def test_a_code_that_would_rename_a_guide_is_listed_and_the_import_refused(site, tmp_path):
    run(EXPORT)
    before = snapshot()

    with pytest.raises(CommandError) as error:
        run(changed_export(tmp_path, **COLLISIONS))

    report = str(error.value)
    assert "changed.csv 中 2 个事项的实施编码已是现有指南，导入会将其改名或改实施主体" in report
    assert (
        f"1. 事项 · 第4行 · 事项名称：实施编码“{ID_CARD}”的现有指南："
        "名称“居民身份证换领” → “户口迁入（投靠亲属）”" in report
    )
    assert (
        f"2. 事项 · 第5行 · 实施主体：实施编码“{ASSOCIATION}”的现有指南：实施主体“民政局” → “公安局”"
        in report
    )
    assert "加 --allow-retitle 重新导入" in report
    assert snapshot() == before
    assert guide(ASSOCIATION).department.code == "MZ" and guide(SEAL).promised_days == 3


def test_allow_retitle_accepts_the_renames_and_reports_them(site, tmp_path):
    run(EXPORT)

    output = run(changed_export(tmp_path, **COLLISIONS), "--allow-retitle")

    assert "改名或改实施主体的指南（--allow-retitle）：" in output
    assert "名称“居民身份证换领” → “户口迁入（投靠亲属）”" in output
    assert "更新 3 项（其中改名或改实施主体 2 项），未变 2 项" in output
    assert guide(ID_CARD).title == "户口迁入（投靠亲属）"
    assert guide(ASSOCIATION).department.code == "GA" and guide(SEAL).promised_days == 2


def test_a_dry_run_refuses_the_renames_as_the_import_would(site, tmp_path):
    run(EXPORT)

    with pytest.raises(CommandError, match="导入会将其改名或改实施主体"):
        run(changed_export(tmp_path, **COLLISIONS), "--dry-run")


# --- a quiet console --------------------------------------------------------------------


def import_at(verbosity, path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_catalogue", str(path), *args, verbosity=verbosity, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_verbosity_zero_prints_and_logs_nothing_on_success(site, caplog, capfd):
    caplog.set_level(logging.INFO)

    assert import_at(0, EXPORT) == ("", "")

    assert ServiceGuidePage.objects.count() == 5
    assert [record.getMessage() for record in caplog.records] == []
    assert capfd.readouterr() == ("", "")


def test_the_libraries_log_lines_for_each_page_reach_the_console_only_at_verbosity_3(
    site, tmp_path, caplog
):
    caplog.set_level(logging.INFO)
    out, _ = import_at(1, EXPORT)
    assert "导入完成" in out
    assert caplog.records == []

    path = changed_export(tmp_path, days=COLLISIONS["days"])
    import_at(3, path)

    loggers = {record.name for record in caplog.records}
    assert {"wagtail", "django_tasks"} <= loggers  # "Published: …", "Task id=… state=…"


def test_quieted_loggers_still_pass_errors_and_are_restored_afterwards(caplog):
    caplog.set_level(logging.INFO)

    with quiet_loggers(logging.WARNING):
        logging.getLogger("wagtail").info('Published: "居民身份证换领"')
        logging.getLogger("django_tasks").error("Task id=1 state=FAILED")
    logging.getLogger("wagtail").info("after the block")

    assert [record.getMessage() for record in caplog.records] == [
        "Task id=1 state=FAILED",
        "after the block",
    ]

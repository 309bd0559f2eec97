"""`manage.py audit_guides`: the guide audit's summary on the command line."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests import factories
from tests.audit import complete_guide

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("audit_guides", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_guides_mean_score_rules_departments_and_findings():
    urban = factories.department(code="URB", name="示范市城市管理局")
    complete_guide(title="户外广告设施设置许可", department=urban)
    complete_guide(title="城市道路挖掘许可", department=urban, enquiry_phone="")
    out = run("--findings")
    assert (
        "检查办事指南 2 条：平均得分 90.0（满分 100，规则权重合计 20），1 条未发现问题，问题共 1 个。"
        in out
    )
    assert "  要素缺失（权重 4）：指南 1 条，问题 1 个" in out
    assert "   90.0  示范市城市管理局：指南 2 条，有问题 1 条" in out
    assert "  城市道路挖掘许可（37060000MB-XK-" in out
    assert "    [严重] 【要素缺失】未填写“咨询电话”。" in out


def test_the_command_narrows_to_a_department_and_speaks_json():
    complete_guide(department=factories.department(code="URB"), enquiry_phone="")
    complete_guide(department=factories.department(code="MKT"))
    figures = json.loads(run("--department", "MKT", "--json"))
    assert figures["guides"] == 1 and figures["mean_score"] == 100.0
    assert figures["rules"]["elements"]["guides"] == 0
    assert [d["code"] for d in figures["departments"]] == ["MKT"]
    with pytest.raises(CommandError, match="部门编码“NOPE”不存在"):
        run("--department", "NOPE")

"""Bulletins: compiled from the hall data, stored once per period, rendered as PDFs that read
back (pdftotext) with the ranking in the right order."""

import datetime
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from supervision.bulletins import due_periods, make_bulletin, period_of
from supervision.choices import BulletinKind, FindingCategory
from supervision.models import Bulletin, ScoringRules
from tests.hall import fill_october, finding, make_hall

D = datetime.date
pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


def pdf_text(bulletin):
    result = subprocess.run(
        ["pdftotext", "-layout", bulletin.pdf.path, "-"], capture_output=True, check=True
    )
    return result.stdout.decode()


@pytest.fixture
def hall(db):
    return make_hall()


@pytest.fixture
def october(hall):
    fill_october(hall)
    return hall


def test_the_monthly_pdf_lists_windows_in_ranking_order_with_the_method(october):
    bulletin = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    text = pdf_text(bulletin)
    ranking = text[text.index("三、窗口排名") : text.index("四、部门排名")]
    positions = [ranking.index(label) for label in ("乙窗口", "丙窗口", "甲窗口")]
    assert positions == sorted(positions)
    assert "101.50" in ranking and "86.50" in ranking
    assert f"第{bulletin.rules.pk}版" in text
    assert "流动红旗授予B01乙窗口" in text.replace("\n", "").replace(" ", "")
    assert "列入督办：A01甲窗口、甲局" in text.replace(" ", "")
    assert bulletin.pages >= 2 and len(bulletin.pdf_sha256) == 64


def test_a_bulletin_is_made_once_per_period_however_often_it_is_asked_for(october):
    first = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    again = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 20))
    assert again.pk == first.pk and again.pdf_sha256 == first.pdf_sha256
    assert Bulletin.objects.count() == 1


def test_a_bulletin_keeps_its_figures_when_the_hall_data_changes_later(october):
    bulletin = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    finding(october["B"], D(2026, 10, 20), FindingCategory.DISCIPLINE, Decimal(30))
    again = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    assert again.pk == bulletin.pk
    assert again.content["windows"][0]["label"] == "B01 乙窗口"
    assert again.content["windows"][0]["score"] == "101.50"


def test_a_bulletin_whose_pdf_was_lost_in_a_crash_is_finished_from_its_stored_figures(october):
    bulletin = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    Bulletin.objects.filter(pk=bulletin.pk).update(pdf="", pdf_sha256="")
    finding(october["B"], D(2026, 10, 20), FindingCategory.DISCIPLINE, Decimal(30))
    finished = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    assert finished.pdf and len(finished.pdf_sha256) == 64
    ranking = pdf_text(finished)
    assert ranking.index("乙窗口") < ranking.index("甲窗口")


def test_the_rules_used_by_a_bulletin_can_no_longer_be_edited(october):
    bulletin = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    rules = ScoringRules.objects.get(pk=bulletin.rules_id)
    assert rules.first_used_at is not None
    rules.base_score = Decimal(90)
    with pytest.raises(Exception, match="复制为新版本"):
        rules.full_clean()


def test_a_daily_bulletin_without_findings_says_so(hall):
    # Thursday 2026-10-08, the first working day after the holiday: no round, no finding.
    finding(hall["A"], D(2026, 10, 9), FindingCategory.ATTENDANCE)
    quiet = make_bulletin(BulletinKind.DAILY, D(2026, 10, 8))
    assert "无巡查记录" in pdf_text(quiet)
    busy = make_bulletin(BulletinKind.DAILY, D(2026, 10, 9))
    text = pdf_text(busy)
    assert "发现问题1条" in text.replace(" ", "")
    assert "前一工作日未发现问题" in text


def test_the_next_daily_bulletin_reports_whether_yesterdays_findings_were_fixed(hall):
    finding(hall["A"], D(2026, 10, 9), FindingCategory.ATTENDANCE)
    # 10-10 is the make-up Saturday: the previous working day of Monday 10-12 is 10-10,
    # and of 10-10 it is 10-09.
    text = pdf_text(make_bulletin(BulletinKind.DAILY, D(2026, 10, 10)))
    assert "前一工作日（10月9日）问题整改情况" in text
    assert "1条尚未整改" in text.replace(" ", "")


def test_the_weekly_summary_counts_findings_by_category_against_last_week(october):
    bulletin = make_bulletin(BulletinKind.WEEKLY, D(2026, 10, 12))
    assert (bulletin.period_start, bulletin.period_end) == (D(2026, 10, 12), D(2026, 10, 18))
    rows = {row["category"]: row for row in bulletin.content["by_category"]}
    # This week: the discipline finding of 10-12; last week: attendance on 10-09.
    assert (rows["工作纪律"]["count"], rows["工作纪律"]["previous"]) == (1, 0)
    assert (rows["考勤"]["count"], rows["考勤"]["previous"]) == (0, 1)
    assert bulletin.content["repeat_offenders"][0]["window"] == "A01"
    assert "二、问题类别及变化" in pdf_text(bulletin)


def test_a_daily_bulletin_totals_every_finding_though_its_table_lists_sixty(hall):
    for _ in range(65):
        finding(hall["A"], D(2026, 10, 9), FindingCategory.ATTENDANCE, deduction=Decimal("0.5"))
    finding(hall["B"], D(2026, 10, 9), FindingCategory.ETIQUETTE, deduction=Decimal("1"))
    bulletin = make_bulletin(BulletinKind.DAILY, D(2026, 10, 9))
    c = bulletin.content
    assert (c["finding_count"], len(c["findings"]), c["windows_concerned"]) == (66, 60, 2)
    assert Decimal(c["deduction"]) == Decimal("33.5")
    # B01's one finding is past the sixtieth row, and its department is still concerned.
    assert hall["B"].departments.get().pk in c["departments_concerned"]
    text = pdf_text(bulletin).replace(" ", "")
    assert "发现问题66条，涉及2个窗口，合计扣33.5分" in text.replace("\n", "")
    assert "共66条，以上列出前60条" in text


def test_daily_and_weekly_bulletins_state_the_rules_version_and_deductions_they_used(october):
    for kind, day in ((BulletinKind.DAILY, D(2026, 10, 9)), (BulletinKind.WEEKLY, D(2026, 10, 12))):
        bulletin = make_bulletin(kind, day)
        text = pdf_text(bulletin).replace(" ", "").replace("\n", "")
        assert f"考评规则：第{bulletin.rules.pk}版" in text
        assert "考评依据" in text and "黄灯：距承诺办结日不超过" in text


def test_commendations_follow_the_rules_version_in_force(october):
    rules = ScoringRules.in_force(D(2026, 10, 1))
    rules.commend_min_score = Decimal("102")  # B01 has 101.50: first, but not enough
    rules.save()
    bulletin = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    assert bulletin.content["commended"] == []
    assert "通报表扬：排名前3名且得分不低于102分的窗口。" in bulletin.content["method"]


def test_periods_are_a_working_day_a_monday_to_sunday_week_and_a_calendar_month():
    assert period_of(BulletinKind.WEEKLY, D(2026, 10, 14)) == (D(2026, 10, 12), D(2026, 10, 18))
    assert period_of(BulletinKind.MONTHLY, D(2026, 2, 14)) == (D(2026, 2, 1), D(2026, 2, 28))


def test_after_downtime_each_missed_period_is_due_once(hall):
    make_bulletin(BulletinKind.DAILY, D(2026, 9, 29))
    # The worker was down from 09-30 to the morning of 10-13: due are 09-30, then (the
    # holiday skipped) 10-08, 10-09, the make-up Saturday 10-10 and Monday 10-12.
    assert due_periods(BulletinKind.DAILY, D(2026, 10, 13), look_back=31) == [
        D(2026, 9, 30),
        D(2026, 10, 8),
        D(2026, 10, 9),
        D(2026, 10, 10),
        D(2026, 10, 12),
    ]
    assert due_periods(BulletinKind.MONTHLY, D(2026, 10, 13), look_back=12) == [D(2026, 9, 1)]


def test_a_bulletin_made_by_hand_for_a_later_period_hides_none_missed_before_it(hall):
    make_bulletin(BulletinKind.DAILY, D(2026, 9, 29))
    make_bulletin(BulletinKind.DAILY, D(2026, 10, 12))  # by hand, after the downtime
    assert due_periods(BulletinKind.DAILY, D(2026, 10, 13), look_back=31) == [
        D(2026, 9, 30),
        D(2026, 10, 8),
        D(2026, 10, 9),
        D(2026, 10, 10),
    ]
    # Never before the first bulletin: the installation did not exist then.
    assert D(2026, 9, 28) not in due_periods(BulletinKind.DAILY, D(2026, 10, 13), look_back=31)


def test_make_bulletin_prints_the_pdf_path_and_refuses_a_bad_period(october, capsys):
    call_command("make_bulletin", "monthly", "--period", "2026-10")
    path = capsys.readouterr().out.strip().splitlines()[-1]
    assert path.endswith(".pdf") and Bulletin.objects.get().pdf.path == path
    with pytest.raises(CommandError, match="2026-13"):
        call_command("make_bulletin", "monthly", "--period", "2026-13")


def test_make_bulletin_refuses_a_week_or_month_that_has_not_ended(october, monkeypatch):
    from django.utils import timezone

    moment = timezone.make_aware(datetime.datetime(2026, 10, 15, 10, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    for kind, period in (("monthly", "2026-10"), ("weekly", "2026-W42")):
        with pytest.raises(CommandError, match="尚未结束"):
            call_command("make_bulletin", kind, "--period", period)
    assert not Bulletin.objects.exists()
    call_command("make_bulletin", "weekly", "--period", "2026-W41")  # 10-05 to 10-11: over
    assert Bulletin.objects.count() == 1

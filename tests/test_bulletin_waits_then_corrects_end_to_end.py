"""Issue 25's first Done-when line, end to end, with real subscribers and the SMTP server on
loopback (tests/smtp.py): the monthly job run before the month's data is imported waits;
past its deadline it sends a bulletin marked 数据不完整 and alerts the owners; the hall's
exports are then imported from CSV files (supervision.importers.import_file), and the next
run sends a corrected edition (更正版) once to each recipient, with the same issue number;
a further run sends nothing."""

import datetime
import shutil
import subprocess

import pytest
from django.utils import timezone

from supervision import tasks
from supervision.choices import BulletinKind
from supervision.importers import import_file
from supervision.models import Bulletin, Subscription
from tests import factories
from tests.hall import fill_october, make_hall
from tests.smtp import mail_through_loopback

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")

MANAGERS = ["chen.haiyan@zwfw.example.gov.cn", "li.jun@zwfw.example.gov.cn"]
OWNER = "owner@zwfw.example.gov.cn"

# The last days of October as the hall's systems export them (the files people upload).
EVALUATIONS_CSV = """评价编号,办件编号,窗口号,评价渠道,评价等级,评价内容,评价时间
PJ-20261027-01,,A01,大厅,非常满意,,2026-10-27 10:12
PJ-20261028-01,,A01,网上,非常满意,办理很快,2026-10-28 15:40
PJ-20261029-01,,A01,大厅,满意,,2026-10-29 09:05
PJ-20261030-01,,A01,移动端,非常满意,,2026-10-30 11:30
PJ-20261030-02,,A01,大厅,非常满意,,2026-10-30 16:02
"""
CASES_CSV = """办件编号,事项编码,事项名称,窗口号,受理时间,承诺时限,法定时限,办结时间
BJ-20261030-0001,11330100MB-XK-0007,食品经营许可,B01,2026-10-30 09:20,5,20,
"""
INSPECTIONS_CSV = """巡查日期,巡查类型,巡查人员,问题编号,窗口号,问题类别,问题描述,扣分
2026-10-30,日常巡查,王敏、刘洋,,,,,
"""


@pytest.fixture
def smtp(settings):
    settings.ADMINS = [("运维", OWNER)]
    yield from mail_through_loopback(settings)


@pytest.fixture
def hall(db):
    """October imported up to 10-21 (fill_october), and real subscribers: two managers to
    the monthly ranking (one limited to 乙局: the monthly goes to every department), a reader
    of the daily bulletin only."""
    hall = make_hall()
    fill_october(hall)
    for username, address in zip(("chen", "li"), MANAGERS, strict=True):
        manager = factories.user(username, "管理人员")
        manager.email = address
        manager.save()
        subscription = Subscription.objects.create(user=manager, kind=BulletinKind.MONTHLY)
        if username == "li":
            subscription.departments.add(hall["Y"])
    reader = factories.user("zhao", "管理人员")
    Subscription.objects.create(user=reader, kind=BulletinKind.DAILY)
    return hall


def run_the_monthly_job(monkeypatch, day, hour, minute=0):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return tasks.produce_bulletins(BulletinKind.MONTHLY)


def pdf_text(message, tmp_path):
    (attachment,) = list(message.iter_attachments())
    path = tmp_path / attachment.get_filename()
    path.write_bytes(attachment.get_content())
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True)
    return result.stdout.decode().replace(" ", "")


def test_the_monthly_ranking_waits_goes_out_incomplete_then_corrected_once(
    hall, smtp, monkeypatch, tmp_path
):
    D = datetime.date
    inbox = smtp.inbox.messages

    # 1 November 09:00, the schedule's time, and the next day: October's data is not in.
    assert run_the_monthly_job(monkeypatch, D(2026, 11, 1), 9) == []
    assert run_the_monthly_job(monkeypatch, D(2026, 11, 2), 14, 15) == []
    assert not Bulletin.objects.exists() and inbox == []

    # 4 November 09:00: 72 hours (简报设置's default) after the schedule's time.
    (made,) = run_the_monthly_job(monkeypatch, D(2026, 11, 4), 9)
    original = Bulletin.objects.get(pk=made)
    by_address = {tuple(to): message for to, message in inbox}
    assert sorted(by_address) == [(MANAGERS[0],), (MANAGERS[1],), (OWNER,)]
    alert = by_address[(OWNER,)]
    assert "月度考评排名通报（2026年10月）数据不完整" in alert["Subject"]
    assert "好差评：最新记录为10月21日" in alert.get_content()
    sent = by_address[(MANAGERS[0],)]
    assert sent["Subject"].strip() == f"【督查简报】{original.title} 第{original.issue_number}期"
    text = pdf_text(sent, tmp_path)
    assert "数据不完整" in text
    assert "好差评：最新记录为10月21日，未覆盖本期最后一个工作日（10月30日）" in text
    assert "巡查记录：最新记录为10月12日" in text and "办件：最新记录为10月12日" in text

    # The hall's exports of the rest of October are imported.
    for kind, content in (
        ("evaluations", EVALUATIONS_CSV),
        ("cases", CASES_CSV),
        ("inspections", INSPECTIONS_CSV),
    ):
        path = tmp_path / f"{kind}.csv"
        path.write_text(content.replace("\n", "\r\n"), encoding="utf-8")
        report = import_file(kind, path)
        assert report.ok and report.applied, report.errors

    # The next run: the corrected edition, once to each recipient of the original.
    before = len(inbox)
    (corrected_pk,) = run_the_monthly_job(monkeypatch, D(2026, 11, 4), 10, 15)
    corrected = Bulletin.objects.get(pk=corrected_pk)
    assert (corrected.edition, corrected.issue_number) == (2, original.issue_number)
    assert corrected.correction_reason == "补齐数据后更正" and corrected.missing_data == []
    new = inbox[before:]
    assert sorted(to for to, _ in new) == [[MANAGERS[0]], [MANAGERS[1]]]
    for _, message in new:
        assert message["Subject"].strip().startswith("【更正】【督查简报】")
        assert f"第{original.issue_number}期（更正版，第2版）" in message["Subject"]
    text = pdf_text(new[0][1], tmp_path)
    assert f"第{original.issue_number}期（更正版，第2版）" in text
    assert "本期更正说明" in text and "补齐数据后更正" in text
    assert "A01甲窗口：得分86.50→91.50" in text  # five more 满意 or better: 90 % satisfied
    assert "数据不完整" not in text

    # Further runs send nothing more; both editions are kept.
    run_the_monthly_job(monkeypatch, D(2026, 11, 4), 10, 30)
    run_the_monthly_job(monkeypatch, D(2026, 11, 5), 9)
    assert len(inbox) == before + 2
    assert list(Bulletin.objects.order_by("edition").values_list("edition", flat=True)) == [1, 2]

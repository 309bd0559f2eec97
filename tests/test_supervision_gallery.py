"""The monthly ranking and the public site linked: the red-flag window appears in the
窗口风采 gallery of red flags when a manager approves the month's ranking for the public
(评比公示), and leaves it when that notice is withdrawn. Making the bulletin, by the job or by
hand, publishes nothing: an unapproved month's winner is public nowhere."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from cms.choices import Honour
from cms.models import GalleryHonour, GalleryPage
from supervision import notices, tasks
from supervision.bulletins import make_bulletin
from supervision.choices import BulletinKind
from supervision.models import DataConfirmation
from tests.hall import red_flag_gallery

D = datetime.date


@pytest.fixture
def red_flags(db):
    gallery = red_flag_gallery()
    # October's records end before its last working day: the manager confirmed it complete,
    # or the job would wait for the rest (readiness).
    DataConfirmation.objects.create(kind=BulletinKind.MONTHLY, period_start=D(2026, 10, 1))
    return gallery


def run_the_monthly_job(monkeypatch):
    """The scheduled run of 1 November 09:00, which makes October's ranking."""
    moment = timezone.make_aware(datetime.datetime(2026, 11, 1, 9, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    tasks.produce_bulletins(BulletinKind.MONTHLY)


def make_the_ranking_by_hand():
    call_command("make_bulletin", "monthly", "--period", "2026-10", stdout=io.StringIO())


def october_flags():
    return GalleryHonour.objects.filter(citation__startswith="2026年10月")


def approve_october():
    return notices.approve(make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1)))


def test_the_red_flag_window_appears_in_the_gallery_when_the_month_is_approved(
    red_flags, client, monkeypatch
):
    run_the_monthly_job(monkeypatch)
    assert october_flags().count() == 0  # made and mailed, not yet public
    approve_october()
    gallery = GalleryPage.objects.get(pk=red_flags["gallery"].pk)
    honour = gallery.honours.get(citation="2026年10月流动红旗：乙窗口")
    assert honour.window == red_flags["hall"]["B"] and honour.honour == Honour.RED_FLAG
    # A copy of the window's photo in the gallery's collection; the original stays put.
    assert honour.image.collection_id == gallery.collection_id
    red_flags["photo"].refresh_from_db()
    assert red_flags["photo"].collection.name == "服务之星"
    page = client.get(gallery.url)
    assert "2026年10月流动红旗：乙窗口" in page.content.decode()


def test_a_ranking_made_by_hand_publishes_no_red_flag_until_approved(red_flags):
    make_the_ranking_by_hand()
    assert october_flags().count() == 0
    approve_october()
    (honour,) = october_flags()
    assert honour.window == red_flags["hall"]["B"] and honour.honour == Honour.RED_FLAG
    assert honour.gallery_id == red_flags["gallery"].pk


def test_withdrawing_the_notice_takes_the_red_flag_back(red_flags, client):
    notice = approve_october()
    assert october_flags().count() == 1
    notices.withdraw(notice, "考评数据有误")
    assert october_flags().count() == 0
    gallery = GalleryPage.objects.get(pk=red_flags["gallery"].pk)
    assert "2026年10月流动红旗" not in client.get(gallery.url).content.decode()


def test_approving_again_after_a_withdrawal_awards_the_flag_once(red_flags, monkeypatch):
    make_the_ranking_by_hand()
    run_the_monthly_job(monkeypatch)
    notice = approve_october()
    notices.withdraw(notice, "复核")
    approve_october()
    run_the_monthly_job(monkeypatch)
    assert october_flags().count() == 1


def test_a_red_flag_window_without_a_photo_leaves_the_gallery_unchanged(red_flags, caplog):
    red_flags["photo"].delete()
    approve_october()
    assert october_flags().count() == 0
    assert "没有该窗口的照片" in caplog.text


def test_making_the_monthly_bulletin_alone_publishes_nothing(red_flags, monkeypatch):
    revision = GalleryPage.objects.get(pk=red_flags["gallery"].pk).live_revision_id
    run_the_monthly_job(monkeypatch)
    bulletin = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    assert bulletin.content["red_flag"]["label"].endswith("乙窗口")  # there is a winner
    assert october_flags().count() == 0
    assert GalleryPage.objects.get(pk=red_flags["gallery"].pk).live_revision_id == revision

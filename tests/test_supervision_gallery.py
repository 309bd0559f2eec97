"""The monthly ranking and the public site linked: the red-flag window appears in the
窗口风采 gallery of red flags once the monthly job, or `manage.py make_bulletin`, has made the
monthly bulletin (an explicit step after making it: making a bulletin publishes nothing)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from cms.choices import Honour
from cms.models import GalleryHonour, GalleryPage
from supervision import tasks
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


def test_the_red_flag_window_appears_in_the_gallery_when_the_monthly_job_makes_the_ranking(
    red_flags, client, monkeypatch
):
    run_the_monthly_job(monkeypatch)
    gallery = GalleryPage.objects.get(pk=red_flags["gallery"].pk)
    honour = gallery.honours.get(citation="2026年10月流动红旗：乙窗口")
    assert honour.window == red_flags["hall"]["B"] and honour.honour == Honour.RED_FLAG
    # A copy of the window's photo in the gallery's collection; the original stays put.
    assert honour.image.collection_id == gallery.collection_id
    red_flags["photo"].refresh_from_db()
    assert red_flags["photo"].collection.name == "服务之星"
    page = client.get(gallery.url)
    assert "2026年10月流动红旗：乙窗口" in page.content.decode()


def test_the_red_flag_window_appears_in_the_gallery_when_the_ranking_is_made_by_hand(red_flags):
    make_the_ranking_by_hand()
    (honour,) = october_flags()
    assert honour.window == red_flags["hall"]["B"] and honour.honour == Honour.RED_FLAG
    assert honour.gallery_id == red_flags["gallery"].pk


def test_making_the_ranking_again_does_not_award_the_flag_twice(red_flags, monkeypatch):
    make_the_ranking_by_hand()
    make_the_ranking_by_hand()
    # The job finishes the bulletin made by hand (it mails it), and runs again.
    run_the_monthly_job(monkeypatch)
    run_the_monthly_job(monkeypatch)
    assert october_flags().count() == 1


def test_a_red_flag_window_without_a_photo_leaves_the_gallery_unchanged(
    red_flags, caplog, monkeypatch
):
    red_flags["photo"].delete()
    run_the_monthly_job(monkeypatch)
    assert october_flags().count() == 0
    assert "没有该窗口的照片" in caplog.text


def test_making_the_monthly_bulletin_alone_publishes_nothing(red_flags):
    revision = GalleryPage.objects.get(pk=red_flags["gallery"].pk).live_revision_id
    bulletin = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    assert bulletin.content["red_flag"]["label"].endswith("乙窗口")  # there is a winner
    assert october_flags().count() == 0
    assert GalleryPage.objects.get(pk=red_flags["gallery"].pk).live_revision_id == revision

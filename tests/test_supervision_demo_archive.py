"""The demo archive: the demo manager subscribed to every bulletin and real bulletins made
from the hall data, once."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from cms.models import GalleryHonour
from demo.hall.archive import ensure_demo_archive
from supervision.choices import BulletinKind
from supervision.models import Bulletin, Delivery, Subscription
from tests import factories
from tests.hall import fill_october, make_hall, red_flag_gallery

D = datetime.date


@pytest.fixture
def demo(db):
    fill_october(make_hall())  # evaluations from 2026-10-09 on
    manager = factories.user("manager", "管理人员")
    get_user_model().objects.filter(pk=manager.pk).update(email="")
    return manager


def test_the_demo_manager_gets_every_bulletin_and_an_archive_of_real_ones(demo):
    made = ensure_demo_archive(today=D(2026, 11, 3))
    assert set(Subscription.objects.values_list("kind", flat=True)) == set(BulletinKind.values)
    kinds = sorted(Bulletin.objects.values_list("kind", "period_start"))
    assert (BulletinKind.MONTHLY, D(2026, 10, 1)) in kinds
    # The last four weeks, each ending after the first data (10-09): 10-05 … 10-26.
    weekly = [start for kind, start in kinds if kind == BulletinKind.WEEKLY]
    assert weekly == [D(2026, 10, 5), D(2026, 10, 12), D(2026, 10, 19), D(2026, 10, 26)]
    daily = [start for kind, start in kinds if kind == BulletinKind.DAILY]
    assert daily == [
        D(2026, 10, 27),
        D(2026, 10, 28),
        D(2026, 10, 29),
        D(2026, 10, 30),
        D(2026, 11, 2),
    ]
    assert made == len(kinds)
    # The newest of each kind is mailed to the manager (var/mail on the embedded default).
    assert Delivery.objects.filter(email="manager@zwfw.example.gov.cn").count() == 3


def test_loading_the_demo_archive_again_makes_and_sends_nothing(demo):
    ensure_demo_archive(today=D(2026, 11, 3))
    bulletins, deliveries = Bulletin.objects.count(), Delivery.objects.count()
    ensure_demo_archive(today=D(2026, 11, 3))
    assert (Bulletin.objects.count(), Delivery.objects.count()) == (bulletins, deliveries)


def test_the_first_scheduled_runs_after_the_demo_mail_nothing_more(demo, monkeypatch):
    from django.utils import timezone

    from supervision import tasks

    ensure_demo_archive(today=D(2026, 11, 3))
    deliveries = Delivery.objects.count()
    moment = timezone.make_aware(datetime.datetime(2026, 11, 3, 7, 0))  # before 08:00
    monkeypatch.setattr(timezone, "now", lambda: moment)
    for kind in BulletinKind.values:
        tasks.produce_bulletins(kind)
    assert Delivery.objects.count() == deliveries


def test_the_demo_archive_approves_each_months_notice_and_its_red_flag_follows(db, client):
    # The demo's months are approved for the public (评比公示), as a manager would, and the
    # approval puts the month's red flag in 窗口风采. B01 乙窗口 wins October in this hall.
    red_flag_gallery()
    factories.user("manager", "管理人员")
    ensure_demo_archive(today=D(2026, 11, 3))
    october = GalleryHonour.objects.filter(citation__startswith="2026年10月流动红旗")
    assert [honour.window.number for honour in october] == ["B01"]
    assert client.get("/pingbi/2026-10/").status_code == 200
    ensure_demo_archive(today=D(2026, 11, 3))  # a second load_demo approves and awards nothing
    assert october.count() == 1


def test_the_demo_archive_leaves_a_month_whose_red_flag_the_gallery_already_shows(db):
    # The demo site's hand-written honours name their own winners; the archive must not add a
    # second window for the same month.
    gallery = red_flag_gallery()["gallery"]
    shown = GalleryHonour.objects.filter(gallery=gallery).first()
    GalleryHonour.objects.filter(pk=shown.pk).update(citation="2026年10月流动红旗：丙窗口")
    factories.user("manager", "管理人员")
    ensure_demo_archive(today=D(2026, 11, 3))
    october = GalleryHonour.objects.filter(citation__startswith="2026年10月")
    assert [honour.window.number for honour in october] == ["C01"]

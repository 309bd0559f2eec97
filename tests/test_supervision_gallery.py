"""The monthly ranking and the public site linked: the red-flag window appears in the
窗口风采 gallery of red flags once the monthly bulletin is made."""

import datetime

import pytest
from wagtail.models import Collection

from cms.choices import Honour
from cms.models import GalleryHonour, GalleryIndexPage, GalleryPage
from supervision.bulletins import make_bulletin
from supervision.choices import BulletinKind
from tests import factories
from tests.hall import fill_october, make_hall

D = datetime.date


@pytest.fixture
def red_flags(db):
    """A live gallery of red flags (one earlier winner) and a photo of window B01 elsewhere."""
    hall = make_hall()
    fill_october(hall)  # B01 乙窗口 wins October
    index = factories.add_page(factories.home(), GalleryIndexPage(title="窗口风采"))
    root = Collection.get_first_root_node()
    flags = root.add_child(name="流动红旗")
    stars = root.add_child(name="服务之星")
    earlier = factories.image("2026年9月流动红旗：丙窗口")
    earlier.collection = flags
    earlier.save()
    gallery = GalleryPage(title="流动红旗窗口", collection=flags)
    gallery.honours.add(
        GalleryHonour(image=earlier, honour=Honour.RED_FLAG, window=hall["C"], citation="2026年9月")
    )
    gallery = factories.add_page(index, gallery)
    photo = factories.image("B01窗口王丽帮助企业在线申报")
    photo.collection = stars
    photo.save()
    return {"gallery": gallery, "photo": photo, "hall": hall}


def test_the_red_flag_window_appears_in_the_gallery_when_the_ranking_is_made(red_flags, client):
    make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    gallery = GalleryPage.objects.get(pk=red_flags["gallery"].pk)
    honour = gallery.honours.get(citation="2026年10月流动红旗：乙窗口")
    assert honour.window == red_flags["hall"]["B"] and honour.honour == Honour.RED_FLAG
    # A copy of the window's photo in the gallery's collection; the original stays put.
    assert honour.image.collection_id == gallery.collection_id
    red_flags["photo"].refresh_from_db()
    assert red_flags["photo"].collection.name == "服务之星"
    page = client.get(gallery.url)
    assert "2026年10月流动红旗：乙窗口" in page.content.decode()


def test_making_the_ranking_again_does_not_award_the_flag_twice(red_flags):
    make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    assert GalleryHonour.objects.filter(citation__startswith="2026年10月").count() == 1


def test_a_red_flag_window_without_a_photo_leaves_the_gallery_unchanged(red_flags, caplog):
    red_flags["photo"].delete()
    make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    assert GalleryHonour.objects.filter(citation__startswith="2026年10月").count() == 0
    assert "没有该窗口的照片" in caplog.text

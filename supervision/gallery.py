"""The monthly ranking reaches the public site: the red-flag window's photo gets the month's
流动红旗 in the 窗口风采 gallery that shows the red flags (DOMAIN.md §2 and §3) when a manager
approves the month's ranking for the public (评比公示, supervision.notices), and loses it
when that notice is withdrawn: an unapproved month's winner is public nowhere.

The photo is the window's newest photo with an honour, or else a photo whose caption starts
with the window number ("B01窗口王丽帮助企业在线申报"); a window with no photo gets no gallery
entry and a log line asking for one. The gallery page is published as a new revision, so the
change shows in its history like an editor's, and the search index and caches follow.
"""

import logging

from django.core.files.base import ContentFile
from django.db.models import Count, Q
from wagtail.images import get_image_model

from cms.choices import Honour
from cms.models import GalleryHonour, GalleryPage, ServiceWindow

logger = logging.getLogger(__name__)


def red_flag_gallery():
    """The gallery that holds the red flags: the one with most of them, else one named so."""
    galleries = GalleryPage.objects.live().annotate(
        flags=Count("honours", filter=Q(honours__honour=Honour.RED_FLAG))
    )
    return (
        galleries.filter(flags__gt=0).order_by("-flags", "pk").first()
        or galleries.filter(title__contains="流动红旗").order_by("pk").first()
    )


def window_photo(window):
    honoured = GalleryHonour.objects.filter(window=window).order_by("-awarded_on", "-pk").first()
    if honoured is not None:
        return honoured.image
    return (
        get_image_model()
        .objects.filter(title__startswith=window.number)
        .order_by("-created_at", "-pk")
        .first()
    )


def award_red_flag(bulletin):
    """Add the month's red flag to the gallery; nothing when there is no winner, no gallery,
    no photo, or the award is already there (a re-run adds nothing). Returns the honour.
    A corrected edition's ranking first takes back the month's flag from a window that no
    longer wins it; a superseded edition awards nothing."""
    if type(bulletin).objects.filter(pk=bulletin.pk, superseded_at__isnull=False).exists():
        return None  # a corrected edition replaced it: its ranking no longer counts
    flag = bulletin.content.get("red_flag")
    if bulletin.edition > 1:
        withdraw_red_flags(bulletin.period_start, keep_window_id=flag and flag["unit_id"])
    if not flag:
        return None
    window = ServiceWindow.objects.filter(pk=flag["unit_id"]).first()
    gallery = red_flag_gallery()
    if window is None or gallery is None:
        logger.warning("未找到流动红旗窗口或“流动红旗”风采页，未更新窗口风采。")
        return None
    month = bulletin.period_start
    citation = f"{_citation_prefix(month)}{window.name}"
    gallery = gallery.specific
    existing = gallery.honours.filter(honour=Honour.RED_FLAG, citation=citation, window=window)
    if existing.exists():
        return existing.first()
    photo = window_photo(window)
    if photo is None:
        logger.warning("%s 获流动红旗，但没有该窗口的照片，请在窗口风采中上传。", window)
        return None
    if photo.collection_id != gallery.collection_id:
        # A gallery shows the photos of its own collection: a copy of the photo goes there,
        # the original stays in its own gallery.
        photo = _copy(photo, citation, gallery.collection)
    honour = GalleryHonour(
        image=photo,
        honour=Honour.RED_FLAG,
        window=window,
        awarded_on=bulletin.created_at.date(),
        citation=citation,
    )
    gallery.honours.add(honour)
    gallery.save_revision(log_action=True).publish()
    logger.info("窗口风采已更新：%s", citation)
    return honour


def _citation_prefix(month):
    return f"{month.year}年{month.month}月流动红旗："


def withdraw_red_flags(month, keep_window_id=None):
    """Remove the month's red flags that award_red_flag gave (all of them, or those of a window
    other than `keep_window_id`, the corrected ranking's winner), as a new published revision
    of the gallery, with the photo copied for them. Honours an editor wrote in other words are
    left alone. Returns how many were removed."""
    gallery = red_flag_gallery()
    if gallery is None:
        return 0
    gallery = gallery.specific
    moved = gallery.honours.filter(
        honour=Honour.RED_FLAG, citation__startswith=_citation_prefix(month)
    )
    if keep_window_id is not None:
        moved = moved.exclude(window_id=keep_window_id)
    moved = list(moved)
    if not moved:
        return 0
    for honour in moved:
        gallery.honours.remove(honour)
    gallery.save_revision(log_action=True).publish()
    # The gallery shows every photo of its collection under its title: a copy award_red_flag
    # made for the withdrawn flag (titled with its citation) would still read as the award.
    copies = {honour.image_id: honour.citation for honour in moved}
    for image in get_image_model().objects.filter(pk__in=copies, collection=gallery.collection):
        if (
            image.title == copies[image.pk]
            and not GalleryHonour.objects.filter(image=image).exists()
        ):
            image.delete()
    logger.info("窗口风采已撤下：%s", "、".join(honour.citation for honour in moved))
    return len(moved)


def _copy(photo, title, collection):
    with photo.file.open("rb") as source:
        data = source.read()
    name = photo.file.name.rsplit("/", 1)[-1]
    copy = get_image_model()(title=title, collection=collection, file=ContentFile(data, name))
    copy.save()
    return copy

"""定期复核: a published guide is looked at again at least every GUIDE_REVIEW_INTERVAL_DAYS.
Publishing it counts as a review; an editor who finds it still right confirms it unchanged in
one step, and that confirmation is kept (who, when) and starts the next interval."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Max
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone


class GuideReview(models.Model):
    """One editor's confirmation that a published guide is still accurate."""

    guide = models.ForeignKey(
        "cms.ServiceGuidePage",
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name="办事指南",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="确认人",
    )
    confirmed_at = models.DateTimeField("确认时间", default=timezone.now)

    class Meta:
        verbose_name = "指南复核记录"
        verbose_name_plural = "指南复核记录"
        ordering = ["-confirmed_at"]

    def __str__(self):
        return f"{self.guide_id} {self.confirmed_at:%Y-%m-%d}"


def review_interval() -> datetime.timedelta:
    return datetime.timedelta(days=settings.GUIDE_REVIEW_INTERVAL_DAYS)


def with_last_review(guides):
    """`guides` annotated with `last_reviewed`: the later of their last publish and their
    last confirmation. (Coalesce first: SQLite's two-argument MAX is NULL if either is.)"""
    return guides.annotate(
        last_confirmed=Max("reviews__confirmed_at"),
    ).annotate(
        last_reviewed=Greatest(
            Coalesce("last_confirmed", "last_published_at"),
            Coalesce("last_published_at", "last_confirmed"),
        )
    )


def overdue(guides, now=None):
    """Live guides whose review is due: last reviewed more than one interval ago, the longest
    overdue first."""
    cutoff = (now or timezone.now()) - review_interval()
    return (
        with_last_review(guides.live())
        .filter(last_reviewed__lt=cutoff)
        .order_by("last_reviewed", "title")
    )


def next_review(guide) -> datetime.date | None:
    """When `guide` (annotated by with_last_review, or not) is next due for review."""
    last = getattr(guide, "last_reviewed", None)
    if last is None:
        confirmed = guide.reviews.aggregate(last=Max("confirmed_at"))["last"]
        last = max(filter(None, [confirmed, guide.last_published_at]), default=None)
    return timezone.localdate(last + review_interval()) if last else None

"""评比公示: approving a month's ranking for the public, withdrawing it, and what the public
pages, the printed notice and the 窗口风采 gallery read from it (docs/supervision.md).

    approve(bulletin, user) → RankingNotice    a manager's decision; copies the public part
    withdraw(notice, reason, user)             a manager's decision, or a corrected edition
    in_force_for(month) / latest()             what the public may see

The copy is built from an allow-list (`public_content`): window number and name, department,
score, rank, on-time and satisfaction rates, the red flag and the commendations. Nothing else
of the bulletin (staff, inspectors, findings, reviews, cases, deductions, warnings) is copied,
whatever the bulletin holds now or later.
"""

import datetime
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from cms.models import Department, HomePage
from publications.pdf import render_pdf
from supervision.choices import BulletinKind
from supervision.gallery import award_red_flag, withdraw_red_flags
from supervision.models import RankingNotice
from supervision.workdays import WorkingCalendar

logger = logging.getLogger(__name__)

# 公示期: the notice is posted for this many working days after the day it is approved.
PUBLICITY_WORKING_DAYS = 5
REISSUE_REASON = "考评结果已更正，待重新审核公示"
MAX_REASON_LENGTH = RankingNotice._meta.get_field("withdrawal_reason").max_length
PRINT_TEMPLATE = "supervision/pingbi/print.html"


class NoticeRefused(ValueError):
    """The approval or withdrawal cannot be done; the message says why, in Chinese."""


def month_label(month):
    return f"{month.year}年{month.month}月"


def notice_title(month):
    return f"{settings.WAGTAIL_SITE_NAME}{month_label(month)}窗口服务评比结果公示"


# --- the public copy: an allow-list ------------------------------------------------------


def _window(label):
    """ "A01 企业开办综合窗口" (scoring's window label) → its number and name."""
    number, _, name = label.partition(" ")
    return {"number": number, "name": name or number}


def _rate(row, key):
    value = row.get(key)
    return None if value is None else float(value)


def _window_row(row):
    return {
        "rank": int(row["rank"]),
        **_window(row["label"]),
        "score": str(row["score"]),
        "on_time": _rate(row, "on_time"),
        # A rate over fewer evaluations than the rules' minimum sample says little; the
        # bulletin marks it, the public notice leaves it out.
        "satisfaction": None if row.get("sample_too_small") else _rate(row, "satisfaction"),
    }


def _department_row(row, names):
    return {
        "rank": int(row["rank"]),
        "name": names.get(row["unit_id"], row["label"]),
        "score": str(row["score"]),
        "on_time": _rate(row, "on_time"),
        "satisfaction": None if row.get("sample_too_small") else _rate(row, "satisfaction"),
    }


def public_content(bulletin):
    """The public part of a monthly bulletin, field by field from an allow-list."""
    content = bulletin.content
    # The name the public knows a department by (its short name when it has one).
    names = {d.pk: d.display_name for d in Department.objects.all()}
    flag = content.get("red_flag")
    return {
        "windows": [_window_row(row) for row in content["windows"]],
        "departments": [_department_row(row, names) for row in content["departments"]],
        "red_flag": flag and {**_window(flag["label"]), "score": str(flag["score"])},
        "commended": [
            {"rank": int(row["rank"]), **_window(row["label"]), "score": str(row["score"])}
            for row in content.get("commended", [])
        ],
        "rules": (content.get("method_rules") or {}).get("name", ""),
    }


# --- decisions ---------------------------------------------------------------------------


def publicity_end(day):
    return WorkingCalendar.load().add_working_days(day, PUBLICITY_WORKING_DAYS)


def approve(bulletin, user=None):
    """Publish `bulletin`'s ranking: the month's notice in force from now."""
    if bulletin.kind != BulletinKind.MONTHLY:
        raise NoticeRefused("只有月度考评排名通报可以公示。")
    month = bulletin.period_start
    if bulletin.superseded_at is not None:  # a corrected edition replaced it: publish that one
        raise NoticeRefused(f"{month_label(month)}的这一版通报已被更正，请公示最新的更正版。")
    if bulletin.missing_data and not bulletin.data_completed_at:
        raise NoticeRefused(
            f"{month_label(month)}的通报是按不完整数据生成的，请待数据补齐后的更正版再公示。"
        )
    refused = NoticeRefused(f"{month_label(month)}的评比结果已经公示；如需更换，请先撤回。")
    if RankingNotice.objects.in_force().filter(month=month).exists():
        raise refused
    now = timezone.now()
    try:
        with transaction.atomic():
            notice = RankingNotice.objects.create(
                month=month,
                bulletin=bulletin,
                title=notice_title(month),
                content=public_content(bulletin),
                approved_by=user,
                approved_at=now,
                publicity_ends=publicity_end(timezone.localdate(now)),
            )
    except IntegrityError:  # another manager approved the month a moment earlier
        raise refused from None
    logger.info("评比公示已发布：%s（%s）", notice.title, user)
    try:
        award_red_flag(bulletin)  # the winner's photo in 窗口风采, public with the ranking
    except Exception as error:  # the notice stands; the owners put the photo in by hand
        from supervision.delivery import alert_owners

        alert_owners(f"评比公示已发布，但流动红旗未能加入窗口风采：{notice.title}", repr(error))
    return notice


def withdraw(notice, reason, user=None):
    """Take `notice` off every public page at once; it stays on record with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise NoticeRefused("请填写撤回原因。")
    if len(reason) > MAX_REASON_LENGTH:
        raise NoticeRefused(f"撤回原因最多 {MAX_REASON_LENGTH} 个字。")
    if not notice.in_force:
        raise NoticeRefused("该公示已经撤回。")
    notice.withdrawn_at = timezone.now()
    notice.withdrawn_by = user
    notice.withdrawal_reason = reason
    # save(), not update(): the post_save signal retires the public pages' cache.
    notice.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    withdraw_red_flags(notice.month)  # the month's winner leaves 窗口风采 with its ranking
    logger.info("评比公示已撤回：%s（%s）", notice.title, reason)
    return notice


def withdraw_month(month, reason, user=None):
    """Withdraw the notice in force for `month`, if any (a corrected edition was issued)."""
    notice = RankingNotice.objects.in_force().filter(month=month).first()
    return notice and withdraw(notice, reason, user)


# --- what the public reads ---------------------------------------------------------------


def in_force_for(month):
    return RankingNotice.objects.in_force().filter(month=month).first()


def latest():
    return RankingNotice.objects.in_force().order_by("-month").first()


def parse_month(text):
    """ "2026-10" → 2026-10-01, or None for anything that is not a month."""
    try:
        return datetime.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        return None


def window_honours():
    """The honours each window holds now, from the latest notice in force: {window number:
    {"text", "url"}} for the line under its photo in 窗口风采 (cms.window_honours)."""
    notice = latest()
    if notice is None:
        return {}
    content, label = notice.content, month_label(notice.month)
    url = f"/pingbi/{notice.slug}/"
    held = {}
    if content["red_flag"]:
        held.setdefault(content["red_flag"]["number"], []).append("流动红旗")
    for row in content["commended"]:
        held.setdefault(row["number"], []).append(f"通报表扬（第{row['rank']}名）")
    return {
        number: {"text": f"{label}窗口服务评比：{'、'.join(honours)}", "url": url}
        for number, honours in held.items()
    }


def notice_context(notice, *, for_pdf=False):
    home = HomePage.objects.live().first()
    approved_on = timezone.localdate(notice.approved_at)
    return {
        "notice": notice,
        "c": notice.content,
        "period": month_label(notice.month),
        "centre_name": settings.WAGTAIL_SITE_NAME,
        "issuing_office": settings.WAGTAIL_SITE_NAME,
        "approved_on": approved_on,
        "publicity_days": PUBLICITY_WORKING_DAYS,
        "hotline": (home.hotline if home else "") or "12345",
        "for_pdf": for_pdf,
    }


def notice_pdf(notice):
    """The printed notice: rendered once and kept with the notice."""
    if not notice.pdf:
        rendered = render_pdf(
            PRINT_TEMPLATE,
            notice_context(notice, for_pdf=True),
            base_url=settings.WAGTAILADMIN_BASE_URL,
        )
        name = notice.pdf.storage.save(
            f"pingbi/{notice.month:%Y}/pingbi-{notice.slug}-{notice.pk}.pdf",
            ContentFile(rendered.data),
        )
        # update(), not save(): a PDF kept changes nothing the public sees, so the page cache
        # stays (a save would retire it through the post_save signal).
        RankingNotice.objects.filter(pk=notice.pk).update(pdf=name)
        notice.pdf.name = name
    return notice.pdf

"""Corrected editions (更正版): a period's bulletin made again from the current data.

    reissue(bulletin, reason, user=None) → the next edition, delivered

The new edition keeps the period's issue number, states its reason and what moved against the
edition before (ranks and scores for the monthly ranking, the summary figures for the daily
and weekly bulletins; `describe_changes`), and its PDF reads 第N期（更正版，第2版） with a
本期更正说明 box. It goes to whoever the earlier editions were addressed to, nobody new
(supervision.delivery.recipients), each once. Both editions stay in the archive; the older is
marked superseded. For the monthly ranking a window that no longer wins loses the month's
red flag in 窗口风采 at once, and `bulletin_reissued` (supervision.signals) is sent for what
was published from the earlier edition: the month's 评比公示 is withdrawn, and with it the
month's flag, until a manager approves the corrected ranking (supervision.notices).

A bulletin made 数据不完整 (readiness) is reissued by the scheduled job once its data is in
(`reissue_completed`, reason 补齐数据后更正); when the late data changes nothing, no edition is
made and the bulletin records when its data was completed.
"""

import json
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from supervision.bulletins.making import compile_content, current_edition, render
from supervision.bulletins.readiness import data_status
from supervision.choices import BulletinKind
from supervision.models import Bulletin

logger = logging.getLogger(__name__)

COMPLETED_REASON = "补齐数据后更正"
MAX_REASON = Bulletin._meta.get_field("correction_reason").max_length


class NothingChanged(Exception):
    """The period's figures, computed now, are those of its current edition."""


def reissue(bulletin, reason, user=None):
    """Make, render and deliver the next edition of `bulletin`'s period from the current
    data; returns it. Raises ValueError for an empty or too long reason, NothingChanged when
    the figures are those of the current edition. Two workers at once: one edition is made,
    the other call returns it."""
    from supervision import delivery
    from supervision.gallery import withdraw_red_flags
    from supervision.signals import bulletin_reissued

    reason = " ".join(reason.split())
    if not reason:
        raise ValueError("请填写更正原因。")
    if len(reason) > MAX_REASON:
        raise ValueError(f"更正原因不能超过{MAX_REASON}个字。")
    kind = BulletinKind(bulletin.kind)
    previous = current_edition(kind, bulletin.period_start)
    start, end = previous.period_start, previous.period_end
    rules, content = compile_content(kind, start, end)
    content = json.loads(json.dumps(content))  # as stored: tuples become lists
    if content == previous.content:
        raise NothingChanged(f"与{previous.issue_label}相比，各项数据没有变化，无需更正。")
    changes = describe_changes(kind, previous.content, content)
    missing = [state.as_stored() for state in data_status(kind, start, end).missing]
    try:
        with transaction.atomic():
            edition = Bulletin.objects.create(
                kind=kind,
                period_start=start,
                period_end=end,
                issue_number=previous.issue_number,
                title=previous.title,
                rules=rules,
                content=content,
                edition=previous.edition + 1,
                correction_reason=reason,
                changes=changes,
                reissued_by=user,
                missing_data=missing,
            )
            Bulletin.objects.filter(pk=previous.pk).update(superseded_at=timezone.now())
            if rules.first_used_at is None:
                type(rules).objects.filter(pk=rules.pk).update(first_used_at=timezone.now())
    except IntegrityError:  # another worker made this edition first: theirs stands
        return current_edition(kind, start)
    logger.info("督查简报更正：%s %s（%s）", edition.title, edition.issue_label, reason)
    render(edition)
    if kind == BulletinKind.MONTHLY:
        # A window that no longer wins loses the month's flag now; the notice in force (and
        # with it every flag of the month) is withdrawn by the signal below, and the corrected
        # winner gets the flag when a manager approves the corrected ranking.
        flag = edition.content.get("red_flag")
        withdraw_red_flags(start, keep_window_id=flag and flag["unit_id"])
    for receiver, error in bulletin_reissued.send_robust(
        sender=Bulletin, previous=previous, bulletin=edition
    ):
        if error is not None:
            delivery.alert_owners(
                f"督查简报更正后续处理失败：{edition.title}",
                f"{receiver.__module__}.{receiver.__qualname__}: {type(error).__name__}: {error}",
            )
    delivery.deliver(edition)
    return edition


def reissue_completed(kind):
    """The scheduled job's step: each current bulletin of `kind` made 数据不完整 whose data is
    in now (or confirmed by a manager) gets its corrected edition, or — when the late data
    changed nothing — its completion recorded. Returns the editions made."""
    made = []
    incomplete = Bulletin.objects.filter(
        kind=kind, superseded_at__isnull=True, data_completed_at__isnull=True
    ).exclude(missing_data=[])
    for bulletin in incomplete.order_by("period_start"):
        if not data_status(kind, bulletin.period_start, bulletin.period_end).ready:
            continue
        try:
            made.append(reissue(bulletin, COMPLETED_REASON))
        except NothingChanged:
            Bulletin.objects.filter(pk=bulletin.pk).update(data_completed_at=timezone.now())
            logger.info("%s 数据已补齐，内容无变化，不发更正版。", bulletin)
    return made


# --- What changed, in words -------------------------------------------------------------

# (key in the content, label, unit) of the figures each kind states in its summary.
OVERVIEW = [
    ("cases", "受理办件", "件"),
    ("completed", "办结办件", "件"),
    ("evaluations", "有效评价", "条"),
    ("evaluation_rate", "评价率", "%"),
    ("satisfaction", "满意率", "%"),
    ("bad_reviews", "差评", "条"),
    ("overdue", "超期办件", "件"),
    ("red", "红灯办件", "件"),
    ("findings", "巡查发现问题", "条"),
]
DAILY = [
    ("rounds", "巡查次数", "次"),
    ("finding_count", "发现问题", "条"),
    ("deduction", "扣分", "分"),
    ("windows_concerned", "涉及窗口", "个"),
    ("earlier_fixed", "前一工作日问题已整改", "条"),
    ("earlier_unfixed", "前一工作日问题未整改", "条"),
    ("red_light", "红灯办件", "件"),
    ("yellow_light", "黄灯办件", "件"),
]
WEEKLY = [
    ("rounds", "巡查次数", "次"),
    ("finding_count", "发现问题", "条"),
    ("fix_rate", "按期整改率", "%"),
    ("unfixed", "未整改问题", "条"),
    ("evaluations", "有效评价", "条"),
    ("bad_review_count", "差评", "条"),
    ("red_light", "红灯办件", "件"),
    ("yellow_light", "黄灯办件", "件"),
]


def _figure(value, unit):
    return "—" if value is None else f"{value}{unit}"


def _figure_changes(figures, before, after):
    return [
        f"{label}：{_figure(before.get(key), unit)} → {_figure(after.get(key), unit)}"
        for key, label, unit in figures
        if before.get(key) != after.get(key)
    ]


def _summary(kind, content):
    """The figures of a daily or weekly bulletin, flattened for comparison."""
    figures = dict(content)
    lights = content.get("lights") or {}
    figures["red_light"], figures["yellow_light"] = lights.get("red"), lights.get("yellow")
    if kind == BulletinKind.DAILY:
        figures["rounds"] = len(content.get("rounds", []))
    else:
        figures["bad_review_count"] = len(content.get("bad_reviews", []))
    return figures


def _ranking_changes(before_rows, after_rows):
    before = {row["unit_id"]: row for row in before_rows}
    after_ids = {row["unit_id"] for row in after_rows}
    lines = []
    for row in after_rows:
        old = before.get(row["unit_id"])
        if old is None:
            lines.append(f"{row['label']}：新列入排名，第{row['rank']}名，{row['score']}分")
            continue
        moved = []
        if old["score"] != row["score"]:
            moved.append(f"得分 {old['score']} → {row['score']}")
        if old["rank"] != row["rank"]:
            moved.append(f"排名 第{old['rank']}名 → 第{row['rank']}名")
        if moved:
            lines.append(f"{row['label']}：{'，'.join(moved)}")
    lines += [
        f"{row['label']}：不再列入排名" for row in before_rows if row["unit_id"] not in after_ids
    ]
    return lines


def describe_changes(kind, before, after):
    """What moved from content `before` to content `after`, one line each, in words."""
    if kind == BulletinKind.MONTHLY:
        lines = _figure_changes(OVERVIEW, before.get("overview", {}), after.get("overview", {}))
        for level, heading in (("windows", "窗口排名"), ("departments", "部门排名")):
            moved = _ranking_changes(before.get(level, []), after.get(level, []))
            lines += [f"{heading} · {line}" for line in moved]
        flag_before = (before.get("red_flag") or {}).get("label") or "无"
        flag_after = (after.get("red_flag") or {}).get("label") or "无"
        if flag_before != flag_after:
            lines.append(f"流动红旗：{flag_before} → {flag_after}")
        if before.get("warned", []) != after.get("warned", []):
            warned_before = "、".join(before.get("warned", [])) or "无"
            warned_after = "、".join(after.get("warned", [])) or "无"
            lines.append(f"列入督办：{warned_before} → {warned_after}")
    else:
        figures = DAILY if kind == BulletinKind.DAILY else WEEKLY
        lines = _figure_changes(figures, _summary(kind, before), _summary(kind, after))
    if not lines:
        lines = ["汇总数字未变，明细表内容有更新。"]
    return lines

"""Is a period's data in? Readiness before sending (docs/supervision.md, "Waiting for the data").

Each kind of bulletin declares the hall data it is made from (NEEDS):

| kind | sources | why |
| --- | --- | --- |
| daily | inspections | it reports the day's patrols and findings; its red cases are older cases |
| weekly | inspections, evaluations, cases | findings by category, the week's bad reviews, red cases |
| monthly | evaluations, cases, inspections | the ranking scores all three |

A source is in for a period when its newest record is dated on or after the period's last
working day: the hall's systems export by day, so a file exported after the period ended
reaches that day (a record dated later counts too). The import log (ImportRun) is not asked:
an import made after the period ended may still carry an export made before it, and a
bulletin wrongly thought complete is the failure this check exists to prevent; a late file
with a quiet last day waits, and a manager confirms that the period's data is complete
(DataConfirmation, from the 督查看板) for a source that legitimately has nothing.

The scheduled job (supervision.tasks) waits while a source is missing, re-checking every 15
minutes, until the deadline: the kind's schedule time on the day after the period ends (the
moment the schedule makes it: daily 08:00, weekly Monday 08:30, monthly the 1st 09:00, as
定时任务 sets them) plus the hours of 简报设置 (BulletinSettings). Past it the bulletin is made
from what there is, marked 数据不完整 with the missing sources in words, and the owners are
alerted. Once the data is in, supervision.bulletins.editions makes its corrected edition.
"""

import dataclasses
import datetime
import logging

from django.db.models import Max
from django.utils import timezone

from supervision.bulletins.periods import latest_complete_period, period_label, period_of
from supervision.choices import BulletinKind
from supervision.models import (
    Bulletin,
    BulletinSettings,
    Case,
    DataConfirmation,
    Evaluation,
    InspectionRound,
)
from supervision.workdays import WorkingCalendar

logger = logging.getLogger(__name__)

SOURCES = {"inspections": "巡查记录", "evaluations": "好差评", "cases": "办件"}
NEEDS = {
    BulletinKind.DAILY: ("inspections",),
    BulletinKind.WEEKLY: ("inspections", "evaluations", "cases"),
    BulletinKind.MONTHLY: ("evaluations", "cases", "inspections"),
}
ONE_DAY = datetime.timedelta(days=1)


def _day(value):
    return f"{value.month}月{value.day}日"


@dataclasses.dataclass(frozen=True)
class SourceState:
    """One source of one period: its newest record, the day it must reach, whether it is in."""

    source: str
    latest: datetime.date | None
    needed: datetime.date | None  # the period's last working day; None: no working day
    ready: bool

    @property
    def label(self):
        return SOURCES[self.source]

    @property
    def text(self):
        """The source's state in words, as the 数据不完整 notice and the alert print it."""
        if self.needed is None:
            return f"{self.label}：本期无工作日，无需等待"
        if self.ready:
            return (
                f"{self.label}：已导入至{_day(self.latest)}"
                if self.latest
                else f"{self.label}：已导入"
            )
        newest = f"最新记录为{_day(self.latest)}" if self.latest else "尚无任何记录"
        return f"{self.label}：{newest}，未覆盖本期最后一个工作日（{_day(self.needed)}）"

    def as_stored(self):
        """What Bulletin.missing_data keeps of a missing source."""
        latest = self.latest and self.latest.isoformat()
        return {"source": self.source, "label": self.label, "latest": latest, "text": self.text}


@dataclasses.dataclass(frozen=True)
class DataStatus:
    kind: str
    start: datetime.date
    end: datetime.date
    sources: list
    confirmation: DataConfirmation | None
    scheduled_at: datetime.datetime
    deadline: datetime.datetime

    @property
    def ready(self):
        return self.confirmation is not None or all(state.ready for state in self.sources)

    @property
    def missing(self):
        """The sources still missing (none once a manager confirmed the period)."""
        if self.confirmation is not None:
            return []
        return [state for state in self.sources if not state.ready]

    @property
    def label(self):
        return period_label(self.kind, self.start, self.end)

    def waiting(self, now):
        """Whether the job should wait for this period's data at `now`."""
        return not self.ready and now < self.deadline


def latest_dates():
    """The newest record's date (Asia/Shanghai) of each source: one MAX on an index each."""

    def local(moment):
        return moment and timezone.localdate(moment)

    cases = [
        local(Case.objects.aggregate(newest=Max(field))["newest"])
        for field in ("accepted_at", "completed_at")
    ]
    return {
        "inspections": InspectionRound.objects.aggregate(newest=Max("date"))["newest"],
        "evaluations": local(Evaluation.objects.aggregate(newest=Max("evaluated_at"))["newest"]),
        "cases": max((day for day in cases if day), default=None),
    }


def last_working_day(start, end, calendar):
    day = end
    while day >= start:
        if calendar.is_working_day(day):
            return day
        day -= ONE_DAY
    return None


def schedule_time(kind):
    """(hour, minute) at which the kind's schedule runs: as edited in 定时任务, else the
    time supervision.install gives it."""
    from django_q.models import Schedule

    from supervision.install import SCHEDULES

    for name, schedule_kind, _, _, hour, minute in SCHEDULES:
        if schedule_kind == kind:
            next_run = Schedule.objects.filter(name=name).values_list("next_run", flat=True)
            if next_run.first():
                local = timezone.localtime(next_run.first())
                return local.hour, local.minute
            return hour, minute
    raise ValueError(kind)


def scheduled_at(kind, end, time=None):
    """When the schedule makes the bulletin of the period ending `end`: its time on the next
    day (daily runs every day, weekly on Monday, monthly on the 1st: all the day after)."""
    hour, minute = time or schedule_time(kind)
    moment = datetime.datetime.combine(end + ONE_DAY, datetime.time(hour, minute))
    return timezone.make_aware(moment)


def data_status(kind, start, end, *, latest=None, calendar=None, time=None):
    """Per source of `kind`, whether the data of the period start–end is in; and the period's
    deadline. `latest`, `calendar` and `time` may be passed in when checking many periods."""
    kind = BulletinKind(kind)
    latest = latest_dates() if latest is None else latest
    calendar = calendar or WorkingCalendar.load()
    needed = last_working_day(start, end, calendar)
    sources = [
        SourceState(
            source=source,
            latest=latest[source],
            needed=needed,
            ready=needed is None  # no working day: nothing to wait for
            or (latest[source] is not None and latest[source] >= needed),
        )
        for source in NEEDS[kind]
    ]
    scheduled = scheduled_at(kind, end, time)
    return DataStatus(
        kind=kind,
        start=start,
        end=end,
        sources=sources,
        confirmation=DataConfirmation.objects.filter(kind=kind, period_start=start).first(),
        scheduled_at=scheduled,
        deadline=scheduled + BulletinSettings.wait_for(kind),
    )


def is_scheduled(kind, day, now):
    """Whether the schedule's time for the period containing `day` has come: the 15-minute
    check must not make a bulletin before its schedule would."""
    return scheduled_at(kind, period_of(kind, day)[1]) <= now


def make_when_ready(kind, day, now):
    """The bulletin of the period containing `day`, made when its data is in or its deadline
    has passed (then marked 数据不完整, and the owners alerted once); None while waiting. A
    bulletin already made is finished (PDF) and returned."""
    from supervision.bulletins.making import _make, current_edition
    from supervision.delivery import alert_owners

    kind = BulletinKind(kind)
    start, end = period_of(kind, day)
    if current_edition(kind, start) is not None:
        return _make(kind, day)[0]
    status = data_status(kind, start, end)
    if status.waiting(now):
        logger.info(
            "%s（%s）等待数据：%s；最迟 %s 生成",
            kind.label,
            status.label,
            "；".join(state.text for state in status.missing),
            timezone.localtime(status.deadline).strftime("%Y-%m-%d %H:%M"),
        )
        return None
    missing = status.missing
    bulletin, created = _make(kind, day, [state.as_stored() for state in missing])
    if created and missing:
        deadline = timezone.localtime(status.deadline)
        alert_owners(
            f"{kind.label}（{status.label}）数据不完整",
            f"截至 {deadline:%Y-%m-%d %H:%M}（简报设置中的最长等待时间）以下数据仍未导入齐全，"
            f"已按现有数据生成并发送{bulletin.issue_label}，简报上注明“数据不完整”：\n"
            + "\n".join(f"- {state.text}" for state in missing)
            + "\n\n数据导入后系统自动核对，数字有变化时向原收件人发送更正版；"
            "如该数据确实没有，请在督查看板中确认“数据已齐”。",
        )
    return bulletin


def recent_periods(kind, today, count):
    """The latest `count` complete periods of `kind` (working days for the daily), newest
    first, as (start, end)."""
    kind = BulletinKind(kind)
    start, end = latest_complete_period(kind, today)
    periods = []
    while len(periods) < count:
        periods.append((start, end))
        start, end = latest_complete_period(kind, start)
    return periods


# How many periods the 督查看板 shows per kind.
SHOWN = {BulletinKind.DAILY: 5, BulletinKind.WEEKLY: 4, BulletinKind.MONTHLY: 3}


def dashboard_rows(now=None):
    """Per kind, its latest periods as the 督查看板 shows them: data status, and whether the
    bulletin is made, waiting (until when), or made 数据不完整."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    latest, calendar = latest_dates(), WorkingCalendar.load()
    kinds = []
    for kind in BulletinKind:
        time = schedule_time(kind)
        first = (
            Bulletin.objects.filter(kind=kind)
            .order_by("period_start")
            .values_list("period_start", flat=True)
            .first()
        )
        rows = []
        for index, (start, end) in enumerate(recent_periods(kind, today, SHOWN[kind])):
            status = data_status(kind, start, end, latest=latest, calendar=calendar, time=time)
            bulletin = (
                Bulletin.objects.filter(kind=kind, period_start=start).order_by("-edition").first()
            )
            # due_periods: never before the kind's first bulletin; a new installation starts
            # with the latest period.
            skipped = start < first if first else index > 0
            state, warn = _state(status, bulletin, skipped, now)
            # Nothing to confirm for a period that will never be made (before the first one).
            can_confirm = not status.ready and (
                (bulletin is None and not skipped)
                or (bool(bulletin) and bulletin.missing_data and not bulletin.data_completed_at)
            )
            rows.append(
                {
                    "status": status,
                    "bulletin": bulletin,
                    "state": state,
                    "warn": warn,
                    "can_confirm": can_confirm,
                }
            )
        kinds.append({"kind": kind, "label": kind.label, "rows": rows})
    return kinds


def _when(moment):
    local = timezone.localtime(moment)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def _state(status, bulletin, skipped, now):
    """(what the dashboard says of the period, whether it is a warning)."""
    if bulletin is not None:
        made = f"已生成{bulletin.issue_label}"
        if bulletin.missing_data and bulletin.data_completed_at:
            completed = _when(bulletin.data_completed_at)
            return f"{made}（生成时数据不完整，{completed}已补齐，内容无变化）", False
        if bulletin.missing_data:
            missing = "、".join(source["label"] for source in bulletin.missing_data)
            return f"{made}，数据不完整（缺{missing}），补齐后如有变化自动发送更正版", True
        return made, False
    if skipped:
        return "早于本系统的第一期简报，不生成", False
    if status.scheduled_at > now:
        return f"未到生成时间（{_when(status.scheduled_at)}）", False
    if status.ready:
        return "数据已齐，待生成（15分钟内）", False
    if status.waiting(now):
        return f"等待数据，最迟{_when(status.deadline)}生成", True
    return "已过等待截止时间，下次运行时按现有数据生成（数据不完整）", True

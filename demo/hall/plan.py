"""The hall plan: who works where, each window's profile, the inspection rounds, and the
rows of each day, drawn from seeded random streams (see `demo.hall`)."""

import bisect
import datetime
import itertools
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from demo.hall.draws import (
    apportion,
    dates,
    month_end,
    pick,
    seconds_in_hours,
    session_end,
    staff_name,
)
from demo.hall.profile import (
    AFTER_HOLIDAY_LOAD,
    APPEAL_SHARE,
    BAD_COMMENTS,
    BAD_RATING,
    BEYOND_LEGAL_SHARE,
    CATEGORIES,
    CATEGORY_CUM,
    CHANNEL_CUM,
    CHANNELS,
    EVALUATED_SHARE,
    EXPLICIT_DEDUCTION_CUM,
    EXPLICIT_DEDUCTION_SHARE,
    EXPLICIT_DEDUCTIONS,
    FAIR_COMMENTS,
    FAIRLY_SATISFIED,
    FINDING_TEXTS,
    FOLLOW_UP_SHARE,
    FOLLOW_UPS,
    GOOD_COMMENTS,
    INSPECTORS,
    INSTANT_SHARE,
    LATE_CASE_RATING_CUM,
    LATE_SHARE,
    NO_APPEAL,
    ONE_DAY,
    POOR_WINDOW_RATING_CUM,
    RATING_CUM,
    RATINGS,
    UPHELD_FOLLOW_UP,
    WEEKDAY_LOAD,
)
from supervision.choices import (
    Appeal,
    InspectionKind,
)


@dataclass(eq=False)
class Item:
    """A service item a window handles, with its limits in working days."""

    code: str
    name: str
    department_id: int
    promised_days: int
    legal_days: int


@dataclass(eq=False)
class StaffMember:
    number: str
    name: str
    window: "HallWindow"
    department_id: int
    pk: int | None = None


@dataclass(eq=False)
class HallWindow:
    pk: int
    number: str
    comprehensive: bool
    department_ids: list
    instant_items: list
    standard_items: list
    staff: list = field(default_factory=list)
    traffic: float = 1.0
    offender: float = 1.0
    rating_cum: list = field(default_factory=lambda: RATING_CUM)
    late_factor: float = 1.0
    instant_share: float = INSTANT_SHARE


@dataclass(eq=False)
class PlannedRound:
    date: datetime.date
    kind: str
    inspectors: str
    note: str
    findings: int


class HallPlan:
    """Everything decided before the first row: who works where, each window's profile,
    the rounds and how many findings each makes, how many cases and evaluations each day
    gets. `generate()` then yields the rows one day at a time."""

    def __init__(
        self,
        windows,
        calendar,
        start,
        end,
        *,
        evaluations_per_day,
        cases_per_day,
        findings_per_month,
        seed=2026,
        staff=None,
        evaluation_prefix="PJ",
        case_prefix="SL",
    ):
        if end < start:
            raise ValueError("end is before start")
        self.windows, self.calendar, self.start, self.end = windows, calendar, start, end
        self.seed = seed
        # Numbers: SL + acceptance date + sequence (受理), PJ + evaluation date + sequence.
        self.evaluation_prefix, self.case_prefix = evaluation_prefix, case_prefix
        self.days = [d for d in dates(start, end) if calendar.is_working_day(d)]
        self.tz = timezone.get_default_timezone()
        self._midnights = {}

        if staff is None:
            self.staff = plan_staff(windows, random.Random(f"{seed}:staff"))
        else:
            self.staff = staff
        for window in windows:
            window.staff = [s for s in self.staff if s.window is window]
        self._profile_windows(random.Random(f"{seed}:windows"))
        self.staffed = [w for w in windows if w.staff]
        self.staffed_cum = list(itertools.accumulate(w.traffic for w in self.staffed))
        self._day_codes = {day: f"{day:%Y%m%d}" for day in dates(start, end + 30 * ONE_DAY)}

        rng = random.Random(f"{seed}:rounds")
        self.rounds = self._plan_rounds(rng, findings_per_month)
        self.rounds_on = defaultdict(list)
        for planned in self.rounds:
            self.rounds_on[planned.date].append(planned)

        rng = random.Random(f"{seed}:load")
        loads, previous = [], None
        for day in self.days:
            load = WEEKDAY_LOAD[day.weekday()] * rng.uniform(0.9, 1.1)
            if previous is not None and (day - previous).days > 3:
                load *= AFTER_HOLIDAY_LOAD
            loads.append(load)
            previous = day
        self.case_counts = apportion(round(cases_per_day * len(self.days)), loads)
        noisy = [load * rng.uniform(0.95, 1.05) for load in loads]
        self.evaluation_counts = apportion(round(evaluations_per_day * len(self.days)), noisy)
        share = evaluations_per_day / cases_per_day if cases_per_day else 0
        self.evaluated_share = min(EVALUATED_SHARE, share)

    def planned_rows(self):
        return (
            len(self.staff)
            + len(self.rounds)
            + sum(r.findings for r in self.rounds)
            + sum(self.case_counts)
            + sum(self.evaluation_counts)
        )

    def _profile_windows(self, rng):
        for window in self.windows:
            window.traffic = (1.6 if window.comprehensive else 1.0) * rng.uniform(0.6, 1.4)
        # Repeat offenders: a tenth of the windows make most findings; a quarter now and then.
        order = list(self.windows)
        rng.shuffle(order)
        offenders = max(1, round(len(order) * 0.1))
        occasional = round(len(order) * 0.25)
        for i, window in enumerate(order):
            window.offender = 10.0 if i < offenders else 1.5 if i < offenders + occasional else 0.25
        # Two windows (not the offenders) with worse ratings and more late cases.
        for window in order[-2:] if len(order) > 2 else []:
            window.rating_cum = POOR_WINDOW_RATING_CUM
            window.late_factor = 3.0
        # A window with both kinds of item takes 即办件 often enough that, over the whole hall,
        # 76% of cases are 即办件 (some windows have only one kind).
        total = sum(w.traffic for w in self.windows)
        only_instant = sum(w.traffic for w in self.windows if not w.standard_items) / total
        both = sum(w.traffic for w in self.windows if w.instant_items and w.standard_items) / total
        share = (INSTANT_SHARE - only_instant) / both if both else INSTANT_SHARE
        for window in self.windows:
            window.instant_share = min(1.0, max(0.0, share))
        self.traffic_cum = list(itertools.accumulate(w.traffic for w in self.windows))
        self.offender_cum = list(itertools.accumulate(w.offender for w in self.windows))

    def _plan_rounds(self, rng, findings_per_month):
        """A daily round every working day; each month two centralised rounds and one to three
        surprise checks. A month's findings go to its rounds, more to the bigger rounds."""
        rounds = []
        by_month = defaultdict(list)
        for day in self.days:
            by_month[day.year, day.month].append(day)
        for (year, month), days in sorted(by_month.items()):
            month_days = [
                d
                for d in dates(datetime.date(year, month, 1), month_end(year, month))
                if self.calendar.is_working_day(d)
            ]
            fraction = len(days) / len(month_days)
            planned = [(day, InspectionKind.DAILY.value, 1.0) for day in days]
            for kind, count, weight in (
                (InspectionKind.CENTRALISED.value, round(2 * fraction), 4.0),
                (InspectionKind.SURPRISE.value, round(rng.randint(1, 3) * fraction), 2.0),
            ):
                for day in sorted(rng.sample(days, min(count, len(days)))):
                    planned.append((day, kind, weight))
            planned.sort(key=lambda p: (p[0], p[1]))
            findings = Counter(
                rng.choices(
                    range(len(planned)),
                    weights=[p[2] for p in planned],
                    k=round(findings_per_month * fraction),
                )
            )
            for i, (day, kind, _weight) in enumerate(planned):
                count = findings[i]
                inspectors = "督查科 " + "、".join(rng.sample(INSPECTORS, 2))
                label = InspectionKind(kind).label
                result = f"发现问题{count}处" if count else "未发现问题"
                if kind == InspectionKind.SURPRISE:
                    note = f"{label}窗口{min(len(self.windows), 10)}个，{result}。"
                else:
                    note = f"{label}窗口{len(self.windows)}个，{result}。"
                rounds.append(PlannedRound(day, kind, inspectors, note, count))
        return rounds

    # Times -------------------------------------------------------------------------------

    def day_code(self, day):
        code = self._day_codes.get(day)
        if code is None:
            code = self._day_codes[day] = f"{day:%Y%m%d}"
        return code

    def moment(self, day, seconds):
        """The aware instant `seconds` after local midnight of `day`."""
        midnight = self._midnights.get(day)
        if midnight is None:
            midnight = datetime.datetime.combine(day, datetime.time(), tzinfo=self.tz)
            midnight = self._midnights[day] = midnight.astimezone(datetime.UTC)
        # Asia/Shanghai has no daylight saving time, so adding seconds to midnight is exact.
        return midnight + datetime.timedelta(seconds=seconds)

    # Rows --------------------------------------------------------------------------------

    def generate(self):
        """Yield (findings, cases, evaluations) for each working day, as neutral rows: windows
        and staff are objects (their pk or number is picked by the writer)."""
        rng = random.Random(f"{self.seed}:days")
        evaluation_seq = Counter()  # date → last number used that day
        linked_on = Counter()  # date → evaluations of cases already made for that day
        carry = 0
        for i, day in enumerate(self.days):
            findings = self._findings(rng, day)
            cases, evaluations = self._cases(
                rng, day, self.case_counts[i], evaluation_seq, linked_on
            )
            # Evaluations of cases count towards the day's evaluations; the rest rate
            # untracked 即办件. A day with more case evaluations than its share borrows from
            # the next days.
            quota = self.evaluation_counts[i] - linked_on.pop(day, 0) + carry
            carry = min(quota, 0)
            evaluations += self._untracked_evaluations(rng, day, max(quota, 0), evaluation_seq)
            evaluation_seq.pop(day, None)
            yield findings, cases, evaluations

    def _findings(self, rng, day):
        rows, seq = [], 0
        for planned in self.rounds_on.get(day, ()):
            round_seconds = seconds_in_hours(rng)
            for _ in range(planned.findings):
                seq += 1
                window = self.windows[
                    bisect.bisect(self.offender_cum, rng.random() * self.offender_cum[-1])
                ]
                category = CATEGORIES[bisect.bisect(CATEGORY_CUM, rng.random() * CATEGORY_CUM[-1])]
                text = rng.choice(FINDING_TEXTS[category])
                staff = None
                if "{name}" in text or (window.staff and rng.random() < 0.3):
                    staff = rng.choice(window.staff) if window.staff else None
                minutes = rng.choice((5, 8, 10, 15, 20, 30))
                description = text.format(
                    time=f"{round_seconds // 3600}:{round_seconds % 3600 // 60:02d}",
                    name=f"{staff.name}（{staff.number}）" if staff else "窗口工作人员",
                    minutes=minutes,
                )
                deduction = None
                if rng.random() < EXPLICIT_DEDUCTION_SHARE:
                    x = rng.random() * EXPLICIT_DEDUCTION_CUM[-1]
                    deduction = EXPLICIT_DEDUCTIONS[bisect.bisect(EXPLICIT_DEDUCTION_CUM, x)]
                allowed = rng.randint(1, 3)
                fix_deadline = self.calendar.add_working_days(day, allowed)
                fixed_at = None
                r = rng.random()
                if r < 0.9:  # most are fixed, a few of them late; the rest stay open
                    after = rng.randint(0, allowed) if r < 0.83 else allowed + rng.randint(1, 3)
                    fixed_on = self.calendar.add_working_days(day, after)
                    fixed_seconds = seconds_in_hours(rng)
                    if after == 0:
                        fixed_seconds = max(fixed_seconds, round_seconds + 600)
                        fixed_seconds = min(fixed_seconds, session_end(round_seconds) - 1)
                    if fixed_on <= self.end:
                        fixed_at = self.moment(fixed_on, fixed_seconds)
                department_id = staff.department_id if staff else rng.choice(window.department_ids)
                rows.append(
                    (
                        f"XC{self.day_code(day)}{seq:04d}",
                        (planned.date, planned.kind),
                        window,
                        department_id,
                        staff,
                        category,
                        description,
                        deduction,
                        fix_deadline,
                        fixed_at,
                    )
                )
        return rows

    def _cases(self, rng, day, count, evaluation_seq, linked_on):
        cases, evaluations = [], []
        calendar, end = self.calendar, self.end
        times = sorted(seconds_in_hours(rng) for _ in range(count))
        for seq, seconds in enumerate(times, start=1):
            window = self.windows[
                bisect.bisect(self.traffic_cum, rng.random() * self.traffic_cum[-1])
            ]
            instant = window.instant_items and (
                not window.standard_items or rng.random() < window.instant_share
            )
            item = rng.choice(window.instant_items if instant else window.standard_items)
            promised, legal = item.promised_days, item.legal_days
            r = rng.random() / window.late_factor
            if r < BEYOND_LEGAL_SHARE:
                after = legal + rng.randint(1, 5)
            elif r < BEYOND_LEGAL_SHARE + LATE_SHARE:
                after = rng.randint(promised + 1, legal) if legal > promised else legal + 1
            elif promised == 0:
                after = 0
            else:
                after = 1 + int(promised * rng.random() ** 1.5)
            completed_on = calendar.add_working_days(day, after)
            if after == 0:
                done = min(seconds + rng.randint(180, 2400), session_end(seconds) - 1)
            else:
                done = seconds_in_hours(rng)
            completed_at = self.moment(completed_on, done) if completed_on <= end else None
            number = f"{self.case_prefix}{self.day_code(day)}{seq:05d}"
            cases.append(
                (
                    number,
                    item.code,
                    item.name,
                    window,
                    item.department_id,
                    self.moment(day, seconds),
                    promised,
                    legal,
                    completed_at,
                    calendar.add_working_days(day, promised),
                    calendar.add_working_days(day, legal),
                )
            )
            if completed_at is not None and rng.random() < self.evaluated_share and window.staff:
                at = min(done + rng.randint(30, 1800), session_end(done) - 1)
                rating_cum = LATE_CASE_RATING_CUM if after > promised else window.rating_cum
                linked_on[completed_on] += 1
                evaluations.append(
                    self._evaluation(
                        rng,
                        completed_on,
                        at,
                        evaluation_seq,
                        number,
                        window,
                        item.department_id,
                        pick(rng, window.staff),
                        rating_cum,
                    )
                )
        return cases, evaluations

    def _untracked_evaluations(self, rng, day, count, evaluation_seq):
        rows = []
        staffed, cum = self.staffed, self.staffed_cum
        if not staffed:
            return rows
        for seconds in sorted(seconds_in_hours(rng) for _ in range(count)):
            window = staffed[bisect.bisect(cum, rng.random() * cum[-1])]
            item = pick(rng, window.instant_items or window.standard_items)
            rows.append(
                self._evaluation(
                    rng,
                    day,
                    seconds,
                    evaluation_seq,
                    "",
                    window,
                    item.department_id,
                    pick(rng, window.staff),
                    window.rating_cum,
                )
            )
        return rows

    def _evaluation(
        self, rng, day, seconds, sequence, case_number, window, department_id, staff, rating_cum
    ):
        sequence[day] += 1
        rating = RATINGS[bisect.bisect(rating_cum, rng.random() * rating_cum[-1])]
        channel = CHANNELS[bisect.bisect(CHANNEL_CUM, rng.random() * CHANNEL_CUM[-1])]
        comment, appeal, follow_up = "", NO_APPEAL, ""
        if rating <= BAD_RATING:
            comment = rng.choice(BAD_COMMENTS)
            appeal, follow_up = self._bad_review_outcome(rng, day)
        elif rating == FAIRLY_SATISFIED:
            if rng.random() < 0.3:
                comment = rng.choice(FAIR_COMMENTS)
        elif rng.random() < 0.06:
            comment = rng.choice(GOOD_COMMENTS)
        return (
            f"{self.evaluation_prefix}{self.day_code(day)}{sequence[day]:06d}",
            case_number,
            window,
            department_id,
            staff,
            channel,
            rating,
            comment,
            self.moment(day, seconds),
            appeal,
            follow_up,
        )

    def _bad_review_outcome(self, rng, day):
        """(appeal, follow-up) of a bad review: a few appealed (the recent ones still pending),
        most followed up within two working days."""
        followed_on = self.calendar.add_working_days(day, rng.randint(1, 2))
        date = f"{followed_on.month}月{followed_on.day}日"
        recent = (self.end - day).days <= 10
        appeal = NO_APPEAL
        if rng.random() < APPEAL_SHARE:
            if recent or rng.random() < 0.1:
                appeal = Appeal.PENDING.value
            elif rng.random() < 0.35:
                return Appeal.UPHELD.value, UPHELD_FOLLOW_UP.format(date=date)
            else:
                appeal = Appeal.REJECTED.value
        if followed_on <= self.end and rng.random() < FOLLOW_UP_SHARE:
            return appeal, rng.choice(FOLLOW_UPS).format(date=date)
        return appeal, ""


def plan_staff(windows, rng):
    """3–8 staff per window, numbered window-sequence (工号 A01-03), each in one of the
    window's departments (taken in turn, so a comprehensive window has staff of each)."""
    staff, names = [], set()
    for window in windows:
        departments = list(window.department_ids)
        rng.shuffle(departments)
        for n in range(1, rng.randint(3, 8) + 1):
            name = staff_name(rng)
            while name in names:
                name = staff_name(rng)
            names.add(name)
            department_id = departments[(n - 1) % len(departments)]
            staff.append(StaffMember(f"{window.number}-{n:02d}", name, window, department_id))
    return staff

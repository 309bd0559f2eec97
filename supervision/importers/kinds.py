"""The three files the hall's systems export: evaluations (好差评), cases (办件) and inspection
findings (巡查问题). Their columns, as documented in docs/supervision-import.md."""

import dataclasses

from django.utils import timezone

from cms.models import Department, ServiceWindow
from imports import cells
from supervision.choices import Appeal, Channel, FindingCategory, InspectionKind, Rating
from supervision.importers.base import Column, Importer
from supervision.models import Case, Evaluation, Finding, InspectionRound, Staff
from supervision.workdays import WorkingCalendar, local_date


def _length(model, name):
    return model._meta.get_field(name).max_length


# PositiveSmallIntegerField's upper bound on every database Django supports.
MAX_DAYS = 32767

WINDOW = Column(
    "window",
    "窗口号",
    cells.code(_length(ServiceWindow, "number")),
    required=True,
    blank=False,
    aliases=("窗口", "窗口编号"),
)
STAFF = Column(
    "staff", "工号", cells.code(_length(Staff, "number")), aliases=("员工工号", "工作人员工号")
)
DEPARTMENT = Column(
    "department", "部门编码", cells.code(_length(Department, "code")), aliases=("部门代码",)
)


class EvaluationImporter(Importer):
    kind = "evaluations"
    date_key = "evaluated_at"
    label = "好差评"
    columns = (
        Column(
            "number",
            "评价编号",
            cells.text(_length(Evaluation, "number")),
            required=True,
            blank=False,
            aliases=("评价ID",),
        ),
        Column(
            "case_number",
            "办件编号",
            cells.text(_length(Evaluation, "case_number")),
            default="",
            aliases=("办件ID", "业务流水号"),
        ),
        WINDOW,
        STAFF,
        DEPARTMENT,
        Column(
            "channel",
            "评价渠道",
            cells.choice(
                Channel.choices,
                {"现场": "hall", "窗口": "hall", "网站": "online", "APP": "app", "手机": "app"},
            ),
            required=True,
            blank=False,
            aliases=("渠道",),
        ),
        Column(
            "rating",
            "评价等级",
            cells.rating(Rating),
            required=True,
            blank=False,
            aliases=("评价结果", "满意度"),
        ),
        Column("comment", "评价内容", cells.text(10_000), default="", aliases=("评价意见",)),
        Column(
            "evaluated_at",
            "评价时间",
            cells.moment,
            required=True,
            blank=False,
            aliases=("评价日期",),
        ),
        Column(
            "appeal",
            "申诉状态",
            cells.choice(Appeal.choices),
            default=Appeal.NONE.value,
            aliases=("申诉",),
        ),
        Column(
            "follow_up",
            "整改情况",
            cells.text(10_000),
            default="",
            aliases=("差评整改情况", "回访整改情况"),
        ),
    )
    derived_fields = ("department",)

    def build(self, values):
        window_id = self.window_id(values)
        staff_id, staff_department_id = self.staff_member(values)
        department_id = self.department_id(values, window_id, staff_department_id)
        if window_id is None or department_id is None or (values["staff"] and not staff_id):
            return None
        return {
            "number": values["number"],
            "case_number": values["case_number"],
            "window_id": window_id,
            "department_id": department_id,
            "staff_id": staff_id,
            "channel": values["channel"],
            "rating": values["rating"],
            "comment": values["comment"],
            "evaluated_at": values["evaluated_at"],
            "appeal": values["appeal"],
            "follow_up": values["follow_up"],
        }

    def write(self, records):
        return self.upsert(Evaluation, records)


class CaseImporter(Importer):
    kind = "cases"
    date_key = "accepted_at"
    label = "办件"
    columns = (
        Column(
            "number",
            "办件编号",
            cells.text(_length(Case, "number")),
            required=True,
            blank=False,
            aliases=("办件ID", "业务流水号"),
        ),
        Column(
            "item_code",
            "事项编码",
            cells.text(_length(Case, "item_code")),
            required=True,
            blank=False,
            aliases=("实施编码", "事项实施编码"),
        ),
        Column("item_name", "事项名称", cells.text(_length(Case, "item_name")), default=""),
        WINDOW,
        DEPARTMENT,
        Column(
            "accepted_at",
            "受理时间",
            cells.moment,
            required=True,
            blank=False,
            aliases=("受理日期",),
        ),
        Column(
            "promised_days",
            "承诺时限",
            cells.integer(0, MAX_DAYS),
            required=True,
            blank=False,
            aliases=("承诺时限（工作日）", "承诺办结时限"),
        ),
        Column(
            "legal_days",
            "法定时限",
            cells.integer(0, MAX_DAYS),
            required=True,
            blank=False,
            aliases=("法定时限（工作日）", "法定办结时限"),
        ),
        Column("completed_at", "办结时间", cells.moment, aliases=("办结日期",)),
    )
    derived_fields = ("department", "promised_due", "legal_due")

    def __init__(self, report, **options):
        super().__init__(report, **options)
        # bulk_create skips Case.save(): the due dates are computed here, on one calendar.
        self.calendar = WorkingCalendar.load()

    def build(self, values):
        window_id = self.window_id(values)
        department_id = self.department_id(values, window_id)
        promised, legal = values["promised_days"], values["legal_days"]
        accepted, completed = values["accepted_at"], values["completed_at"]
        valid = window_id is not None and department_id is not None
        if legal < promised:
            self.error("legal_days", f"法定时限（{legal}）不能少于承诺时限（{promised}）")
            valid = False
        if completed is not None and completed < accepted:
            self.error(
                "completed_at",
                f"办结时间早于受理时间（{timezone.localtime(accepted):%Y-%m-%d %H:%M}）",
            )
            valid = False
        if not valid:
            return None
        promised_due, legal_due = self.calendar.due_dates(accepted, promised, legal)
        return {
            "number": values["number"],
            "item_code": values["item_code"],
            "item_name": values["item_name"],
            "window_id": window_id,
            "department_id": department_id,
            "accepted_at": accepted,
            "promised_days": promised,
            "legal_days": legal,
            "completed_at": completed,
            "promised_due": promised_due,
            "legal_due": legal_due,
        }

    def write(self, records):
        return self.upsert(Case, records)


# The columns that describe a finding: a row with all of them blank records a round in which
# nothing was found ("未发现问题"), which the daily bulletin reports too.
FINDING_KEYS = (
    "number",
    "window",
    "staff",
    "department",
    "category",
    "description",
    "deduction",
    "fix_deadline",
    "fixed_at",
)


class InspectionImporter(Importer):
    kind = "inspections"
    date_key = "date"
    label = "巡查问题"
    columns = (
        Column(
            "date",
            "巡查日期",
            cells.day,
            required=True,
            blank=False,
            field="round",
            aliases=("日期",),
        ),
        Column(
            "kind",
            "巡查类型",
            cells.choice(
                InspectionKind.choices, {"日常": "daily", "集中": "centralised", "暗访": "surprise"}
            ),
            default=InspectionKind.DAILY.value,
            field=None,
        ),
        Column(
            "inspectors",
            "巡查人员",
            cells.text(_length(InspectionRound, "inspectors")),
            default="",
            field=None,
        ),
        Column("number", "问题编号", cells.text(_length(Finding, "number")), required=True),
        dataclasses.replace(WINDOW, blank=True),
        STAFF,
        DEPARTMENT,
        Column(
            "category",
            "问题类别",
            cells.choice(
                FindingCategory.choices,
                {"礼仪": "etiquette", "纪律": "discipline", "环境": "environment"},
            ),
            required=True,
            aliases=("问题类型",),
        ),
        Column("description", "问题描述", cells.text(10_000), required=True, default=""),
        Column("deduction", "扣分", cells.points, aliases=("扣分值",)),
        Column("fix_deadline", "整改期限", cells.day),
        Column("fixed_at", "整改时间", cells.moment, aliases=("整改完成时间",)),
    )
    derived_fields = ("round", "department")

    def __init__(self, report, **options):
        super().__init__(report, **options)
        # A few rounds a day: all of them fit in memory. (date, kind) → id.
        self.rounds = {
            (date, kind): pk
            for pk, date, kind in InspectionRound.objects.values_list("pk", "date", "kind")
        }
        self.new_rounds = {}  # (date, kind) → first 巡查人员 given, for rounds not in the database

    def build(self, values):
        round_key = (values["date"], values["kind"])
        if round_key not in self.rounds and not self.new_rounds.get(round_key):
            self.new_rounds[round_key] = values["inspectors"]
        if all(values[key] in (None, "") for key in FINDING_KEYS):
            return {"round": round_key}
        valid = True
        for key in ("number", "window", "category", "description"):
            if values[key] in (None, ""):
                self.error(key, "填写巡查问题时必填（整行问题信息留空表示本次巡查未发现问题）")
                valid = False
        window_id = self.window_id(values) if values["window"] else None
        staff_id, staff_department_id = self.staff_member(values)
        department_id = self.department_id(values, window_id, staff_department_id)
        if values["fix_deadline"] and values["fix_deadline"] < values["date"]:
            self.error("fix_deadline", f"整改期限早于巡查日期（{values['date']:%Y-%m-%d}）")
            valid = False
        if values["fixed_at"] and local_date(values["fixed_at"]) < values["date"]:
            self.error("fixed_at", f"整改时间早于巡查日期（{values['date']:%Y-%m-%d}）")
            valid = False
        if not valid or window_id is None or department_id is None:
            return None
        if values["staff"] and not staff_id:
            return None
        return {
            "round": round_key,
            "number": values["number"],
            "window_id": window_id,
            "department_id": department_id,
            "staff_id": staff_id,
            "category": values["category"],
            "description": values["description"],
            "deduction": values["deduction"],
            "fix_deadline": values["fix_deadline"],
            "fixed_at": values["fixed_at"],
        }

    def write(self, records):
        self.create_rounds({record["round"] for record in records})
        findings = [
            {key: value for key, value in record.items() if key != "round"}
            | {"round_id": self.rounds[record["round"]]}
            for record in records
            if "number" in record
        ]
        return self.upsert(Finding, findings) if findings else (0, 0)

    def create_rounds(self, keys):
        """Get or create the rounds of `keys` by (date, kind); a new round takes the first
        巡查人员 the file gives for it. A dry run only counts them."""
        missing = [key for key in keys if key not in self.rounds]
        if not missing:
            return
        self.report.rounds_created += len(missing)
        if self.dry_run:
            self.rounds |= dict.fromkeys(missing, 0)
            return
        created = InspectionRound.objects.bulk_create(
            InspectionRound(date=date, kind=kind, inspectors=self.new_rounds.get((date, kind), ""))
            for date, kind in missing
        )
        self.rounds |= {(obj.date, obj.kind): obj.pk for obj in created}


IMPORTERS = {
    importer.kind: importer for importer in (EvaluationImporter, CaseImporter, InspectionImporter)
}

"""The hall data generator (demo/hall) and its hook in `manage.py load_demo`.

A few weeks around the 2026 National Day holiday (10-01..07 off, Saturday 10-10 a make-up
working day) are generated once for the module, over four windows: two with a catalogue
guide, one whose department has no guide, one with no department at all. The module's
transaction is rolled back at the end; each test runs in a savepoint on top of it.
"""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from cms.models import ServiceWindow
from demo import hall as demo
from demo.hall import generate_hall_data
from supervision.choices import Appeal, Channel, InspectionKind, Rating
from supervision.models import Case, Evaluation, Finding, InspectionRound, Staff
from supervision.workdays import WorkingCalendar
from tests import factories

START, END = datetime.date(2026, 9, 21), datetime.date(2026, 10, 16)
HOLIDAY = [datetime.date(2026, 10, d) for d in range(1, 8)]
MAKE_UP_SATURDAY = datetime.date(2026, 10, 10)
SCALE = {"evaluations_per_day": 60, "cases_per_day": 50, "findings_per_month": 40}
HALL_MODELS = (Staff, InspectionRound, Finding, Case, Evaluation)


def generate(seed=2026):
    return generate_hall_data(START, END, seed=seed, **SCALE)


@pytest.fixture(scope="module")
def hall(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        instant = factories.guide(title="个体工商户注销登记", promised_days=0, legal_days=5)
        factories.guide(title="食品经营许可", promised_days=3, legal_days=20)
        factories.window(factories.department(name="示范市税务局"))
        factories.window(number="K01", name="统一出件窗口", zone="A区 商事登记")
        yield {"result": generate(), "instant_guide": instant}
        transaction.set_rollback(True)


def local(moment):
    return timezone.localtime(moment)


def in_office_hours(moment):
    t = local(moment).time()
    return datetime.time(9) <= t < datetime.time(12) or (
        datetime.time(13, 30) <= t < datetime.time(17, 30)
    )


def snapshot():
    """The generated data by natural keys (primary keys differ between runs)."""
    return {
        "staff": list(
            Staff.objects.order_by("number").values_list("number", "name", "window__number")
        ),
        "rounds": list(
            InspectionRound.objects.order_by("date", "kind").values_list(
                "date", "kind", "inspectors", "note"
            )
        ),
        "findings": list(
            Finding.objects.order_by("number").values_list(
                "number",
                "window__number",
                "staff__number",
                "category",
                "description",
                "deduction",
                "fix_deadline",
                "fixed_at",
            )
        ),
        "cases": list(
            Case.objects.order_by("number").values_list(
                "number", "item_code", "window__number", "accepted_at", "completed_at"
            )
        ),
        "evaluations": list(
            Evaluation.objects.order_by("number").values_list(
                "number", "case_number", "staff__number", "channel", "rating", "evaluated_at"
            )
        ),
    }


@pytest.mark.django_db
def test_every_kind_of_hall_data_is_created(hall):
    created = hall["result"].created
    assert hall["result"].skipped == ""
    assert {name: count > 0 for name, count in created.items()} == {
        "Staff": True,
        "InspectionRound": True,
        "Finding": True,
        "Case": True,
        "Evaluation": True,
    }
    assert created == {model.__name__: model.objects.count() for model in HALL_MODELS}


@pytest.mark.django_db
def test_nothing_happens_on_the_national_day_holiday_and_the_make_up_saturday_works(hall):
    round_days = set(InspectionRound.objects.values_list("date", flat=True))
    accepted_days = {local(m).date() for m in Case.objects.values_list("accepted_at", flat=True)}
    evaluated_days = {
        local(m).date() for m in Evaluation.objects.values_list("evaluated_at", flat=True)
    }
    for days in (round_days, accepted_days, evaluated_days):
        assert not days & set(HOLIDAY)
        assert MAKE_UP_SATURDAY in days
        assert not {d for d in days if d.weekday() >= 5} - {MAKE_UP_SATURDAY}
    assert InspectionRound.objects.filter(date=MAKE_UP_SATURDAY, kind=InspectionKind.DAILY)


@pytest.mark.django_db
def test_every_moment_is_in_office_hours_on_a_working_day(hall):
    calendar = WorkingCalendar.load()
    moments = [
        *Case.objects.values_list("accepted_at", flat=True),
        *Case.objects.exclude(completed_at=None).values_list("completed_at", flat=True),
        *Evaluation.objects.values_list("evaluated_at", flat=True),
        *Finding.objects.exclude(fixed_at=None).values_list("fixed_at", flat=True),
    ]
    assert all(calendar.is_working_day(local(m).date()) for m in moments)
    assert all(in_office_hours(m) for m in moments)
    assert all(m <= timezone.make_aware(datetime.datetime(2026, 10, 17)) for m in moments)


@pytest.mark.django_db
def test_due_dates_are_the_working_calendars_and_promises_stay_within_legal_limits(hall):
    calendar = WorkingCalendar.load()
    cases = list(Case.objects.all())
    for case in cases:
        assert case.promised_days <= case.legal_days
        expected = calendar.due_dates(case.accepted_at, case.promised_days, case.legal_days)
        assert (case.promised_due, case.legal_due) == expected, case.number
        assert case.completed_at is None or case.completed_at >= case.accepted_at
    # A case with a limit accepted just before the holiday is due after it.
    before = [c for c in cases if local(c.accepted_at).date() == datetime.date(2026, 9, 30)]
    assert any(c.promised_days > 0 and c.promised_due >= datetime.date(2026, 10, 8) for c in before)


@pytest.mark.django_db
def test_most_cases_are_instant_and_on_time_and_some_are_still_open(hall):
    cases = list(Case.objects.all())
    instant = sum(c.promised_days == 0 for c in cases) / len(cases)
    assert 0.6 < instant < 0.9
    done = [c for c in cases if c.completed_at]
    late = sum(local(c.completed_at).date() > c.promised_due for c in done)
    assert late / len(done) < 0.1
    assert any(c.completed_at is None for c in cases)


@pytest.mark.django_db
def test_cases_take_the_catalogues_items_where_a_window_has_guides(hall):
    guide = hall["instant_guide"]
    window = guide.windows.get()
    codes = set(Case.objects.filter(window=window).values_list("item_code", flat=True))
    assert guide.implementation_code in codes
    instant = Case.objects.filter(item_code=guide.implementation_code).first()
    assert (instant.promised_days, instant.legal_days, instant.item_name) == (
        0,
        5,
        "个体工商户注销登记",
    )


@pytest.mark.django_db
def test_ratings_channels_and_appeals_are_valid_and_bad_reviews_are_explained(hall):
    evaluations = list(Evaluation.objects.all())
    assert {e.rating for e in evaluations} <= set(Rating.values)
    assert all(1 <= e.rating <= 5 for e in evaluations)
    assert {e.channel for e in evaluations} <= set(Channel.values)
    assert {e.appeal for e in evaluations} <= set(Appeal.values)
    assert sum(e.rating == Rating.VERY_SATISFIED for e in evaluations) / len(evaluations) > 0.8
    bad = [e for e in evaluations if e.rating <= Rating.DISSATISFIED]
    assert all(e.comment for e in bad)
    assert all(e.appeal == Appeal.NONE for e in evaluations if e.rating > Rating.DISSATISFIED)
    # Evaluations of cases name a case that exists at the same window.
    cases = dict(Case.objects.values_list("number", "window_id"))
    linked = [e for e in evaluations if e.case_number]
    assert linked and all(cases[e.case_number] == e.window_id for e in linked)


@pytest.mark.django_db
def test_staff_are_numbered_by_window_with_one_of_its_departments(hall):
    for window in ServiceWindow.objects.prefetch_related("departments", "staff"):
        staff = list(window.staff.all())
        assert 3 <= len(staff) <= 8, window.number
        assert all(re.fullmatch(rf"{window.number}-\d\d", s.number) for s in staff)
        departments = {d.pk for d in window.departments.all()}
        if departments:
            assert {s.department_id for s in staff} <= departments
    names = list(Staff.objects.values_list("name", flat=True))
    assert len(set(names)) == len(names)
    # The hall system exports GBK: every name must encode.
    assert all(2 <= len(name) <= 4 and name.encode("gbk") for name in names)


@pytest.mark.django_db
def test_findings_have_a_fix_deadline_after_their_round(hall):
    findings = list(Finding.objects.select_related("round"))
    assert findings
    calendar = WorkingCalendar.load()
    for finding in findings:
        allowed = calendar.working_days_between(finding.round.date, finding.fix_deadline)
        assert 1 <= allowed <= 3
        assert finding.fixed_at is None or local(finding.fixed_at).date() >= finding.round.date
    assert any(f.deduction is None for f in findings)


@pytest.mark.django_db
def test_a_second_run_creates_nothing_and_says_why(hall):
    before = {model: model.objects.count() for model in HALL_MODELS}
    result = generate()
    assert result.created == {}
    assert "已有" in result.skipped and "未生成" in result.summary()
    assert {model: model.objects.count() for model in HALL_MODELS} == before


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data(hall):
    first = snapshot()
    for model in reversed(HALL_MODELS):
        model.objects.all().delete()
    generate()
    assert snapshot() == first
    for model in reversed(HALL_MODELS):
        model.objects.all().delete()
    generate(seed=7)
    assert snapshot()["evaluations"] != first["evaluations"]


@pytest.mark.django_db
def test_load_demo_adds_a_hall_year_ending_yesterday_unless_told_not_to(monkeypatch):
    # The CMS demo itself is tested (slowly) in test_load_demo.py: here two windows stand in
    # for it, and the hall year runs at a tenth of the demo's scale.
    class Builder:
        def __init__(self, **kwargs):
            pass

        def build(self):
            factories.window(factories.department())
            factories.window(factories.department())
            return {}

    monkeypatch.setattr("demo.management.commands.load_demo.DemoBuilder", Builder)
    monkeypatch.setattr(demo, "DEMO_CASES_PER_DAY", 15)
    monkeypatch.setattr(demo, "DEMO_EVALUATIONS_PER_DAY", 14)
    monkeypatch.setattr(demo, "DEMO_FINDINGS_PER_MONTH", 3)
    # The module's generated weeks are there when this test runs after the others.
    for model in reversed(HALL_MODELS):
        model.objects.all().delete()

    out = io.StringIO()
    call_command("load_demo", no_hall_data=True, stdout=out)
    assert not Staff.objects.exists() and "大厅数据" not in out.getvalue()

    call_command("load_demo", stdout=out)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    last = Case.objects.order_by("accepted_at").last()
    first = Case.objects.order_by("accepted_at").first()
    assert local(last.accepted_at).date() <= yesterday
    assert (yesterday - local(first.accepted_at).date()).days <= 365
    assert Evaluation.objects.count() > 200 * 14 * 0.9
    assert re.search(
        r"大厅数据 .*已生成：工作人员 \d+.*好差评 [\d,]+，用时 [\d.]+ 秒", out.getvalue()
    )

    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "大厅数据未生成（已有窗口工作人员数据）" in out.getvalue()

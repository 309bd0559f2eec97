"""Builders for hall data in tests: plain functions, every value a test relies on visible."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone
from wagtail.models import Collection

from cms.choices import Honour
from cms.models import GalleryHonour, GalleryIndexPage, GalleryPage
from supervision.choices import Appeal, Channel, FindingCategory, Rating
from supervision.models import Case, Evaluation, Finding, InspectionRound, ScoringRules
from tests import factories

D = datetime.date
_numbers = itertools.count(1)


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def rules(**overrides):
    values = {
        "name": "测试细则",
        "effective_from": D(2026, 1, 1),
        "minimum_sample": 4,
        "red_flag_min_score": Decimal(95),
        "warn_below_score": Decimal(90),
    }
    values.update(overrides)
    return ScoringRules.objects.create(**values)


def finding(window, day, category, deduction=None):
    round_, _ = InspectionRound.objects.get_or_create(date=day, kind="daily")
    return Finding.objects.create(
        number=f"WT-{next(_numbers)}",
        round=round_,
        window=window,
        department=window.departments.get(),
        category=category,
        description="巡查发现的问题",
        deduction=deduction,
    )


def evaluations(window, day, *ratings, appeal=Appeal.NONE):
    for rating in ratings:
        Evaluation.objects.create(
            number=f"PJ-{next(_numbers)}",
            window=window,
            department=window.departments.get(),
            channel=Channel.HALL,
            rating=rating,
            evaluated_at=at(day),
            appeal=appeal,
        )


def case(window, accepted, promised, legal, completed=None):
    return Case.objects.create(
        number=f"BJ-{next(_numbers)}",
        item_code="X-1",
        window=window,
        department=window.departments.get(),
        accepted_at=at(accepted),
        promised_days=promised,
        legal_days=legal,
        completed_at=completed and at(completed, 15),
    )


def make_hall():
    """Windows A and B of department X, window C of department Y."""
    x = factories.department(name="甲局", code="X")
    y = factories.department(name="乙局", code="Y")
    a = factories.window(x, number="A01", name="甲窗口")
    b = factories.window(x, number="B01", name="乙窗口")
    c = factories.window(y, number="C01", name="丙窗口")
    return {"X": x, "Y": y, "A": a, "B": b, "C": c}


def fill_october(hall):
    """The month the scoring tests compute by hand (comments give the arithmetic)."""
    a, b, c = hall["A"], hall["B"], hall["C"]
    ScoringRules.objects.all().delete()  # the migration's first version; this test sets its own
    rules()
    # September: A loses 12 points on one grave finding (88, last); B and C have nothing (100).
    finding(a, D(2026, 9, 15), FindingCategory.DISCIPLINE, Decimal(12))

    # A: attendance (standard 1) + discipline recorded as 3 = 4 points; ratings 5 5 5 4 2
    # → 4 of 5 satisfied = 80 %, (80 − 95) × 0.5 = −7.5; one bad review −2; a very bad
    # review upheld on appeal counts nowhere. 100 − 4 − 2 − 7.5 = 86.5.
    finding(a, D(2026, 10, 9), FindingCategory.ATTENDANCE)
    finding(a, D(2026, 10, 12), FindingCategory.DISCIPLINE, Decimal(3))
    evaluations(a, D(2026, 10, 9), 5, 5, 5, 4, 2)
    evaluations(a, D(2026, 10, 9), Rating.VERY_DISSATISFIED, appeal=Appeal.UPHELD)

    # B: four 非常满意 → 100 %, +2.5. A case accepted 09-30 with 3/5 working days is due
    # 10-10 (the make-up Saturday) / 10-13, completed 10-12: overdue, not red, −1.
    # 100 − 1 + 2.5 = 101.5.
    evaluations(b, D(2026, 10, 20), 5, 5, 5, 5)
    case(b, D(2026, 9, 30), 3, 5, completed=D(2026, 10, 12))

    # C: three 非常满意, under the sample of 4: no adjustment. A case accepted 10-09 with 1/2
    # working days (due 10-10 / 10-12) still open: overdue and red, −1 − 3. 100 − 4 = 96.
    evaluations(c, D(2026, 10, 21), 5, 5, 5)
    case(c, D(2026, 10, 9), 1, 2)


def red_flag_gallery():
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

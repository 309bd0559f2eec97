"""Department extracts (部门专报): a bulletin cut down to some departments.

    extract_of(bulletin, department_ids) → BulletinExtract   (rendered once per set)
    document_for(bulletin, department_ids) → the extract, or the bulletin itself

A subscription limited to departments receives its departments' extract instead of the
whole hall's bulletin (supervision.delivery), and its subscriber opens that in the archive
(supervision.archive). The extract is the same bulletin — the same stored `content`, the same
template, the same masthead and issue number — with every list filtered to the departments
and the hall's totals replaced by the departments' own, which the bulletin stored for the
purpose when it was made (`for_extracts`, supervision.bulletins.departments). Nothing is
recomputed from hall data.

What an extract keeps of the hall (docs/supervision.md, Delivery):
- lists: findings, bad reviews and cases booked to the departments (their `department_id`);
  windows — ranking rows, repeat offenders — serving one of the departments
  (cms.ServiceWindow.departments; a window of two departments appears in both extracts);
- ranks: the hall's (第3名 stays 第3名), with the number of windows and departments ranked;
  the department ranking shows the departments' own rows only, without the chart;
- hall facts that are not a department's: the inspection rounds (patrols cover the hall), the
  rules and formula; the red flag only as "won by another department's window" when the
  winner is not theirs (no other department's window is named anywhere in an extract);
- the summary's figures are the departments' (findings, deductions, cases, evaluations,
  satisfaction, lights, month-on-month when last month's bulletin stored them, else "—").

A bulletin made before extracts existed has no `for_extracts`: it is sent and shown whole,
with a warning in the log (document_for).
"""

import hashlib
import logging
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from cms.models import Department
from publications.pdf import render_pdf
from supervision.bulletins.editions import describe_changes
from supervision.bulletins.making import TEMPLATES, bulletin_context
from supervision.bulletins.monthly import COMPARED, month_on_month
from supervision.bulletins.rows import percent, points
from supervision.choices import BulletinKind, FindingCategory, Rating
from supervision.models import Bulletin, BulletinExtract

logger = logging.getLogger(__name__)


def departments_key(department_ids):
    return ",".join(str(pk) for pk in sorted(set(department_ids)))


def can_extract(bulletin):
    return "for_extracts" in bulletin.content


def document_for(bulletin, department_ids):
    """What a reader limited to `department_ids` gets: their extract; the whole bulletin when
    they are not limited, or when the bulletin is older than extracts (logged)."""
    if not department_ids:
        return bulletin
    if not can_extract(bulletin):
        logger.warning(
            "督查简报“%s”生成于部门专报功能之前，缺少分部门数据，部门订阅者收到全文", bulletin
        )
        return bulletin
    return extract_of(bulletin, department_ids)


def extract_of(bulletin, department_ids):
    """The extract of `bulletin` for these departments, rendered and stored the first time."""
    key = departments_key(department_ids)
    found = bulletin.extracts.filter(departments_key=key).first()
    if found is not None:
        return found
    ids = [int(pk) for pk in key.split(",")]
    names = "、".join(_names(bulletin.content, ids))
    context = bulletin_context(bulletin)
    context["c"] = extract_content(bulletin.kind, bulletin.content, ids)
    context["extract"] = _masthead(bulletin, names)
    context["correction"] = _correction(bulletin, ids, context["c"])
    pdf = render_pdf(TEMPLATES[bulletin.kind], context, base_url=settings.WAGTAILADMIN_BASE_URL)
    extract = BulletinExtract(
        bulletin=bulletin,
        departments_key=key,
        department_names=names[:500],
        pdf_sha256=hashlib.sha256(pdf.data).hexdigest(),
        pages=pdf.pages,
    )
    name = f"{bulletin.kind}-{bulletin.period_start:%Y%m%d}-dept-{key.replace(',', '-')}.pdf"
    extract.pdf.save(name, ContentFile(pdf.data), save=False)
    try:
        with transaction.atomic():
            extract.save()
    except IntegrityError:  # another worker rendered it first: theirs stands
        extract.pdf.delete(save=False)
        return bulletin.extracts.get(departments_key=key)
    logger.info("部门专报已生成：%s（%d 页）", extract.title, pdf.pages)
    return extract


def _correction(bulletin, ids, extracted):
    """A corrected edition's 本期更正说明 in the departments' own terms: the hall's list of
    changes names other departments' windows and the hall's totals."""
    if bulletin.edition == 1:
        return False
    previous = Bulletin.objects.filter(
        kind=bulletin.kind, period_start=bulletin.period_start, edition=bulletin.edition - 1
    ).first()
    if previous is None or not can_extract(previous):
        changes = ["前一版生成于部门专报功能之前，本部门数据的变化无法逐项列出。"]
    else:
        before = extract_content(bulletin.kind, previous.content, ids)
        changes = describe_changes(bulletin.kind, before, extracted)
    return {"reason": bulletin.correction_reason, "changes": changes}


def _names(content, ids):
    stored = content["for_extracts"]["departments"]
    current = dict(Department.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [
        stored[str(pk)]["name"] if str(pk) in stored else current.get(pk, f"部门{pk}") for pk in ids
    ]


def _masthead(bulletin, names):
    """What the template says about the extract: whose it is and what the hall's tables held."""
    content = bulletin.content
    return {
        "names": names,
        "ranked": bulletin.kind == BulletinKind.MONTHLY,
        "windows_ranked": len(content.get("windows", [])),
        "departments_ranked": len(content.get("departments", [])),
    }


def extract_content(kind, content, department_ids):
    """`content` filtered to the departments (module docstring): the same keys, so the
    bulletin's own template renders it."""
    ids = set(department_ids)
    data = content["for_extracts"]
    figures = [data["departments"][str(pk)] for pk in sorted(ids) if str(pk) in data["departments"]]
    windows = [window for window in data["windows"] if ids & set(window["departments"])]
    extracted = {
        **content,
        "red_cases": _booked_to(content.get("red_cases", []), ids),
        "departments_concerned": [
            pk for pk in content.get("departments_concerned", []) if pk in ids
        ],
    }
    if kind != BulletinKind.MONTHLY:
        extracted["lights"] = {
            light: sum(f["lights"][light] for f in figures) for light in ("red", "yellow")
        }
    extract = {
        BulletinKind.DAILY: _daily,
        BulletinKind.WEEKLY: _weekly,
        BulletinKind.MONTHLY: _monthly,
    }[BulletinKind(kind)]
    extracted.update(extract(content, ids, figures, windows))
    return extracted


def _booked_to(rows, ids):
    return [row for row in rows if row.get("department_id") in ids]


def _total(figures, key):
    return sum(f.get(key, 0) for f in figures)


def _points(figures):
    return points(sum((Decimal(f["points"]) for f in figures), Decimal(0)))


def _daily(content, ids, figures, windows):
    return {
        "findings": _booked_to(content["findings"], ids),
        "finding_count": _total(figures, "finding_count"),
        "deduction": _points(figures),
        "windows_concerned": len({pk for f in figures for pk in f["windows"]}),
        "earlier": _booked_to(content["earlier"], ids),
        "earlier_count": _total(figures, "earlier_count"),
        "earlier_fixed": _total(figures, "earlier_fixed"),
        "earlier_unfixed": _total(figures, "earlier_unfixed"),
    }


def _weekly(content, ids, figures, windows):
    # Last week compared only when the hall's bulletin compared it (it had a round): else "—".
    compared = content.get("previous_finding_count") is not None
    by_category = []
    for key, label in FindingCategory.choices:
        count = sum(f["by_category"].get(key, 0) for f in figures)
        previous = sum(f["by_category_previous"].get(key, 0) for f in figures) if compared else None
        change = count - previous if compared else None
        by_category.append(
            {"category": label, "count": count, "previous": previous, "change": change}
        )
    numbers = {window["number"] for window in windows}
    fix_due, fixed_in_time = _total(figures, "fix_due"), _total(figures, "fixed_in_time")
    return {
        "finding_count": _total(figures, "finding_count"),
        "previous_finding_count": _total(figures, "previous_finding_count") if compared else None,
        "by_category": by_category,
        "category_chart": [[row["category"], row["count"]] for row in by_category],
        "by_department": [
            {
                "department": f["label"],
                "count": f["finding_count"],
                "deduction": points(Decimal(f["points"])),
                "previous": f["previous_finding_count"] if compared else None,
            }
            for f in sorted(figures, key=lambda f: (-f["finding_count"], f["name"]))
            if f["finding_count"]
        ],
        "repeat_offenders": [
            row for row in content["repeat_offenders"] if row["window"] in numbers
        ],
        "fix_due": fix_due,
        "fixed_in_time": fixed_in_time,
        "fix_rate": percent(fixed_in_time, fix_due),
        "unfixed": _total(figures, "unfixed"),
        "evaluations": _total(figures, "evaluations"),
        "bad_reviews": _booked_to(content["bad_reviews"], ids),
        "findings": _booked_to(content["findings"], ids),
    }


def _overview(figures):
    """month_overview's figures (supervision.bulletins.monthly) for these departments."""
    return {
        "cases": _total(figures, "cases"),
        "completed": _total(figures, "completed"),
        "evaluations": _total(figures, "evaluations"),
        "evaluated_cases": _total(figures, "evaluated_cases"),
        "evaluation_rate": percent(
            _total(figures, "evaluated_cases"), _total(figures, "completed")
        ),
        "satisfaction": percent(_total(figures, "satisfied"), _total(figures, "evaluations")),
        "bad_reviews": _total(figures, "bad_reviews"),
        "followed_up": _total(figures, "followed_up"),
        "appeals_upheld": _total(figures, "appeals_upheld"),
        "overdue": _total(figures, "overdue"),
        "red": _total(figures, "red"),
        "findings": _total(figures, "findings"),
        "lights": {light: sum(f["lights"][light] for f in figures) for light in ("red", "yellow")},
        "rating_mix": [
            [label, sum(f["rating_mix"].get(str(value), 0) for f in figures)]
            for value, label in Rating.choices
        ],
    }


def _monthly(content, ids, figures, windows):
    window_ids = {window["id"] for window in windows}
    window_rows = [row for row in content["windows"] if row["unit_id"] in window_ids]
    department_rows = [row for row in content["departments"] if row["unit_id"] in ids]
    overview = _overview(figures)
    # Month on month only when last month's bulletin stored every one of these departments.
    if figures and all("previous" in f for f in figures):
        previous = _overview([f["previous"] for f in figures])
        changes = month_on_month(overview, previous)
    else:
        previous, changes = None, dict.fromkeys(COMPARED)
    flag = content.get("red_flag")
    if flag and flag["unit_id"] not in window_ids:
        # Another department's window: the extract names none of them (its winner is public
        # only once the month's 评比公示 is approved).
        flag = {"label": "其他部门窗口", "score": None, "unit_id": None, "elsewhere": True}
    return {
        "overview": overview,
        "previous_overview": previous,
        "changes": changes,
        "red_flag": flag,
        "windows": window_rows,
        "departments": department_rows,
        "commended": [row for row in content["commended"] if row["unit_id"] in window_ids],
        "warned": [row["label"] for row in window_rows + department_rows if row["warned"]],
        "bad_reviews": _booked_to(content["bad_reviews"], ids),
        "window_chart": [[row["label"], float(row["score"])] for row in window_rows],
        "department_chart": [],
        "rating_chart": overview["rating_mix"],
    }

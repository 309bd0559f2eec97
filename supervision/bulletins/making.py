"""Making a bulletin: compile its content once, store it, render its PDF from what was stored.

    make_bulletin(kind, day) → Bulletin   (one per kind and period, however often called)

`make_bulletin` stores the content first and renders the PDF from it (through
publications.pdf, which owns fonts and layout), so a bulletin that crashed half way is
finished from what it stored, and an old bulletin re-rendered reads the same as the day it
was made.

Making a bulletin publishes nothing: the monthly ranking and its red flag reach the public
site (评比公示, 窗口风采) only when a manager approves the month (supervision.notices).
"""

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from publications.pdf import render_pdf
from supervision import scoring
from supervision.bulletins.daily import compile_daily
from supervision.bulletins.departments import compile_for_extracts
from supervision.bulletins.monthly import compile_monthly
from supervision.bulletins.periods import (
    issue_number,
    period_label,
    period_of,
    refuse_closed_day,
)
from supervision.bulletins.weekly import compile_weekly
from supervision.choices import BulletinKind
from supervision.models import Bulletin

logger = logging.getLogger(__name__)

TEMPLATES = {kind: f"supervision/bulletins/{kind}.html" for kind in BulletinKind.values}
COMPILERS = {
    BulletinKind.DAILY: lambda start, end, rules: compile_daily(start, rules),
    BulletinKind.WEEKLY: compile_weekly,
    BulletinKind.MONTHLY: compile_monthly,
}


def _issue_number(kind, start):
    return issue_number(kind, start)


def current_edition(kind, start):
    """The newest edition of the bulletin of `kind` for the period starting `start`, or None."""
    return Bulletin.objects.filter(kind=kind, period_start=start).order_by("-edition").first()


def compile_content(kind, start, end):
    """(rules in force, content) of a period, computed now from the hall data."""
    rules = scoring.rules_in_force(start)
    content = COMPILERS[kind](start, end, rules)
    content["method_rules"] = {"version": rules.pk, "name": rules.name}
    # What each department's extract (部门专报) needs, from the same data, at the same time.
    content["for_extracts"] = compile_for_extracts(kind, start, end, rules, content)
    return rules, content


def make_bulletin(kind, day, *, missing_data=()):
    """The bulletin of `kind` for the period containing `day`: made if missing, its PDF
    rendered if missing; an existing complete bulletin (its newest edition) is returned
    untouched; ClosedDay for a daily bulletin of a day the hall is closed. `missing_data`
    (readiness.SourceState.as_stored) marks a bulletin made past its deadline without all its
    data: its PDF says 数据不完整."""
    return _make(kind, day, missing_data)[0]


def _make(kind, day, missing_data=()):
    """make_bulletin, and whether this call created the bulletin."""
    kind = BulletinKind(kind)
    start, end = period_of(kind, day)
    bulletin, created = current_edition(kind, start), False
    if bulletin is None:
        refuse_closed_day(kind, start)
        rules, content = compile_content(kind, start, end)
        label = period_label(kind, start, end)
        try:
            with transaction.atomic():
                bulletin = Bulletin.objects.create(
                    kind=kind,
                    period_start=start,
                    period_end=end,
                    issue_number=_issue_number(kind, start),
                    title=f"{settings.WAGTAIL_SITE_NAME}{kind.label}（{label}）",
                    rules=rules,
                    content=content,
                    missing_data=list(missing_data),
                )
                if rules.first_used_at is None:
                    type(rules).objects.filter(pk=rules.pk).update(first_used_at=timezone.now())
            created = True
        except IntegrityError:  # another worker made it first: theirs stands
            bulletin = current_edition(kind, start)
    if not bulletin.pdf:
        render(bulletin)
    return bulletin, created


def bulletin_context(bulletin):
    """What the bulletin's template gets: its stored content as `c`, and the masthead."""
    return {
        "bulletin": bulletin,
        "c": bulletin.content,
        "centre_name": settings.WAGTAIL_SITE_NAME,
        "bulletin_name": BulletinKind(bulletin.kind).label,
        "issue_number": bulletin.issue_number,
        # 第N期（更正版，第2版）, the 本期更正说明 box and the 数据不完整 notice (bulletin_base.html).
        "issue_label": bulletin.issue_label,
        "correction": bulletin.edition > 1
        and {"reason": bulletin.correction_reason, "changes": bulletin.changes},
        "missing_data": [source["text"] for source in bulletin.missing_data],
        "period": period_label(bulletin.kind, bulletin.period_start, bulletin.period_end),
        "issuing_office": f"{settings.WAGTAIL_SITE_NAME}督查科",
        "issue_date": timezone.localdate(bulletin.created_at),
        "for_pdf": True,
    }


def bulletin_pdf(bulletin):
    """The bulletin's stored content laid out as a PDF (a publications.pdf.RenderedPdf);
    stores nothing."""
    return render_pdf(
        TEMPLATES[bulletin.kind],
        bulletin_context(bulletin),
        base_url=settings.WAGTAILADMIN_BASE_URL,
    )


def render(bulletin):
    """Render the bulletin's stored content to its PDF and record the file's SHA-256."""
    pdf = bulletin_pdf(bulletin)
    name = f"{bulletin.kind}-{bulletin.period_start:%Y%m%d}.pdf"
    if bulletin.edition > 1:
        name = f"{bulletin.kind}-{bulletin.period_start:%Y%m%d}-v{bulletin.edition}.pdf"
    bulletin.pdf.save(name, ContentFile(pdf.data), save=False)
    bulletin.pdf_sha256 = hashlib.sha256(pdf.data).hexdigest()
    bulletin.pages = pdf.pages
    bulletin.save(update_fields=["pdf", "pdf_sha256", "pages"])
    logger.info("督查简报已生成：%s（%d 页）", bulletin.title, pdf.pages)
    return bulletin

"""The supervision dashboard in the admin (督查看板): this month so far, at a glance.

Figures are this month's up to yesterday, by the rules in force, computed as the monthly
bulletin computes them (supervision.scoring), and cached for a few minutes: at a large
centre's volume a computation takes seconds, and managers reload.

Below them, each kind's latest periods and whether their data is in (简报数据到位情况,
supervision.bulletins.readiness): made, waiting until when, or made 数据不完整; a manager
confirms a period's data complete here (`confirm_data`) when a source legitimately has nothing.
"""

import datetime

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from supervision import scoring
from supervision.bulletins import month_overview, period_label, period_of, readiness, unit_rows
from supervision.choices import BulletinKind
from supervision.models import DataConfirmation, ScoringRules
from supervision.workdays import WorkingCalendar, missing_years

CONFIRM_PERMISSION = "supervision.add_dataconfirmation"

CACHE_SECONDS = 300


def month_so_far(today=None):
    """(ranking rows, overview) of the current month through yesterday, or None on the 1st."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    if today == first:  # nothing of this month has ended yet: show last month
        first = scoring.previous_month(first)
    through = min(scoring.month_bounds(first)[1], today - datetime.timedelta(days=1))
    key = f"supervision:dashboard:{first:%Y%m}:{through:%Y%m%d}"
    figures = cache.get(key)
    if figures is None:
        ranking = scoring.compute_ranking(first, through=through)
        figures = {
            "month": first,
            "through": through,
            "rules": str(ranking.rules),
            "overview": month_overview(first, ranking),
            "windows": unit_rows(ranking.windows),
            "departments": unit_rows(ranking.departments),
            "red_flag": ranking.red_flag and ranking.red_flag.label,
        }
        cache.set(key, figures, CACHE_SECONDS)
    return figures


class DashboardView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "supervision/dashboard.html"
    page_title = "督查看板"
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("supervision.view_bulletin"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Shown above everything, whatever the figures: a calendar without this or next year's
        # holidays makes every due date and light from 1 January wrong without a sound.
        today = timezone.localdate()
        context.update(
            this_year=today.year,
            calendar_missing=missing_years(today),
            calendar_url=reverse("wagtailsnippets_supervision_calendarday:list"),
            readiness=readiness.dashboard_rows(),
            can_confirm=self.request.user.has_perm(CONFIRM_PERMISSION),
            settings_url=reverse("wagtailsettings:edit", args=["supervision", "bulletinsettings"]),
        )
        context["readiness_warnings"] = [
            row for kind in context["readiness"] for row in kind["rows"] if row["warn"]
        ]
        try:
            figures = month_so_far()
        except ScoringRules.DoesNotExist as error:
            context["problem"] = str(error)
            return context
        windows = figures["windows"]
        context.update(
            f=figures,
            o=figures["overview"],
            top=windows[:5],
            bottom=windows[-5:] if len(windows) > 5 else [],
            window_chart=[[row["label"], float(row["score"])] for row in windows],
            department_chart=[
                [row["label"], float(row["score"])] for row in figures["departments"]
            ],
            rating_chart=figures["overview"]["rating_mix"],
        )
        return context


@require_POST
def confirm_data(request):
    """确认数据已齐: a manager's word that a period's data is complete although a source has no
    record on its last working day. Bad input is a message on the dashboard, never an error."""
    if not request.user.has_perm(CONFIRM_PERMISSION):
        raise PermissionDenied
    try:
        kind = BulletinKind(request.POST.get("kind", ""))
        start = datetime.date.fromisoformat(request.POST.get("period", ""))
        if start.year < 2000:
            raise ValueError(start)
        first, end = period_of(kind, start)
    except (ValueError, OverflowError):  # 9999-12-31's week or month ends past the calendar
        messages.error(request, "无法识别要确认的简报类型或统计周期。")
        return redirect("supervision_dashboard")
    closed = kind == BulletinKind.DAILY and not WorkingCalendar.load().is_working_day(start)
    if first != start or closed or end >= timezone.localdate():
        messages.error(request, "只能确认一个已经结束的统计周期（日报为工作日）。")
        return redirect("supervision_dashboard")
    status = readiness.data_status(kind, start, end)
    DataConfirmation.objects.get_or_create(
        kind=kind,
        period_start=start,
        defaults={
            "confirmed_by": request.user,
            "missing": "；".join(state.text for state in status.missing)[:500],
        },
    )
    messages.success(
        request,
        f"已确认{kind.label}（{period_label(kind, start, end)}）数据已齐。定时任务将在15分钟内"
        "生成该期简报；已按不完整数据生成的，数字有变化时发送更正版。",
    )
    return redirect("supervision_dashboard")

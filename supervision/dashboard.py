"""The supervision dashboard in the admin (督查看板): this month so far, at a glance.

Figures are this month's up to yesterday, by the rules in force, computed as the monthly
bulletin computes them (supervision.scoring), and cached for a few minutes: at a large
centre's volume a computation takes seconds, and managers reload.
"""

import datetime

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from supervision import scoring
from supervision.bulletins import month_overview, unit_rows
from supervision.models import ScoringRules
from supervision.workdays import missing_years

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
        )
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

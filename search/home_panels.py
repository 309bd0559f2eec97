"""The editors' home: the week's searches that found nothing, each with its two answers (a
synonym group, a best bet), for those who may read the search reports."""

from urllib.parse import urlencode

from django.urls import reverse
from wagtail.admin.ui.components import Component

from search import stats
from search.models import SearchDay

WEEK = 7
PANEL_ROWS = 8


class ZeroResultsPanel(Component):
    name = "zero_result_searches"
    template_name = "search/admin/home/zero_results.html"
    order = 260

    def render_html(self, parent_context=None):
        if not parent_context["request"].user.has_perm("portal_search.view_searchday"):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context):
        queries = stats.zero_result_queries(
            SearchDay.objects.filter(date__gte=stats.first_day(WEEK))
        ).order_by("-total_zero_results", "query_string")
        rows = list(queries[:PANEL_ROWS])
        for row in rows:
            query = row["query_string"]
            row["synonym_url"] = (
                reverse("wagtailsnippets_portal_search_synonym:add")
                + "?"
                + urlencode({"terms": query})
            )
            row["best_bet_url"] = (
                reverse("search_reports:best_bet") + "?" + urlencode({"query_string": query})
            )
        return {
            "rows": rows,
            "heading": f"本周无结果的搜索（{queries.count()}）",
            "report_url": reverse("search_reports:zero_results") + "?days=7",
        }

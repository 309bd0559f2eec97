"""The editors' search reports (报告 → 搜索无结果, 搜索低点击) and the two actions on each row:
add a synonym, add a best bet, each opening its form with the query filled in.

Wagtail's ReportView gives the listing, the filter and the XLSX/CSV export; the rows are the
daily statistics (search/stats.py) summed per query over the chosen window.
"""

from urllib.parse import urlencode

import django_filters
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.contrib.search_promotions.models import Query
from wagtail.contrib.search_promotions.views import CreateView as BestBetCreateView
from wagtail.search.utils import normalise_query_string
from wagtail.snippets.views.snippets import CreateView as SnippetCreateView

from search import stats
from search.models import SearchDay
from search.query import MAX_QUERY_LENGTH


class WindowFilterSet(WagtailFilterSet):
    days = django_filters.ChoiceFilter(
        label="时间范围",
        choices=[(str(days), f"近 {days} 天") for days in stats.REPORT_DAYS],
        empty_label=None,
        initial=str(stats.DEFAULT_REPORT_DAYS),  # the default is no active filter
        method="within",
    )

    class Meta:
        model = SearchDay
        fields = []

    def within(self, queryset, name, value):
        return queryset.filter(date__gte=stats.first_day(int(value)))


class ActionsColumn(Column):
    """The row's two answers: a synonym group starting with the query, a best bet for it."""

    cell_template_name = "search/admin/query_actions_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        query = instance["query_string"]
        context["synonym_url"] = (
            reverse("wagtailsnippets_portal_search_synonym:add") + "?" + urlencode({"terms": query})
        )
        context["best_bet_url"] = (
            reverse("search_reports:best_bet") + "?" + urlencode({"query_string": query})
        )
        return context


def spreadsheet_safe(value):
    """A visitor's query as a CSV cell that no spreadsheet runs as a formula (=HYPERLINK(…),
    @SUM(…)): Wagtail neutralises them in XLSX, not in CSV."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class SearchReportView(ReportView):
    """A window of the daily statistics, summed per query (`rows`, in subclasses)."""

    custom_field_preprocess = {"query_string": {ReportView.FORMAT_CSV: spreadsheet_safe}}

    model = SearchDay  # its view permission: the 审核员 and 管理人员 groups (search/install.py)
    permission_required = "view"
    header_icon = "search"
    filterset_class = WindowFilterSet
    paginate_by = 50
    verbose_name_plural = "搜索词"

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        data = self.request.GET.copy()
        if data.get("days") not in {str(days) for days in stats.REPORT_DAYS}:
            data["days"] = str(stats.DEFAULT_REPORT_DAYS)
        kwargs["data"] = data
        return kwargs

    @property
    def days(self):
        return int(self.filters.form.cleaned_data["days"])

    def get_queryset(self):
        rows = self.filter_queryset(SearchDay.objects.all())
        return self.order_queryset(self.rows(rows))

    def rows(self, searches):
        raise NotImplementedError

    def get_page_subtitle(self):
        return f"近 {self.days} 天"

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            shown, clicked = row["total_impressions"], row["total_clicks"]
            # A click may outlive the day its search was counted on: never above 100 %.
            row["click_rate"] = f"{min(100, round(100 * clicked / shown))}%" if shown else "–"
        return rows


class ZeroResultsReportView(SearchReportView):
    """Queries that found nothing: each a synonym or a best bet waiting to be written."""

    page_title = "搜索无结果"
    index_url_name = "search_reports:zero_results"
    index_results_url_name = "search_reports:zero_results_results"
    default_ordering = "-total_zero_results"
    export_filename = "search-zero-results"
    columns = [
        Column("query_string", label="搜索词", sort_key="query_string"),
        NumberColumn("total_zero_results", label="无结果次数", sort_key="total_zero_results"),
        NumberColumn("total_searches", label="搜索次数", sort_key="total_searches"),
        Column("last_unanswered", label="最近一次无结果", sort_key="last_unanswered"),
        ActionsColumn("actions", label="处理"),
    ]
    list_export = [
        "query_string",
        "total_zero_results",
        "total_searches",
        "last_unanswered",
        "last_searched",
    ]
    export_headings = {
        "query_string": "搜索词",
        "total_zero_results": "无结果次数",
        "total_searches": "搜索次数",
        "last_unanswered": "最近一次无结果",
        "last_searched": "最近一次搜索",
    }

    def rows(self, searches):
        return stats.zero_result_queries(searches)


class LowClicksReportView(SearchReportView):
    """Queries whose results were shown and seldom followed: the right page is missing,
    ranked low, or titled in words the visitor does not recognise."""

    page_title = "搜索低点击"
    index_url_name = "search_reports:low_clicks"
    index_results_url_name = "search_reports:low_clicks_results"
    default_ordering = "-total_searches"
    export_filename = "search-low-clicks"
    columns = [
        Column("query_string", label="搜索词", sort_key="query_string"),
        NumberColumn("total_searches", label="搜索次数", sort_key="total_searches"),
        NumberColumn("total_impressions", label="展示结果次数", sort_key="total_impressions"),
        NumberColumn("total_clicks", label="点击次数", sort_key="total_clicks"),
        Column("click_rate", label="点击率"),
        ActionsColumn("actions", label="处理"),
    ]
    list_export = [
        "query_string",
        "total_searches",
        "total_impressions",
        "total_clicks",
        "click_rate",
        "last_searched",
    ]
    export_headings = {
        "query_string": "搜索词",
        "total_searches": "搜索次数",
        "total_impressions": "展示结果次数",
        "total_clicks": "点击次数",
        "click_rate": "点击率",
        "last_searched": "最近一次搜索",
    }

    def rows(self, searches):
        return stats.low_click_queries(searches)


class SynonymCreateView(SnippetCreateView):
    """The synonym add form; `?terms=` (the report's action) starts the group with a query."""

    def get_initial(self):
        initial = super().get_initial()
        terms = self.request.GET.get("terms", "")[:MAX_QUERY_LENGTH].strip()
        if terms:
            initial["terms"] = f"{terms}，"  # the editor types the other words after it
        return initial


class BestBetForQueryView(BestBetCreateView):
    """Wagtail's add form for promoted search results, with `?query_string=` filled in (its
    own view takes no initial data). The form still posts to Wagtail's view (add_url_name);
    a query that already has best bets opens their edit form instead."""

    def get(self, request, *args, **kwargs):
        query_string = request.GET.get("query_string", "")[:MAX_QUERY_LENGTH]
        existing = Query.objects.filter(
            query_string=normalise_query_string(query_string), editors_picks__isnull=False
        ).first()
        if existing:
            return redirect("wagtailsearchpromotions:edit", existing.pk)
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        initial = super().get_initial()
        initial["query_string"] = self.request.GET.get("query_string", "")[:MAX_QUERY_LENGTH]
        return initial

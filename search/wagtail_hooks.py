"""Search in the admin: editors' synonyms, the reports of queries that found nothing or were
seldom clicked (报告 → 搜索无结果, 搜索低点击), and hot queries (hide one, or block a word from
them all).

Best bets are Wagtail's own search promotions (设置 → 推荐搜索结果 / "Promoted search
results"), which the search page and the API show above the results.
"""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from search import admin_views, home_panels, hot
from search.models import HotQuery, HotQueryBlockedWord, ServiceTerm, Synonym


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    add_view_class = admin_views.SynonymCreateView  # ?terms= from the search reports
    icon = "list-ul"
    menu_label = "同义词"
    menu_order = 900
    add_to_admin_menu = False
    list_display = ["terms", "note", "updated_at"]
    search_fields = ["terms", "note"]


class ServiceTermViewSet(SnippetViewSet):
    """Editors' groups of the service lexicon (search/lexicon): added to the groups the
    product ships, or replacing the shipped group of the same standard name."""

    model = ServiceTerm
    icon = "list-ul"
    menu_label = "俗称词库"
    menu_order = 901
    add_to_admin_menu = False
    list_display = ["standard_name", "phrasings", "note", "updated_at"]
    search_fields = ["standard_name", "phrasings", "note"]


register_snippet(SynonymViewSet)
register_snippet(ServiceTermViewSet)


search_report_urls = [
    path("zero-results/", admin_views.ZeroResultsReportView.as_view(), name="zero_results"),
    path(
        "zero-results/results/",
        admin_views.ZeroResultsReportView.as_view(results_only=True),
        name="zero_results_results",
    ),
    path("low-clicks/", admin_views.LowClicksReportView.as_view(), name="low_clicks"),
    path(
        "low-clicks/results/",
        admin_views.LowClicksReportView.as_view(results_only=True),
        name="low_clicks_results",
    ),
    path("best-bet/", admin_views.BestBetForQueryView.as_view(), name="best_bet"),
]


@hooks.register("register_admin_urls")
def register_search_report_urls():
    return [path("search-reports/", include((search_report_urls, "search_reports")))]


class SearchReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("portal_search.view_searchday")


@hooks.register("register_reports_menu_item")
def register_zero_results_report():
    return SearchReportMenuItem(
        "搜索无结果",
        reverse("search_reports:zero_results"),
        name="search-zero-results",
        icon_name="search",
        order=1310,
    )


@hooks.register("register_reports_menu_item")
def register_low_clicks_report():
    return SearchReportMenuItem(
        "搜索低点击",
        reverse("search_reports:low_clicks"),
        name="search-low-clicks",
        icon_name="search",
        order=1320,
    )


class NoAdding(ModelPermissionPolicy):
    """Hot query entries come from visitors' searches: an editor hides one (or deletes it,
    which only restarts its count), never adds one."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        allowed = [a for a in actions if a != "add"]
        return bool(allowed) and super().user_has_any_permission(user, allowed)


register_permission_policy(HotQuery, NoAdding(HotQuery))


class HotQueryIndexView(IndexView):
    def get_base_queryset(self):
        return hot.with_visitor_counts(super().get_base_queryset())


class HotQueryViewSet(ModelViewSet):
    """Every query that found results, with how many visitors asked it lately: the ones
    shown under 热门搜索 are those with enough visitors, no blocked word, and not hidden."""

    model = HotQuery
    icon = "pick"
    menu_label = "热门搜索词"
    add_to_settings_menu = True
    index_view_class = HotQueryIndexView
    list_display = [
        "query_string",
        Column(
            "visitor_count",
            label=f"近{hot.HOT_QUERY_DAYS}天访客数",
            sort_key="visitor_count",
        ),
        BooleanColumn("hidden", label="隐藏"),
        "first_searched_at",
    ]
    list_filter = ["hidden"]
    ordering = ["-visitor_count", "query_string"]
    search_fields = ["query_string"]
    form_fields = ["hidden"]


class HotQueryBlockedWordViewSet(ModelViewSet):
    model = HotQueryBlockedWord
    icon = "cross"
    menu_label = "热门搜索屏蔽词"
    add_to_settings_menu = True
    list_display = ["word"]
    search_fields = ["word"]
    form_fields = ["word"]


@hooks.register("register_admin_viewset")
def register_hot_queries():
    return HotQueryViewSet("hot_queries")


@hooks.register("register_admin_viewset")
def register_hot_query_blocked_words():
    return HotQueryBlockedWordViewSet("hot_query_blocked_words")


@hooks.register("construct_homepage_panels")
def add_zero_results_panel(request, panels):
    panels.append(home_panels.ZeroResultsPanel())

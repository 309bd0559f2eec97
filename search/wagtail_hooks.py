"""Search in the admin: editors' synonyms, the queries that found nothing, and hot queries
(hide one, or block a word from them all).

Best bets are Wagtail's own search promotions (设置 → 推荐搜索结果 / "Promoted search
results"), which the search page and the API show above the results.
"""

from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from search import hot
from search.models import HotQuery, HotQueryBlockedWord, ServiceTerm, Synonym, UnansweredQuery


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "list-ul"
    menu_label = "同义词"
    menu_order = 900
    add_to_admin_menu = False
    list_display = ["terms", "note", "updated_at"]
    search_fields = ["terms", "note"]


class UnansweredQueryViewSet(ModelViewSet):
    """Read-only: the log fills itself; editors answer a row with a synonym or a best bet."""

    model = UnansweredQuery
    icon = "search"
    menu_label = "无结果搜索词"
    add_to_settings_menu = True
    list_display = ["query_string", "searches", "last_searched_at"]
    ordering = ["-searches", "-last_searched_at"]
    search_fields = ["query_string"]
    form_fields = ["query_string"]


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


@hooks.register("register_admin_viewset")
def register_unanswered_queries():
    return UnansweredQueryViewSet("unanswered_queries")


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

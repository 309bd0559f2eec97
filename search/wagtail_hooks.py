"""Search in the admin: editors' synonyms, and the queries that found nothing.

Best bets are Wagtail's own search promotions (设置 → 推荐搜索结果 / "Promoted search
results"), which the search page and the API show above the results.
"""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from search.models import Synonym, UnansweredQuery


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


register_snippet(SynonymViewSet)


@hooks.register("register_admin_viewset")
def register_unanswered_queries():
    return UnansweredQueryViewSet("unanswered_queries")

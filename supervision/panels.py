"""Manager-facing panels that show what a record reaches, not a field."""

from django.utils.html import format_html
from wagtail.admin.panels import Panel


class RulesReachPanel(Panel):
    """Tells whoever proposes or approves a version of the scoring rules which months it will
    govern once published, and whether bulletins have used it already (then it is frozen)."""

    class BoundPanel(Panel.BoundPanel):
        def is_shown(self):
            return bool(self.instance.pk)

        def render_html(self, parent_context=None):
            rules = self.instance
            if not rules.pk:
                return ""
            used = rules.bulletins.count()
            if used:
                return format_html(
                    '<div class="help-block help-critical"><p>{}</p></div>',
                    f"本版本已用于 {used} 期简报，不能再修改；如需调整请复制为新版本。",
                )
            later = (
                type(rules)
                .objects.filter(live=True, effective_from__gt=rules.effective_from)
                .order_by("effective_from")
                .first()
            )
            until = f"，至 {later.effective_from:%Y年%m月} 第{later.pk}版生效前" if later else ""
            return format_html(
                '<div class="help-block help-warning" role="status"><p><strong>{}</strong>{}</p></div>',
                f"发布后，{rules.effective_from:%Y年%m月}起的月度考评、排名与简报按本版本计算{until}。",
                "保存草稿或提交审核不改变任何考评结果。",
            )

"""Editor-facing panels that show the state of a record, not a field."""

from django.utils.html import format_html
from wagtail.admin.panels import Panel


class GuideAuditPanel(Panel):
    """The guide audit's findings (指南要素完整度) on the draft being edited, read-only, so an
    editor sees them before submitting it for publication: missing elements, limits over the
    legal ones, a fee without its basis, materials, situations, repealed or missing legal bases
    (the guide stays published: citizens still need it), dead links. The admin report 报告 →
    指南要素完整度 lists the same findings for every published guide."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "cms/admin/guide_audit_panel.html"

        def get_context_data(self, parent_context=None):
            from cms.audit.scoring import audit_guide  # cms.models imports this module

            context = super().get_context_data(parent_context)
            # A new guide has no rows to read yet; the editor sees the findings once it is saved.
            context["audit"] = audit_guide(self.instance) if self.instance.pk else None
            return context


class ReferenceImpactPanel(Panel):
    """Tells whoever edits or reviews a department, window, theme or material what publishing
    it reaches: "影响 37 篇指南、2 个一件事" (public guides that print it, public bundles that
    quote those guides; cms.reference_data.impact). Their pages, kiosk views, PDFs and search
    entries change when the change is published, not before."""

    class BoundPanel(Panel.BoundPanel):
        def is_shown(self):
            return bool(self.instance.pk)

        def render_html(self, parent_context=None):
            from cms.reference_data import impact

            if not self.instance.pk:
                return ""
            reach = impact(self.instance)
            if not reach.guides and not reach.bundles:
                return format_html(
                    '<div class="help-block help-info"><p>{}</p></div>',
                    "目前没有已发布的指南或一件事使用此条目。",
                )
            return format_html(
                '<div class="help-block help-warning" role="status"><p><strong>{}</strong>'
                "（已发布的页面）。修改保存为草稿时网站不变；审核发布后，这些页面、自助终端页面、"
                "PDF 和搜索结果随之更新。</p></div>",
                str(reach),
            )

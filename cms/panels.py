"""Editor-facing panels that show the state of a record, not a field."""

from django.utils.html import format_html, format_html_join
from wagtail.admin.panels import Panel


class LegalBasisStatusPanel(Panel):
    """Warns the editor when a guide cites a policy that has been repealed (已废止).

    The guide stays published (citizens still need it), but its legal basis must be
    reviewed; the same list appears in the admin report "依据已废止的指南".
    """

    class BoundPanel(Panel.BoundPanel):
        def render_html(self, parent_context=None):
            page = self.instance
            if not page.pk:
                return ""
            repealed = page.repealed_legal_bases
            if not repealed:
                return ""
            items = format_html_join(
                "", "<li>{}（{}）</li>", ((b.title, b.policy.document_number) for b in repealed)
            )
            return format_html(
                '<div class="help-block help-warning" role="alert"><p><strong>'
                "本指南引用的下列政策文件已废止，请核对法律依据：</strong></p><ul>{}</ul></div>",
                items,
            )

        def is_shown(self):
            return bool(self.instance.pk and self.instance.repealed_legal_bases)


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

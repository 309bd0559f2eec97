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

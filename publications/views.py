"""Channel views: the same guide record rendered for the hall kiosk and for print.

Each view receives the live page object that Wagtail routed to (drafts and private pages
never get here: Wagtail's serve checks live status and view restrictions first).
"""

from django.template.response import TemplateResponse

from cms import channels
from cms.models import ServiceGuidePage


def guide_context(request, guide):
    """What every non-web channel of a guide shows: the guide and the visitor's situation."""
    situation = guide.selected_situation(request)
    return {
        "page": guide,
        "situation": situation,
        "shown_materials": guide.materials_for(situation),
    }


@channels.register("kiosk", ServiceGuidePage)
def guide_kiosk(request, guide):
    """A 1080×1920 hall screen: large type, touch-sized targets, no site chrome."""
    return TemplateResponse(request, "publications/guide_kiosk.html", guide_context(request, guide))


@channels.register("print", ServiceGuidePage)
def guide_print(request, guide):
    """A print-styled page (A4), the HTML the PDF edition is rendered from."""
    return TemplateResponse(request, "publications/guide_print.html", guide_context(request, guide))

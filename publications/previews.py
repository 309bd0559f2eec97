"""What editors preview in the admin: each channel of a page, drawn from the draft.

Wagtail hands a page's `serve_preview` the object it built from the edit form or the latest
revision, never saved (cms.models.mixins.ChannelPreviewMixin passes it on here). Each renderer
draws that object and nothing else, and stores nothing: no PDF file or remembered digest in
publications.cache, no page-cache entry (every preview answer is marked not public, and the
page cache never serves or stores Wagtail's preview requests), no search index update. The
public channels keep serving the live page until the draft is published.

Kiosk and print render only the object they are given, so their public views serve here too.
The PDF is laid out from the draft's print HTML on every preview (about a second) and answered
inline; the JSON is the page API's detail answer for the draft.
"""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from cms import channels
from cms.models import MagazineIssuePage, PolicyPage, ServiceGuidePage
from publications import api, editions, views
from publications.pdf import PdfUnavailable

channels.register_preview("kiosk", ServiceGuidePage)(views.guide_kiosk)
channels.register_preview("print", ServiceGuidePage)(views.guide_print)
channels.register_preview("print", PolicyPage)(views.policy_print)
channels.register_preview("api", ServiceGuidePage)(api.page_detail_response)


def pdf_preview(render, *, filename):
    """A PDF rendered now, inline, for this editor only (never a cached file)."""
    try:
        data = render().data
    except PdfUnavailable as error:
        return HttpResponse(
            f"PDF 暂时无法生成：{error}", status=503, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@channels.register_preview("pdf", ServiceGuidePage)
def guide_pdf(request, guide):
    situation = guide.selected_situation(request)
    return pdf_preview(
        lambda: editions.guide_pdf(guide, situation), filename=f"{guide.title}-办事指南-预览.pdf"
    )


@channels.register_preview("pdf", MagazineIssuePage)
def magazine_issue_pdf(request, issue):
    magazine = issue.get_parent().specific
    return pdf_preview(
        lambda: editions.magazine_issue_pdf(issue),
        filename=f"{magazine.title}-{issue.issue_label}-预览.pdf",
    )

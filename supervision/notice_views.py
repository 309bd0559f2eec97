"""The public ranking notice (评比公示), open to everyone without login:

    /pingbi/                  the latest month in force, and the list of every month in force
    /pingbi/2026-10/          one month
    /pingbi/2026-10/pdf/      the printed notice for the hall's notice board (A4)
    /kiosk/pingbi/            the hall screen (large type), latest month
    /kiosk/pingbi/2026-10/    the hall screen, one month

Only notices in force (approved, not withdrawn) are shown; any other month, a withdrawn one or
a month that does not exist is the same Chinese 404, which says nothing of what the bulletin
holds. The HTML is cached for the public like the CMS's pages (cms.caching): approving or
withdrawing a notice retires the cache (supervision.signals).
"""

from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.template.response import TemplateResponse

from cms.caching.middleware import cache_for_public
from cms.ratelimits import limit
from publications.files import private_file_response
from publications.pdf import PdfUnavailable
from supervision import notices
from supervision.models import RankingNotice


class NoticeSitemap(Sitemap):
    """The months in force, for /sitemap.xml beside the site's pages."""

    def items(self):
        return RankingNotice.objects.in_force().order_by("-month")

    def location(self, notice):
        return f"/pingbi/{notice.slug}/"

    def lastmod(self, notice):
        return notice.approved_at


def _notice(month):
    parsed = notices.parse_month(month)
    return parsed and notices.in_force_for(parsed)


def not_found(request, month):
    parsed = notices.parse_month(month)
    context = {
        "period": notices.month_label(parsed) if parsed else "",
        "latest": notices.latest(),
    }
    return TemplateResponse(request, "supervision/pingbi/not_found.html", context, status=404)


def _page(request, notice, template):
    context = notices.notice_context(notice) if notice else {"notice": None}
    context["archive"] = RankingNotice.objects.in_force().order_by("-month")
    return cache_for_public(TemplateResponse(request, template, context))


def latest_notice(request):
    return _page(request, notices.latest(), "supervision/pingbi/notice.html")


def month_notice(request, month):
    notice = _notice(month)
    if notice is None:
        return not_found(request, month)
    return _page(request, notice, "supervision/pingbi/notice.html")


def latest_kiosk(request):
    return _page(request, notices.latest(), "supervision/pingbi/kiosk.html")


def month_kiosk(request, month):
    notice = _notice(month)
    if notice is None:
        return not_found(request, month)
    return _page(request, notice, "supervision/pingbi/kiosk.html")


def month_pdf(request, month):
    """The printed notice, rendered on its first request (counted against the client's PDF
    rate) and kept. Never cached outside: once withdrawn it must be gone everywhere."""
    notice = _notice(month)
    if notice is None:
        return not_found(request, month)
    if not notice.pdf:
        limit(request, "pdf-render")
    try:
        pdf = notices.notice_pdf(notice)
    except PdfUnavailable as error:
        return HttpResponse(
            f"PDF 暂时无法生成：{error}", status=503, content_type="text/plain; charset=utf-8"
        )
    return private_file_response(pdf, f"{notice.title}.pdf", "application/pdf")

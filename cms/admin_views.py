"""Admin report: guides whose legal basis cites a repealed policy (依据已废止的指南)."""

from wagtail.admin.views.reports import PageReportView

from cms.choices import Validity
from cms.models import ServiceGuidePage


class RepealedBasisReportView(PageReportView):
    page_title = "依据已废止的指南"
    header_icon = "warning"
    index_url_name = "repealed_basis_report"
    index_results_url_name = "repealed_basis_report_results"
    permission_required = "change"

    def get_queryset(self):
        return (
            ServiceGuidePage.objects.filter(legal_bases__policy__validity=Validity.REPEALED)
            .distinct()
            .order_by("title")
        )

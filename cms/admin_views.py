"""Admin views of the editors' work: the report of guides whose legal basis cites a repealed
policy (依据已废止的指南), and the one-step confirmation that a guide due for review is unchanged
(定期复核)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from wagtail.admin.views.reports import PageReportView
from wagtail.log_actions import log

from cms.choices import Validity
from cms.models import GuideReview, ServiceGuidePage
from cms.models.reviews import next_review

REVIEW_CONFIRMED = "cms.review_confirmed"


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


class ConfirmGuideReviewView(View):
    """POST only: the editor has read a published guide and found it still right. Kept as a
    GuideReview (who, when) and in the page's history; the next review is one interval on."""

    def post(self, request, page_id):
        guide = get_object_or_404(ServiceGuidePage, pk=page_id)
        if not guide.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        if not guide.live:
            messages.error(request, f"《{guide.title}》尚未发布，发布时即视为已复核。")
            return redirect("wagtailadmin_home")
        GuideReview.objects.create(guide=guide, confirmed_by=request.user)
        log(instance=guide, action=REVIEW_CONFIRMED, user=request.user)
        messages.success(
            request,
            f"已确认《{guide.title}》无需修改，下次复核：{next_review(guide):%Y-%m-%d}。",
        )
        return redirect("wagtailadmin_home")

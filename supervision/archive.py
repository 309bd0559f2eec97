"""The bulletin archive in the admin (督查简报): managers open past bulletins, see who got
each one, and send themselves a test copy. Also the one door to the findings' photos.

Who sees what: a user with the `view_bulletin` permission (the 管理人员 group) sees every
bulletin; any other admin user sees the kinds they subscribe to.
"""

import mimetypes
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from publications.files import private_file_response
from supervision import delivery
from supervision.choices import BulletinKind
from supervision.models import Bulletin, Finding, Subscription


def visible_bulletins(user):
    bulletins = Bulletin.objects.all()
    if user.has_perm("supervision.view_bulletin"):
        return bulletins
    kinds = Subscription.objects.filter(user=user, active=True).values_list("kind", flat=True)
    return bulletins.filter(kind__in=list(kinds))


def can_open_archive(user):
    return user.has_perm("supervision.view_bulletin") or (
        user.is_authenticated and Subscription.objects.filter(user=user, active=True).exists()
    )


class ArchiveView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "supervision/archive.html"
    page_title = "督查简报"
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    per_page = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kind = self.request.GET.get("kind", "")
        bulletins = visible_bulletins(self.request.user).prefetch_related("deliveries")
        if kind in BulletinKind.values:
            bulletins = bulletins.filter(kind=kind)
        # get_page takes any ?p= a visitor types: not a number → the first page, too big → the last.
        page = Paginator(bulletins.order_by("-period_start", "kind"), self.per_page).get_page(
            self.request.GET.get("p")
        )
        context.update(bulletins=page, page=page, kinds=BulletinKind.choices, kind=kind)
        return context


def archive(request):
    if not can_open_archive(request.user):
        raise PermissionDenied
    return ArchiveView.as_view()(request)


def open_pdf(request, pk):
    bulletin = get_object_or_404(visible_bulletins(request.user), pk=pk)
    if not bulletin.pdf:
        raise Http404("该期简报的 PDF 尚在生成。")
    return private_file_response(bulletin.pdf, f"{bulletin.title}.pdf", "application/pdf")


@require_POST
def send_test(request, pk):
    bulletin = get_object_or_404(visible_bulletins(request.user), pk=pk)
    try:
        sent = delivery.send_test(bulletin, request.user)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        if sent.status == "sent":
            messages.success(request, f"测试邮件已发送至 {sent.email}。")
        else:
            messages.error(request, f"测试邮件发送失败：{sent.last_error}")
    return redirect("supervision_archive")


def finding_photo(request, name):
    """An inspector's photo of a finding, for those who may see the hall's findings."""
    if not request.user.has_perm("supervision.view_finding"):
        raise PermissionDenied
    finding = get_object_or_404(Finding.objects.exclude(photo=""), photo=name)
    content_type = mimetypes.guess_type(finding.photo.name)[0] or "application/octet-stream"
    return private_file_response(finding.photo, Path(finding.photo.name).name, content_type)

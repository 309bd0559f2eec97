"""The bulletin archive in the admin (督查简报): managers open past bulletins, see who got
each one, and send themselves a test copy; they approve a monthly ranking for the public
notice (评比公示) and withdraw it. Also the one door to the findings' photos.

Who sees what: a user with the `view_bulletin` permission (the 管理人员 group) sees every
bulletin and every department extract; any other admin user sees the kinds they subscribe to,
and, where that subscription is limited to departments, opens their departments' extract
(部门专报) in place of the whole bulletin — what the mail brought them, never more. A bulletin
older than extracts opens whole for them too, as it was mailed (supervision.bulletins.extracts).
Approving and withdrawing a notice (评比公示) take `approve_rankingnotice` (管理人员).
Every edition of a period is listed, the newest marked current; a user with `change_bulletin`
(管理人员) may reissue the current one as a corrected edition (更正版, supervision.bulletins.editions).
"""

import mimetypes
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.models import Department
from publications.files import private_file_response
from supervision import delivery, notices
from supervision.bulletins import editions
from supervision.bulletins.extracts import can_extract, document_for
from supervision.choices import BulletinKind
from supervision.models import (
    Bulletin,
    BulletinExtract,
    Finding,
    RankingNotice,
    ScoringRules,
    Subscription,
)

APPROVE_NOTICE = "supervision.approve_rankingnotice"

# Reissuing sends a corrected edition to every earlier recipient: the managers' right.
REISSUE_PERMISSION = "supervision.change_bulletin"


def visible_bulletins(user):
    bulletins = Bulletin.objects.all()
    if user.has_perm("supervision.view_bulletin"):
        return bulletins
    kinds = Subscription.objects.filter(user=user, active=True).values_list("kind", flat=True)
    return bulletins.filter(kind__in=list(kinds))


def reader_departments(user, kind):
    """The departments `user` reads bulletins of `kind` for: [] for the whole bulletin (a
    manager, or an unlimited subscription)."""
    if user.has_perm("supervision.view_bulletin"):
        return []
    return delivery.subscribed_departments(kind, Subscription.objects.filter(user=user))


def may_open_extract(user, extract):
    departments = reader_departments(user, extract.bulletin.kind)
    return not departments or set(extract.department_ids) <= set(departments)


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
        bulletins = (
            visible_bulletins(self.request.user)
            .select_related("reissued_by")
            .prefetch_related("deliveries__extract")
        )
        if kind in BulletinKind.values:
            bulletins = bulletins.filter(kind=kind)
        # get_page takes any ?p= a visitor types: not a number → the first page, too big → the last.
        page = Paginator(
            bulletins.order_by("-period_start", "kind", "-edition"), self.per_page
        ).get_page(self.request.GET.get("p"))
        context.update(
            bulletins=page,
            page=page,
            kinds=BulletinKind.choices,
            kind=kind,
            can_reissue=self.request.user.has_perm(REISSUE_PERMISSION),
            reason_max=editions.MAX_REASON,
            can_approve=self.request.user.has_perm(APPROVE_NOTICE),
            # Who received what (addresses, other departments' extracts) is the managers'.
            sees_deliveries=self.request.user.has_perm("supervision.view_bulletin"),
        )
        # A reader limited to departments opens their extract: the listing says so.
        limits = {}
        for bulletin in page:
            if bulletin.kind not in limits:
                departments = reader_departments(self.request.user, bulletin.kind)
                limits[bulletin.kind] = "、".join(
                    Department.objects.filter(pk__in=departments)
                    .order_by("pk")
                    .values_list("name", flat=True)
                )
            bulletin.reader_extract = can_extract(bulletin) and limits[bulletin.kind]
        # The month's notice in force beside each monthly bulletin (评比公示).
        months = [b.period_start for b in page if b.kind == BulletinKind.MONTHLY]
        in_force = {n.month: n for n in RankingNotice.objects.in_force().filter(month__in=months)}
        for bulletin in page:
            if bulletin.kind == BulletinKind.MONTHLY:
                bulletin.public_notice = in_force.get(bulletin.period_start)
        return context


def archive(request):
    if not can_open_archive(request.user):
        raise PermissionDenied
    return ArchiveView.as_view()(request)


def open_pdf(request, pk):
    """The bulletin's PDF, or for a reader limited to departments their extract (made the
    first time it is asked for)."""
    bulletin = get_object_or_404(visible_bulletins(request.user), pk=pk)
    document = document_for(bulletin, reader_departments(request.user, bulletin.kind))
    if not document.pdf:
        raise Http404("该期简报的 PDF 尚在生成。")
    return private_file_response(document.pdf, f"{document.title}.pdf", "application/pdf")


def open_extract(request, pk):
    """A department extract as it was mailed (the archive's delivery log links it): for the
    readers of the whole bulletin, and for those limited to these departments or more."""
    extract = get_object_or_404(
        BulletinExtract.objects.select_related("bulletin"),
        pk=pk,
        bulletin__in=visible_bulletins(request.user),
    )
    if not may_open_extract(request.user, extract):
        raise Http404("没有找到该部门专报。")
    return private_file_response(extract.pdf, f"{extract.title}.pdf", "application/pdf")


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


@require_POST
def reissue(request, pk):
    """发布更正版: the current edition of a period made again from today's data, sent to its
    earlier recipients. Every refusal is a message on the archive, never an error page."""
    if not request.user.has_perm(REISSUE_PERMISSION):
        raise PermissionDenied
    bulletin = get_object_or_404(visible_bulletins(request.user), pk=pk)
    if not bulletin.is_current:
        messages.error(request, f"{bulletin.issue_label}已被更正，请在最新一版上操作。")
        return redirect("supervision_archive")
    try:
        edition = editions.reissue(bulletin, request.POST.get("reason", ""), user=request.user)
    except (ValueError, editions.NothingChanged, ScoringRules.DoesNotExist) as error:
        messages.error(request, str(error))
    else:
        sent = edition.deliveries.filter(is_test=False, status="sent").count()
        messages.success(
            request, f"已生成{edition.title}{edition.issue_label}，已发送给{sent}位原收件人。"
        )
    return redirect("supervision_archive")


def finding_photo(request, name):
    """An inspector's photo of a finding, for those who may see the hall's findings."""
    if not request.user.has_perm("supervision.view_finding"):
        raise PermissionDenied
    finding = get_object_or_404(Finding.objects.exclude(photo=""), photo=name)
    content_type = mimetypes.guess_type(finding.photo.name)[0] or "application/octet-stream"
    return private_file_response(finding.photo, Path(finding.photo.name).name, content_type)


# --- 评比公示: approving a month's ranking for the public, withdrawing it ---------------


class NoticeView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("supervision_archive"), "label": "督查简报"},
            {"url": "", "label": self.get_page_title()},
        ]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(APPROVE_NOTICE):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ApproveNoticeView(NoticeView):
    """A confirmation page showing exactly what the public will see, then the approval."""

    template_name = "supervision/notice_approve.html"
    page_title = "评比公示"

    def get_bulletin(self):
        return get_object_or_404(Bulletin, pk=self.kwargs["pk"], kind=BulletinKind.MONTHLY)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bulletin = self.get_bulletin()
        context.update(
            bulletin=bulletin,
            title=notices.notice_title(bulletin.period_start),
            c=notices.public_content(bulletin),
            in_force=notices.in_force_for(bulletin.period_start),
        )
        return context

    def post(self, request, pk):
        try:
            notice = notices.approve(self.get_bulletin(), request.user)
        except notices.NoticeRefused as refused:
            messages.error(request, str(refused))
        else:
            url = reverse("ranking_notice_month", args=[notice.slug])
            messages.success(request, f"已公示：{notice.title}。公众可在 {url} 查看。")
        return redirect("supervision_archive")


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="撤回原因",
        max_length=notices.MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="将记录在案；公众页面不显示原因",
        error_messages={"required": "请填写撤回原因。"},
    )


class WithdrawNoticeView(NoticeView):
    template_name = "supervision/notice_withdraw.html"
    page_title = "撤回评比公示"

    def get_notice(self):
        return get_object_or_404(RankingNotice.objects.in_force(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", WithdrawForm())
        context["notice"] = self.get_notice()
        return context

    def post(self, request, pk):
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                notice = notices.withdraw(
                    self.get_notice(), form.cleaned_data["reason"], request.user
                )
            except notices.NoticeRefused as refused:
                form.add_error("reason", str(refused))
            else:
                messages.success(request, f"已撤回：{notice.title}。")
                return redirect("supervision_archive")
        return self.render_to_response(self.get_context_data(form=form))

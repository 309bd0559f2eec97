"""Admin views for editors: guides whose legal basis cites a repealed policy (依据已废止的指南),
the guide audit (指南要素完整度) per guide and per department, and the one-step confirmation
that a guide due for review is unchanged (定期复核).

The audit reports are Wagtail ReportViews (the listing, the filters, the XLSX/CSV export) over
the catalogue's audit (cms.audit.scoring.catalogue_audits): the guides' published text, audited
once per state of the content and kept in the cache until a change, so a published correction
shows at once and paging, sorting and exporting do not audit again.
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, NumberColumn, TitleColumn
from wagtail.admin.views.reports import PageReportView, ReportView
from wagtail.coreutils import multigetattr
from wagtail.log_actions import log

from cms.audit.rules import RULES
from cms.audit.scoring import by_department, catalogue_audits
from cms.models import Department, GuideReview, ServiceGuidePage
from cms.models.reviews import next_review

REVIEW_CONFIRMED = "cms.review_confirmed"


class RepealedBasisReportView(PageReportView):
    page_title = "依据已废止的指南"
    header_icon = "warning"
    index_url_name = "repealed_basis_report"
    index_results_url_name = "repealed_basis_report_results"
    permission_required = "change"

    def get_queryset(self):
        return ServiceGuidePage.citing_repealed_policies()


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


class GuideAuditFilterSet(WagtailFilterSet):
    department = django_filters.ModelChoiceFilter(
        label="实施主体",
        queryset=Department.objects.all(),
        empty_label="全部部门",
        method="after_audit",
    )
    rule = django_filters.ChoiceFilter(
        label="问题类型",
        choices=[(code, rule.label) for code, rule in RULES.items()],
        empty_label="全部",
        method="after_audit",
    )

    class Meta:
        model = ServiceGuidePage
        fields = []

    def after_audit(self, queryset, name, value):
        return queryset  # applied to the catalogue's audit (GuideAuditReportView.get_queryset)


class FindingsColumn(Column):
    cell_template_name = "cms/admin/audit_findings_cell.html"


class AuditReportView(ReportView):
    """Rows computed in Python: filtered, ordered and paginated as a list."""

    model = ServiceGuidePage  # Wagtail's page permissions: whoever may edit a page
    permission_required = "change"
    header_icon = "clipboard-list"
    sort_keys = {}  # ordering name → key function

    def get_filtered_queryset(self):
        return self.get_queryset()  # the filters apply to the audit's rows, in get_queryset

    def order_queryset(self, rows):
        if not self.ordering:
            return rows
        return sorted(
            rows,
            key=self.sort_keys[self.ordering.lstrip("-")],
            reverse=self.ordering.startswith("-"),
        )


class GuideAuditReportView(AuditReportView):
    page_title = "指南要素完整度"
    index_url_name = "guide_audit_report"
    index_results_url_name = "guide_audit_report_results"
    filterset_class = GuideAuditFilterSet
    default_ordering = "score"
    export_filename = "guide-audit"
    verbose_name_plural = "指南"
    sort_keys = {
        "title": lambda audit: audit.guide.title,
        "score": lambda audit: (audit.score, -audit.finding_count, audit.guide.title),
        "finding_count": lambda audit: (audit.finding_count, audit.guide.title),
    }
    columns = [
        TitleColumn(
            "title",
            label="事项名称",
            accessor="guide.title",
            get_url=lambda audit: reverse("wagtailadmin_pages:edit", args=[audit.guide.pk]),
            sort_key="title",
        ),
        Column("code", label="实施编码", accessor="guide.implementation_code"),
        Column("department", label="实施主体", accessor="guide.department.name"),
        Column("status", label="状态", accessor="guide.status"),
        NumberColumn("score", label="得分", sort_key="score"),
        NumberColumn("finding_count", label="问题数", sort_key="finding_count"),
        FindingsColumn("findings", label="问题"),
    ]
    list_export = [
        "guide.title",
        "guide.implementation_code",
        "guide.department.name",
        "guide.status",
        "score",
        "finding_count",
        "findings_text",
    ]
    export_headings = {
        "guide.title": "事项名称",
        "guide.implementation_code": "实施编码",
        "guide.department.name": "实施主体",
        "guide.status": "状态",
        "score": "得分",
        "finding_count": "问题数",
        "findings_text": "问题",
    }

    @cached_property
    def chosen(self):
        """The filters' values: {"department": Department or None, "rule": code or ""}."""
        if self.filters and self.filters.is_valid():
            return self.filters.form.cleaned_data
        return {}

    def get_page_subtitle(self):
        rule = self.chosen.get("rule")
        return RULES[rule].label if rule else "全部指南"

    def get_queryset(self):
        audits = catalogue_audits()
        department, rule = self.chosen.get("department"), self.chosen.get("rule")
        if department:
            audits = [a for a in audits if a.guide.department.pk == department.pk]
        if rule:
            audits = [a for a in audits if rule in a.failed_rules]
        return self.order_queryset(audits)


class DepartmentAuditReportView(AuditReportView):
    page_title = "部门指南得分"
    index_url_name = "department_audit_report"
    index_results_url_name = "department_audit_report_results"
    default_ordering = "score"
    export_filename = "guide-audit-departments"
    verbose_name_plural = "部门"
    sort_keys = {
        "department": lambda row: row.in_order,
        "score": lambda row: (row.score, *row.in_order),
        "guide_count": lambda row: (row.guide_count, *row.in_order),
        "failing_count": lambda row: (row.failing_count, *row.in_order),
    }
    columns = [
        TitleColumn(
            "department",
            label="实施主体",
            accessor="department.name",
            get_url=lambda row: reverse("guide_audit_report") + f"?department={row.department.pk}",
            sort_key="department",
        ),
        NumberColumn("guide_count", label="指南数", sort_key="guide_count"),
        NumberColumn("score", label="平均得分", sort_key="score"),
        NumberColumn("failing_count", label="有问题的指南", sort_key="failing_count"),
        NumberColumn("finding_count", label="问题数"),
        Column("rule_summary", label="主要问题"),
    ]
    list_export = [
        "department.name",
        "guide_count",
        "score",
        "failing_count",
        "finding_count",
        *(f"rule:{code}" for code in RULES),
    ]
    export_headings = {
        "department.name": "实施主体",
        "guide_count": "指南数",
        "score": "平均得分",
        "failing_count": "有问题的指南",
        "finding_count": "问题数",
        **{f"rule:{code}": f"{rule.label}（指南数）" for code, rule in RULES.items()},
    }

    def get_queryset(self):
        return self.order_queryset(by_department(catalogue_audits()))

    def decorate_paginated_queryset(self, rows):
        for row in rows:
            counts = [(rule.label, row.failing_for(code)) for code, rule in RULES.items()]
            row.rule_summary = "；".join(f"{label} {n}" for label, n in counts if n) or "无"
        return rows

    def to_row_dict(self, item):
        """The rule columns ("rule:<code>") hold how many of the department's guides fail it."""
        return {
            field: (
                item.failing_for(field.removeprefix("rule:"))
                if field.startswith("rule:")
                else multigetattr(item, field)
            )
            for field in self.list_export
        }

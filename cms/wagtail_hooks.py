"""Admin wiring: snippets grouped under one menu, the editors' reports (依据已废止的指南, the
guide audit 指南要素完整度 and 部门指南得分), the copy view's guard."""

from django.http import HttpResponseBadRequest
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms import home_panels
from cms.admin_views import (
    REVIEW_CONFIRMED,
    ConfirmGuideReviewView,
    DepartmentAuditReportView,
    GuideAuditReportView,
    RepealedBasisReportView,
)
from cms.models import Department, MagazineColumn, Material, ServiceWindow, Theme


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    list_display = ["name", "code", "phone"]
    search_fields = ["name", "code"]


class ServiceWindowViewSet(SnippetViewSet):
    model = ServiceWindow
    icon = "desktop"
    list_display = ["number", "name", "zone"]
    list_filter = ["zone", "is_comprehensive"]
    search_fields = ["number", "name"]


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "audience", "sort_order"]


class MaterialViewSet(SnippetViewSet):
    model = Material
    icon = "doc-full"
    list_display = ["code", "name", "form"]
    list_filter = ["form"]
    search_fields = ["code", "name"]


class MagazineColumnViewSet(SnippetViewSet):
    model = MagazineColumn
    icon = "list-ul"
    list_display = ["name", "sort_order"]


class ReferenceDataGroup(SnippetViewSetGroup):
    menu_label = "基础数据"
    menu_icon = "folder-open-inverse"
    menu_order = 250
    items = (
        DepartmentViewSet,
        ServiceWindowViewSet,
        ThemeViewSet,
        MaterialViewSet,
        MagazineColumnViewSet,
    )


register_snippet(ReferenceDataGroup)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(
            "reports/repealed-basis/",
            RepealedBasisReportView.as_view(),
            name="repealed_basis_report",
        ),
        path(
            "reports/repealed-basis/results/",
            RepealedBasisReportView.as_view(results_only=True),
            name="repealed_basis_report_results",
        ),
        path("reports/guide-audit/", GuideAuditReportView.as_view(), name="guide_audit_report"),
        path(
            "reports/guide-audit/results/",
            GuideAuditReportView.as_view(results_only=True),
            name="guide_audit_report_results",
        ),
        path(
            "reports/guide-audit/departments/",
            DepartmentAuditReportView.as_view(),
            name="department_audit_report",
        ),
        path(
            "reports/guide-audit/departments/results/",
            DepartmentAuditReportView.as_view(results_only=True),
            name="department_audit_report_results",
        ),
        path(
            "guides/<int:page_id>/confirm-review/",
            ConfirmGuideReviewView.as_view(),
            name="confirm_guide_review",
        ),
    ]


@hooks.register("construct_homepage_panels")
def add_editors_panels(request, panels):
    panels += [
        home_panels.MyDraftsPanel(),
        home_panels.ReviewDuePanel(),
        home_panels.WeakestGuidesPanel(),
        home_panels.RepealedBasisPanel(),
    ]


@hooks.register("register_log_actions")
def register_review_log_action(actions):
    actions.register_action(
        REVIEW_CONFIRMED, "确认无需修改（定期复核）", "已确认无需修改（定期复核）"
    )


@hooks.register("register_reports_menu_item")
def register_repealed_basis_report_menu_item():
    return MenuItem(
        "依据已废止的指南", reverse("repealed_basis_report"), icon_name="warning", order=650
    )


class EditorsReportMenuItem(MenuItem):
    """Shown to whoever may edit a page (编辑, 审核员, 管理人员), as the report views check."""

    def is_shown(self, request):
        return PagePermissionPolicy().user_has_permission(request.user, "change")


@hooks.register("register_reports_menu_item")
def register_guide_audit_menu_item():
    return EditorsReportMenuItem(
        "指南要素完整度",
        reverse("guide_audit_report"),
        name="guide-audit",
        icon_name="clipboard-list",
        order=660,
    )


@hooks.register("register_reports_menu_item")
def register_department_audit_menu_item():
    return EditorsReportMenuItem(
        "部门指南得分",
        reverse("department_audit_report"),
        name="guide-audit-departments",
        icon_name="clipboard-list",
        order=670,
    )


@hooks.register("before_copy_page")
def refuse_a_copy_to_no_parent(request, page):
    """Wagtail's copy view looks the chosen parent up before its form validates it, so a
    missing or malformed `new_parent_page` would be a 500; answer 400 with a message instead."""
    if request.method != "POST":
        return None
    parent = request.POST.get("new_parent_page", "")
    if parent.isascii() and parent.isdigit() and len(parent) < 19:  # fits a 64-bit id
        if Page.objects.filter(pk=int(parent)).exists():
            return None
    return HttpResponseBadRequest("请选择有效的目标上级页面。")

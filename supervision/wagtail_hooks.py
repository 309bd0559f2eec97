"""Admin wiring for supervision: the hall data, the calendar and the rules under one menu."""

from django.urls import path, reverse
from django_q.models import Schedule
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from supervision import archive, dashboard
from supervision.dashboard import DashboardView
from supervision.models import (
    CalendarDay,
    Case,
    Evaluation,
    Finding,
    InspectionRound,
    ScoringRules,
    Staff,
    Subscription,
)


# Boolean fields get a BooleanColumn: a plain column prints Python's True/False in the listing.
class StaffViewSet(SnippetViewSet):
    model = Staff
    icon = "user"
    list_display = ["number", "name", "window", "department", BooleanColumn("active", label="在岗")]
    list_filter = ["department", "active"]
    search_fields = ["number", "name"]


class InspectionRoundViewSet(SnippetViewSet):
    model = InspectionRound
    icon = "view"
    list_display = ["date", "kind", "inspectors"]
    list_filter = ["kind"]


class FindingViewSet(SnippetViewSet):
    model = Finding
    icon = "warning"
    list_display = [
        "number",
        "round",
        "window",
        "category",
        "deduction",
        "fix_deadline",
        "fixed_at",
    ]
    list_filter = ["category", "department"]
    search_fields = ["number", "description"]


class EvaluationViewSet(SnippetViewSet):
    model = Evaluation
    icon = "pick"
    list_display = ["number", "window", "rating", "channel", "evaluated_at", "appeal"]
    list_filter = ["rating", "channel", "appeal", "department"]
    search_fields = ["number", "case_number", "comment"]


class CaseViewSet(SnippetViewSet):
    model = Case
    icon = "tasks"
    list_display = ["number", "item_name", "window", "accepted_at", "promised_due", "completed_at"]
    list_filter = ["department"]
    search_fields = ["number", "item_code", "item_name"]


class CalendarDayViewSet(SnippetViewSet):
    model = CalendarDay
    icon = "date"
    list_display = ["date", "name", BooleanColumn("is_working_day", label="是否工作日")]
    list_filter = ["is_working_day"]


class ScoringRulesViewSet(SnippetViewSet):
    model = ScoringRules
    icon = "cogs"
    list_display = ["__str__", "effective_from", "first_used_at"]


class SubscriptionViewSet(SnippetViewSet):
    model = Subscription
    icon = "mail"
    list_display = ["user", "kind", BooleanColumn("active", label="启用")]
    list_filter = ["kind", "active"]


class SupervisionGroup(SnippetViewSetGroup):
    menu_label = "督查考评"
    menu_icon = "view"
    menu_order = 260
    items = (
        InspectionRoundViewSet,
        FindingViewSet,
        EvaluationViewSet,
        CaseViewSet,
        StaffViewSet,
        CalendarDayViewSet,
        ScoringRulesViewSet,
        SubscriptionViewSet,
    )


register_snippet(SupervisionGroup)


class EditOnly(ModelPermissionPolicy):
    """Schedules are created by install and run named jobs: a manager may change when they
    run, not add one (with no job to run) or delete one."""

    def user_has_permission(self, user, action):
        return action not in ("add", "delete") and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        allowed = [a for a in actions if a not in ("add", "delete")]
        return bool(allowed) and super().user_has_any_permission(user, allowed)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


register_permission_policy(Schedule, EditOnly(Schedule))


class ScheduleViewSet(ModelViewSet):
    """django-q2's schedules in the Wagtail admin, where managers work (the Django admin is
    for superusers). When and how often, not what runs: the job and its arguments stay
    as supervision.install created them."""

    model = Schedule
    icon = "time"
    menu_label = "定时任务"
    menu_order = 263
    add_to_admin_menu = True
    url_prefix = "supervision/schedules"
    list_display = ["name", "schedule_type", "minutes", "next_run", "repeats"]
    form_fields = ["name", "schedule_type", "minutes", "next_run", "repeats"]
    inspect_view_enabled = True


@hooks.register("register_admin_viewset")
def register_schedule_viewset():
    return ScheduleViewSet("supervision_schedules")


# The bulletin archive: its own menu entry, so a subscriber without access to the hall data
# still finds it.
@hooks.register("register_admin_urls")
def register_archive_urls():
    return [
        path("bulletins/", archive.archive, name="supervision_archive"),
        path("supervision/dashboard/", DashboardView.as_view(), name="supervision_dashboard"),
        path("bulletins/<int:pk>/pdf/", archive.open_pdf, name="supervision_bulletin_pdf"),
        path("bulletins/<int:pk>/test/", archive.send_test, name="supervision_bulletin_test"),
        path("bulletins/<int:pk>/reissue/", archive.reissue, name="supervision_bulletin_reissue"),
        path(
            "supervision/data-confirmation/",
            dashboard.confirm_data,
            name="supervision_confirm_data",
        ),
        path(
            "bulletins/extracts/<int:pk>/pdf/",
            archive.open_extract,
            name="supervision_bulletin_extract_pdf",
        ),
        path(
            "bulletins/<int:pk>/pingbi/",
            archive.ApproveNoticeView.as_view(),
            name="supervision_notice_approve",
        ),
        path(
            "pingbi/<int:pk>/withdraw/",
            archive.WithdrawNoticeView.as_view(),
            name="supervision_notice_withdraw",
        ),
        path(
            "supervision/finding-photos/<path:name>",
            archive.finding_photo,
            name="supervision_finding_photo",
        ),
    ]


class ArchiveMenuItem(MenuItem):
    def is_shown(self, request):
        return archive.can_open_archive(request.user)


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("supervision.view_bulletin")


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return DashboardMenuItem(
        "督查看板", reverse("supervision_dashboard"), icon_name="table", order=259
    )


@hooks.register("register_admin_menu_item")
def register_archive_menu_item():
    return ArchiveMenuItem(
        "督查简报", reverse("supervision_archive"), icon_name="doc-full", order=261
    )


# --- Importing hall data (导入督查数据): the upload page and its menu entry ----------------
# supervision/admin_views.py; the same import as `manage.py import_supervision`, run by the
# worker (supervision/import_runs.py); each upload's page, its JSON status and its file.

from supervision import admin_views  # noqa: E402 (kept with the block it serves)


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("supervision/import/", admin_views.ImportView.as_view(), name="supervision_import"),
        path(
            "supervision/import/runs/<int:pk>/",
            admin_views.ImportRunView.as_view(),
            name="supervision_import_run",
        ),
        path(
            "supervision/import/runs/<int:pk>/status/",
            admin_views.run_status,
            name="supervision_import_run_status",
        ),
        path(
            "supervision/import/runs/<int:pk>/file/",
            admin_views.run_file,
            name="supervision_import_run_file",
        ),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_import(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        "导入督查数据", reverse("supervision_import"), icon_name="upload", order=262
    )

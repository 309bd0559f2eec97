"""The editors' home (the admin dashboard): a centre's editorial work at a glance, beside
Wagtail's own panels (待我审核 and 我提交审核的 come from its workflow panels, in Chinese).

Each panel is a Wagtail Component added by the `construct_homepage_panels` hook
(cms/wagtail_hooks.py), shown only to those who may edit pages, and only when it has
something to list. Every list is short (PANEL_ROWS) and says how many there are in all."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.components import Component
from wagtail.models import Page, WorkflowState, get_default_page_content_type
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms.models import Department, Material, ServiceGuidePage, ServiceWindow, Theme
from cms.models.reviews import next_review, overdue

PANEL_ROWS = 8
# Reference data editors draft and reviewers publish (docs/editorial-workflow.md).
MODERATED_REFERENCE_DATA = (Material, Department, ServiceWindow, Theme)


def edits_pages(user) -> bool:
    """Editors, reviewers and administrators; managers who only read bulletins do not."""
    return PagePermissionPolicy().user_has_any_permission(user, {"add", "change", "publish"})


class EditorsPanel(Component):
    """A dashboard panel for those who edit pages, rendered only when it lists something."""

    def render_html(self, parent_context=None):
        if not edits_pages(parent_context["request"].user):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        rows, total = self.rows(request)
        return {
            "request": request,
            "csrf_token": parent_context.get("csrf_token"),  # for a panel's forms
            "rows": rows,
            "total": total,
            "heading": f"{self.title}（{total}）",
        }


class MyDraftsPanel(EditorsPanel):
    """我的草稿: pages and reference records (materials, departments, windows, themes) whose
    last change is mine, neither published nor sent for review."""

    name = "my_drafts"
    title = "我的草稿"
    template_name = "cms/admin/home/my_drafts.html"
    order = 205

    def rows(self, request):
        user, finder = request.user, AdminURLFinder(request.user)
        drafts = []
        for model in (Page, *MODERATED_REFERENCE_DATA):
            # A workflow state names its object by the base content type (Page for pages).
            base = (
                get_default_page_content_type()
                if model is Page
                else ContentType.objects.get_for_model(model)
            )
            in_review = WorkflowState.objects.active().filter(base_content_type=base)
            mine = (
                model.objects.filter(has_unpublished_changes=True, latest_revision__user=user)
                .exclude(pk__in=[int(pk) for pk in in_review.values_list("object_id", flat=True)])
                .select_related("latest_revision")
                .order_by("-latest_revision__created_at")
            )
            if model is Page:
                mine = mine.specific()
            drafts += [
                {
                    # The draft's title, not the live row's (a renamed material).
                    "title": record.latest_revision.object_str or str(record),
                    "kind": (record.specific_class if model is Page else model)._meta.verbose_name,
                    "changed_at": record.latest_revision.created_at,
                    "url": finder.get_edit_url(record),
                }
                for record in mine[:PANEL_ROWS]
            ]
        drafts.sort(key=lambda row: row["changed_at"], reverse=True)
        return drafts[:PANEL_ROWS], len(drafts)


class ReviewDuePanel(EditorsPanel):
    """逾期未复核的指南 (定期复核), each with a one-step confirmation that it is unchanged."""

    name = "review_due"
    title = "逾期未复核的指南"
    template_name = "cms/admin/home/review_due.html"
    order = 230

    def get_context_data(self, parent_context):
        return {
            **super().get_context_data(parent_context),
            "interval_days": settings.GUIDE_REVIEW_INTERVAL_DAYS,
        }

    def rows(self, request):
        guides = overdue(ServiceGuidePage.objects.all())
        rows = list(guides[:PANEL_ROWS])
        for guide in rows:
            guide.next_review = next_review(guide)
        return rows, guides.count()


class RepealedBasisPanel(EditorsPanel):
    """依据已废止的指南: their legal basis cites a policy marked repealed."""

    name = "repealed_basis"
    title = "依据已废止的指南"
    template_name = "cms/admin/home/repealed_basis.html"
    order = 240

    def rows(self, request):
        guides = ServiceGuidePage.citing_repealed_policies()
        return list(guides[:PANEL_ROWS]), guides.count()


class WeakestGuidesPanel(EditorsPanel):
    """完整度最低的指南: the published guides the guide audit scores lowest. Read from the
    audit the reports cached; when no report has audited the content as it is now, the panel
    says so and links the report rather than make the home page audit every guide (seconds
    at thousands of guides)."""

    name = "weakest_guides"
    title = "要素完整度最低的指南"
    template_name = "cms/admin/home/weakest_guides.html"
    order = 235

    def rows(self, request):
        from cms.audit.scoring import catalogue_audits

        audits = catalogue_audits(compute=False)
        if audits is None:
            self.stale = True
            return [], 0
        self.stale = False
        weak = sorted(
            (a for a in audits if a.guide.live and a.findings),
            key=lambda a: (a.score, a.guide.title),
        )
        return weak[:PANEL_ROWS], len(weak)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        heading = self.title if self.stale else context["heading"]
        return {**context, "stale": self.stale, "heading": heading}

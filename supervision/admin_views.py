"""The admin upload page for the hall's exports (导入督查数据): pick the kind, upload the file,
follow the import on its run's page and read the report there.

The upload is stored with an ImportRun and imported by the worker (supervision/import_runs.py),
so a file of hundreds of thousands of rows never holds the request past the proxies' timeouts.
A bad request (no file, an unknown kind, a file that cannot be read) is answered on the form;
a bad row in the report. Everything here is confidential hall data: the import permission
guards every page, the JSON status and the stored file.
"""

import mimetypes

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from imports.files import UnreadableFile
from publications.files import private_file_response
from supervision import import_runs
from supervision.importers import IMPORTERS
from supervision.models import ImportRun

# The 管理人员 group holds every supervision permission; importing writes hall data.
IMPORT_PERMISSION = "supervision.add_evaluation"
RECENT_RUNS = 20


def can_import(user):
    return user.has_perm(IMPORT_PERMISSION)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="数据类型",
        choices=[(kind, importer.label) for kind, importer in IMPORTERS.items()],
        error_messages={
            "required": "请选择数据类型",
            "invalid_choice": "数据类型“%(value)s”无效：请选择好差评、办件或巡查问题",
        },
    )
    file = forms.FileField(
        label="文件",
        help_text=(
            "大厅系统导出的 .csv（UTF-8 或 GBK 编码）或 .xlsx 文件，第一个非空行为表头；"
            f"不超过 {import_runs.MAX_UPLOAD_BYTES // 1024 // 1024} MB"
        ),
        error_messages={
            "required": "请选择要导入的文件",
            "empty": "上传的文件是空的",
            "invalid": "没有收到文件：请重新选择文件后提交",
            "missing": "没有收到文件：请重新选择文件后提交",
        },
    )
    dry_run = forms.BooleanField(
        label="只校验，不写入", required=False, help_text="检查整个文件并统计将新增、更新多少条"
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > import_runs.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"文件超过 {import_runs.MAX_UPLOAD_BYTES // 1024 // 1024} MB：请分成几个文件导入"
            )
        try:
            import_runs.first_look(upload)
        except UnreadableFile as error:
            raise forms.ValidationError(f"无法导入此文件：{error.reason}") from None
        return upload


class ImportPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportView(ImportPermissionMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "supervision/import.html"
    page_title = "导入督查数据"
    header_icon = "upload"
    form_class = ImportForm

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            run = import_runs.start(
                data["kind"], data["file"], user=self.request.user, dry_run=data["dry_run"]
            )
        except DatabaseError:
            # SQLite: another import holds the write lock for longer than the busy timeout.
            form.add_error(None, "数据库正忙（可能有另一项导入正在写入），请稍后重新上传。")
            return self.form_invalid(form)
        except OSError as error:
            form.add_error(
                None, f"上传的文件未能保存（{error.strerror or error}），请联系系统管理员。"
            )
            return self.form_invalid(form)
        return redirect("supervision_import_run", run.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        runs = list(ImportRun.objects.select_related("uploaded_by")[:RECENT_RUNS])
        for run in runs:
            import_runs.fail_if_stale(run)
        context["runs"] = runs
        context["importers"] = [
            (importer.label, importer.columns) for importer in IMPORTERS.values()
        ]
        return context


class ImportRunView(ImportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """One import: its progress while it runs, its report when it is done."""

    template_name = "supervision/import_run.html"
    page_title = "导入记录"
    header_icon = "upload"

    def get(self, request, *args, **kwargs):
        self.run = get_object_or_404(
            ImportRun.objects.select_related("uploaded_by"), pk=kwargs["pk"]
        )
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return f"导入记录：{self.run.file_name}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("supervision_import"), "label": ImportView.page_title},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(run=self.run, state=import_runs.status(self.run), report=self.run.report)
        return context


def run_status(request, pk):
    """The run's status and progress as JSON, for its page's script."""
    if not can_import(request.user):
        return JsonResponse({"error": "没有导入督查数据的权限"}, status=403)
    run = get_object_or_404(ImportRun, pk=pk)
    response = JsonResponse(import_runs.status(run))
    response["Cache-Control"] = "private, no-store"
    return response


def run_file(request, pk):
    """The file as it was uploaded, while it is kept (import_runs.KEEP_FILES)."""
    if not can_import(request.user):
        return HttpResponseForbidden(
            "没有导入督查数据的权限", content_type="text/plain; charset=utf-8"
        )
    run = get_object_or_404(ImportRun.objects.exclude(file=""), pk=pk)
    content_type = mimetypes.guess_type(run.file_name)[0] or "application/octet-stream"
    return private_file_response(run.file, run.file_name, content_type)

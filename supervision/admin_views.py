"""The admin upload page for the hall's exports (导入督查数据): pick the kind, upload the file,
read the report. The import runs in the request, like the command; a bad file gets the
report page, never an error page."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from supervision.importers import IMPORTERS, import_file

# The 管理人员 group holds every supervision permission; importing writes hall data.
IMPORT_PERMISSION = "supervision.add_evaluation"


def can_import(user):
    return user.has_perm(IMPORT_PERMISSION)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="数据类型",
        choices=[(kind, importer.label) for kind, importer in IMPORTERS.items()],
    )
    file = forms.FileField(
        label="文件",
        help_text="大厅系统导出的 .csv（UTF-8 或 GBK 编码）或 .xlsx 文件，第一个非空行为表头",
    )
    dry_run = forms.BooleanField(
        label="只校验，不写入", required=False, help_text="检查整个文件并统计将新增、更新多少条"
    )


class ImportView(WagtailAdminTemplateMixin, FormView):
    template_name = "supervision/import.html"
    page_title = "导入督查数据"
    header_icon = "upload"
    form_class = ImportForm

    def dispatch(self, request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        report = import_file(
            form.cleaned_data["kind"],
            upload.file,
            name=upload.name,
            dry_run=form.cleaned_data["dry_run"],
        )
        return self.render_to_response(self.get_context_data(form=form, report=report))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["importers"] = [
            (importer.label, importer.columns) for importer in IMPORTERS.values()
        ]
        return context

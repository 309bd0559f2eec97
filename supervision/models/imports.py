"""Imports of the hall's exports (导入记录): one row per file imported, from the admin or the
command, with its progress and its report.

An admin upload is stored here (privately) and imported by the django-q2 worker, so that a
file of hundreds of thousands of rows never holds a web request; supervision/import_runs.py
runs it. The record stays after the file is deleted (IMPORT_FILES_KEEP_DAYS): what was
imported, by whom, when, with what result, and which days its rows cover (shown with the
report; a bulletin's data readiness reads the records' own dates, supervision.bulletins.readiness).
"""

import re
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from publications.files import private_storage
from supervision.choices import ImportKind, ImportSource, ImportStatus


class ImportRunQuerySet(models.QuerySet):
    def applied(self, kind=None):
        """Imports whose rows were written and committed: finished without errors, not dry
        runs. `kind` is one of ImportKind (evaluations, cases, inspections)."""
        runs = self.filter(status=ImportStatus.DONE, dry_run=False)
        return runs if kind is None else runs.filter(kind=kind)


def upload_path(run, filename):
    """imports/2026/12/<random>.csv: the original name (often Chinese) is kept in file_name;
    the stored one only has to be unique and keep its extension."""
    suffix = re.sub(r"[^a-z0-9]", "", filename.rpartition(".")[2].lower())[:8] or "bin"
    return f"imports/{timezone.localdate():%Y/%m}/{secrets.token_hex(12)}.{suffix}"


class ImportRun(models.Model):
    kind = models.CharField("数据类型", max_length=20, choices=ImportKind.choices)
    file_name = models.CharField("文件名", max_length=255)
    # Confidential hall data: stored under PRIVATE_ROOT, outside the public media folder, and
    # served only by the import pages' permission-checking view (publications/files.py).
    # Deleted IMPORT_FILES_KEEP_DAYS after the upload; the record and its report stay.
    file = models.FileField(
        "上传的文件", upload_to=upload_path, storage=private_storage, blank=True, max_length=200
    )
    size = models.BigIntegerField("文件大小（字节）", null=True, blank=True)
    source = models.CharField(
        "来源", max_length=10, choices=ImportSource.choices, default=ImportSource.ADMIN
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    dry_run = models.BooleanField("只校验，不写入", default=False)
    status = models.CharField(
        "状态", max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    # The last progress the job recorded here: while it runs, progress lives in the "progress"
    # cache (the job's transaction hides its writes to this row); written here when it ends.
    progress_done = models.BigIntegerField("已处理", default=0)
    progress_total = models.BigIntegerField("总量", null=True, blank=True)
    progress_unit = models.CharField("单位", max_length=4, blank=True, help_text="B（字节）或 行")
    report = models.JSONField(
        "导入报告",
        default=dict,
        blank=True,
        help_text="摘要、读取与新增/更新的条数、错误（行、列、原因）等，见 supervision/import_runs.py",
    )
    message = models.TextField("说明", blank=True, help_text="失败时的原因")
    created_at = models.DateTimeField("上传时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    # The earliest and latest date of the imported rows (评价时间, 受理时间, 巡查日期 in
    # Asia/Shanghai), set when the rows were checked without errors.
    covers_from = models.DateField("数据起始日", null=True, blank=True)
    covers_through = models.DateField("数据截止日", null=True, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "status"], name="importrun_kind_status")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.file_name}"

    @property
    def finished(self):
        return self.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING)

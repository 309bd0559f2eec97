"""Imports of hall data recorded as ImportRuns: admin uploads run by the worker, with progress.

The admin page (supervision/admin_views.py) stores the upload privately with an ImportRun
(`start`) and queues `execute(run_id)` on the django-q2 worker; the run's page polls
`status(run)`. `import_from_command` records the command's imports the same way. Either way
the import is supervision.importers.import_file: one transaction, all or nothing.

Progress. The import writes its rows in one transaction, so whatever it writes to the
database is invisible to the web process until the commit (on PostgreSQL; on SQLite the
transaction also holds the write lock until then). The job therefore writes its progress to
the "progress" cache (settings.CACHES: Redis, or files the processes of one machine share), at
most once every PROGRESS_SECONDS, and writes the run's row once, at the end, in the same
transaction as the rows: a run is 已完成 exactly when its rows are committed.

A job that dies (the worker restarted, or stopped at Q_CLUSTER's timeout) leaves its run
导入中 with no new progress; after STALE_AFTER the pages mark it 失败 (its transaction was
rolled back: nothing was written) and the manager uploads the file again. A job that was
only slow and finishes after that is rolled back too, so the record never lies.

Uploaded files are confidential hall data: stored under PRIVATE_ROOT, kept KEEP_FILES for
audit (what exactly was imported), then deleted by the next job; the run and its report stay.
"""

import datetime
import logging
import time
import zipfile

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.utils import timezone
from django_q.exceptions import TimeoutException
from django_q.tasks import async_task

from imports.files import (
    CORRUPT_XLSX,
    SAMPLE_BYTES,
    UTF8_BOM,
    UnreadableFile,
    detect_encoding,
    identify,
)
from supervision.choices import ImportSource, ImportStatus
from supervision.importers import DEFAULT_BATCH_SIZE, import_file
from supervision.models import ImportRun

logger = logging.getLogger(__name__)

PROGRESS_SECONDS = 1.0  # the cache is written at most this often (and after the last batch)
PROGRESS_CACHE_SECONDS = 24 * 3600
# No progress for this long and the job is taken for dead. Generous: an XLSX sheet is loaded
# whole before its first batch (a million rows in well under a minute, docs/benchmarks.md).
STALE_AFTER = datetime.timedelta(minutes=3)
KEEP_FILES = datetime.timedelta(days=30)
# An upload larger than this is refused on the form (deploy/nginx lets it through to the app).
MAX_UPLOAD_BYTES = 200 * 1024 * 1024

NOTHING_WRITTEN = "导入是全有或全无的，数据库未作任何修改。请重新上传文件。"


# --- progress -------------------------------------------------------------------------------


def progress_key(run_id):
    return f"supervision:import-run:{run_id}"


class ProgressRecorder:
    """import_file's progress callback for a run: the latest (done, total, unit), with the time
    it was recorded (the stale check's sign of life), into the progress cache at most every
    PROGRESS_SECONDS. `then` is called on every batch too (the command's progress bar). A
    cache that fails costs the progress bar, never the import."""

    def __init__(self, run_id, then=None):
        self.key = progress_key(run_id)
        self.then = then
        self.latest = (0, None, "")
        self.written_at = None  # time.monotonic() of the last write

    def __call__(self, done, total, unit):
        self.latest = (done, total, unit)
        if self.then is not None:
            self.then(done, total, unit)
        now = time.monotonic()
        if self.written_at is None or now - self.written_at >= PROGRESS_SECONDS:
            self.written_at = now
            self.write()

    def write(self):
        """Store the latest progress now (perform() also calls it before the first batch)."""
        done, total, unit = self.latest
        entry = {"done": done, "total": total, "unit": unit, "at": time.time()}
        try:
            caches["progress"].set(self.key, entry, PROGRESS_CACHE_SECONDS)
        except Exception:
            logger.warning("导入进度写入缓存失败", exc_info=True)


def recorded_progress(run):
    """The progress the run's job last recorded in the cache, or None."""
    try:
        return caches["progress"].get(progress_key(run.pk))
    except Exception:
        logger.warning("导入进度读取失败", exc_info=True)
        return None


def last_sign_of_life(run, progress=None):
    moments = [run.started_at or run.created_at]
    if progress:
        moments.append(datetime.datetime.fromtimestamp(progress["at"], tz=datetime.UTC))
    return max(moments)


def fail_if_stale(run, now=None):
    """Mark the run 失败 if it is 导入中 and its job has recorded no progress for STALE_AFTER
    (the worker died or was stopped). Returns whether it did."""
    if run.status != ImportStatus.RUNNING:
        return False
    now = now or timezone.now()
    if now - last_sign_of_life(run, recorded_progress(run)) < STALE_AFTER:
        return False
    minutes = int(STALE_AFTER.total_seconds() // 60)
    message = (
        f"导入任务已{minutes}分钟没有进展，判定为中止（任务进程被重启，或超过任务时限"
        f"{settings.Q_CLUSTER.get('timeout', '')}秒）。{NOTHING_WRITTEN}"
    )
    return fail(run, message, now=now, expected=ImportStatus.RUNNING)


def fail(run, message, *, now=None, expected=None):
    """Record the run as 失败 with `message` (unless it has moved on from `expected`)."""
    runs = ImportRun.objects.filter(pk=run.pk)
    if expected is not None:
        runs = runs.filter(status=expected)
    fields = {
        "status": ImportStatus.FAILED,
        "finished_at": now or timezone.now(),
        "message": message,
    }
    try:
        updated = runs.update(**fields)
    except DatabaseError:
        # SQLite: another import holds the write lock past the busy timeout. Next time.
        logger.warning("导入记录 %s 未能标记为失败", run.pk, exc_info=True)
        return False
    if updated:
        for name, value in fields.items():
            setattr(run, name, value)
    return bool(updated)


def status(run):
    """What the run's page and its JSON endpoint show: the status and the progress, read from
    the cache while the job runs. A run whose job died is marked 失败 here."""
    fail_if_stale(run)
    done, total, unit = run.progress_done, run.progress_total, run.progress_unit
    if run.status == ImportStatus.RUNNING:
        progress = recorded_progress(run)
        if progress:
            done, total, unit = progress["done"], progress["total"], progress["unit"]
    percent = min(100, done * 100 // total) if total else None
    if run.status == ImportStatus.DONE:
        percent = 100
    waiting = run.status == ImportStatus.QUEUED and timezone.now() - run.created_at >= STALE_AFTER
    return {
        "status": run.status,
        "label": run.get_status_display(),
        "finished": run.finished,
        "done": done,
        "total": total,
        "unit": unit,
        "percent": percent,
        "progress_text": progress_text(run.status, done, total, unit, percent),
        "waiting_long": waiting,
        "message": run.message,
    }


def progress_text(state, done, total, unit, percent):
    if state == ImportStatus.QUEUED:
        return "等待任务进程开始导入…"
    if not unit:
        return "正在打开文件…" if state == ImportStatus.RUNNING else ""
    if unit == "B":
        read = f"已读取 {megabytes(done)}" + (f" / {megabytes(total)}" if total else "")
    else:
        read = f"已读取 {done:,} 行" if not total else f"已读取 {done:,} / {total:,} 行"
    return read + (f"（{percent}%）" if percent is not None else "")


def megabytes(size):
    return f"{size / 1024 / 1024:.1f} MB"


# --- the import, recorded -------------------------------------------------------------------


def report_content(report):
    """The ImportReport as the run keeps it (JSON): what the report page shows."""
    return {
        "summary": report.summary(),
        "ok": report.ok,
        "dry_run": report.dry_run,
        "encoding": report.encoding,
        "rows_read": report.rows_read,
        "created": report.created,
        "updated": report.updated,
        "rounds_created": report.rounds_created,
        "error_count": report.error_count,
        "errors": [
            {"row": error.row, "column": error.column, "reason": error.reason}
            for error in report.errors
        ],
        "ignored_columns": report.ignored_columns,
        "first_day": report.first_day and report.first_day.isoformat(),
        "last_day": report.last_day and report.last_day.isoformat(),
    }


def perform(run, file, *, then=None, batch_size=DEFAULT_BATCH_SIZE):
    """Import `file` (a path or a binary file) for the 导入中 `run` and record the result on
    it, in one transaction with the rows: the run is 已完成 if and only if they are committed.
    If the run was marked 失败 meanwhile (taken for dead), the rows are rolled back too.
    Returns the ImportReport."""
    recorder = ProgressRecorder(run.pk, then=then)
    recorder.write()  # a first sign of life before the file is opened
    with transaction.atomic():
        # import_file's own transaction (imports.transaction) is a savepoint inside this one.
        report = import_file(
            run.kind,
            file,
            name=run.file_name,
            dry_run=run.dry_run,
            batch_size=batch_size,
            progress=recorder,
        )
        done, total, unit = recorder.latest
        fields = {
            "status": ImportStatus.DONE if report.ok else ImportStatus.REJECTED,
            "finished_at": timezone.now(),
            "report": report_content(report),
            "progress_done": done,
            "progress_total": total,
            "progress_unit": unit,
            "covers_from": report.first_day if report.ok else None,
            "covers_through": report.last_day if report.ok else None,
        }
        recorded = ImportRun.objects.filter(pk=run.pk, status=ImportStatus.RUNNING).update(**fields)
        if not recorded:
            transaction.set_rollback(True)
    if recorded:
        for name, value in fields.items():
            setattr(run, name, value)
    else:
        report.applied = False
        logger.warning("导入记录 %s 已被标记为失败，本次导入已撤销", run.pk)
        run.refresh_from_db()
    return report


def first_look(upload):
    """What the job would refuse at the file's first bytes, said at once on the upload form:
    an old .xls, a damaged .xlsx, a CSV in neither UTF-8 nor GBK (UTF-16, a binary file).
    Raises UnreadableFile; the rows themselves are the job's."""
    handle = upload.file
    handle.seek(0)
    try:
        if identify(handle, upload.name, ("xlsx", "csv")) == "xlsx":
            if not zipfile.is_zipfile(handle):
                raise UnreadableFile(CORRUPT_XLSX)
        else:
            sample = handle.read(SAMPLE_BYTES)
            detect_encoding(sample.removeprefix(UTF8_BOM), len(sample) < SAMPLE_BYTES)
    finally:
        handle.seek(0)


def start(kind, upload, *, user, dry_run=False):
    """Store the upload privately with a new ImportRun and queue its import on the worker once
    the run is committed. Returns the run."""
    run = ImportRun(
        kind=kind,
        file_name=upload.name[:255],
        size=upload.size,
        uploaded_by=user,
        dry_run=dry_run,
        source=ImportSource.ADMIN,
    )
    run.file.save(upload.name, upload, save=False)
    run.save()
    transaction.on_commit(lambda: queue(run))
    return run


def queue(run):
    try:
        async_task(
            "supervision.tasks.import_upload",
            run.pk,
            task_name=f"导入：{run.file_name}"[:100],
            group="导入督查数据",
        )
    except Exception as error:
        logger.exception("导入任务未能加入队列")
        fail(run, f"未能加入任务队列（{type(error).__name__}: {error}），请稍后重新上传。")


def execute(run_id):
    """The worker's job: import a queued run's file. A run that is not 排队中 any more (a
    second delivery of the same job after a crash) is left alone: its first job either
    finished it or died, and the stale check reports the latter."""
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        logger.warning("导入记录 %s 不在排队中，跳过", run_id)
        return None
    run = ImportRun.objects.get(pk=run_id)
    try:
        try:
            handle = run.file.open("rb")
        except (FileNotFoundError, ValueError):
            fail(
                run,
                "任务进程找不到上传的文件（网站与任务进程须共用同一 PRIVATE_ROOT 目录）。"
                + NOTHING_WRITTEN,
            )
            return None
        with handle:
            report = perform(run, handle)
    except TimeoutException:
        # django-q2 stops a job over its timeout with this SystemExit: the transaction is
        # rolled back. Recorded here so the run does not wait for the stale check.
        fail(
            run,
            f"导入超过任务时限（{settings.Q_CLUSTER.get('timeout')}秒）被中止。{NOTHING_WRITTEN}"
            "文件很大时，可由系统管理员用命令 manage.py import_supervision 导入。",
        )
        raise
    except Exception as error:
        logger.exception("导入任务出错：导入记录 %s", run_id)
        fail(run, f"导入任务出错（{type(error).__name__}: {error}）。{NOTHING_WRITTEN}")
        return None
    delete_old_files()
    return report.summary()


def import_from_command(kind, path, *, dry_run=False, batch_size=DEFAULT_BATCH_SIZE, then=None):
    """The command's import, recorded as an ImportRun (no copy of the file is kept: it is
    the operator's). An interrupted command (Ctrl-C) records the run as 失败."""
    run = ImportRun.objects.create(
        kind=kind,
        file_name=path.name[:255],
        size=path.stat().st_size,
        dry_run=dry_run,
        source=ImportSource.COMMAND,
        status=ImportStatus.RUNNING,
        started_at=timezone.now(),
    )
    try:
        return perform(run, path, then=then, batch_size=batch_size)
    except BaseException as error:
        fail(run, f"命令被中断或出错（{type(error).__name__}）。{NOTHING_WRITTEN}")
        raise


def delete_old_files(now=None):
    """Delete the uploaded files older than KEEP_FILES; their runs and reports stay."""
    cutoff = (now or timezone.now()) - KEEP_FILES
    for run in ImportRun.objects.filter(created_at__lt=cutoff).exclude(file=""):
        run.file.delete(save=False)
        ImportRun.objects.filter(pk=run.pk).update(file="")

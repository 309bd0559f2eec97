"""Admin uploads of hall data run in the worker (导入记录): the upload is stored privately and
queued, the run's page follows its progress and ends with the report (row, column, reason); a
bad request is answered on the form; only importers see a run or its file; a run whose job
died is marked 失败; the command records its imports too, with the days their rows cover.

The worker is played by the `run_queued_tasks` fixture (tests/conftest.py): the job runs as
django-q2 would run it, from the queued task's name and arguments.
"""

import csv
import datetime
import io
import re
import threading
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_q.models import OrmQ

from supervision import import_runs
from supervision.choices import ImportKind, ImportSource, ImportStatus
from supervision.importers import IMPORTERS, import_file
from supervision.models import Evaluation, ImportRun
from supervision.models.imports import upload_path
from tests import factories

D = datetime.date
pytestmark = pytest.mark.django_db

HEADER = ["评价编号", "窗口号", "评价渠道", "评价等级", "评价时间"]
GOOD_ROWS = [
    ["PJ-001", "A01", "大厅", "非常满意", "2026-03-05 09:30:00"],
    ["PJ-002", "A01", "网上", "4", "2026/3/31 23:30"],
    ["PJ-003", "A01", "app", "不满意", "2026年3月6日 10时15分"],
]
TASK = "supervision.tasks.import_upload"


@pytest.fixture
def hall():
    department = factories.department(name="甲局", code="X")
    return factories.window(department, number="A01", name="甲窗口")


@pytest.fixture
def manager(client):
    client.force_login(factories.user("manager", "管理人员"))
    return client


def csv_file(tmp_path, rows, *, header=HEADER, encoding="utf-8", name="好差评.csv"):
    text = io.StringIO()
    csv.writer(text).writerows([header, *rows])
    path = tmp_path / name
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def xlsx_file(tmp_path, rows, name="好差评.xlsx"):
    workbook = openpyxl.Workbook()
    for row in (HEADER, *rows):
        workbook.active.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def upload(client, path, kind="evaluations", capture=None, **extra):
    with open(path, "rb") as handle:
        data = {"kind": kind, "file": handle, **extra}
        if capture is None:
            return client.post(reverse("supervision_import"), data)
        with capture(execute=True):  # the run commits, then its job is queued
            return client.post(reverse("supervision_import"), data)


def html(response):
    return response.content.decode()


def page_of(run):
    return reverse("supervision_import_run", args=[run.pk])


def status_of(run):
    return reverse("supervision_import_run_status", args=[run.pk])


def file_of(run):
    return reverse("supervision_import_run_file", args=[run.pk])


# --- the upload is queued, the worker imports, the page reports ---------------------------


def test_an_upload_is_queued_and_its_page_shows_the_report_once_the_worker_has_run(
    hall, tmp_path, manager, django_capture_on_commit_callbacks, run_queued_tasks
):
    response = upload(
        manager, xlsx_file(tmp_path, GOOD_ROWS), capture=django_capture_on_commit_callbacks
    )

    run = ImportRun.objects.get()
    assert (response.status_code, response.url) == (302, page_of(run))
    assert run.status == ImportStatus.QUEUED and run.source == ImportSource.ADMIN
    assert run.file_name == "好差评.xlsx" and run.uploaded_by.username == "manager"
    assert [entry.task["func"] for entry in OrmQ.objects.all()] == [TASK]
    waiting = html(manager.get(page_of(run)))
    assert "排队中" in waiting and "<progress" in waiting and "import-progress.js" in waiting
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in waiting
    assert Evaluation.objects.count() == 0

    assert run_queued_tasks("supervision.") == [TASK]

    run.refresh_from_db()
    assert run.status == ImportStatus.DONE
    assert (run.covers_from, run.covers_through) == (D(2026, 3, 5), D(2026, 3, 31))
    assert run.report["created"] == 3 and run.started_at <= run.finished_at
    assert (run.progress_done, run.progress_total, run.progress_unit) == (4, 4, "行")
    done = html(manager.get(page_of(run)))
    assert "已完成" in done and "好差评.xlsx 导入完成：共3行，新增好差评3条" in done
    assert "数据日期：2026-03-05 至 2026-03-31" in done
    assert "<progress" not in done and "http-equiv" not in done  # nothing left to follow
    assert Evaluation.objects.count() == 3
    # The list of recent runs on the upload page links to it.
    listing = html(manager.get(reverse("supervision_import")))
    assert f'href="{page_of(run)}">好差评.xlsx</a>' in listing and "新增3" in listing


def test_a_bad_file_is_reported_by_row_column_and_reason_and_nothing_is_written(
    hall, tmp_path, manager, django_capture_on_commit_callbacks, run_queued_tasks
):
    rows = [*GOOD_ROWS, ["PJ-004", "Z99", "大厅", "5", "2026-03-05 09:30"]]
    path = csv_file(tmp_path, rows, encoding="gbk")
    upload(manager, path, capture=django_capture_on_commit_callbacks)
    run_queued_tasks("supervision.")

    run = ImportRun.objects.get()
    assert run.status == ImportStatus.REJECTED
    assert run.report["errors"] == [
        {"row": 5, "column": "窗口号", "reason": "窗口号“Z99”不存在（请先在后台“服务窗口”中添加）"}
    ]
    assert run.covers_from is None and not ImportRun.objects.applied("evaluations").exists()
    page = html(manager.get(page_of(run)))
    assert "未导入（有错误）" in page and "数据库未作任何修改" in page
    assert "<td>第5行</td><td>窗口号</td><td>窗口号“Z99”不存在" in page
    assert "文件编码：GBK" in page
    assert Evaluation.objects.count() == 0


def test_a_header_only_file_is_reported_as_not_imported(
    hall, tmp_path, manager, django_capture_on_commit_callbacks, run_queued_tasks
):
    upload(manager, xlsx_file(tmp_path, []), capture=django_capture_on_commit_callbacks)
    run_queued_tasks("supervision.")

    run = ImportRun.objects.get()
    assert run.status == ImportStatus.REJECTED
    page = html(manager.get(page_of(run)))
    assert "文件中没有数据行" in page and "导入完成" not in page


def test_a_dry_run_is_checked_and_counted_but_never_counts_as_applied(
    hall, tmp_path, manager, django_capture_on_commit_callbacks, run_queued_tasks
):
    path = csv_file(tmp_path, GOOD_ROWS)
    upload(manager, path, capture=django_capture_on_commit_callbacks, dry_run="on")
    run_queued_tasks("supervision.")

    run = ImportRun.objects.get()
    assert run.status == ImportStatus.DONE and run.dry_run
    assert "校验通过（试运行，未写入）" in html(manager.get(page_of(run)))
    assert Evaluation.objects.count() == 0
    assert not ImportRun.objects.applied("evaluations").exists()


# --- progress, while the import's transaction is open ------------------------------------


def test_the_status_endpoint_shows_the_progress_the_job_recorded(hall, tmp_path, manager):
    run = ImportRun.objects.create(
        kind="evaluations",
        file_name="好差评.csv",
        status=ImportStatus.RUNNING,
        started_at=timezone.now(),
    )
    megabyte = 1024 * 1024
    import_runs.ProgressRecorder(run.pk)(5 * megabyte, 20 * megabyte, "B")

    state = manager.get(status_of(run)).json()

    assert state["status"] == "running" and state["label"] == "导入中"
    assert (state["done"], state["total"], state["percent"]) == (5 * megabyte, 20 * megabyte, 25)
    assert state["progress_text"] == "已读取 5.0 MB / 20.0 MB（25%）"
    assert not state["finished"]
    page = html(manager.get(page_of(run)))
    assert 'value="25"' in page and "已读取 5.0 MB / 20.0 MB（25%）" in page


def test_rows_of_a_sheet_are_counted_and_an_unknown_total_leaves_the_bar_indeterminate():
    assert import_runs.progress_text("running", 50_000, 200_000, "行", 25) == (
        "已读取 50,000 / 200,000 行（25%）"
    )
    assert import_runs.progress_text("running", 1200, None, "行", None) == "已读取 1,200 行"


def test_progress_is_written_at_most_once_a_second_but_the_first_batch_at_once(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(import_runs.time, "monotonic", lambda: clock[0])
    recorder = import_runs.ProgressRecorder(7)
    recorder.write()  # the sign of life before the first batch
    recorder(10, 100, "B")
    seen = [import_runs.recorded_progress(ImportRun(pk=7))["done"]]
    clock[0] += 0.5
    recorder(20, 100, "B")
    seen.append(import_runs.recorded_progress(ImportRun(pk=7))["done"])
    clock[0] += 0.6
    recorder(30, 100, "B")
    seen.append(import_runs.recorded_progress(ImportRun(pk=7))["done"])
    assert seen == [10, 10, 30]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_another_connection_sees_the_progress_while_the_import_transaction_is_open(
    hall, tmp_path, monkeypatch
):
    """The web process reads the status through its own database connection while the job's
    transaction holds the rows it wrote: it sees the progress, and not yet the rows."""
    manager = Client()
    manager.force_login(factories.user("manager", "管理人员"))
    with open(csv_file(tmp_path, GOOD_ROWS), "rb") as handle:
        stored = ImportRun.file.field.storage.save("imports/test.csv", handle)
    run = ImportRun.objects.create(kind="evaluations", file_name="好差评.csv", file=stored)
    seen = []

    def look_from_another_connection():
        try:
            seen.append(
                {
                    "state": manager.get(status_of(run)).json(),
                    "evaluations": Evaluation.objects.count(),
                    "status in the database": ImportRun.objects.get(pk=run.pk).status,
                }
            )
        finally:
            connection.close()  # this thread's own connection

    def import_and_look(*args, progress, **kwargs):
        def progress_then_look(done, total, unit):
            progress(done, total, unit)
            if not seen:
                other = threading.Thread(target=look_from_another_connection)
                other.start()
                other.join()

        return import_file(*args, progress=progress_then_look, **kwargs)

    monkeypatch.setattr(import_runs, "import_file", import_and_look)
    import_runs.execute(run.pk)

    size = Path(run.file.path).stat().st_size
    [look] = seen
    assert look["state"]["status"] == "running"
    assert (look["state"]["done"], look["state"]["total"], look["state"]["unit"]) == (
        size,
        size,
        "B",
    )
    assert look["state"]["percent"] == 100
    # The rows were written in the job's transaction, which had not committed yet.
    assert look["evaluations"] == 0 and look["status in the database"] == "running"
    assert Evaluation.objects.count() == 3
    assert ImportRun.objects.get(pk=run.pk).status == ImportStatus.DONE


# --- bad requests: a clear message on the form, never an error page ------------------------


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("好差评.csv", "\ufeff评价编号,窗口号\nPJ-1,A01\n".encode("utf-16"), "无法识别文件编码"),
        ("好差评.xls", b"\xd0\xcf\x11\xe0" + bytes(100), "旧版 Excel（.xls）"),
        ("好差评.xlsx", b"PK\x03\x04" + bytes(100), "文件不完整或已损坏"),
        ("好差评.csv", b"", "上传的文件是空的"),
    ],
)
def test_an_unreadable_file_is_refused_on_the_form_with_the_reason(
    hall, tmp_path, manager, name, content, message
):
    path = tmp_path / name
    path.write_bytes(content)

    response = upload(manager, path)

    assert response.status_code == 200
    assert message in html(response)
    assert not ImportRun.objects.exists() and not OrmQ.objects.exists()


def test_a_missing_file_or_an_unknown_kind_is_refused_on_the_form(hall, tmp_path, manager):
    response = manager.post(reverse("supervision_import"), {"kind": "evaluations"})
    assert response.status_code == 200 and "请选择要导入的文件" in html(response)

    response = upload(manager, csv_file(tmp_path, GOOD_ROWS), kind="payments")
    assert response.status_code == 200 and "数据类型“payments”无效" in html(response)

    response = manager.post(reverse("supervision_import"), {})
    assert "请选择数据类型" in html(response)
    assert not ImportRun.objects.exists()


def test_a_file_over_the_size_limit_is_refused_on_the_form(hall, tmp_path, manager, monkeypatch):
    monkeypatch.setattr(import_runs, "MAX_UPLOAD_BYTES", 100)
    response = upload(manager, csv_file(tmp_path, GOOD_ROWS * 5))
    assert response.status_code == 200 and "请分成几个文件导入" in html(response)
    assert not ImportRun.objects.exists()


def test_an_upload_while_sqlite_is_locked_by_another_import_asks_to_try_again(
    hall, tmp_path, manager, monkeypatch
):
    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(import_runs, "start", locked)
    response = upload(manager, csv_file(tmp_path, GOOD_ROWS))
    assert response.status_code == 200
    assert "数据库正忙（可能有另一项导入正在写入），请稍后重新上传" in html(response)


def test_an_unknown_run_is_not_found(manager):
    assert manager.get(reverse("supervision_import_run", args=[999])).status_code == 404
    assert manager.get(reverse("supervision_import_run_status", args=[999])).status_code == 404
    assert manager.get(reverse("supervision_import_run_file", args=[999])).status_code == 404


def test_nginx_lets_an_import_as_large_as_the_form_allows_reach_the_app():
    template = (Path(settings.BASE_DIR) / "deploy/nginx/zhengwu.conf.template").read_text()
    block = re.search(r"location = /admin/supervision/import/ \{(.*?)\}", template, re.S)
    assert block, "deploy/nginx: no location for the import upload"
    size = re.search(r"client_max_body_size (\d+)m;", block.group(1))
    assert int(size.group(1)) * 1024 * 1024 >= import_runs.MAX_UPLOAD_BYTES
    assert "proxy_pass http://zhengwu_web;" in block.group(1)


# --- who may see a run and its file ---------------------------------------------------------


@pytest.fixture
def stored_run(hall, tmp_path, django_capture_on_commit_callbacks):
    importer = Client()
    importer.force_login(factories.user("importer", "管理人员"))
    upload(importer, csv_file(tmp_path, GOOD_ROWS), capture=django_capture_on_commit_callbacks)
    return ImportRun.objects.get()


def test_the_uploaded_file_is_private_and_only_importers_get_it(
    stored_run, manager, client, tmp_path
):
    path = Path(stored_run.file.path)
    assert path.is_relative_to(Path(settings.PRIVATE_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    with pytest.raises(ValueError, match="私有文件没有公开地址"):
        _ = stored_run.file.url

    response = manager.get(file_of(stored_run))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == path.read_bytes()
    assert "private, no-store" in response["Cache-Control"]

    client.logout()
    client.force_login(factories.user("editor", "编辑"))
    response = client.get(file_of(stored_run))
    assert response.status_code == 403 and "没有导入督查数据的权限" in html(response)
    assert client.get(status_of(stored_run)).status_code == 403
    # The admin's pages send a user without the permission back to the dashboard (Wagtail's
    # answer to PermissionDenied, wagtail.admin.auth.permission_denied), with nothing of the run.
    response = client.get(page_of(stored_run))
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    response = upload(client, csv_file(tmp_path, GOOD_ROWS, name="再传.csv"))
    assert response.status_code == 302 and ImportRun.objects.count() == 1


def test_anonymous_visitors_are_sent_to_the_login_page(stored_run):
    anonymous = Client()
    login = reverse("wagtailadmin_login")
    for url in (page_of(stored_run), status_of(stored_run), file_of(stored_run)):
        response = anonymous.get(url)
        assert response.status_code == 302 and response.url.startswith(login), url


def test_the_menu_offers_the_import_page_only_to_those_who_may_import(hall, client):
    url = reverse("supervision_import")
    client.force_login(factories.user("manager", "管理人员"))
    assert url in html(client.get(reverse("wagtailadmin_home")))
    client.force_login(factories.user("editor", "编辑"))
    assert url not in html(client.get(reverse("wagtailadmin_home")))


# --- a job that dies, fails or runs twice ---------------------------------------------------


def running_run(started_minutes_ago, **fields):
    return ImportRun.objects.create(
        kind="evaluations",
        file_name="好差评.csv",
        status=ImportStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(minutes=started_minutes_ago),
        **fields,
    )


def test_a_run_whose_job_stopped_making_progress_is_marked_failed(manager):
    dead = running_run(10)
    page = html(manager.get(page_of(dead)))

    dead.refresh_from_db()
    assert dead.status == ImportStatus.FAILED and dead.finished_at
    assert "已3分钟没有进展" in dead.message and "数据库未作任何修改" in dead.message
    assert "失败" in page and dead.message in page and "<progress" not in page
    # The list shows it as failed too, and the manager may upload again.
    listing = html(manager.get(reverse("supervision_import")))
    assert "失败" in listing and "上传并导入" in listing


def test_a_long_run_that_still_makes_progress_is_left_running(manager):
    alive = running_run(10)
    import_runs.ProgressRecorder(alive.pk)(100, 1000, "B")  # progress just now

    assert manager.get(status_of(alive)).json()["status"] == "running"
    alive.refresh_from_db()
    assert alive.status == ImportStatus.RUNNING


def test_a_job_taken_for_dead_that_finishes_late_writes_nothing(hall, tmp_path, monkeypatch):
    run = running_run(0)

    def import_then_be_taken_for_dead(*args, **kwargs):
        report = import_file(*args, **kwargs)
        # In production the web process commits this through its own connection; here the
        # test's one connection does it inside the job's transaction, which is what it checks.
        import_runs.fail(run, "判定为中止", expected=ImportStatus.RUNNING)
        return report

    monkeypatch.setattr(import_runs, "import_file", import_then_be_taken_for_dead)
    report = import_runs.perform(run, csv_file(tmp_path, GOOD_ROWS))

    assert report.ok and not report.applied
    assert Evaluation.objects.count() == 0


def test_a_run_left_in_the_queue_says_the_worker_may_not_be_running(manager):
    queued = ImportRun.objects.create(
        kind="evaluations",
        file_name="好差评.csv",
        created_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    state = manager.get(status_of(queued)).json()
    assert (state["status"], state["waiting_long"]) == ("queued", True)
    page = html(manager.get(page_of(queued)))
    assert "任务排队已超过3分钟" in page and "data-import-waiting hidden" not in page
    queued.refresh_from_db()
    assert queued.status == ImportStatus.QUEUED  # it runs when the worker starts


def test_a_second_delivery_of_a_job_leaves_its_run_alone(hall, tmp_path):
    run = running_run(1)
    assert import_runs.execute(run.pk) is None
    run.refresh_from_db()
    assert run.status == ImportStatus.RUNNING and Evaluation.objects.count() == 0


def test_a_job_that_cannot_find_the_file_fails_with_the_reason(hall):
    run = ImportRun.objects.create(
        kind="evaluations", file_name="好差评.csv", file="imports/gone.csv"
    )
    import_runs.execute(run.pk)
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED and "找不到上传的文件" in run.message


def test_a_job_that_breaks_fails_with_the_error_and_writes_nothing(
    stored_run, monkeypatch, run_queued_tasks
):
    def broken(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(import_runs, "import_file", broken)
    run_queued_tasks("supervision.")
    stored_run.refresh_from_db()
    assert stored_run.status == ImportStatus.FAILED
    assert "RuntimeError: 磁盘已满" in stored_run.message and "请重新上传文件" in stored_run.message


def test_a_run_that_cannot_be_queued_is_failed_at_once(
    hall, tmp_path, manager, monkeypatch, django_capture_on_commit_callbacks
):
    def no_broker(*args, **kwargs):
        raise ConnectionError("Redis 不可用")

    monkeypatch.setattr(import_runs, "async_task", no_broker)
    response = upload(
        manager, csv_file(tmp_path, GOOD_ROWS), capture=django_capture_on_commit_callbacks
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert run.status == ImportStatus.FAILED and "未能加入任务队列" in run.message


def test_uploaded_files_are_deleted_after_30_days_and_their_runs_kept(stored_run, run_queued_tasks):
    old = ImportRun.objects.create(
        kind="evaluations",
        file_name="旧.csv",
        file=ImportRun.file.field.storage.save("imports/old.csv", io.BytesIO(b"x")),
        created_at=timezone.now() - datetime.timedelta(days=31),
    )
    old_path = Path(old.file.path)

    run_queued_tasks("supervision.")  # the next import's job cleans up

    old.refresh_from_db()
    assert old.file == "" and not old_path.exists()
    stored_run.refresh_from_db()
    assert stored_run.file and Path(stored_run.file.path).exists()


# --- the command records its imports; what the readiness check asks -----------------------


def test_the_command_records_its_import_as_a_run(hall, tmp_path):
    call_command(
        "import_supervision", "evaluations", str(csv_file(tmp_path, GOOD_ROWS)), verbosity=0
    )

    run = ImportRun.objects.get()
    assert (run.source, run.status, run.uploaded_by, run.file) == (
        ImportSource.COMMAND,
        ImportStatus.DONE,
        None,
        "",
    )
    assert (run.covers_from, run.covers_through) == (D(2026, 3, 5), D(2026, 3, 31))
    assert list(ImportRun.objects.applied("evaluations")) == [run]


def test_a_rejected_command_import_is_recorded_as_not_imported(hall, tmp_path):
    rows = [["PJ-009", "Z99", "大厅", "5", "2026-03-05 09:30"]]
    with pytest.raises(CommandError, match="未导入"):
        call_command(
            "import_supervision", "evaluations", str(csv_file(tmp_path, rows)), verbosity=0
        )
    assert ImportRun.objects.get().status == ImportStatus.REJECTED


def test_a_run_names_the_kinds_the_importers_read():
    assert dict(ImportKind.choices) == {kind: i.label for kind, i in IMPORTERS.items()}


def test_the_stored_name_is_random_and_keeps_only_a_plain_extension():
    name = upload_path(None, "好差评 2026年11月.CSV")
    assert re.fullmatch(r"imports/\d{4}/\d{2}/[0-9a-f]{24}\.csv", name)
    assert upload_path(None, "导出").endswith(".bin")
    assert upload_path(None, "x.c$v/..").endswith(".bin")

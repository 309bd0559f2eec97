"""`manage.py export_guides [--department CODE] [--jobs N] OUT`: the public catalogue as PDF files.

Writes, for every department with public guides (or the one named):

    OUT/<department code>/<implementation code>.pdf          one per guide
    OUT/<department code>/<department code>-办事指南汇编.pdf   the department's guide book

for a print shop, a USB stick for a hall without network, or an archive. A guide's PDF comes
from the same cache as its pdf/ URL (publications.cache): a guide whose published revision was
already rendered, by a visitor or by the job queued when it was published, is copied, and one
that was not is rendered and cached for the web too. Books are always rendered. Files are
written atomically, so an interrupted export never leaves half a PDF behind.

Rendering is CPU-bound (WeasyPrint, about 0.1 s a page), so it runs in N forked processes.
Each worker is handed page and department ids, never model instances, and opens its own
database connection: the parent closes its connections before forking, as a connection shared
across processes would interleave their traffic.
"""

import multiprocessing
import os
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from cms.management.progress import progress_bar
from cms.models import Department, ServiceGuidePage
from cms.models.mixins import public_pages
from publications import cache, editions
from publications.pdf import PdfUnavailable, ensure_can_render

GUIDE, BOOK = "guide", "book"


def path_segment(code):
    """A code as one file or directory name: no separators, not hidden, never empty."""
    return code.replace("/", "_").replace("\\", "_").lstrip(".") or "_"


def export_one(kind, pk, target):
    """Write one PDF (a guide or a department's book, by id) to `target`.

    Runs in a worker process: everything it needs is read from the database by id.
    """
    if kind == GUIDE:
        guide = ServiceGuidePage.objects.select_related("department").get(pk=pk)
        with cache.guide_pdf(guide).file as cached:
            data = cached.read()
    else:
        data = editions.department_book_pdf(Department.objects.get(pk=pk)).data
    cache.write_atomically(Path(target), data)


def failed(task, error):
    return CommandError(f"导出 {task[2]} 失败：{error}")


class Command(BaseCommand):
    help = "把公开的办事指南导出为 PDF：每个事项一份，每个部门一册汇编，按部门编码分目录存放。"

    def add_arguments(self, parser):
        parser.add_argument("out", help="输出目录（不存在则新建；同名文件将被覆盖）")
        parser.add_argument(
            "--department", metavar="CODE", help="只导出这个部门编码的办事指南，默认全部部门"
        )
        parser.add_argument(
            "--no-books", action="store_true", help="只导出单个事项的 PDF，不生成部门汇编"
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            metavar="N",
            help="同时排版的进程数，默认为 CPU 核数；1 表示在当前进程中依次排版",
        )

    def handle(self, *args, out, department, jobs, no_books, verbosity, **options):
        if jobs < 1:
            raise CommandError("--jobs 至少为 1。")
        try:
            ensure_can_render()
        except PdfUnavailable as error:
            raise CommandError(str(error)) from error

        guides = public_pages(ServiceGuidePage.objects.all())
        if department is not None:
            chosen = Department.objects.filter(code=department).first()
            if chosen is None:
                raise CommandError(
                    f"没有部门编码为“{department}”的部门，请使用后台“部门”列表中的部门编码。"
                )
            guides = guides.filter(department=chosen)

        tasks = self.plan(guides, Path(out))
        targets = [target for _, _, target in tasks]
        if len(set(targets)) != len(targets):
            clashing = sorted({target for target in targets if targets.count(target) > 1})
            raise CommandError(f"以下文件名会相互覆盖，请检查部门编码和实施编码：{clashing[:5]}")
        if jobs > 1 and connection.in_atomic_block:
            # The forked workers could not see this transaction's rows, and closing the
            # connection before forking would break it.
            raise CommandError("在数据库事务中调用时请使用 --jobs 1。")
        if no_books:
            tasks = [task for task in tasks if task[0] == GUIDE]
        if not tasks:
            self.stdout.write(self.style.WARNING("没有公开的办事指南，未导出任何文件。"))
            return

        started = time.perf_counter()
        self.run(tasks, jobs, verbosity)
        seconds = time.perf_counter() - started
        if verbosity >= 1:
            guide_count = sum(kind == GUIDE for kind, _, _ in tasks)
            book_count = len(tasks) - guide_count
            self.stdout.write(
                self.style.SUCCESS(
                    f"已导出 PDF {len(tasks)} 份（办事指南 {guide_count} 份、部门汇编 "
                    f"{book_count} 册），用时 {seconds:.1f} 秒，"
                    f"每秒 {guide_count / seconds:.2f} 项指南（{min(jobs, len(tasks))} 个进程）。"
                    f"输出目录：{out}"
                )
            )

    def plan(self, guides, out):
        """(kind, id, target path) of every PDF to write, the largest books first: they take
        longest, so starting them early keeps the last seconds from waiting on one big book."""
        rows = guides.order_by("department__code", "implementation_code").values_list(
            "pk", "implementation_code", "department_id", "department__code"
        )
        books, sizes, singles = {}, Counter(), []
        for pk, implementation_code, department_id, department_code in rows:
            folder = out / path_segment(department_code)
            singles.append((GUIDE, pk, str(folder / f"{path_segment(implementation_code)}.pdf")))
            books[department_id] = (
                BOOK,
                department_id,
                str(folder / f"{path_segment(department_code)}-办事指南汇编.pdf"),
            )
            sizes[department_id] += 1
        return sorted(books.values(), key=lambda book: -sizes[book[1]]) + singles

    def run(self, tasks, jobs, verbosity):
        """Write every task's PDF, in this process or in `jobs` forked ones."""
        if jobs == 1:
            with self.progress(len(tasks), verbosity) as bar:
                for task in tasks:
                    try:
                        export_one(*task)
                    except Exception as error:
                        raise failed(task, error) from error
                    bar.update()
            return

        # Children must not inherit an open connection (SQLite or PostgreSQL alike): each one
        # connects on its first query.
        connections.close_all()
        pool = ProcessPoolExecutor(
            max_workers=min(jobs, len(tasks)), mp_context=multiprocessing.get_context("fork")
        )
        try:
            # Submitted before the bar exists: with "fork" the pool starts all its processes on
            # the first submit, and they should not inherit the bar's monitor thread.
            futures = {pool.submit(export_one, *task): task for task in tasks}
            with self.progress(len(tasks), verbosity) as bar:
                for future in as_completed(futures):
                    try:
                        future.result()
                    except Exception as error:
                        raise failed(futures[future], error) from error
                    bar.update()
        finally:
            pool.shutdown(cancel_futures=True)

    def progress(self, total, verbosity):
        return progress_bar(
            self, total=total, desc="导出办事指南", unit="份", disable=verbosity == 0
        )

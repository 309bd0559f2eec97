"""`manage.py rebuild_search_index [--backend ALIAS] [--if-empty]`: every public page into a
new index, swapped in when complete, so searches keep answering from the old one until then.
`--if-empty` is for a container's start: a fresh index is built, an existing one kept."""

import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.management.progress import progress_bar
from search import index, sources
from search.backends import InvalidSearchBackendError, load_backend
from search.backends.base import SearchUnavailable


class Command(BaseCommand):
    help = "重建站内搜索索引：新索引建好后一次性切换，重建期间搜索照常可用。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--backend",
            action="append",
            dest="aliases",
            help="只重建这个检索后端（PORTAL_SEARCH_BACKENDS 的名称），可重复；默认全部。",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="只在索引为空时重建（容器首次启动时用；之后由发布信号保持同步）。",
        )
        parser.add_argument("--chunk-size", type=int, default=500, help="每批写入的文档数。")
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="并行生成文档的进程数，默认为 CPU 核数。",
        )

    def handle(self, *args, aliases, chunk_size, jobs, if_empty, verbosity, **options):
        if jobs < 1 or chunk_size < 1:
            raise CommandError("--jobs 和 --chunk-size 至少为 1。")
        aliases = aliases or list(settings.PORTAL_SEARCH_BACKENDS)
        total = sources.count_public_documents()
        for alias in aliases:
            try:
                backend = load_backend(alias)
            except InvalidSearchBackendError as error:
                raise CommandError(str(error)) from error
            problems = backend.problems()
            if problems:
                raise CommandError(f"检索后端 {alias} 无法使用：" + "；".join(problems))
            if if_empty and backend.page_ids():
                self.stdout.write(f"检索后端 {alias}：索引已有内容，未重建。")
                continue
            started = time.perf_counter()
            written = 0
            with progress_bar(
                self, total=total, unit="篇", desc=f"重建索引 {alias}", disable=verbosity < 1
            ) as bar:
                try:
                    for count in index.rebuild(backend, chunk_size=chunk_size, jobs=jobs):
                        written += count
                        bar.update(count)
                except SearchUnavailable as error:
                    raise CommandError(
                        f"检索后端 {alias} 不可用，旧索引保持不变：{error}"
                    ) from error
            seconds = time.perf_counter() - started
            self.stdout.write(
                f"检索后端 {alias}：已索引 {written} 篇公开内容，用时 {seconds:.1f} 秒，新索引已启用。"
            )

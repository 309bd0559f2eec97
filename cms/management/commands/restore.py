"""`manage.py restore ARCHIVE [--yes]`: puts back a `manage.py backup` archive: the database,
MEDIA_ROOT and PRIVATE_ROOT, then migrates (a backup from an older version) and rebuilds the
search index. Stop the site and its workers first. Every check runs before anything changes."""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cms.backups import archive, database_for
from cms.caching import version as content_version


class Command(BaseCommand):
    help = "从 manage.py backup 的备份文件恢复数据库和文件（请先停止网站和任务进程）。"

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="备份文件（backup-*.tar.gz）")
        parser.add_argument(
            "--yes", action="store_true", help="确认覆盖已有数据（目标数据库已有数据表时必需）。"
        )
        parser.add_argument(
            "--no-search-index", action="store_true", help="恢复后不重建检索索引（稍后自行运行）。"
        )

    def handle(self, *args, path, yes, no_search_index, verbosity, **options):
        backup = archive_checked(path)
        database = database_for(connection.vendor)
        tables = connection.introspection.table_names()
        if tables and not yes:
            raise CommandError(
                f"目标数据库已有 {len(tables)} 张数据表：恢复将覆盖其中全部数据和上传文件。"
                "确认后请加 --yes 再运行。"
            )
        say = self.stdout.write if verbosity >= 1 else lambda *a, **k: None
        with tempfile.TemporaryDirectory(dir=settings.VAR_DIR, prefix="restore-") as work:
            work = Path(work)
            backup.extract(work)
            problem = database.check(work / backup.manifest["database"])
            if problem:
                raise CommandError(f"{backup.path} 无法恢复：{problem}。未作任何改动。")
            say(f"恢复数据库（{backup.manifest['created_at']} 的备份）……")
            database.restore(connection.settings_dict, work / backup.manifest["database"], tables)
            connection.close()
            for folder, root in archive.file_trees():
                say(f"恢复 {root} ……")
                archive.replace_tree(work / folder, root)
        # PDFs rendered from the data just replaced would be served for the restored pages,
        # and pages cached under the running content version too (cms.caching).
        archive.empty_directory(Path(settings.PDF_CACHE_DIR))
        content_version.bump()
        call_command("migrate", no_input=True, verbosity=max(verbosity - 1, 0))
        self.stdout.write(self.style.SUCCESS(f"已从 {backup.path} 恢复数据库和文件。"))
        if no_search_index:
            self.stdout.write("检索索引未重建：请运行 manage.py rebuild_search_index。")
            return
        try:
            call_command("rebuild_search_index", verbosity=verbosity)
        except CommandError as error:
            self.stderr.write(f"检索索引未能重建（{error}）：恢复后请运行 rebuild_search_index。")


def archive_checked(path):
    backup = archive.Backup.open(path)
    engine = backup.manifest.get("engine")
    if engine != connection.vendor:
        raise CommandError(
            f"备份的数据库是 {engine}，当前站点用的是 {connection.vendor}：不能跨数据库恢复。"
        )
    unknown = backup.unknown_migrations()
    if unknown:
        raise CommandError(
            "备份来自更新的版本（本代码没有这些迁移："
            + "、".join(unknown[:5])
            + "）：请先升级代码再恢复。"
        )
    return backup

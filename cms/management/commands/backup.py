"""`manage.py backup [--output DIR]`: the database, MEDIA_ROOT and PRIVATE_ROOT in one
timestamped .tar.gz (mode 0600), consistent while the site runs. See cms/backups/ and
docs/deployment.md."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from cms.backups import archive, database_for
from cms.management.progress import progress_bar


class Command(BaseCommand):
    help = "备份数据库、上传文件（MEDIA_ROOT）和非公开文件（PRIVATE_ROOT）到一个 .tar.gz 文件。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="备份文件存放目录，默认 VAR_DIR/backups/（只有本用户可读）。",
        )

    def handle(self, *args, output, verbosity, **options):
        database = database_for(connection.vendor)
        output = (output or Path(settings.VAR_DIR) / "backups").resolve()
        total = sum(len(archive.files_under(root)) for _, root in archive.file_trees())
        with progress_bar(
            self, total=total, unit="个文件", desc="备份", disable=verbosity < 1
        ) as bar:
            path, counts = archive.create(output, database, advance=bar.update)
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"备份完成：{path}（{connection.vendor} 数据库，上传文件 {counts['media']} 个，"
                    f"非公开文件 {counts['private']} 个；未含渲染的 PDF 和检索索引，均可重建）。"
                )
            )
        else:
            self.stdout.write(str(path))

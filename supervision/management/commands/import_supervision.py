"""Import the hall's exports: evaluations (好差评), cases (办件) or inspections (巡查).

The work is done by supervision.importers; this command only reads the arguments, shows
progress and prints the report. Each import is recorded as an ImportRun (supervision/import_runs.py),
as the admin's are, so the admin's list and the bulletins' data readiness see it too.
Columns and formats: docs/supervision-import.md.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.management.progress import progress_bar
from supervision.import_runs import import_from_command
from supervision.importers import DEFAULT_BATCH_SIZE, IMPORTERS


class Command(BaseCommand):
    help = (
        "导入大厅系统导出的好差评、办件或巡查记录（CSV 或 XLSX，CSV 可为 UTF-8 或 GBK 编码）。"
        "逐行校验，任何一行有误则整个文件不写入；按编号去重，同一文件重复导入不新增记录。"
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(IMPORTERS), help="文件内容：好差评、办件或巡查")
        parser.add_argument("file", help=".csv 或 .xlsx 文件（格式见 docs/supervision-import.md）")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"每批写入的行数（默认 {DEFAULT_BATCH_SIZE}）",
        )
        parser.add_argument("--dry-run", action="store_true", help="只校验并统计，不写入")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size 须为正整数")
        verbosity = options["verbosity"]
        bar = Progress(self) if verbosity >= 1 else None
        try:
            report = import_from_command(
                options["kind"],
                path,
                batch_size=options["batch_size"],
                dry_run=options["dry_run"],
                then=bar,
            )
        finally:
            if bar:
                bar.close()
        if not report.ok:
            raise CommandError("\n".join(report.lines()))
        if verbosity >= 2 and report.encoding:
            self.stdout.write(f"文件编码：{report.encoding}")
        if verbosity >= 1:
            for line in report.lines()[1:]:
                self.stdout.write(self.style.WARNING(line))
            self.stdout.write(self.style.SUCCESS(report.summary()))


class Progress:
    """The importer's progress callback as a tqdm bar on stderr, opened at the first batch
    (when the total is known: bytes of a CSV, rows of an XLSX sheet)."""

    def __init__(self, command):
        self.command = command
        self.bar = None

    def __call__(self, done, total, unit):
        if self.bar is None:
            scale = unit == "B"  # 12.3MB rather than 12345678B
            self.bar = progress_bar(
                self.command, total=total, desc="导入", unit=unit, unit_scale=scale
            )
        self.bar.update(done - self.bar.n)

    def close(self):
        if self.bar is not None:
            self.bar.close()

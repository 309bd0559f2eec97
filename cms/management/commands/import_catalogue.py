"""Import the item catalogue from the provincial platform (JSON or XLSX).

The work is done by cms.catalogue_import; this command only reads the arguments, shows
progress and prints the report. The file format: docs/catalogue-import.md.
"""

from django.core.management.base import BaseCommand, CommandError

from cms.catalogue_import import CatalogueImportError, import_catalogue
from cms.management.progress import progress_bar

# Below this many items the import takes a second or two: a bar would only flicker.
PROGRESS_MIN_ITEMS = 20


class Command(BaseCommand):
    help = (
        "从省级平台的事项目录（JSON 或 XLSX）新建或更新办事指南。先校验全部行，"
        "有任何错误则不写入；同一文件重复导入不产生新修订。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="目录文件：.json 或 .xlsx（格式见 docs/catalogue-import.md）"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="只校验并报告将新建/更新多少项，不写入",
        )
        parser.add_argument(
            "--no-publish",
            action="store_true",
            help="新修订存为草稿，由编辑通过审核流程提交发布；线上版本不变",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        try:
            result = import_catalogue(
                options["file"],
                publish=not options["no_publish"],
                dry_run=options["dry_run"],
                progress=self.make_progress(verbosity),
            )
        except CatalogueImportError as error:
            raise CommandError(str(error)) from error

        if verbosity >= 1 and result.warnings:
            self.stdout.write(self.style.WARNING("提示："))
            for warning in result.warnings:
                self.stdout.write(f"  - {warning}")
        if verbosity >= 2:
            for code in result.created:
                self.stdout.write(f"新建 {code}")
            for code, changes in result.changes.items():
                self.stdout.write(f"更新 {code}：{'、'.join(changes)}")
            for code in result.materials_created:
                self.stdout.write(f"新增材料 {code}")
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(result.summary()))

    def make_progress(self, verbosity):
        def progress(iterable, total):
            if verbosity == 0 or total < PROGRESS_MIN_ITEMS:
                return iterable
            return progress_bar(self, iterable=iterable, total=total, desc="导入事项", unit="项")

        return progress

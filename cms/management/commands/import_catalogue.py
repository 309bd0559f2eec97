"""Import the item catalogue from the provincial platform (JSON, XLSX or CSV).

The work is done by cms.catalogue_import; this command only reads the arguments, shows
progress and prints the report. The file format: docs/catalogue-import.md.

What it prints follows --verbosity: 0 nothing but errors, 1 (the default) the report (notes,
new departments, renamed guides) and a summary line, 2 also a line per item, 3 also the
libraries' log lines for every page saved (cms.management.logs keeps them out below 3).
"""

import logging

from django.core.management.base import BaseCommand, CommandError

from cms.catalogue_import import CatalogueImportError, import_catalogue
from cms.management.logs import quiet_loggers
from cms.management.progress import progress_bar

# Below this many items the import takes a second or two: a bar would only flicker.
PROGRESS_MIN_ITEMS = 20

# What the libraries may log while the import saves pages, by verbosity (None: everything).
LOG_LEVELS = {0: logging.ERROR, 1: logging.WARNING, 2: logging.WARNING, 3: None}


class Command(BaseCommand):
    help = (
        "从省级平台的事项目录（JSON、XLSX 或 CSV）新建或更新办事指南。先校验全部行，"
        "有任何错误则不写入；同一文件重复导入不产生新修订。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="目录文件：.json、.xlsx 或 .csv（格式见 docs/catalogue-import.md）"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="只校验并报告将新建/更新多少项，不写入；站点还没有办事指南目录页面时也可运行",
        )
        parser.add_argument(
            "--no-publish",
            action="store_true",
            help="新修订存为草稿，由编辑通过审核流程提交发布；线上版本不变",
        )
        parser.add_argument(
            "--create-departments",
            action="store_true",
            help="文件中按名称给出、站点中没有的实施主体（部门）由导入新建，而不是报错",
        )
        parser.add_argument(
            "--allow-retitle",
            action="store_true",
            help="允许导入改变现有指南的名称或实施主体（默认列出这些事项并拒绝整个导入）",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        try:
            with quiet_loggers(LOG_LEVELS.get(verbosity, logging.WARNING)):
                result = import_catalogue(
                    options["file"],
                    publish=not options["no_publish"],
                    dry_run=options["dry_run"],
                    create_departments=options["create_departments"],
                    allow_retitle=options["allow_retitle"],
                    progress=self.make_progress(verbosity),
                )
        except CatalogueImportError as error:
            raise CommandError(str(error)) from error

        if verbosity >= 1:
            self.report(result)
        if verbosity >= 2:
            for code in result.created:
                self.stdout.write(f"新建 {code}")
            for code, changes in result.changes.items():
                self.stdout.write(f"更新 {code}：{'、'.join(changes)}")
            for code in result.materials_created:
                self.stdout.write(f"新增材料 {code}")
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(result.summary()))

    def report(self, result):
        verb = "将" if result.dry_run else ""
        sections = (
            ("提示：", result.warnings),
            (f"{verb}新增部门（请在“部门”中核对编码和简称）：", result.departments_created),
            (f"{verb}改名或改实施主体的指南（--allow-retitle）：", result.retitles),
        )
        for heading, lines in sections:
            if lines:
                self.stdout.write(self.style.WARNING(heading))
                for line in lines:
                    self.stdout.write(f"  - {line}")

    def make_progress(self, verbosity):
        def progress(iterable, total):
            if verbosity == 0 or total < PROGRESS_MIN_ITEMS:
                return iterable
            return progress_bar(self, iterable=iterable, total=total, desc="导入事项", unit="项")

        return progress

"""Importing the hall's exports (好差评, 办件, 巡查) from CSV or XLSX, all or nothing.

`import_file(kind, file)` reads the file in one streaming pass inside one transaction:
every row is validated, rows are written in batches while the file is clean, and if any row
is wrong the transaction is rolled back and the report lists the problems (row as Excel
numbers it, column header, reason). Rows are matched on their natural key (评价编号, 办件编号,
问题编号), ignoring case: importing the same file again adds nothing, and a re-exported row
with a later status overwrites the stored one. A file without data rows is rejected too.

- base.py: columns as data, the report, the streaming pass
- kinds.py: the three files and their columns

Reading the file, parsing its cells, the report's lines and the batch writes are the import
toolkit's (imports/: files, cells, problems, writers), shared with the catalogue import.

The columns and formats are documented in docs/supervision-import.md.
"""

from pathlib import Path

from django.db import DatabaseError

from imports.files import UnreadableFile, open_table
from imports.problems import Problem
from imports.transaction import all_or_nothing
from imports.writers import foreign_keys_checked_per_row
from supervision.importers.base import DEFAULT_BATCH_SIZE, ImportReport
from supervision.importers.kinds import IMPORTERS

__all__ = ["DEFAULT_BATCH_SIZE", "IMPORTERS", "ImportReport", "Problem", "import_file"]


def import_file(
    kind, file, *, name=None, batch_size=DEFAULT_BATCH_SIZE, dry_run=False, progress=None
):
    """Import `file` (a path, or a seekable binary file such as an upload) as `kind`
    (evaluations, cases or inspections) and return the ImportReport.

    `progress(done, total, unit)` is called after each batch: bytes of a CSV file, rows of
    an XLSX sheet (total may be None). With `dry_run` everything is checked and counted and
    nothing is written.
    """
    importer_class = IMPORTERS[kind]
    if isinstance(file, str | Path):
        with open(file, "rb") as handle:
            return import_file(
                kind,
                handle,
                name=name or Path(file).name,
                batch_size=batch_size,
                dry_run=dry_run,
                progress=progress,
            )
    report = ImportReport(kind, importer_class.label, name or getattr(file, "name", ""), dry_run)
    try:
        table = open_table(file, report.file_name)
        report.encoding = table.encoding
        with all_or_nothing(keep=lambda: report.ok and not dry_run):
            importer = importer_class(report, dry_run=dry_run)
            with foreign_keys_checked_per_row():
                importer.run(table, batch_size=batch_size, progress=progress)
        report.applied = report.ok and not dry_run
    except UnreadableFile as error:
        report.add_error(error.row, "", error.reason)
    except DatabaseError as error:
        # Validation mirrors the database's rules; if they have drifted apart, the database
        # says no and the whole import is rolled back like any other rejection.
        report.add_error(None, "", f"写入数据库失败，已全部撤销：{error}")
    if not report.ok:
        report.created = report.updated = report.rounds_created = 0  # nothing was written
    return report

"""Backups of a whole site: its database, public uploads (MEDIA_ROOT) and private files
(PRIVATE_ROOT), in one .tar.gz archive that `manage.py restore` puts back.

One module per database, as Django does for its own backends: `sqlite.py` copies the file with
SQLite's online backup API, `postgresql.py` runs pg_dump/pg_restore; `archive.py` holds what
both share (the manifest, the file trees, safe extraction).

Left out, because they are made again from what is kept: the rendered PDFs (PDF_CACHE_DIR) and
the search index. Apps name the tables whose rows are such derived data with
`leave_out_rows()` (the search app does, in its AppConfig.ready()), so this package imports no
app above it.
"""

from django.core.management.base import CommandError

ENGINES = {"sqlite": "cms.backups.sqlite", "postgresql": "cms.backups.postgresql"}

# Tables whose schema is backed up but not their rows: derived data a command rebuilds.
DERIVED_TABLES = set()


def leave_out_rows(*tables):
    DERIVED_TABLES.update(tables)


def database_for(vendor):
    """The module that dumps and restores a database of `vendor` (connection.vendor)."""
    if vendor not in ENGINES:
        raise CommandError(f"不支持备份 {vendor} 数据库：只支持 SQLite 和 PostgreSQL。")
    from importlib import import_module

    return import_module(ENGINES[vendor])

"""SQLite: the online backup API (sqlite3.Connection.backup), which copies a consistent
snapshot while the site and its workers keep writing, and restores the same way, page by
page under a write lock, so processes still connected read the restored database.
https://www.sqlite.org/backup.html
"""

import sqlite3

FILE_NAME = "db.sqlite3"


def dump(settings_dict, target, derived_tables):
    source = sqlite3.connect(settings_dict["NAME"], timeout=20)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        existing = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
        for table in sorted(derived_tables & existing):
            copy.execute(f'DELETE FROM "{table}"')
        copy.commit()
        # One self-contained file (no -wal beside it), no space left by the rows taken out.
        copy.execute("PRAGMA journal_mode=DELETE")
        copy.execute("VACUUM")
    finally:
        copy.close()
        source.close()


def check(path):
    """The archive's database file is an SQLite database that opens: a message if not."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as database:
            database.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:
        return f"数据库文件无法读取（{error}）"
    return None


def restore(settings_dict, source, tables):
    """Replace the whole database with the backup's (`tables` go with the rest)."""
    backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    target = sqlite3.connect(settings_dict["NAME"], timeout=20)
    try:
        backup.backup(target)
        # As settings' init_command does on every connection: the site's readers and writers.
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        target.close()
        backup.close()

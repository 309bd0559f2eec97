"""The backup archive: what goes in, what comes out, and the checks made before anything on
the site is touched.

    manifest.json          format, engine, time, versions, applied migrations, file counts
    database/db.sqlite3    or database/db.dump (PostgreSQL custom format)
    media/...              MEDIA_ROOT: images, renditions, documents
    private/...            PRIVATE_ROOT: bulletins, findings' photos (confidential)
"""

import io
import json
import os
import platform
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from cms.backups import DERIVED_TABLES

FORMAT = "zhengwu-backup"
FORMAT_VERSION = 1
DISTRIBUTIONS = ["zhengwu-cms", "Django", "wagtail", "django-q2"]


def file_trees():
    """(folder in the archive, directory on this site): the files a backup keeps."""
    return [("media", Path(settings.MEDIA_ROOT)), ("private", Path(settings.PRIVATE_ROOT))]


def files_under(root):
    """Every regular file under `root`, but the rendered PDFs if PDF_CACHE_DIR lies inside."""
    if not root.is_dir():
        return []
    left_out = Path(settings.PDF_CACHE_DIR).resolve()
    found = []
    for folder, _, names in os.walk(root):
        if Path(folder).resolve().is_relative_to(left_out):
            continue
        found += [Path(folder, name) for name in names if Path(folder, name).is_file()]
    return sorted(found)


def manifest(database_member, counts):
    versions = {"python": platform.python_version()}
    for name in DISTRIBUTIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    applied = sorted(MigrationRecorder(connection).applied_migrations())
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.localtime().isoformat(timespec="seconds"),
        "engine": connection.vendor,
        "database": database_member,
        "versions": versions,
        "migrations": [f"{app}.{name}" for app, name in applied],
        "files": counts,
        "left_out": ["PDF_CACHE_DIR（渲染的 PDF）", "检索索引（运行 rebuild_search_index 重建）"],
    }


def add_json(tar, name, value):
    data = json.dumps(value, ensure_ascii=False, indent=2).encode()
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
    tar.addfile(info, io.BytesIO(data))


def new_archive_path(output):
    """A fresh timestamped name in `output` (made 0700 if new)."""
    output.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path, n = output / f"backup-{stamp}.tar.gz", 1
    while path.exists():
        n += 1
        path = output / f"backup-{stamp}-{n}.tar.gz"
    return path


def create(output, database, advance=lambda: None):
    """Write a new archive into `output` and return its path and file counts. It appears
    under its name only when complete; it is readable by its owner only (0600): it holds
    confidential bulletins and the database's password hashes."""
    path = new_archive_path(output)
    partial = path.with_name(path.name + ".partial")
    trees = [(folder, root, files_under(root)) for folder, root in file_trees()]
    counts = {folder: len(files) for folder, _, files in trees}
    member = f"database/{database.FILE_NAME}"
    with tempfile.TemporaryDirectory(dir=output) as work:
        dumped = Path(work) / database.FILE_NAME
        database.dump(connection.settings_dict, dumped, DERIVED_TABLES)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                add_json(tar, "manifest.json", manifest(member, counts))
                tar.add(dumped, member)
                for folder, root, files in trees:
                    for file in files:
                        try:
                            tar.add(file, f"{folder}/{file.relative_to(root).as_posix()}")
                        except FileNotFoundError:
                            pass  # deleted since it was listed (an old rendition)
                        advance()
            partial.rename(path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return path, counts


@dataclass
class Backup:
    """An archive read and checked, before anything is restored from it."""

    path: Path
    manifest: dict

    @classmethod
    def open(cls, path):
        """Reads the manifest and the member list; a CommandError names what is wrong."""
        path = Path(path)
        if not path.is_file():
            raise CommandError(f"找不到备份文件：{path}")
        try:
            with tarfile.open(path, "r:gz") as tar:
                members = tar.getmembers()
                names = {member.name for member in members}
                if "manifest.json" not in names:
                    raise CommandError(f"{path} 不是本系统的备份文件（缺少 manifest.json）。")
                found = json.load(tar.extractfile("manifest.json"))
        except (tarfile.TarError, OSError, EOFError, ValueError) as error:
            raise CommandError(f"{path} 不是本系统的备份文件（{error}）。") from error
        if not isinstance(found, dict) or found.get("format") != FORMAT:
            raise CommandError(f"{path} 不是本系统的备份文件（清单格式不符）。")
        if found.get("format_version") != FORMAT_VERSION:
            raise CommandError(f"备份格式版本 {found.get('format_version')} 不能由本版本恢复。")
        if found.get("database") not in names:
            raise CommandError(f"备份不完整：缺少数据库文件 {found.get('database')}。")
        for member in members:
            parts = member.name.split("/")
            if (
                parts[0] not in {"manifest.json", "database", "media", "private"}
                or not (member.isfile() or member.isdir())
                or ".." in parts
            ):
                raise CommandError(f"备份中含有不应有的条目：{member.name}")
        return cls(path, found)

    def unknown_migrations(self):
        """Migrations the backup's database has applied that this code does not know: a
        backup from a newer version."""
        known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
        return sorted(set(self.manifest.get("migrations", [])) - known)

    def extract(self, into):
        """Everything into `into` (the tarfile "data" filter refuses links and paths that
        leave it, a second guard after open()'s checks; a Python without it, before 3.11.4
        unless the distribution backported it, has open()'s checks alone)."""
        with tarfile.open(self.path, "r:gz") as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(into, filter="data")
            else:  # pragma: no cover - Python 3.11.0-3.11.3
                tar.extractall(into)  # noqa: S202 (members checked in open())


def empty_directory(target, keep=None):
    """Remove everything inside `target` but `keep`; the directory itself stays, as it may
    be a mount point."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in target.iterdir():
        if keep is not None and entry.resolve() == keep:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def replace_tree(extracted, target):
    """Make `target` hold exactly the files of `extracted` (which may not exist: none were
    backed up). PDF_CACHE_DIR, if inside, is left to restore, which empties it."""
    empty_directory(target, keep=Path(settings.PDF_CACHE_DIR).resolve())
    if extracted.is_dir():
        for entry in extracted.iterdir():
            shutil.move(str(entry), target / entry.name)

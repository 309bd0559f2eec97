"""`manage.py backup` and `manage.py restore`: a site's database, uploads and private files
come back whole on a fresh machine (on the database the suite runs on: SQLite, or PostgreSQL
with DATABASE_URL); bad input is refused in Chinese before anything changes."""

import datetime
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from wagtail.images import get_image_model
from wagtail.models import Page

from supervision.choices import BulletinKind
from supervision.models import Bulletin
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
# Printed as JSON by a fresh process on the restored site, and computed here on the original.
SNAPSHOT = """
import json
from wagtail.images import get_image_model
from wagtail.models import Page
from search.models import IndexedDocument
from supervision.models import Bulletin
print(json.dumps({
    "pages": list(Page.objects.order_by("path").values_list("path", "title", "live")),
    "images": sorted(get_image_model().objects.values_list("title", "file")),
    "bulletins": sorted(Bulletin.objects.values_list("title", "pdf", "pdf_sha256")),
    "indexed": sorted(set(IndexedDocument.objects.values_list("page_id", flat=True))),
}))
"""
SECRET_PDF = b"%PDF-1.7 confidential bulletin"


def snapshot():
    return json.loads(
        json.dumps(
            {
                "pages": list(Page.objects.order_by("path").values_list("path", "title", "live")),
                "images": sorted(get_image_model().objects.values_list("title", "file")),
                "bulletins": sorted(Bulletin.objects.values_list("title", "pdf", "pdf_sha256")),
            }
        )
    )


def file_digests(root):
    root = Path(root)
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def make_site():
    policy = factories.policy(title="关于备份恢复演练的通知")
    factories.image(title="大厅全景")
    bulletin = Bulletin.objects.create(
        kind=BulletinKind.DAILY,
        period_start=datetime.date(2026, 10, 9),
        period_end=datetime.date(2026, 10, 9),
        issue_number=1,
        title="督查日报（第1期）",
        content={},
        pdf_sha256=hashlib.sha256(SECRET_PDF).hexdigest(),
    )
    bulletin.pdf.save("daily.pdf", ContentFile(SECRET_PDF))
    Path(settings.PDF_CACHE_DIR).mkdir(parents=True, exist_ok=True)
    (Path(settings.PDF_CACHE_DIR) / "rendered.pdf").write_bytes(b"%PDF rebuildable")
    return policy


def backup(tmp_path):
    call_command("backup", output=tmp_path / "backups", verbosity=0)
    (archive,) = (tmp_path / "backups").glob("backup-*.tar.gz")
    return archive


@pytest.fixture
def fresh_database():
    """Environment of a fresh, empty database of the engine the suite runs on."""
    if connection.vendor == "sqlite":
        yield {}
        return
    import psycopg

    name = f"s22run_restore_{uuid.uuid4().hex[:8]}"
    params = connection.settings_dict
    admin = {"host": params["HOST"], "port": params["PORT"] or 5432, "user": params["USER"]}
    admin["dbname"] = "postgres"
    if params["PASSWORD"]:
        admin["password"] = params["PASSWORD"]
    with psycopg.connect(**admin, autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    credentials = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    host = f"{params['HOST']}:{params['PORT'] or 5432}"
    yield {"DATABASE_URL": f"postgres://{credentials}@{host}/{name}"}
    with psycopg.connect(**admin, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(var_dir, database_env, *arguments):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "MEDIA_ROOT", "PRIVATE_ROOT", "PDF_CACHE_DIR"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.dev", VAR_DIR=str(var_dir))
    environment.update(database_env)
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restored_on_a_fresh_site_gives_back_its_rows_and_files(tmp_path, fresh_database):
    policy = make_site()
    before, media, private = (
        snapshot(),
        file_digests(settings.MEDIA_ROOT),
        file_digests(settings.PRIVATE_ROOT),
    )
    assert any(name.startswith("original_images/") for name in media)
    assert any(name.startswith("bulletins/") for name in private)

    archive = backup(tmp_path)
    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["engine"] == connection.vendor
    assert manifest["versions"]["wagtail"] and manifest["versions"]["Django"]
    assert not any("rendered.pdf" in name for name in names), "the PDF cache is left out"

    var_dir = tmp_path / "fresh"
    restored = manage(var_dir, fresh_database, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    after = manage(var_dir, fresh_database, "shell", "-c", SNAPSHOT)
    assert after.returncode == 0, after.stderr
    values = json.loads(after.stdout.strip().splitlines()[-1])
    indexed = values.pop("indexed")
    assert values == before
    assert policy.pk in indexed, "restore rebuilt the search index"
    assert file_digests(var_dir / "media") == media
    assert file_digests(var_dir / "private") == private
    assert not (var_dir / "pdf" / "rendered.pdf").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_backup_leaves_the_search_index_rows_out(tmp_path):
    from search import index
    from search.models import IndexedDocument

    policy = make_site()
    # A sync, not a rebuild: a rebuild swaps the FTS5 table, which this transactional test's
    # flush would not undo for the tests after it.
    index.sync([policy.pk])
    assert IndexedDocument.objects.exists()
    archive = backup(tmp_path)
    with tarfile.open(archive) as tar:
        tar.extractall(
            tmp_path, members=[m for m in tar if m.name.startswith("database/")], filter="data"
        )
    if connection.vendor == "sqlite":
        import sqlite3

        copy = sqlite3.connect(tmp_path / "database" / "db.sqlite3")
        count = "SELECT count(*) FROM {}".format
        assert copy.execute(count("portal_search_indexeddocument")).fetchone() == (0,)
        assert copy.execute(count("portal_search_suggestionkey")).fetchone() == (0,)
        assert copy.execute(count("wagtailcore_page")).fetchone()[0] > 2
        copy.close()
    else:
        listing = subprocess.run(
            ["pg_restore", "--list", str(tmp_path / "database" / "db.dump")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "TABLE DATA public wagtailcore_page " in listing
        assert "TABLE DATA public portal_search_indexeddocument " not in listing
        assert "TABLE DATA public portal_search_suggestionkey " not in listing
        assert "TABLE public portal_search_indexeddocument " in listing  # the table itself stays


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_over_a_site_with_data_needs_yes(tmp_path):
    make_site()
    archive = backup(tmp_path)
    before = file_digests(settings.PRIVATE_ROOT)
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive), verbosity=0)
    assert file_digests(settings.PRIVATE_ROOT) == before


def not_a_backup(tmp_path):
    path = tmp_path / "photos.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("photo.jpg")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"jpg"))
    return path


def escaping_member(tmp_path):
    """A backup-shaped archive with a member that climbs out of media/."""
    from cms.backups.archive import FORMAT, FORMAT_VERSION

    path = tmp_path / "backup-escaping.tar.gz"
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "database": "database/db"}
    with tarfile.open(path, "w:gz") as tar:
        for name, data in [
            ("manifest.json", json.dumps(manifest).encode()),
            ("database/db", b"x"),
            ("media/../escaped.txt", b"out"),
        ]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing.tar.gz", "找不到备份文件"),
        (
            lambda tmp: (tmp / "notes.txt", (tmp / "notes.txt").write_text("x"))[0],
            "不是本系统的备份",
        ),
        (not_a_backup, "不是本系统的备份文件（缺少 manifest.json）"),
        (escaping_member, "不应有的条目：media/../escaped.txt"),
    ],
    ids=["missing", "not an archive", "an archive without manifest", "a member climbing out"],
)
@pytest.mark.django_db
def test_bad_input_is_refused_in_chinese_and_nothing_changes(tmp_path, make, message):
    factories.policy(title="不应被改动的页面")
    before = snapshot()
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    (Path(settings.MEDIA_ROOT) / "kept.txt").write_text("kept")
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(make(tmp_path)), yes=True, verbosity=0)
    assert snapshot() == before
    assert (Path(settings.MEDIA_ROOT) / "kept.txt").read_text() == "kept"

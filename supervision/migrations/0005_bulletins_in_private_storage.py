"""Bulletin PDFs move from MEDIA_ROOT (served to anyone at /media/bulletins/…) to PRIVATE_ROOT.

Every file under MEDIA_ROOT/bulletins/ moves, whether or not a Bulletin row names it: nothing
confidential may stay public. Names stay the same relative to the new root, so the `pdf`
column needs no change. A file is copied under a temporary name, then renamed into place and
only then deleted from the public folder, so an interrupted run (or a PRIVATE_ROOT on another
file system) never leaves a half-written private copy; a private file already there with other
contents (a restore, an earlier run) is kept, and the public one moves beside it as
"<name>.from-media[-N]". The move reads settings only, not the storage code, so it does the
same whatever that code becomes (the import below only names the field's storage).
"""

import filecmp
import os
import shutil
from pathlib import Path

import publications.files
from django.conf import settings
from django.db import migrations, models


def _free_name(target):
    candidate, n = target.with_name(target.name + ".from-media"), 1
    while candidate.exists():
        n += 1
        candidate = target.with_name(f"{target.name}.from-media-{n}")
    return candidate


def _move(source_root, target_root):
    source_root, target_root = Path(source_root), Path(target_root)
    folder = source_root / "bulletins"
    if not folder.is_dir():
        return
    for source in sorted(path for path in folder.rglob("*") if path.is_file()):
        target = target_root / source.relative_to(source_root)
        if target.exists():
            if filecmp.cmp(source, target, shallow=False):
                source.unlink()  # already moved: only the public copy was left behind
                continue
            target = _free_name(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.moving")
        shutil.copyfile(source, partial)
        os.replace(partial, target)
        source.unlink()
    for emptied in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        if not any(emptied.iterdir()):
            emptied.rmdir()
    if not any(folder.iterdir()):
        folder.rmdir()


def to_private_root(apps, schema_editor):
    _move(settings.MEDIA_ROOT, settings.PRIVATE_ROOT)


def back_to_media_root(apps, schema_editor):
    _move(settings.PRIVATE_ROOT, settings.MEDIA_ROOT)


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0004_bulletin_delivered_and_commendations"),
    ]

    operations = [
        migrations.AlterField(
            model_name="bulletin",
            name="pdf",
            field=models.FileField(
                blank=True,
                storage=publications.files.private_storage,
                upload_to="bulletins/%Y/",
                verbose_name="PDF",
            ),
        ),
        migrations.RunPython(to_private_root, back_to_media_root),
    ]

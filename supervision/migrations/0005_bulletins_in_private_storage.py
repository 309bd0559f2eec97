"""Bulletin PDFs move from MEDIA_ROOT (served to anyone at /media/bulletins/…) to PRIVATE_ROOT.

The file names stay the same relative to the new root, so the `pdf` column needs no change.
The move reads only settings, not today's storage code, so the migration does the same thing
whatever that code becomes.
"""

import shutil
from pathlib import Path

import publications.files
from django.conf import settings
from django.db import migrations, models


def _move(apps, source_root, target_root):
    Bulletin = apps.get_model("supervision", "Bulletin")
    source_root, target_root = Path(source_root), Path(target_root)
    for name in Bulletin.objects.exclude(pdf="").values_list("pdf", flat=True):
        source, target = source_root / name, target_root / name
        if source.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)  # a rename, or copy-then-delete across file systems
    # The emptied year folders, then bulletins/ itself, if nothing else was put there.
    old = source_root / "bulletins"
    if old.is_dir():
        for folder in sorted(old.glob("*"), reverse=True):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        if not any(old.iterdir()):
            old.rmdir()


def to_private_root(apps, schema_editor):
    _move(apps, settings.MEDIA_ROOT, settings.PRIVATE_ROOT)


def back_to_media_root(apps, schema_editor):
    _move(apps, settings.PRIVATE_ROOT, settings.MEDIA_ROOT)


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

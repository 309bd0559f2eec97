"""Findings' photos leave the public image library for private storage.

A finding's photo was a Wagtail image: served to anyone under /media/ and shown to every editor
in the image library. It becomes a private file under PRIVATE_ROOT/findings/<year>/, handed out
only by the supervision_finding_photo view. Each photo is copied there; the Wagtail image (its
file and renditions) is then deleted unless something besides findings refers to it (Wagtail's
reference index) or shows it in a gallery (窗口风采 shows a whole collection), in which case it
stays where it was and the finding keeps its own copy.
Going back leaves the copies in private storage. Reads settings, not today's
storage code (the import names the field's storage only).
"""

import shutil
from pathlib import Path

import django.core.validators
import publications.files
from django.conf import settings
from django.db import migrations, models


def _free(target):
    candidate, n = target, 1
    while candidate.exists():
        n += 1
        candidate = target.with_name(f"{target.stem}-{n}{target.suffix}")
    return candidate


def photos_to_private_storage(apps, schema_editor):
    Finding = apps.get_model("supervision", "Finding")
    Image = apps.get_model("wagtailimages", "Image")
    Rendition = apps.get_model("wagtailimages", "Rendition")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    media, private = Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_ROOT)
    moved = set()
    for finding in Finding.objects.exclude(photo=None).select_related("photo"):
        image = finding.photo
        source = media / image.file.name
        if not source.is_file():
            continue
        target = _free(private / "findings" / str(image.created_at.year) / source.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        finding.photo_file = str(target.relative_to(private))
        finding.save(update_fields=["photo_file"])
        moved.add(image.pk)
    if not moved:
        return
    GalleryPage = apps.get_model("cms", "GalleryPage")
    gallery_collections = set(GalleryPage.objects.values_list("collection_id", flat=True))
    image_type = ContentType.objects.filter(app_label="wagtailimages", model="image").first()
    finding_type = ContentType.objects.filter(app_label="supervision", model="finding").first()
    for image in Image.objects.filter(pk__in=moved):
        used_elsewhere = (
            image_type is not None
            and ReferenceIndex.objects.filter(to_content_type=image_type, to_object_id=str(image.pk))
            .exclude(base_content_type=finding_type)
            .exists()
        )
        # A gallery shows every image of its collection without a reference to each.
        in_a_gallery = image.collection_id in gallery_collections
        if used_elsewhere or in_a_gallery:
            continue
        for rendition in Rendition.objects.filter(image=image):
            (media / rendition.file.name).unlink(missing_ok=True)
        (media / image.file.name).unlink(missing_ok=True)
        Finding.objects.filter(photo=image).update(photo=None)
        image.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0005_bulletins_in_private_storage"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailcore", "0078_referenceindex"),
        ("cms", "0003_material_code_format"),
    ]

    operations = [
        migrations.AddField(
            model_name="finding",
            name="photo_file",
            field=models.ImageField(
                blank=True,
                db_default="",
                default="",
                help_text="仅督查管理人员可见，不进入公开图片库",
                storage=publications.files.finding_photo_storage,
                upload_to="findings/%Y/",
                validators=[
                    django.core.validators.FileExtensionValidator(["jpg", "jpeg", "png", "webp"])
                ],
                verbose_name="现场照片",
            ),
        ),
        # Going back leaves the photos in private storage, unlinked: never public again.
        migrations.RunPython(photos_to_private_storage, migrations.RunPython.noop),
    ]

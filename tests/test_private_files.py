"""Confidential files stay private: bulletins live outside the public media folder and reach
only the people the archive lets open them; every file under MEDIA_ROOT is served to the
public exactly when its own record is public."""

import datetime
import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.models import Rendition
from wagtail.models import Collection, CollectionViewRestriction

from supervision.bulletins import make_bulletin
from supervision.choices import BulletinKind
from supervision.models import Bulletin
from tests import factories
from tests.hall import fill_october, make_hall

D = datetime.date


@pytest.fixture
def bulletins(db):
    fill_october(make_hall())
    return [
        make_bulletin(BulletinKind.DAILY, D(2026, 10, 9)),
        make_bulletin(BulletinKind.WEEKLY, D(2026, 10, 5)),
        make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1)),
    ]


def cache_directives(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


def guessable_urls(bulletin):
    """Where a bulletin's PDF would be if it were a public upload, and variations on it."""
    name = Path(bulletin.pdf.name).name
    year = bulletin.period_start.year
    return [
        f"/media/{bulletin.pdf.name}",
        f"/media/bulletins/{year}/{name}",
        f"/media/images/../bulletins/{year}/{name}",
        f"/media/./bulletins/{year}/{name}",
        f"/media/../private/{bulletin.pdf.name}",
        f"/media/%2e%2e/private/{bulletin.pdf.name}",
        f"/private-files/{bulletin.pdf.name}",
    ]


def test_bulletin_pdfs_are_written_outside_the_public_media_folder(bulletins):
    for bulletin in bulletins:
        path = Path(bulletin.pdf.path)
        assert path.is_file()
        assert path.is_relative_to(Path(settings.PRIVATE_ROOT))
        assert not path.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not Path(settings.MEDIA_ROOT, "bulletins").exists()


@pytest.mark.parametrize("who", ["anonymous", "editor", "reviewer"])
def test_no_bulletin_file_path_answers_anyone_but_through_the_archive(client, bulletins, who):
    if who != "anonymous":
        client.force_login(factories.user(who, {"editor": "编辑", "reviewer": "审核员"}[who]))
    for bulletin in bulletins:
        for url in guessable_urls(bulletin):
            response = client.get(url)
            assert response.status_code in (403, 404), (who, url, response.status_code)
        archived = client.get(reverse("supervision_bulletin_pdf", args=[bulletin.pk]))
        assert archived.status_code in (302, 403, 404), (who, archived.status_code)


def test_a_manager_gets_the_pdf_through_the_archive_uncached(client, bulletins):
    client.force_login(factories.user("manager", "管理人员"))
    for bulletin in bulletins:
        response = client.get(reverse("supervision_bulletin_pdf", args=[bulletin.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == Path(bulletin.pdf.path).read_bytes()
        assert {"private", "no-store"} <= cache_directives(response)
        assert "inline" in response["Content-Disposition"]


def test_a_private_file_has_no_public_url(bulletins):
    with pytest.raises(ValueError, match="私有文件没有公开地址"):
        bulletins[0].pdf.url  # noqa: B018


def test_behind_nginx_the_archive_hands_the_transfer_to_an_internal_location(
    client, bulletins, settings
):
    settings.PRIVATE_FILES_SERVE = "x-accel-redirect"
    settings.PRIVATE_FILES_URL = "/private-files/"
    client.force_login(factories.user("manager", "管理人员"))
    bulletin = bulletins[2]
    response = client.get(reverse("supervision_bulletin_pdf", args=[bulletin.pk]))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/private-files/{bulletin.pdf.name}"
    assert response["Content-Type"] == "application/pdf"
    assert {"private", "no-store"} <= cache_directives(response)


def test_behind_apache_the_archive_names_the_file_for_x_sendfile(client, bulletins, settings):
    settings.PRIVATE_FILES_SERVE = "x-sendfile"
    client.force_login(factories.user("manager", "管理人员"))
    bulletin = bulletins[0]
    response = client.get(reverse("supervision_bulletin_pdf", args=[bulletin.pk]))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Sendfile"] == str(Path(bulletin.pdf.path))


def test_the_migration_moves_public_bulletin_files_to_the_private_root(bulletins, settings):
    migration = importlib.import_module("supervision.migrations.0005_bulletins_in_private_storage")
    # As before the migration: the files under MEDIA_ROOT/bulletins/…
    for bulletin in bulletins:
        old = Path(settings.MEDIA_ROOT, bulletin.pdf.name)
        old.parent.mkdir(parents=True, exist_ok=True)
        Path(bulletin.pdf.path).rename(old)
    migration.to_private_root(apps, None)
    for bulletin in Bulletin.objects.all():
        assert Path(bulletin.pdf.path).read_bytes()[:4] == b"%PDF"
    assert not Path(settings.MEDIA_ROOT, "bulletins").exists()
    migration.back_to_media_root(apps, None)
    for bulletin in bulletins:
        assert Path(settings.MEDIA_ROOT, bulletin.pdf.name).is_file()


def test_the_migration_leaves_no_bulletin_file_public_whatever_it_finds(settings):
    """Files no row names, a private copy already in place (same or other contents)."""
    migration = importlib.import_module("supervision.migrations.0005_bulletins_in_private_storage")
    public, private = (
        Path(settings.MEDIA_ROOT, "bulletins"),
        Path(settings.PRIVATE_ROOT, "bulletins"),
    )
    files = {
        "2025/daily-20251231.pdf": b"%PDF orphan",  # no Bulletin row names it
        "2026/weekly-20261005.pdf": b"%PDF same",  # already moved once
        "2026/monthly-20261001.pdf": b"%PDF public",  # a different private copy exists
    }
    for name, data in files.items():
        (public / name).parent.mkdir(parents=True, exist_ok=True)
        (public / name).write_bytes(data)
    (private / "2026").mkdir(parents=True)
    (private / "2026/weekly-20261005.pdf").write_bytes(b"%PDF same")
    (private / "2026/monthly-20261001.pdf").write_bytes(b"%PDF restored")

    migration.to_private_root(apps, None)

    assert not public.exists()
    assert (private / "2025/daily-20251231.pdf").read_bytes() == b"%PDF orphan"
    assert (private / "2026/weekly-20261005.pdf").read_bytes() == b"%PDF same"
    assert (private / "2026/monthly-20261001.pdf").read_bytes() == b"%PDF restored"
    assert (private / "2026/monthly-20261001.pdf.from-media").read_bytes() == b"%PDF public"
    assert not list(private.rglob(".*.moving"))


def private_collection(name):
    collection = Collection.get_first_root_node().add_child(name=name)
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return collection


def test_every_file_under_media_is_public_exactly_when_its_record_is(client, bulletins):
    """Walk MEDIA_ROOT after the product has written images, renditions, documents in a public
    and a private collection, and the bulletins (with the red flag photo they publish): each
    file answers anonymous visitors according to its owner, and no file is unaccounted for."""
    photo = factories.image("窗口工作照")
    photo.get_rendition("fill-120x80")
    documents = get_document_model()
    public_form = documents.objects.create(
        title="申请表", file=ContentFile(b"%PDF-1.4\n", name="shenqingbiao.pdf")
    )
    internal = documents.objects.create(
        title="内部考核表",
        file=ContentFile(b"%PDF-1.4\n", name="kaohe.pdf"),
        collection=private_collection("内部资料"),
    )
    visible = {}  # file name relative to MEDIA_ROOT -> (public URL, public?)
    for image in get_image_model().objects.all():
        visible[image.file.name] = (settings.MEDIA_URL + image.file.name, True)
    for rendition in Rendition.objects.all():
        visible[rendition.file.name] = (settings.MEDIA_URL + rendition.file.name, True)
    for document, public in ((public_form, True), (internal, False)):
        visible[document.file.name] = (document.url, public)

    written = sorted(
        str(path.relative_to(settings.MEDIA_ROOT))
        for path in Path(settings.MEDIA_ROOT).rglob("*")
        if path.is_file()
    )
    assert written, "the scenario wrote no media files"
    assert set(written) == set(visible), "a file under MEDIA_ROOT that no public record owns"
    for name in written:
        url, public = visible[name]
        expected = 200 if public else 302  # a private document asks the visitor to log in
        assert client.get(url).status_code == expected, name
        if not url.startswith(settings.MEDIA_URL):  # documents only through their own view
            assert client.get(settings.MEDIA_URL + name).status_code == 404, name


@pytest.fixture
def finding_with_photo(db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.hall import finding

    found = finding(make_hall()["A"], D(2026, 10, 9), "discipline")
    found.photo = SimpleUploadedFile("xianchang.png", png_bytes(), content_type="image/png")
    found.save()
    return found


def png_bytes():
    import io

    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "#c8102e").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_finding_photo_is_private_and_no_public_image(finding_with_photo):
    path = Path(finding_with_photo.photo.path)
    assert path.is_relative_to(Path(settings.PRIVATE_ROOT)) and path.is_file()
    assert not Path(settings.MEDIA_ROOT, finding_with_photo.photo.name).exists()
    assert get_image_model().objects.count() == 0  # not in the editors' image library


@pytest.mark.parametrize(
    "who, expected",
    [("anonymous", {302}), ("editor", {302, 403}), ("reviewer", {302, 403}), ("manager", {200})],
)
def test_only_those_who_see_findings_open_their_photos(client, finding_with_photo, who, expected):
    groups = {"editor": "编辑", "reviewer": "审核员", "manager": "管理人员"}
    if who != "anonymous":
        client.force_login(factories.user(who, groups[who]))
    url = finding_with_photo.photo.url
    assert url.startswith("/admin/")
    response = client.get(url)
    assert response.status_code in expected, (who, response.status_code)
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == png_bytes()
        assert {"private", "no-store"} <= cache_directives(response)
    assert client.get("/media/" + finding_with_photo.photo.name).status_code == 404


def test_a_manager_edits_a_finding_with_its_photo_in_the_admin(client, finding_with_photo):
    client.force_login(factories.user("manager", "管理人员"))
    page = client.get(f"/admin/snippets/supervision/finding/edit/{finding_with_photo.pk}/")
    assert page.status_code == 200
    assert finding_with_photo.photo.url in page.content.decode()


def test_the_photo_view_serves_finding_photos_and_nothing_else(client, finding_with_photo):
    bulletin = make_bulletin(BulletinKind.DAILY, D(2026, 10, 9))
    assert Path(bulletin.pdf.path).is_file()  # a real private file the view must not hand out
    client.force_login(factories.user("manager", "管理人员"))
    for name in (bulletin.pdf.name, "findings/../" + bulletin.pdf.name, "../db.sqlite3"):
        response = client.get(f"/admin/supervision/finding-photos/{name}")
        assert response.status_code == 404, name


def finding_form(found, **changes):
    return {
        "number": found.number,
        "round": found.round_id,
        "window": found.window_id,
        "department": found.department_id,
        "staff": "",
        "category": found.category,
        "description": found.description,
        "deduction": "",
        "fix_deadline": "",
        "fixed_at": "",
        **changes,
    }


def test_a_manager_uploads_replaces_and_deletes_a_photo_leaving_no_file_behind(
    client, finding_with_photo, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(factories.user("manager", "管理人员"))
    edit = f"/admin/snippets/supervision/finding/edit/{finding_with_photo.pk}/"
    first = Path(finding_with_photo.photo.path)
    new_photo = SimpleUploadedFile("zhenggai.png", png_bytes(), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, finding_form(finding_with_photo, photo=new_photo))
    assert response.status_code == 302, response.content.decode()[:500]
    finding_with_photo.refresh_from_db()
    second = Path(finding_with_photo.photo.path)
    assert second.is_file() and second.is_relative_to(Path(settings.PRIVATE_ROOT))
    assert not first.exists()  # the replaced photo is gone
    delete = f"/admin/snippets/supervision/finding/delete/{finding_with_photo.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(delete).status_code == 302
    assert not second.exists()


def test_a_file_that_is_not_a_photo_is_refused(client, finding_with_photo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(factories.user("manager", "管理人员"))
    edit = f"/admin/snippets/supervision/finding/edit/{finding_with_photo.pk}/"
    disguised = SimpleUploadedFile("baogao.pdf", png_bytes(), content_type="application/pdf")
    response = client.post(edit, finding_form(finding_with_photo, photo=disguised))
    assert response.status_code == 200  # the form again, with the error
    assert "pdf" in response.content.decode()
    finding_with_photo.refresh_from_db()
    assert finding_with_photo.photo.name.endswith(".png")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_takes_finding_photos_out_of_the_public_image_library(settings):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("supervision", "0005_bulletins_in_private_storage")]
    after = [("supervision", "0007_finding_photo_field")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    hall = make_hall()  # today's models: the tables they use did not change
    image = old.get_model("wagtailimages", "Image").objects.create(
        title="现场照片", file="original_images/xianchang.png", width=8, height=8
    )
    Path(settings.MEDIA_ROOT, "original_images").mkdir(parents=True, exist_ok=True)
    Path(settings.MEDIA_ROOT, image.file.name).write_bytes(png_bytes())
    rounds = old.get_model("supervision", "InspectionRound")
    old.get_model("supervision", "Finding").objects.create(
        number="WT-1",
        round=rounds.objects.create(date=D(2026, 10, 9), kind="daily"),
        window_id=hall["A"].pk,
        department_id=hall["X"].pk,
        category="discipline",
        description="巡查发现的问题",
        photo=image,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    # The rest of the schema back as every later test expects it: the migrations after
    # `after` (of this app and of those it holds back) are applied again.
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())

    moved = apps.get_model("supervision", "Finding").objects.get(number="WT-1")
    assert Path(moved.photo.path).read_bytes() == png_bytes()
    assert Path(moved.photo.path).is_relative_to(Path(settings.PRIVATE_ROOT))
    assert not Path(settings.MEDIA_ROOT, "original_images/xianchang.png").exists()
    assert not get_image_model().objects.filter(pk=image.pk).exists()

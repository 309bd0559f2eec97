"""Uploads are checked by type and size before they reach citizens."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests import factories

pytestmark = pytest.mark.django_db


def png_bytes(size=(40, 30)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "#1f4e9c").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def editor_client(client):
    client.force_login(factories.user("admin", superuser=True))
    return client


def upload_image(client, name, content, content_type="image/png"):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": "窗口照片",
            "file": SimpleUploadedFile(name, content, content_type=content_type),
            "collection": 1,
        },
    )


def upload_document(client, name, content, content_type="application/pdf"):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "申请表",
            "file": SimpleUploadedFile(name, content, content_type=content_type),
            "collection": 1,
        },
    )


def test_a_real_png_is_accepted(editor_client):
    upload_image(editor_client, "window.png", png_bytes())
    assert get_image_model().objects.filter(title="窗口照片").exists()


def test_a_text_file_named_png_is_rejected(editor_client):
    response = upload_image(editor_client, "evil.png", b"<script>alert(1)</script>")
    assert response.status_code == 200
    assert not get_image_model().objects.exists()


def test_an_svg_image_is_rejected(editor_client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    upload_image(editor_client, "logo.svg", svg, "image/svg+xml")
    assert not get_image_model().objects.exists()


def test_an_oversized_image_is_rejected(editor_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1000
    upload_image(editor_client, "big.png", png_bytes((400, 400)) + b"\0" * 2000)
    assert not get_image_model().objects.exists()


def test_an_html_document_is_rejected(editor_client):
    upload_document(
        editor_client, "form.html", b"<html><script>alert(1)</script></html>", "text/html"
    )
    assert not get_document_model().objects.exists()


def test_a_pdf_document_is_accepted(editor_client):
    upload_document(editor_client, "form.pdf", b"%PDF-1.4\n%%EOF\n")
    assert get_document_model().objects.filter(title="申请表").exists()


def test_an_oversized_document_is_rejected(editor_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 100
    upload_document(editor_client, "big.pdf", b"%PDF-1.4\n" + b"0" * 500)
    assert not get_document_model().objects.exists()

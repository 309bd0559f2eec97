"""Guides for the guide audit's tests (指南要素完整度): one that passes every rule, and the
blank form it needs for that."""

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from tests import factories


def blank_form(name="申请表（空白表格）"):
    return get_document_model().objects.create(
        title=name, file=ContentFile(b"PK\x03\x04 blank form", name="blank.xlsx")
    )


def complete_guide(**overrides):
    """factories.guide(), whose application form (企业设立登记申请书) gets its blank form: a
    guide with no finding at all."""
    guide = factories.guide(**overrides)
    form = guide.materials.get(material__name="企业设立登记申请书").material
    form.blank_form = blank_form()
    form.save()
    return guide

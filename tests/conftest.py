import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files, rendered PDFs and cached values of one test never leak into another."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PDF_CACHE_DIR = str(tmp_path / "pdf")
    cache.clear()

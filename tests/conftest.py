import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of one test never leak into another."""
    settings.MEDIA_ROOT = str(tmp_path / "media")

import os
import tempfile

from .base import *  # noqa: F403

# Tests never touch var/: media and mail go to a throwaway directory.
_TMP = tempfile.mkdtemp(prefix="zhengwu-test-")
MEDIA_ROOT = _TMP + "/media"
PRIVATE_ROOT = _TMP + "/private"
STATIC_ROOT = _TMP + "/static"
PDF_CACHE_DIR = _TMP + "/pdf"
os.makedirs(STATIC_ROOT)  # WhiteNoise warns about a missing directory otherwise
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILAPI_BASE_URL = "http://testserver"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file rather than SQLite's in-memory test database: `export_guides --jobs N` forks
    # workers that open their own connections, and a new connection to an in-memory database
    # is an empty database. Rolled-back tests cost the same; the file goes with _TMP.
    DATABASES["default"]["TEST"] = {"NAME": _TMP + "/test.sqlite3"}  # noqa: F405
# The suite's own searches use the embedded backend whatever the environment says; the
# contract suite (tests/test_search_backends.py) reaches Elasticsearch through ELASTICSEARCH_URL.
PORTAL_SEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.embedded"}}
# One process: the pages cache in memory, emptied before each test (tests/conftest.py).
CACHES["pages"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}  # noqa: F405
# Files, as on the embedded default: a job run in another process reports its progress here.
CACHES["progress"] = {  # noqa: F405
    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
    "LOCATION": _TMP + "/cache/progress",
}

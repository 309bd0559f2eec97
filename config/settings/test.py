import os
import tempfile

from .base import *  # noqa: F403

# Tests never touch var/: media and mail go to a throwaway directory.
_TMP = tempfile.mkdtemp(prefix="zhengwu-test-")
MEDIA_ROOT = _TMP + "/media"
STATIC_ROOT = _TMP + "/static"
os.makedirs(STATIC_ROOT)  # WhiteNoise warns about a missing directory otherwise
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILAPI_BASE_URL = "http://testserver"

"""Production: DEBUG off, a real secret, HTTPS enforced unless HTTPS=0 says TLS is not used.

`manage.py check --deploy --fail-level WARNING` passes with these settings (CI runs it; see
the Makefile's deploy-check and docs/security.md).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False

# No default in production, and none of the placeholders this repository has shipped.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
_PLACEHOLDERS = {"", "dev-only-secret-key-change-me", "change-me-in-production", "change-me"}
if SECRET_KEY in _PLACEHOLDERS or SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY 未设置或为示例值：请设置至少 50 个字符的随机密钥，例如 "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

# Nor a database password this repository has shipped as an example (docker-compose.yml once
# had zhengwu/zhengwu) or a common default. No password at all stays allowed: PostgreSQL's
# peer or trust authentication on a socket or loopback needs none.
_DATABASE_PASSWORD_PLACEHOLDERS = {"zhengwu", "postgres", "password", "change-me", "changeme"}
if DATABASES["default"].get("PASSWORD") in _DATABASE_PASSWORD_PLACEHOLDERS:  # noqa: F405
    raise ImproperlyConfigured(
        "DATABASE_URL 中的数据库密码为示例值：请为数据库设置随机密码，例如 "
        "python -c 'import secrets; print(secrets.token_urlsafe(24))'"
    )

# HTTPS (default on): redirect http to https, secure cookies, HSTS. Behind a proxy that ends
# TLS, the proxy must set X-Forwarded-Proto. HTTPS=0 only for a site reached over plain HTTP
# (a hall's intranet, the docker-compose demo on localhost).
HTTPS = os.environ.get("HTTPS", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
# A load balancer's health probe speaks plain HTTP to the app behind TLS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# https://docs.djangoproject.com/en/5.2/ref/middleware/#http-strict-transport-security
# A year, once the site is known to work over HTTPS; subdomains too unless the centre's domain
# has plain-HTTP subdomains (HSTS_INCLUDE_SUBDOMAINS=0). Preloading is a promise to browser
# makers that is hard to take back, so it is the deployer's choice (HSTS_PRELOAD=1).
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("HSTS_PRELOAD", "0") == "1"
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")  # preload left off on purpose (above)
if not HTTPS:
    # Without TLS these cannot pass; HTTPS=0 is the deployer's stated choice.
    SILENCED_SYSTEM_CHECKS += ["security.W004", "security.W008", "security.W012", "security.W016"]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# Manifest storage gives cache-busting file names for long-lived static caching.
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
)

# A request for a host the site does not serve (scanners, a stray DNS name) gets the 400 page
# and its access-log line; without this, each also writes a traceback to the error log.
# https://docs.djangoproject.com/en/5.2/topics/logging/#django-security
LOGGING["handlers"]["null"] = {"class": "logging.NullHandler"}  # noqa: F405
LOGGING["loggers"]["django.security.DisallowedHost"] = {  # noqa: F405
    "handlers": ["null"],
    "propagate": False,
}

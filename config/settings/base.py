"""Settings shared by every environment.

Integrations switch on only when their environment variable exists, so the same code runs
on one machine (SQLite, embedded search, django-q2 on the ORM broker, local files) and at
scale (PostgreSQL, Elasticsearch, Redis, SMTP). See docs/deployment.md.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Everything the running site writes (SQLite file, uploads, mail, generated PDFs) lives under
# var/, so a checkout stays clean and a backup is one directory.
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-secret-key-change-me")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h]

INSTALLED_APPS = [
    "cms",
    "publications",
    "search",
    "supervision",
    "demo",
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_filters",
    "django_q",
    "csp",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Wagtail's admin says "2 seconds ago" with humanize's naturaltime; the app's catalogue,
    # which has it in Chinese, is read only when the app is installed.
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cms.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Counts every request, cached or not; reads no session (cms/ratelimits.py).
    "cms.ratelimits.RateLimitMiddleware",
    # Before sessions and users: a cached public page costs one cache read (cms/caching).
    # Before the CSP too: a stored answer keeps the policy it was sent with (it has no nonce,
    # or it is not stored), and building the policy was a quarter of a cached answer's time.
    "cms.caching.middleware.PublicCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user name before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.elder_mode.context",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL names another (e.g. postgres://postgres@127.0.0.1/zhengwu).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        # A kept connection is checked before reuse: a restarted database costs no 500.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the job worker writes; a busy timeout instead of
    # "database is locked" errors when both write at once.
    # https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-init-command
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

# Uploaded images and documents are served by the app unless a front server (nginx) does it.
SERVE_MEDIA = os.environ.get("SERVE_MEDIA", "1") == "1"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Chinese first: the site and the admin speak zh-hans whatever the browser asks for (no
# LocaleMiddleware), times are Beijing time. An admin user may still choose English in their
# own profile (Wagtail activates that per user).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Wagtail's and Django's zh_Hans catalogues lack a few hundred of their messages (Wagtail 8:
# "Search all pages…", "Date updated", "Content metrics"...); this project's catalogue fills
# them in. Django reads LOCALE_PATHS before the apps' own catalogues, for the JavaScript
# catalogue too. See locale/README.md.
# https://docs.djangoproject.com/en/5.2/topics/i18n/translation/#how-django-discovers-translations
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Rendered PDFs (publications.cache). Several web servers share it as one volume.
PDF_CACHE_DIR = Path(os.environ.get("PDF_CACHE_DIR", VAR_DIR / "pdf"))
# Files that are not for the public (supervision bulletins, findings' photos) live outside
# MEDIA_ROOT and have no public URL: a view checks permission, then streams them or hands them
# to nginx/Apache (PRIVATE_FILES_SERVE: django | x-accel-redirect | x-sendfile). See
# publications/files.py and docs/security.md.
PRIVATE_ROOT = Path(os.environ.get("PRIVATE_ROOT", VAR_DIR / "private"))
PRIVATE_FILES_SERVE = os.environ.get("PRIVATE_FILES_SERVE", "django")
PRIVATE_FILES_URL = os.environ.get("PRIVATE_FILES_URL", "/private-files/")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "publications.files.PrivateStorage"},
    "finding_photos": {
        "BACKEND": "publications.files.PrivateStorage",
        "OPTIONS": {"url_name": "supervision_finding_photo"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Complex guide pages (materials, situations, steps) exceed Django's default of 1000 fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

# Caches. "default" (rate limits, small lookups): local memory unless REDIS_URL is set.
# "pages" (public pages and API answers, cms/caching): shared by every process that serves or
# changes content, because the content version that retires stale pages lives there too:
# Redis with REDIS_URL (several machines), otherwise files under VAR_DIR (the processes of the
# one machine of the embedded default).
# "progress" (how far a worker's job has got, supervision/import_runs.py): shared the same way,
# because the worker writes it while its transaction hides its database writes from the web.
# https://docs.djangoproject.com/en/5.2/topics/cache/
if os.environ.get("REDIS_URL"):
    _redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
    CACHES = {
        "default": _redis,
        "pages": _redis | {"KEY_PREFIX": "pages"},
        "progress": _redis | {"KEY_PREFIX": "progress"},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache" / "pages"),
            # A page is a few tens of kB compressed: 20,000 of them stay under a gigabyte.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        },
        "progress": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache" / "progress"),
        },
    }
# How long a cached answer may live unasked (a new content version retires it sooner).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", str(6 * 3600)))
# How long a reverse proxy may keep a page without asking (s-maxage). 0, the default: it must
# revalidate every time (Cache-Control: no-cache; the app answers 304 from its cache). Set it
# only with a front cache that the site purges (WAGTAILFRONTENDCACHE, docs/deployment.md).
PAGE_CACHE_PROXY_SECONDS = int(os.environ.get("PAGE_CACHE_PROXY_SECONDS", "0"))
# A front cache that accepts HTTP PURGE (Varnish, nginx's purge module), e.g.
# http://varnish:80: every content change purges every public page there (cms/caching/frontend.py).
# https://docs.wagtail.org/en/stable/reference/contrib/frontendcache.html
if os.environ.get("FRONTEND_CACHE_URL"):
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ["FRONTEND_CACHE_URL"],
        }
    }

# Content-Security-Policy on the public site (django-csp): scripts, styles, images and fonts from
# this site only, and no inline script or style but the print/ page's style block, which carries
# the request's nonce. The admin is left out: Wagtail's own pages set what they need.
# https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Django's defaults, stated so the headers a visitor gets are all in one place. No framing,
# as the CSP's frame-ancestors says, for browsers that read only X-Frame-Options (the admin's
# previews are admin views, which allow their own same-origin frames; the preview itself
# replaces frame-ancestors with 'self': cms.models.mixins.PublicPageMixin.serve_preview).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Abuse limits (cms/ratelimits.py, docs/security.md). Counted per client address in the cache
# above: shared by every process with REDIS_URL, per process on local memory. Generous enough
# for a hall's shared network (set RATE_LIMIT_EXEMPT for its kiosks and offices), low enough
# that one client cannot occupy the search engine or the PDF renderer.
# TRUSTED_PROXIES: how many reverse proxies (nginx, a load balancer) append to X-Forwarded-For;
# it is read only from a peer inside TRUSTED_PROXY_NETWORKS (loopback unless the proxy sits on
# another host or a docker network: name it), so a client reaching the app directly cannot
# claim an address. A Unix-socket peer (no address) is the local proxy.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
TRUSTED_PROXY_NETWORKS = os.environ.get("TRUSTED_PROXY_NETWORKS", "127.0.0.0/8,::1/128").split(",")
# Addresses or networks never limited: RATE_LIMIT_EXEMPT=10.1.2.0/24,203.0.113.7
RATE_LIMIT_EXEMPT = os.environ.get("RATE_LIMIT_EXEMPT", "").split(",")
RATE_LIMITS = {
    "search": os.environ.get("RATE_LIMIT_SEARCH", "60/m"),
    "suggest": os.environ.get("RATE_LIMIT_SUGGEST", "180/m"),
    "api": os.environ.get("RATE_LIMIT_API", "120/m"),
    "pdf-render": os.environ.get("RATE_LIMIT_PDF_RENDER", "10/m"),
    "login": os.environ.get("RATE_LIMIT_LOGIN", "20/m"),
}
# (path prefix, group, method or None for any); the first matching prefix counts.
RATE_LIMITED_PATHS = [
    ("/api/search/suggest/", "suggest", None),
    ("/api/search/", "search", None),
    ("/search/", "search", None),
    ("/api/v2/", "api", None),
    # Every form that checks a password: the admin's and Django admin's logins, Wagtail's
    # front-end login and page passwords (/_util/), collection passwords for documents.
    ("/admin/login/", "login", "POST"),
    ("/django-admin/login/", "login", "POST"),
    ("/_util/", "login", "POST"),
    ("/documents/authenticate_with_password/", "login", "POST"),
]
RATELIMIT_IP_META_KEY = "cms.ratelimits.client_ip"
# The JSON API is public and read-only: it authenticates nobody. DRF would otherwise accept
# HTTP Basic credentials there, a password oracle outside the logins' limits.
REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": []}
# Failed logins (django-axes): five wrong passwords for one user name from one address lock
# that pair for 15 minutes; a right password resets the count. Attempts are kept in the
# database, so every process sees them; `manage.py axes_reset_username NAME` lifts a lock.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cms.ratelimits.client_ip"
AXES_LOCKOUT_CALLABLE = "cms.ratelimits.login_locked_out"
AXES_VERBOSE = False

# Mail: written to var/mail as files unless EMAIL_URL names an SMTP server
# (e.g. smtp://user:pass@mail.example.gov.cn:587/?tls=True).
if os.environ.get("EMAIL_URL"):
    _email = dj_email_url.parse(os.environ["EMAIL_URL"])
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
    EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH")
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@zwfw.example.gov.cn")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The owners told when a scheduled job or a bulletin delivery fails: ADMINS=a@x.cn,b@x.cn
ADMINS = [
    ("", address.strip()) for address in os.environ.get("ADMINS", "").split(",") if address.strip()
]
EMAIL_TIMEOUT = 30  # seconds: a stuck SMTP server must not hold a worker past its job timeout

# Search (search/): the embedded Chinese-aware backend on this database, or Elasticsearch when
# ELASTICSEARCH_URL is set. ELASTICSEARCH_ANALYZER names a Chinese word analyzer installed on
# the cluster (ik_max_word, smartcn) added for ranking; the built-in cjk bigrams always match.
# See docs/search.md.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
if ELASTICSEARCH_URL:
    PORTAL_SEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.elasticsearch",
            "URL": ELASTICSEARCH_URL,
            "INDEX": os.environ.get("ELASTICSEARCH_INDEX", "zhengwu-portal"),
            "ANALYZER": os.environ.get("ELASTICSEARCH_ANALYZER", ""),
            "REPLICAS": int(os.environ.get("ELASTICSEARCH_REPLICAS", "1")),
        }
    }
else:
    PORTAL_SEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.embedded"}}
# The admin's own search (pages, snippets, images): substring matching, which finds Chinese
# text that the stock database backend's tokenizer cannot (it takes a sentence as one word).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database.fallback"}}

# Jobs: django-q2 on the ORM broker (the same database) unless REDIS_URL is set.
# Timeout stays below retry so a slow job is not run twice.
# https://django-q2.readthedocs.io/en/master/configure.html
Q_CLUSTER = {
    "name": "zhengwu",
    "workers": int(os.environ.get("Q_WORKERS", "2")),
    # The scheduler turns due schedules (发布定时内容, the bulletins) into tasks. One process
    # runs it: on the embedded default the only worker; at scale the `scheduler` service, while
    # the workers that are scaled out set Q_SCHEDULER=0 (docker-compose.yml, scripts/stack.sh).
    # A second scheduler would not fire a schedule twice (django-q2 takes the due rows with
    # SELECT ... FOR UPDATE), it would only poll for nothing.
    # https://django-q2.readthedocs.io/en/master/configure.html#scheduler
    "scheduler": os.environ.get("Q_SCHEDULER", "1") == "1",
    "timeout": 300,
    "retry": 360,
    "max_attempts": 3,
    "catch_up": False,
    "orm": "default",
    "label": "任务队列",
}
if os.environ.get("REDIS_URL"):
    Q_CLUSTER.pop("orm")
    Q_CLUSTER["redis"] = os.environ["REDIS_URL"]
# Index updates have a queue of their own, so they never wait behind the PDF renders a large
# publish queues (one queue is first in, first out). Its worker is a second process,
# `Q_CLUSTER_NAME=search manage.py qcluster` (scripts/run-embedded.sh, docker-compose.yml's
# search-worker), with the settings above but one worker: a sync takes milliseconds a page.
# https://django-q2.readthedocs.io/en/master/configure.html#alt-clusters
SEARCH_TASK_QUEUE = "search"
Q_CLUSTER["ALT_CLUSTERS"] = {SEARCH_TASK_QUEUE: {"workers": 1}}

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "示范市政务服务中心")
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
# Slugs stay ASCII: Chinese titles get pinyin slugs (see cms.models.mixins.PinyinSlugMixin)
# instead of the percent-encoded or emptied slugs Wagtail would make.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_I18N_ENABLED = False
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100

# 定期复核: a published guide is reviewed (republished or confirmed unchanged) at least this
# often; overdue guides are listed on the editors' home (cms/models/reviews.py). A year by
# default; a centre whose province checks guides more often sets it shorter.
GUIDE_REVIEW_INTERVAL_DAYS = int(os.environ.get("GUIDE_REVIEW_INTERVAL_DAYS", "365"))
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
# Attachments citizens download: forms, samples, policy texts. No HTML, SVG or executables.
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ofd", "wps", "txt", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_MODERATION_ENABLED = True
# Staff avatars: Wagtail's placeholder, never gravatar.com, which would receive a hash of each
# staff member's address on every admin page (and is unreachable from a hall's intranet).
# https://docs.wagtail.org/en/stable/reference/settings.html#wagtail-gravatar-provider-url
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_WORKFLOW_ENABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        # Every publish queues a PDF render; loading or importing a catalogue would print one
        # "Enqueued" line per guide. The worker still logs each task it runs.
        "not_enqueued": {
            "()": "django.utils.log.CallbackFilter",
            "callback": lambda record: not record.getMessage().startswith("Enqueued"),
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["not_enqueued"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # WeasyPrint reports every layout step at INFO: thousands of lines per catalogue export.
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # The Elasticsearch client logs every request at INFO; failures still show.
        "elastic_transport.transport": {"level": "WARNING"},
    },
}

"""Settings for the demonstration-project portal.

One file for every environment: production differs from development only through the environment
(see `.env.example`). A bad value fails loudly at start-up.
"""

import re
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Required everywhere: a missing key must stop the process, not fall back to a guessable one.
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "portal",
    "standards",
    "projects",
    "reviews",
    "publicity",
    "api",
    "reports",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "axes",
    "django_filters",
    "django_htmx",
    "template_partials",
    "csp",
    "django_ratelimit",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before CommonMiddleware, as django-cors-headers asks; it answers only under CORS_URLS_REGEX (the API).
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Late, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
    "portal.middleware.AuditContextMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable database must fail a request (and /healthz) in seconds, not hang a worker.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int("DATABASE_CONNECT_TIMEOUT", default=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL and (_worker := env.str("PYTEST_XDIST_WORKER", default="")):
    # `make test` runs the suite in parallel processes (pytest-xdist's gw0, gw1, ...). Each test flushes the cache,
    # so each process gets a Redis database of its own, counted on from REDIS_URL's, as pytest-django gives each
    # its own PostgreSQL database (test_portal_gw0, ...).
    _redis = re.fullmatch(r"(?P<base>redis://[^/]*)(?:/(?P<db>\d+))?", REDIS_URL)
    if _redis:
        REDIS_URL = f"{_redis['base']}/{int(_redis['db'] or 0) + int(_worker.removeprefix('gw'))}"
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions in Redis, so any web process can serve any request.
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Files ------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "portal.staticfiles.NodePackageFinder",
]
# The files of npm packages (package-lock.json pins them; `make install` runs npm ci) that pages load, by static
# folder: Apache ECharts for the statistics page's charts. Only these, not the packages' whole folders.
NODE_MODULES_DIR = BASE_DIR / "node_modules"
NODE_STATIC_FILES = {"vendor/echarts": ["echarts/dist/echarts.min.js"]}
# Uploaded files are private: no MEDIA_URL is served; every download goes through a view that checks rights.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _file_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _file_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _file_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("STATIC_MANIFEST", default=False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not env.bool("STATIC_MANIFEST", default=False)
FILE_UPLOAD_PERMISSIONS = 0o640

# --- People -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"
# No anonymous object permissions: the public sees only what is published, by query, not by grant.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# Failed-login lockout: a username from one address is locked after five failures, for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The client's address (lockouts, audit log): X-Forwarded-For is believed only behind PROXY_COUNT proxies,
# since a client can write that header itself.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if PROXY_COUNT else ["REMOTE_ADDR"]
AXES_VERBOSE = False

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One form for dates and moments in both languages (2027-01-13 17:00), in code and templates alike.
FORMAT_MODULE_PATH = ["portal.formats"]
# ... and the same where no language is active (a Celery task, a management command, a service's message).
DATE_FORMAT = SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Mail -------------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="团体标准应用示范项目 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Secretariat", a) for a in env.list("ADMIN_EMAILS", default=[])]

# --- Celery -----------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    # kombu's filesystem transport: a queue is a folder, so `make run` needs no server.
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
CELERY_BEAT_SCHEDULE = {
    "verify-audit-chain-nightly": {
        "task": "portal.verify_audit_chain",
        "schedule": env.int("AUDIT_VERIFY_EVERY_SECONDS", default=24 * 3600),
    },
    # Experts are reminded of reviews due within three days, from 8:00 Beijing time; each reminder is recorded
    # once a day, so the hourly runs after the first (there to catch a missed one) send nothing more.
    "remind-experts-of-due-reviews": {"task": "reviews.send_reminders", "schedule": crontab(minute=0, hour="8-20")},
    # Public notices open and close on the minute (publicity.jobs); a run after downtime catches up.
    "run-public-notices": {"task": "publicity.run_notices", "schedule": crontab()},
}
# A public notice closes at this time (Beijing) of its last working day.
NOTICE_CLOSES_AT = env.str("NOTICE_CLOSES_AT", default="17:30")
if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", NOTICE_CLOSES_AT):
    raise ImproperlyConfigured(f"NOTICE_CLOSES_AT is a time of day such as 17:30, not {NOTICE_CLOSES_AT!r}")

# --- Security ---------------------------------------------------------------------------------
# HTTPS=true behind a TLS-terminating proxy turns on every transport protection at once.
HTTPS = env.bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "portal.views.pages.csrf_failure"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

# Public forms (registration, asking to join) are rate-limited per client address on the shared cache, so the
# limit holds across web processes. django-ratelimit names only django-redis among Redis caches; Django's own
# backend is as shared and increments atomically, so its "not officially supported" warning is silenced.
RATELIMIT_USE_CACHE = "default"
SILENCED_SYSTEM_CHECKS.append("django_ratelimit.W001")
if not REDIS_URL:
    # Without Redis there is one development process (make run), whose local cache is the whole of "shared".
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")
REGISTRATION_RATE = env.str("REGISTRATION_RATE", default="10/h")
if not re.fullmatch(r"\d+/\d*[smhd]", REGISTRATION_RATE):
    raise ImproperlyConfigured(f"REGISTRATION_RATE is a count per period such as 10/h, not {REGISTRATION_RATE!r}")
# Objections to a public notice: filings per client address and per contact (e-mail, phone), status lookups.
OBJECTION_RATE = env.str("OBJECTION_RATE", default="10/h")
OBJECTION_CONTACT_RATE = env.str("OBJECTION_CONTACT_RATE", default="5/h")
OBJECTION_STATUS_RATE = env.str("OBJECTION_STATUS_RATE", default="20/h")
for _name in ("OBJECTION_RATE", "OBJECTION_CONTACT_RATE", "OBJECTION_STATUS_RATE"):
    if not re.fullmatch(r"\d+/\d*[smhd]", globals()[_name]):
        raise ImproperlyConfigured(f"{_name} is a count per period such as 10/h, not {globals()[_name]!r}")
REGISTRATION_CERTIFICATE_MAX_BYTES = env.int("REGISTRATION_CERTIFICATE_MAX_BYTES", default=10 * 1024 * 1024)

# --- Open data: the public read-only API under /api/v1/ (api/) ----------------------------------
# Cross-origin reads only, and only of the API: a researcher's page elsewhere may fetch the data, never post.
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Retry-After")
# Anonymous reads per client address (each address is anonymous: the API has no accounts), on the shared cache.
API_ANON_RATE = env.str("API_ANON_RATE", default="120/min")
if not re.fullmatch(r"[1-9]\d*/(s|sec|second|m|min|minute|h|hour|d|day)", API_ANON_RATE):
    raise ImproperlyConfigured(f"API_ANON_RATE is a count per period such as 120/min, not {API_ANON_RATE!r}")
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "api.schema.PublicSchema",
    # JSON only: no browsable API, whose pages would need inline script; the documentation page is Swagger UI.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],  # read-only: nothing is ever sent in a body
    # Public data needs no account; without session authentication there is no CSRF check, and a signed-in
    # user reads exactly what the public reads.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],  # the viewsets are read-only
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousRateThrottle"],  # at API_ANON_RATE
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "api.exceptions.handler",
    "URL_FORMAT_OVERRIDE": None,  # one format: no ?format=
}
SPECTACULAR_SETTINGS = {
    "TITLE": "团体标准应用示范项目 open data API",
    "DESCRIPTION": (
        "The portal's public data, read-only: announced demonstration projects, public notices with their "
        "published lists and hashes, announcements, group standards and social groups. No account is needed; "
        "each address may make a limited number of requests a minute (beyond it: 429 with Retry-After). "
        "Every list and detail carries an ETag and a "
        "Last-Modified: send them back (If-None-Match, If-Modified-Since) to get a 304 while nothing changed."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Fields named alike across resources, with different codes: each list of codes named once.
    "ENUM_NAME_OVERRIDES": {
        "StandardStatusEnum": "standards.models.StandardStatus",
        "NoticeStatusEnum": "api.serializers.notices.PUBLIC_STATUSES",
    },
    # The documentation page's assets come from drf-spectacular-sidecar's package, served as static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    # No links to each operation inside its summary button: a link within a button is two controls in one.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Portal -----------------------------------------------------------------------------------
PORTAL_NAME = _("Group Standard Application Demonstration Projects")
# The address people reach the portal at, for the links in e-mails (a worker has no request to ask).
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000").rstrip("/")
if not re.fullmatch(r"https?://[^/\s]+(/\S*)?", PORTAL_URL):
    raise ImproperlyConfigured(f"PORTAL_URL must be an address such as https://portal.example.cn, not {PORTAL_URL!r}")
PROJECTS_MAX_UPLOAD_BYTES = env.int("PROJECTS_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)  # per attachment
# What a DOCX, XLSX or OFD upload may unpack to (portal.archives): past any of these it is refused as a ZIP bomb.
ARCHIVE_MAX_UNPACKED_BYTES = env.int("ARCHIVE_MAX_UNPACKED_BYTES", default=200 * 1024 * 1024)
ARCHIVE_MAX_MEMBERS = env.int("ARCHIVE_MAX_MEMBERS", default=5000)
ARCHIVE_MAX_RATIO = env.int("ARCHIVE_MAX_RATIO", default=200)
# Django reads at most 1 KB of each multipart part's headers and answers more with a bare 400: a file name of
# some 330 Chinese characters fills it (UTF-8, in the part's Content-Disposition). 8 KB still bounds what one
# part's headers may hold; the name is cut to 100 characters on upload anyway (portal.uploads.safe_name).
# Applied by PortalConfig.ready(), since Django keeps the limit in a module constant, not a setting.
MULTIPART_MAX_PART_HEADER_BYTES = 8 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

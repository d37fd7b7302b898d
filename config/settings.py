"""Settings for the catalogue, all driven by the environment.

Local use needs nothing set: DEBUG is on, the database is the embedded PostgreSQL
under .data/, and a secret key is generated once into .data/. With
DJANGO_ENV=production, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL are
required and their absence stops the start; so does a weak secret key. Production also
turns on HTTPS redirect, HSTS and secure cookies (each can be turned off by its variable,
e.g. behind a local http-only setup), and `manage.py check --deploy` is clean.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("CATALOGUE_DATA_DIR", BASE_DIR / ".data"))
# The /data/ downloads (catalogue.dataset), rebuilt by build_dataset and after ingest.
DATASET_DIR = Path(os.environ.get("CATALOGUE_DATASET_DIR", DATA_DIR / "dataset"))

PRODUCTION = os.environ.get("DJANGO_ENV", "local") == "production"


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production")
    return value


def _flag(name: str, default: bool) -> bool:
    """A yes/no setting from the environment ("1"/"0"), `default` when unset."""
    return os.environ.get(name, "1" if default else "0").strip() == "1"


def _strong_secret_key(value: str) -> str:
    """`value` if Django's own deploy check would accept it as a secret key; else stop."""
    if len(value) < 50 or len(set(value)) < 5 or value.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is too weak for production: it needs at least 50 characters, "
            "at least 5 different ones, and must not start with 'django-insecure'. Generate "
            "one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    return value


def _local_secret_key() -> str:
    """A per-checkout key kept in .data/, so sessions survive restarts on a developer's machine."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


if PRODUCTION:
    DEBUG = False
    SECRET_KEY = _strong_secret_key(_required("DJANGO_SECRET_KEY"))
    ALLOWED_HOSTS = _required("DJANGO_ALLOWED_HOSTS").split(",")
    _required("DATABASE_URL")
else:
    DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _local_secret_key()
    ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")

CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "ninja",  # serves the API docs' Swagger UI from its own static files, not a CDN
    "catalogue",
    "ingest",
]

# catalogue.middleware: sessions, users, messages and history only where they are used (the
# admin, and requests other than GET/HEAD), and the CSP header built once for the site.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "catalogue.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "catalogue.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "catalogue.state.read_once_per_request",
    "django.middleware.common.CommonMiddleware",
    "catalogue.api.middleware.api_head_as_get",
    "django.middleware.csrf.CsrfViewMiddleware",
    "catalogue.middleware.AuthenticationMiddleware",
    "catalogue.middleware.MessageMiddleware",
    "catalogue.middleware.history_request",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

# Admin login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one
# username from one address, that pair is locked out for AXES_COOLOFF_TIME hours.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", 1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# Content-Security-Policy (django-csp): everything from our own origin, no inline
# scripts or styles anywhere (the pages' CSS is in static/css), no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "config.embedded_postgres",
            "NAME": os.environ.get("CATALOGUE_DB_NAME", "postgres"),
            "USER": "postgres",
            "EMBEDDED_DATADIR": str(DATA_DIR / "postgres"),
            # A worker keeps its connection between requests, as with DATABASE_URL: a new
            # PostgreSQL backend per request costs more than most of our pages' queries.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    }

# The planner's default cost of a random page (4) is for spinning disks; on SSDs it
# makes it prefer seq scans of the report table over its indexes.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    f"-c random_page_cost={os.environ.get('DATABASE_RANDOM_PAGE_COST', '1.1')}"
)

# Each test run gets its own database on the server, so runs side by side (two
# developers, or a run while `make run` serves) do not collide.
DATABASES["default"]["TEST"] = {"NAME": f"test_catalogue_{os.getpid()}"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every worker process (home figures keyed by the catalogue version):
# files under the data dir, or Redis when CATALOGUE_REDIS_URL is set (needs `pip install redis`).
if os.environ.get("CATALOGUE_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CATALOGUE_REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

# Rendered pages (catalogue.page_cache), keyed by the catalogue version, in a store of their
# own so that many pages do not push the home and facet figures out of the default one.
# Without Redis: diskcache's store (SQLite-indexed files, one set costs the same however
# many pages are kept, safe between gunicorn's worker processes) bounded by its size on
# disk, CATALOGUE_PAGE_CACHE_MB (default 1024); past it the pages stored longest ago go
# first, which are those of older catalogue versions.
if os.environ.get("CATALOGUE_REDIS_URL"):
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "pages"}
else:
    CACHES["pages"] = {
        "BACKEND": "diskcache.DjangoCache",
        "LOCATION": str(DATA_DIR / "page-store"),
        "SHARDS": 8,  # SQLite files, each with its own write lock
        "OPTIONS": {"size_limit": int(os.environ.get("CATALOGUE_PAGE_CACHE_MB", "1024")) << 20},
    }
# CATALOGUE_PAGE_CACHE=0 renders every page on every request (benchmarks of the cold path).
if os.environ.get("CATALOGUE_PAGE_CACHE") == "0":
    CACHES["pages"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}

# How long one facet query of a list page may run (ms) before the facet is dropped with a note.
FACET_TIME_LIMIT_MS = int(os.environ.get("CATALOGUE_FACET_TIME_LIMIT_MS", "300"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Locally (tests included, where DEBUG is off) static files are served from the app
# folders directly; production serves the collected, compressed copies.
WHITENOISE_USE_FINDERS = not PRODUCTION

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = _flag("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = _flag("DJANGO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = _flag("DJANGO_HSTS_PRELOAD", True)

# Ingest: files larger than this are refused (bytes).
INGEST_MAX_BYTES = int(os.environ.get("INGEST_MAX_BYTES", 5 * 1024 * 1024))
# Parse budget per file: a file that takes longer, or holds more indicators, fails
# with the reason instead of stalling the run (0 turns a limit off).
INGEST_MAX_SECONDS = float(os.environ.get("INGEST_MAX_SECONDS", 30))
INGEST_MAX_INDICATORS = int(os.environ.get("INGEST_MAX_INDICATORS", 5000))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    # jieba prints its start-up lines through a handler of its own; passed on to the
    # root handler as well, each line appeared twice.
    "loggers": {"jieba": {"propagate": False}},
}

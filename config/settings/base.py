"""Settings shared by every environment.

Everything that differs between a laptop and production is read from the environment
(DESIGN.md §9): production differs by values, not by code.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-local-development-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "sangyo.core",
    "sangyo.accounts",
    "sangyo.strategy",
    "sangyo.indicators",
    "sangyo.registry",
    "sangyo.applications",
    "sangyo.consultations",
    "sangyo.diagnostics",
    "sangyo.events",
    "sangyo.matching",
    "sangyo.evaluation",
    "sangyo.navigator",
    "sangyo.synthetic",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sangyo.core.middleware.JapaneseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sangyo.core.context_processors.site",
            ],
            "builtins": ["sangyo.core.templatetags.sangyo"],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATA_DIR = Path(os.environ.get("SANGYO_DATA_DIR", BASE_DIR / "var"))

# SQLite is the embedded default; DATABASE_URL selects PostgreSQL (or anything dj-database-url
# understands).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'sangyo.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a management command writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "staff_home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("日本語")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "sangyo" / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Background jobs: Celery on Redis when REDIS_URL is set; otherwise tasks run in-process
# (eagerly) so the embedded default needs no broker.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Scheduled work, run by `celery -A config beat` in production (see docs/consultations.md).
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {"task": "sangyo.consultations.send_reminders", "schedule": 60 * 60},
    "purge-event-registrations": {
        "task": "sangyo.events.purge_registrations",
        "schedule": 24 * 60 * 60,
    },
    "purge-abandoned-import-uploads": {
        "task": "sangyo.registry.purge_pending_uploads",
        "schedule": 24 * 60 * 60,
    },
    "expire-matching-postings": {
        "task": "sangyo.matching.expire_postings",
        "schedule": 6 * 60 * 60,
    },
}

# Shared cache: Redis when configured (so job progress is visible across processes),
# process memory otherwise.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sangyo@localhost")
# The public address of the site, for links in mails (no trailing slash).
SANGYO_SITE_URL = os.environ.get("SANGYO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Reminder mails go out this many hours before a booking or an event starts.
SANGYO_REMINDER_HOURS = int(os.environ.get("SANGYO_REMINDER_HOURS", "24"))
# The follow-up plan a new consultation case starts with (staff change it per case).
SANGYO_CASE_PLAN = [
    {"days": 30, "note": "1か月後の状況確認"},
    {"days": 90, "note": "3か月後の成果確認"},
]
# Event registrants' personal data is anonymised this many days after the event ended.
SANGYO_EVENT_RETENTION_DAYS = int(os.environ.get("SANGYO_EVENT_RETENTION_DAYS", "365"))

# Which strategy file `sangyo demo` and the tests load by default.
SANGYO_DEFAULT_STRATEGY_FILE = os.environ.get(
    "SANGYO_STRATEGY_FILE", str(BASE_DIR / "strategies" / "tsukuba-2025.yaml")
)
# Shown in the header when the database holds synthetic demo data.
SANGYO_SYNTHETIC_BANNER = env_bool("SANGYO_SYNTHETIC_BANNER", True)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Logs go to standard error: plain lines by default, one JSON object a line with
# LOG_FORMAT=json (the production default; see sangyo/core/logging.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "sangyo.core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

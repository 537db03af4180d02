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
    # accounts hardening: two-factor devices and login lock-out
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
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
    "sangyo.privacy",  # privacy: APPI requests, anonymisation, retention
    "sangyo.integrations",  # api helper: staff API tokens
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.db_router.ReplicaPinMiddleware",  # scale: read replica (no-op without one)
    # hardening: CSP and Permissions-Policy on every page (docs/security.md)
    "csp.middleware.CSPMiddleware",
    "sangyo.core.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sangyo.core.middleware.JapaneseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # accounts
    "django.contrib.messages.middleware.MessageMiddleware",
    # accounts: session expiry, staff two-factor, elevation for /admin/ (after messages),
    # then axes' lock-out page.
    "sangyo.accounts.middleware.SessionExpiryMiddleware",
    "sangyo.accounts.middleware.StaffTwoFactorMiddleware",
    "sangyo.accounts.middleware.AdminElevationMiddleware",
    "axes.middleware.AxesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # hardening: rate-limited public forms answer 429 (sangyo.core.security)
    "sangyo.core.security.RateLimitMiddleware",
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
# scale: a read replica, when configured, serves reads (config/db_router.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
SANGYO_READ_REPLICA = "replica" in DATABASES
SANGYO_REPLICA_PIN_SECONDS = int(os.environ.get("SANGYO_REPLICA_PIN_SECONDS", "10"))
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]

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
    {"NAME": "sangyo.accounts.validators.CharacterClassValidator"},  # accounts
]

# --- accounts hardening (docs/security-accounts.md) ---
# Axes checks for lock-out before the password is tried.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Staff must confirm a TOTP (or recovery) code after the password.
SANGYO_STAFF_2FA = env_bool("SANGYO_STAFF_2FA", True)
SANGYO_LOGIN_FAILURE_LIMIT = int(os.environ.get("SANGYO_LOGIN_FAILURE_LIMIT", "5"))
SANGYO_LOGIN_COOLOFF_MINUTES = int(os.environ.get("SANGYO_LOGIN_COOLOFF_MINUTES", "30"))
# Staff are logged out after this many minutes without a request; everybody after
# SESSION_COOKIE_AGE (absolute, counted from login).
SANGYO_SESSION_IDLE_MINUTES = int(os.environ.get("SANGYO_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
# Admin actions need the password (and code) again; the elevation lasts this long.
SANGYO_ELEVATION_REQUIRED = env_bool("SANGYO_ELEVATION_REQUIRED", True)
SANGYO_ELEVATION_MINUTES = int(os.environ.get("SANGYO_ELEVATION_MINUTES", "15"))
# Sign-up links and password reset links stay valid this long.
SANGYO_SIGNUP_LINK_HOURS = 24
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60
SANGYO_SIGNUP_RATE = os.environ.get("SANGYO_SIGNUP_RATE", "5/h")
SANGYO_PASSWORD_RESET_RATE = os.environ.get("SANGYO_PASSWORD_RESET_RATE", "5/h")
AXES_FAILURE_LIMIT = SANGYO_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = SANGYO_LOGIN_COOLOFF_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "sangyo.accounts.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "sangyo.accounts.lockout.username_from_request"
AXES_HTTP_RESPONSE_CODE = 429
OTP_TOTP_ISSUER = "Sangyo"
# Failures and lock-outs are audit events (accounts.login.*); axes' own INFO lines would
# only repeat them in the logs.
AXES_VERBOSE = False
# --- end accounts ---

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
    # privacy: one daily run applies every RetentionRule, including the event registrations
    # purge and the abandoned import uploads purge (sangyo/privacy/retention.py).
    "apply-retention-rules": {
        "task": "sangyo.privacy.apply_retention",
        "schedule": 24 * 60 * 60,
    },
    "expire-matching-postings": {
        "task": "sangyo.matching.expire_postings",
        "schedule": 6 * 60 * 60,
    },
    # scale: pre-aggregated output counts for the evaluation (sangyo/evaluation/summary.py).
    "refresh-output-counts": {
        "task": "sangyo.evaluation.refresh_output_counts",
        "schedule": 60 * 60,
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
# privacy: personal-data requests are due this many days after receipt. (The event retention
# above now only seeds the "events.registration" retention rule and `sangyo events purge`.)
SANGYO_PRIVACY_RESPONSE_DAYS = int(os.environ.get("SANGYO_PRIVACY_RESPONSE_DAYS", "14"))

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

# --- hardening (docs/security.md) ---
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp 4): no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Requests: form fields (not files) up to 5 MB in memory; uploads above 2.5 MB spill to a
# temporary file. Per-kind file limits (bytes) for sangyo.core.uploads.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
SANGYO_UPLOAD_LIMITS = {
    "document": 10 * 1024 * 1024,  # application documents (sangyo.applications.uploads)
    "registry_import": 50 * 1024 * 1024,  # business lists, 国税庁 法人番号 files
    "indicator_import": 20 * 1024 * 1024,  # observations CSV/Excel, e-Stat JSON
    "navigator_import": 20 * 1024 * 1024,  # jGrants JSON
}
# Rate limits per client IP on public forms (django-ratelimit syntax), counted in the cache:
# set REDIS_URL when several processes serve the site, or each counts on its own.
SANGYO_RATELIMITS = {
    "public_form": os.environ.get("SANGYO_RATELIMIT_PUBLIC_FORM", "20/m"),
    "search": os.environ.get("SANGYO_RATELIMIT_SEARCH", "120/m"),
    # api helper: every /api/v1/ operation, per client IP (sangyo.api_common)
    "api": os.environ.get("SANGYO_RATELIMIT_API", "300/m"),
}
# Behind a reverse proxy REMOTE_ADDR is the proxy: name the header that holds the client's
# address (e.g. HTTP_X_REAL_IP) so limits apply per visitor.
if os.environ.get("RATELIMIT_IP_META_KEY"):
    RATELIMIT_IP_META_KEY = os.environ["RATELIMIT_IP_META_KEY"]
RATELIMIT_VIEW = "sangyo.core.security.too_many_requests"
# --- end hardening ---

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

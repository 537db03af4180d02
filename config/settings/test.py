"""Settings for the test suite; DATABASE_URL still selects PostgreSQL (CI)."""

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
DATABASES["default"]["CONN_MAX_AGE"] = 0
# scale: a `replica` alias mirroring the test database, for the read-replica routing tests;
# routing stays off (SANGYO_READ_REPLICA) unless a test turns it on.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
SANGYO_READ_REPLICA = False
# Serve static files from the apps' folders (no collectstatic before tests; the browser tests
# need the real CSS and fonts).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None

# Parallel test workers (pytest-xdist) share one Redis in CI: keep their cache keys apart.
import os  # noqa: E402

CACHES["default"]["KEY_PREFIX"] = "test-" + os.environ.get("PYTEST_XDIST_WORKER", "main")  # noqa: F405

# accounts: most tests use force_login; the accounts tests switch these on where they test them.
SANGYO_STAFF_2FA = False
SANGYO_ELEVATION_REQUIRED = False

# hardening: the suite posts the public forms far more often than any visitor, from one
# address, into one cache; rate-limit tests set small rates with override_settings.
SANGYO_RATELIMITS = {"public_form": "100000/m", "search": "100000/m"}
SANGYO_RATELIMITS["api"] = "100000/m"  # api helper: the API tests send many requests

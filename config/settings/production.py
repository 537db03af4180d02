"""Production: the same code, values from the environment, hardened defaults."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Cookies only over HTTPS. `make serve-prod` turns this off (SECURE_COOKIES=false) because
# it serves plain HTTP on loopback; never do that behind a public address.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# hardening: preload on by default so `check --deploy` is clean; SECURE_HSTS_PRELOAD=false
# before the domain is submitted to the preload list if the city is not ready for it.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_HTTPONLY = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

# Structured logs unless the operator asks for plain lines.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_FORMAT == "json" else "plain"  # noqa: F405

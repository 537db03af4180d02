"""Security headers and `check --deploy` under the production settings (docs/security.md).

The production profile is imported in a subprocess (settings cannot be swapped inside the
test process): once for `manage.py check --deploy`, once to request a page with Django's
test client and report its headers and cookies. The page tests in this process check the
headers every response carries whatever the profile.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import json
import django
django.setup()
from django.test import Client, override_settings
from django.test.utils import setup_test_environment

setup_test_environment()
# No collectstatic in a test run: plain static storage (headers do not depend on it).
storages = {"default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=storages):
    client = Client(HTTP_HOST="sangyo.example.jp")
    plain = client.get("/accounts/login/")
    page = client.get("/accounts/login/", secure=True)
from django.conf import settings
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location", ""),
    "status": page.status_code,
    "headers": {k.lower(): v for k, v in page.headers.items()},
    "cookies": {k: {"secure": bool(v["secure"]), "httponly": bool(v["httponly"]),
                    "samesite": v["samesite"]} for k, v in page.cookies.items()},
    "settings": {n: getattr(settings, n) for n in (
        "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD", "SECURE_SSL_REDIRECT", "DEBUG")},
}))
"""


def _production_env(tmp_path) -> dict:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "SECURE_"))
    }
    env.pop("DATABASE_URL", None)  # the probe needs no database rows
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),  # 50+ random characters, as production needs
        ALLOWED_HOSTS="sangyo.example.jp",
        SANGYO_DATA_DIR=str(tmp_path / "data"),
        LOG_FORMAT="plain",
        LOG_LEVEL="WARNING",
    )
    return env


def _run(args, tmp_path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_issues(tmp_path):
    result = _run(
        [
            "-c",
            "import django, sys; django.setup(); from django.core.management import call_command;"
            " call_command('check', deploy=True, fail_level='DEBUG')",
        ],
        tmp_path,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output, output


@pytest.fixture(scope="module")
def production_page(tmp_path_factory):
    result = _run(["-c", PROBE], tmp_path_factory.mktemp("prod"))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_redirects_plain_http_to_https(production_page):
    assert production_page["plain_status"] == 301
    assert production_page["plain_location"].startswith("https://sangyo.example.jp/")


def test_production_page_headers(production_page):
    h = production_page["headers"]
    assert production_page["status"] == 200
    assert h["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert h["x-content-type-options"] == "nosniff"
    assert h["x-frame-options"] == "DENY"
    assert h["referrer-policy"] == "same-origin"
    assert h["cross-origin-opener-policy"] == "same-origin"
    assert h["permissions-policy"] == "camera=(), microphone=(), geolocation=(), payment=()"
    csp = {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in h["content-security-policy"].split("; ")}
    assert csp == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }


def test_production_cookies(production_page):
    s = production_page["settings"]
    assert s["SESSION_COOKIE_SECURE"] and s["SESSION_COOKIE_HTTPONLY"]
    assert s["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert s["CSRF_COOKIE_SECURE"]
    assert s["SECURE_HSTS_SECONDS"] >= 31536000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert s["DEBUG"] is False
    # The login form sets the CSRF cookie: only over HTTPS.
    assert production_page["cookies"]["csrftoken"]["secure"] is True
    assert production_page["cookies"]["csrftoken"]["samesite"] == "Lax"


# --- every profile ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/events/", "/accounts/login/", "/no-such-page/"])
def test_pages_carry_the_headers(client, tsukuba, path):
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=(), payment=()"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


@pytest.mark.django_db
def test_hsts_header_when_configured(client, tsukuba):
    with override_settings(
        SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True
    ):
        secure = client.get("/", secure=True)
        plain = client.get("/")
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "Strict-Transport-Security" not in plain  # never over plain HTTP


def test_htmx_may_not_inject_styles_or_run_scripts(client, db, tsukuba):
    html = client.get("/").content.decode()
    config = html.split('name="htmx-config" content=\'', 1)[1].split("'", 1)[0]
    assert json.loads(config) == {
        "includeIndicatorStyles": False,
        "allowEval": False,
        "allowScriptTags": False,
    }

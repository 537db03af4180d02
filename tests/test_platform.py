"""Cross-cutting behaviour of the platform: audit log, language, background jobs, settings."""

import json
import os
import subprocess
import sys

import pytest

from sangyo.core.audit import audit
from sangyo.core.models import AuditEvent


@pytest.mark.django_db
def test_audit_records_actor_target_and_data(tsukuba, users):
    event = audit("strategy.strategy.viewed", actor=users["officer"], target=tsukuba, data={"n": 1})
    event.refresh_from_db()
    assert event.actor == users["officer"]
    assert event.actor_label == str(users["officer"])
    assert (event.target_type, event.target_id) == ("strategy.strategy", str(tsukuba.pk))
    assert event.data == {"n": 1}


@pytest.mark.django_db
def test_audit_names_non_human_actors_and_needs_dotted_codes():
    event = audit("core.job.finished", actor="cli")
    assert event.actor is None and event.actor_label == "cli"
    with pytest.raises(ValueError):
        audit("finished", actor="cli")


@pytest.mark.django_db
def test_audit_events_cannot_be_changed_or_deleted():
    event = audit("core.job.finished", actor="system")
    event.code = "core.job.tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(code="x.y.z")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).code == "core.job.finished"


@pytest.mark.django_db
def test_japanese_is_the_default_whatever_the_browser_says(client, tsukuba):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert b'<html lang="ja">' in response.content
    assert response["Content-Language"] == "ja"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert b'<html lang="en">' in response.content


@pytest.mark.django_db
def test_audit_log_page_filters_by_code_prefix_and_pages(client, users):
    for i in range(55):
        audit("core.job.finished", actor="system", data={"i": i})
    audit("accounts.user.created", actor="system")
    client.force_login(users["officer"])
    page1 = client.get("/staff/audit/?code=core.")
    assert page1.status_code == 200
    assert page1.content.count(b"<code>core.job.finished</code>") == 50
    assert b"accounts.user.created" not in page1.content
    # Keyset pages: the "older" link carries the filter and a cursor.
    older = page1.context["page"]["older"]
    assert f"code=core.&amp;cursor={older}".encode() in page1.content
    page2 = client.get(f"/staff/audit/?code=core.&cursor={older}")
    assert page2.content.count(b"<code>core.job.finished</code>") == 5
    assert page2.context["page"]["older"] is None


def _settings(**env) -> dict:
    """Read settings in a fresh interpreter with the given environment."""
    code = (
        "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings.local';"
        "django.setup(); from django.conf import settings as s; print(json.dumps({"
        "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL,"
        "'engine': s.DATABASES['default']['ENGINE'], 'lang': s.LANGUAGE_CODE, 'tz': s.TIME_ZONE}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    out = subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_embedded_default_is_sqlite_in_process_jobs_japanese_tokyo():
    assert _settings() == {
        "eager": True,
        "broker": "memory://",
        "engine": "django.db.backends.sqlite3",
        "lang": "ja",
        "tz": "Asia/Tokyo",
    }


def test_environment_selects_postgresql_and_celery_on_redis():
    url = "redis://127.0.0.1:6379/5"
    got = _settings(REDIS_URL=url, DATABASE_URL="postgres://u@127.0.0.1:5432/x")
    assert (got["eager"], got["broker"]) == (False, url)
    assert got["engine"] == "django.db.backends.postgresql"

"""Login lock-out (django-axes): N failures per address and IP lock it for a while, the page
says nothing about whether the account exists, and an administrator can unlock."""

import re

import pytest
from django.core.management import call_command

from sangyo.core.models import AuditEvent

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(client, email, password="wrong password!", ip="192.0.2.10"):
    return client.post(
        "/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=ip
    )


def _normalised(response, email):
    html = response.content.decode().replace(email, "EMAIL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_five_failures_lock_the_address_even_for_the_right_password(client, make_user, settings):
    assert settings.AXES_FAILURE_LIMIT == settings.SANGYO_LOGIN_FAILURE_LIMIT == 5
    user = make_user("officer", email="officer@example.test")
    for _ in range(4):
        assert attempt(client, user.email).status_code == 200
    locked = attempt(client, user.email)
    assert locked.status_code == 429
    assert "ログインを一時的に停止しています" in locked.content.decode()
    assert "30分" in locked.content.decode()
    assert attempt(client, user.email, PASSWORD).status_code == 429
    # Another address (or the same account from elsewhere) is not affected.
    assert attempt(client, user.email, PASSWORD, ip="198.51.100.7").status_code == 302
    failed = AuditEvent.objects.filter(code="accounts.login.failed", target_id=str(user.pk))
    assert failed.count() >= 5
    assert AuditEvent.objects.filter(code="accounts.login.locked_out").exists()


def test_lock_out_does_not_tell_whether_the_account_exists(client, make_user):
    make_user("business", email="known@example.test")
    pages = {}
    for email in ("known@example.test", "nobody@example.test"):
        first = attempt(client, email)
        for _ in range(3):
            attempt(client, email)
        locked = attempt(client, email)
        pages[email] = (
            first.status_code,
            _normalised(first, email),
            locked.status_code,
            _normalised(locked, email),
        )
    known, unknown = pages.values()
    assert known[0] == unknown[0] == 200
    assert known[2] == unknown[2] == 429
    assert known[1] == unknown[1]
    assert known[3] == unknown[3]


def test_addresses_are_counted_case_insensitively(client, make_user):
    user = make_user("viewer", email="viewer@example.test")
    for variant in (
        "Viewer@example.test",
        "VIEWER@example.test",
        "viewer@EXAMPLE.test",
        "viewer@example.test",
    ):
        attempt(client, variant)
    assert attempt(client, user.email.upper()).status_code == 429


def test_admin_unlocks_with_the_command(client, make_user):
    user = make_user("officer", email="officer@example.test")
    for _ in range(5):
        attempt(client, user.email)
    assert attempt(client, user.email, PASSWORD).status_code == 429
    call_command("accounts", "unlock", "Officer@example.test")
    assert attempt(client, user.email, PASSWORD).status_code == 302
    event = AuditEvent.objects.get(code="accounts.login.unlocked")
    assert event.target_id == str(user.pk) and event.data["attempts_cleared"] >= 1


def test_force_login_is_not_counted_by_axes(client, make_user):
    user = make_user("officer")
    for _ in range(3):
        client.force_login(user)
    assert client.get("/staff/").status_code == 200


def test_the_lock_ends_after_the_cool_off(client, make_user):
    import datetime

    from axes.models import AccessAttempt
    from django.utils import timezone

    user = make_user("officer", email="officer@example.test")
    for _ in range(5):
        attempt(client, user.email)
    assert attempt(client, user.email, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=29))
    assert attempt(client, user.email, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    assert attempt(client, user.email, PASSWORD).status_code == 302

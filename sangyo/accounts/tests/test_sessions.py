"""Sessions end 8 hours after login for everybody and after 30 idle minutes for staff."""

import time

import pytest

from sangyo.accounts.middleware import AUTH_AT, SEEN_AT

pytestmark = pytest.mark.django_db


def shift(client, **seconds_ago):
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[{"auth": AUTH_AT, "seen": SEEN_AT}[key]] = now - ago
    session.save()


def test_staff_idle_for_30_minutes_are_logged_out_with_a_message(client, make_user, settings):
    assert settings.SANGYO_SESSION_IDLE_MINUTES == 30
    client.force_login(make_user("officer"))
    shift(client, seen=29 * 60)
    assert client.get("/staff/").status_code == 200
    shift(client, seen=31 * 60)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/staff/"
    page = client.get(response["Location"]).content.decode()
    assert "30分間操作がなかったため、ログアウトしました" in page
    assert client.get("/staff/").status_code == 302  # really logged out


def test_requests_keep_the_session_alive(client, make_user):
    client.force_login(make_user("viewer"))
    shift(client, seen=20 * 60)
    client.get("/staff/")
    assert time.time() - client.session[SEEN_AT] < 5


def test_business_users_have_no_idle_limit_but_the_absolute_one(client, make_user, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    client.force_login(make_user("business"))
    shift(client, auth=60 * 60, seen=2 * 60 * 60)
    assert client.get("/apply/").status_code == 200
    shift(client, auth=8 * 60 * 60 + 1)
    response = client.get("/apply/")
    assert response["Location"].startswith("/accounts/login/")
    assert "有効期限が切れました" in client.get(response["Location"]).content.decode()

"""Elevation ("sudo mode"): admin pages need the password again, for a limited time."""

import time

import pytest

from sangyo.accounts.elevation import SESSION_KEY
from sangyo.core.models import AuditEvent

from .conftest import PASSWORD, enrolled, totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def elevation(settings):
    settings.SANGYO_ELEVATION_REQUIRED = True
    return settings


def test_admin_site_needs_a_fresh_password_and_the_grant_expires(client, make_user, elevation):
    admin = make_user("admin")
    client.force_login(admin)
    response = client.get("/admin/accounts/user/")
    assert response["Location"] == "/accounts/elevate/?next=%2Fadmin%2Faccounts%2Fuser%2F"
    wrong = client.post(response["Location"], {"password": "not it at all"})
    assert wrong.status_code == 200 and "正しくありません" in wrong.content.decode()
    ok = client.post("/accounts/elevate/", {"password": PASSWORD, "next": "/admin/accounts/user/"})
    assert ok["Location"] == "/admin/accounts/user/"
    assert client.get("/admin/accounts/user/").status_code == 200
    event = AuditEvent.objects.get(code="accounts.elevation.granted")
    assert event.actor == admin and event.data["minutes"] == 15

    session = client.session
    session[SESSION_KEY] = time.time() - 1
    session.save()
    assert client.get("/admin/")["Location"].startswith("/accounts/elevate/")


def test_merge_needs_elevation(client, make_user, elevation):
    from sangyo.registry.tests.factories import business

    keep, dup = business(name="合成データ統合先"), business(name="合成データ統合元")
    client.force_login(make_user("admin"))
    url = f"/staff/businesses/merge/?keep={keep.pk}&duplicate={dup.pk}"
    assert client.get(url)["Location"].startswith("/accounts/elevate/?next=")
    response = client.post(
        "/staff/businesses/merge/",
        {"keep": keep.pk, "duplicate": dup.pk},
        HTTP_REFERER="http://testserver" + url,
    )
    assert response["Location"].startswith("/accounts/elevate/?next=http")
    from sangyo.registry.models import Business

    assert Business.objects.filter(pk=dup.pk).exists()  # nothing merged without elevation
    client.post("/accounts/elevate/", {"password": PASSWORD})
    assert client.get(url).status_code == 200


def test_elevation_asks_for_a_code_when_two_factor_is_on(client, make_user, elevation, two_factor):
    admin = make_user("admin")
    device, codes = enrolled(admin)
    client.post("/accounts/login/", {"username": admin.email, "password": PASSWORD})
    client.post("/accounts/two-factor/", {"token": codes[0]})
    page = client.get("/accounts/elevate/?next=/admin/")
    assert 'name="token"' in page.content.decode()
    assert (
        client.post("/accounts/elevate/", {"password": PASSWORD, "next": "/admin/"}).status_code
        == 200
    )
    assert client.get("/admin/").status_code == 302
    ok = client.post(
        "/accounts/elevate/",
        {"password": PASSWORD, "token": totp_code(device, 1), "next": "/admin/"},
    )
    assert ok["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_repeated_failed_elevation_logs_out(client, make_user, elevation):
    client.force_login(make_user("admin"))
    for _ in range(4):
        assert client.post("/accounts/elevate/", {"password": "wrong"}).status_code == 200
    response = client.post("/accounts/elevate/", {"password": "wrong"})
    assert response["Location"] == "/accounts/login/"
    assert client.get("/staff/").status_code == 302
    assert AuditEvent.objects.filter(code="accounts.elevation.failed").exists()


def test_admin_role_change_in_admin_is_audited(client, make_user):
    admin = make_user("admin")
    viewer = make_user("viewer")
    client.force_login(admin)
    response = client.post(
        f"/admin/accounts/user/{viewer.pk}/change/",
        {
            "email": viewer.email,
            "name": "",
            "role": "officer",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.role == "officer"
    event = AuditEvent.objects.get(code="accounts.user.role_changed")
    assert event.data == {"from": "viewer", "to": "officer"}

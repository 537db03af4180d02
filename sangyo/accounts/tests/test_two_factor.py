"""Staff two-factor login: enrolment with a QR code, a code after the password, recovery
codes that work once."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from sangyo.accounts.views import TOTP_KEY_SESSION
from sangyo.core.models import AuditEvent

from .conftest import PASSWORD, enrolled, totp_code, unthrottle

pytestmark = pytest.mark.django_db


def password_login(client, email, next_url=""):
    data = {"username": email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/login/", data)


def test_staff_enrol_then_log_in_with_password_and_code(client, make_user, two_factor):
    officer = make_user("officer")
    response = password_login(client, officer.email)
    assert response["Location"] == "/staff/"
    # Every staff page waits for the code; without a device the code page sends to enrolment.
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/?next=%2Fstaff%2F")
    response = client.get(response["Location"])
    assert response["Location"].startswith("/accounts/two-factor/setup/")

    page = client.get("/accounts/two-factor/setup/").content.decode()
    assert "<svg" in page and "<script" not in page.split("<main", 1)[1]
    key = client.session[TOTP_KEY_SESSION]
    probe = TOTPDevice(user=officer, key=key)
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    import base64

    assert base64.b32decode(secret) == probe.bin_key  # the text secret is the QR's secret
    assert not TOTPDevice.objects.filter(user=officer).exists()  # nothing saved before a code

    wrong = client.post("/accounts/two-factor/setup/", {"token": "000000"})
    assert "確認コードが一致しません" in wrong.content.decode()
    response = client.post("/accounts/two-factor/setup/", {"token": totp_code(probe)})
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=officer).confirmed
    assert client.get("/staff/").status_code == 200
    assert AuditEvent.objects.filter(code="accounts.otp.enrolled", actor=officer).exists()

    client.post("/accounts/logout/")
    password_login(client, officer.email)
    assert client.get("/staff/")["Location"].startswith("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=officer)
    bad = client.post("/accounts/two-factor/?next=/staff/", {"token": "123456"})
    assert bad.status_code == 200 and "確認コードが正しくない" in bad.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # the next try must wait (1 s, then 2 s, ...)
    device.throttle_reset()
    ok = client.post(
        "/accounts/two-factor/", {"token": totp_code(device, steps_ahead=1), "next": "/staff/"}
    )
    assert ok["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_recovery_code_works_once(client, make_user, two_factor):
    viewer = make_user("viewer")
    _, codes = enrolled(viewer)
    password_login(client, viewer.email)
    half_signed_in = client.cookies["sessionid"].value
    response = client.post("/accounts/two-factor/", {"token": codes[0], "next": "/staff/"})
    assert response["Location"] == "/staff/"
    assert client.cookies["sessionid"].value != half_signed_in  # a fresh session id
    client.post("/accounts/logout/")

    password_login(client, viewer.email)
    again = client.post("/accounts/two-factor/", {"token": codes[0], "next": "/staff/"})
    assert again.status_code == 200
    assert client.get("/staff/").status_code == 302
    unthrottle(viewer)
    response = client.post("/accounts/two-factor/", {"token": codes[1].upper(), "next": "/staff/"})
    assert response["Location"] == "/staff/"
    assert AuditEvent.objects.filter(code="accounts.otp.recovery_code_used").count() == 2


def test_password_alone_cannot_replace_the_authenticator(client, make_user, two_factor):
    admin = make_user("admin")
    enrolled(admin)
    password_login(client, admin.email)
    assert client.get("/accounts/two-factor/setup/")["Location"] == "/accounts/two-factor/"
    assert client.get("/accounts/security/")["Location"].startswith("/accounts/two-factor/")
    assert client.get("/admin/")["Location"].startswith("/accounts/two-factor/")


def test_regenerated_recovery_codes_replace_the_old_ones(client, make_user, two_factor):
    officer = make_user("officer")
    device, old = enrolled(officer)
    password_login(client, officer.email)
    client.post("/accounts/two-factor/", {"token": totp_code(device, 1), "next": "/staff/"})
    page = client.post("/accounts/security/recovery-codes/").content.decode()
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/accounts/logout/")
    password_login(client, officer.email)
    assert client.post("/accounts/two-factor/", {"token": old[2]}).status_code == 200
    unthrottle(officer)
    assert client.post("/accounts/two-factor/", {"token": new[2]}).status_code == 302


def test_with_staff_2fa_off_staff_log_in_with_the_password(client, make_user, settings):
    settings.SANGYO_STAFF_2FA = False
    officer = make_user("officer")
    password_login(client, officer.email)
    assert client.get("/staff/").status_code == 200


def test_business_user_may_opt_in_and_then_owes_a_code(client, make_user, settings):
    settings.SANGYO_STAFF_2FA = False
    owner = make_user("business")
    device, _ = enrolled(owner)
    password_login(client, owner.email)
    assert client.get("/apply/")["Location"].startswith("/accounts/two-factor/")
    client.post("/accounts/two-factor/", {"token": totp_code(device, 1)})
    assert client.get("/apply/").status_code == 200
    # A business user may switch it off again.
    client.post("/accounts/security/two-factor/disable/")
    assert not TOTPDevice.objects.filter(user=owner).exists()


def test_staff_cannot_switch_two_factor_off(client, make_user, two_factor):
    officer = make_user("officer")
    device, _ = enrolled(officer)
    password_login(client, officer.email)
    client.post("/accounts/two-factor/", {"token": totp_code(device, 1)})
    client.post("/accounts/security/two-factor/disable/")
    assert TOTPDevice.objects.filter(user=officer).exists()

"""Staff two-factor login in a real browser: an officer enrols an authenticator from the QR
page (reading the text secret, as a screen-reader user would), keeps the recovery codes, logs
out, and logs in again with the password and a code."""

from __future__ import annotations

import base64
import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages_a11y import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # the `make_user` fixture's password


def code_for(secret: str, steps_ahead: int = 0) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(base64.b32decode(secret), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def log_in_with_password(page, site, email):
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="ログイン", exact=True).click()
    page.wait_for_load_state()


def test_officer_enrols_totp_then_logs_in_with_password_and_code(
    page, live_server, tsukuba, make_user, settings
):
    settings.SANGYO_STAFF_2FA = True
    officer = make_user("officer", email="officer@example.test")
    site = live_server.url

    log_in_with_password(page, site, officer.email)
    # No authenticator yet: the staff menu waits and the enrolment page opens instead.
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))
    expect(page.locator(".qr-code svg")).to_have_count(1)
    assert serious_violations(page) == []
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("認証アプリに表示された6桁の確認コード").fill(code_for(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="有効にする").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert serious_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("link", name="控えたので次へ進む").click()
    expect(page).to_have_url(site + "/staff/")

    with page.expect_navigation():
        page.get_by_role("button", name="ログアウト").click()
    log_in_with_password(page, site, officer.email)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/\?next="))
    assert serious_violations(page) == []
    page.get_by_label("確認コード（6桁）またはリカバリーコード").fill(code_for(secret, 1))
    with page.expect_navigation():
        page.get_by_role("button", name="確認").click()
    expect(page).to_have_url(site + "/staff/")
    expect(page.get_by_role("heading", name="職員メニュー", level=1)).to_be_visible()


@pytest.mark.parametrize(
    "path", ["/accounts/signup/", "/accounts/password/reset/", "/accounts/password/reset/sent/"]
)
def test_public_account_pages_pass_axe(page, live_server, tsukuba, path):
    response = page.goto(live_server.url + path)
    assert response.status == 200
    assert serious_violations(page) == []


def test_security_and_password_pages_pass_axe(page, live_server, tsukuba, make_user):
    owner = make_user("business", email="owner@example.test")
    log_in_with_password(page, live_server.url, owner.email)
    for path in ("/accounts/security/", "/accounts/security/password/", "/accounts/elevate/"):
        assert page.goto(live_server.url + path).status == 200
        assert serious_violations(page) == [], path

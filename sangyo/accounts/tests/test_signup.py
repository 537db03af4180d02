"""Business sign-up: an inactive account, a signed 24-hour link, activation logs in; a
second sign-up with a known address looks the same and mails the owner instead."""

import re

import pytest
from django.core import mail

from sangyo.accounts.models import User
from sangyo.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "sangyo-demo-2025"


def form(email="new@example.test", **extra):
    return {
        "email": email,
        "name": "合成 太郎",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "consent": "on",
        **extra,
    }


def _normalised(response, email_start):
    html = response.content.decode().replace(email_start, "X@")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def link_in(message) -> str:
    return re.search(
        r"http://127\.0\.0\.1:8000(/accounts/signup/activate/[^/\s]+/)", message.body
    ).group(1)


def test_signup_mail_activation_and_login(client):
    response = client.post("/accounts/signup/", form())
    assert response.status_code == 200 and "確認メールを送信しました" in response.content.decode()
    user = User.objects.get(email="new@example.test")
    assert not user.is_active and user.role == "business"
    assert (
        client.post(
            "/accounts/login/", {"username": user.email, "password": NEW_PASSWORD}
        ).status_code
        == 200
    )

    link = link_in(mail.outbox[0])
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response["Location"] == "/apply/"
    user.refresh_from_db()
    assert user.is_active
    assert client.get("/apply/").status_code == 200
    assert AuditEvent.objects.filter(
        code="accounts.signup.activated", target_id=str(user.pk)
    ).exists()
    # The link is used up.
    client.post("/accounts/logout/")
    assert client.get(link).status_code == 400


def test_signup_with_a_known_address_looks_the_same(client, make_user):
    existing = make_user("business", email="known@example.test")
    fresh = client.post("/accounts/signup/", form("fresh@example.test"))
    again = client.post("/accounts/signup/", form("known@example.test"))
    assert fresh.status_code == again.status_code == 200
    assert _normalised(fresh, "fresh@") == _normalised(again, "known@")
    assert User.objects.filter(email="known@example.test").count() == 1
    notice = mail.outbox[-1]
    assert notice.to == [existing.email] and "すでに登録されています" in notice.body
    assert "/accounts/signup/activate/" not in notice.body


def test_expired_or_forged_links_are_refused(client, settings):
    client.post("/accounts/signup/", form())
    link = link_in(mail.outbox[0])
    assert client.get(link.replace("activate/", "activate/x")).status_code == 400
    settings.SANGYO_SIGNUP_LINK_HOURS = -1  # every link is now older than allowed
    response = client.get(link)
    assert response.status_code == 400 and "有効期限" in response.content.decode()


def test_signup_validates_in_japanese(client):
    response = client.post(
        "/accounts/signup/",
        form(password1="abcdefghijklmnop", password2="abcdefghijklmnop", consent=""),
    )
    html = response.content.decode()
    assert "2種類以上" in html and "利用規約への同意が必要です" in html
    assert not User.objects.exists()


def test_signup_is_rate_limited_per_ip(client, settings):
    settings.SANGYO_SIGNUP_RATE = "2/h"
    for n in range(2):
        assert client.post("/accounts/signup/", form(f"a{n}@example.test")).status_code == 200
    limited = client.post("/accounts/signup/", form("a3@example.test"))
    assert limited.status_code == 429
    assert "しばらく時間をおいて" in limited.content.decode()
    assert not User.objects.filter(email="a3@example.test").exists()

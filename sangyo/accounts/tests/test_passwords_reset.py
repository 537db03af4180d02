"""Password reset that does not say who has an account; password change; both audited."""

import re

import pytest
from django.core import mail

from sangyo.core.models import AuditEvent

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "sangyo-demo-2025"


def test_reset_answers_the_same_for_known_and_unknown_addresses(client, make_user):
    make_user("business", email="known@example.test")
    known = client.post("/accounts/password/reset/", {"email": "known@example.test"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.test"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/sent/"
    assert [m.to for m in mail.outbox] == [["known@example.test"]]
    assert AuditEvent.objects.filter(code="accounts.password.reset_requested").count() == 2


def test_reset_link_sets_a_new_password_and_clears_the_lock(client, make_user):
    user = make_user("officer", email="officer@example.test")
    for _ in range(5):
        client.post("/accounts/login/", {"username": user.email, "password": "wrong one!"})
    client.post("/accounts/password/reset/", {"email": user.email})
    body = mail.outbox[0].body
    assert "パスワード再設定" in mail.outbox[0].subject
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/password/reset/\S+/)", body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    weak = client.post(
        set_url, {"new_password1": "aaaaaaaaaaaaaa", "new_password2": "aaaaaaaaaaaaaa"}
    )
    assert "2種類以上" in weak.content.decode()
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == "/accounts/password/reset/done/"
    assert (
        client.post("/accounts/login/", {"username": user.email, "password": NEW}).status_code
        == 302
    )
    assert AuditEvent.objects.filter(
        code="accounts.password.reset", target_id=str(user.pk)
    ).exists()


def test_reset_is_rate_limited(client, settings):
    settings.SANGYO_PASSWORD_RESET_RATE = "1/h"
    client.post("/accounts/password/reset/", {"email": "a@example.test"})
    limited = client.post("/accounts/password/reset/", {"email": "a@example.test"})
    assert limited.status_code == 429 and "しばらく時間をおいて" in limited.content.decode()


def test_logged_in_user_changes_password(client, make_user):
    user = make_user("business")
    client.force_login(user)
    wrong = client.post(
        "/accounts/security/password/",
        {"old_password": "nope", "new_password1": NEW, "new_password2": NEW},
    )
    assert wrong.status_code == 200
    response = client.post(
        "/accounts/security/password/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response["Location"] == "/accounts/security/"
    assert client.get("/accounts/security/").status_code == 200  # still logged in
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert AuditEvent.objects.filter(code="accounts.user.password_changed").exists()

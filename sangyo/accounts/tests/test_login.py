"""Logging in with e-mail and password lands each kind of user where their work is."""

import pytest

PASSWORD = "correct horse battery"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("admin", "/staff/"),
        ("officer", "/staff/"),
        ("reviewer", "/staff/"),
        ("viewer", "/staff/"),
        ("business", "/apply/"),
    ],
)
def test_login_redirects_by_role(client, tsukuba, make_user, role, landing):
    make_user(role, email=f"{role}@example.test")
    response = client.post(
        "/accounts/login/", {"username": f"{role}@example.test", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == landing
    assert client.get(landing).status_code == 200


@pytest.mark.django_db
def test_login_keeps_next_and_refuses_wrong_password_in_japanese(client, make_user):
    make_user("officer", email="officer@example.test")
    response = client.post(
        "/accounts/login/?next=/staff/audit/",
        {"username": "officer@example.test", "password": PASSWORD, "next": "/staff/audit/"},
    )
    assert response["Location"] == "/staff/audit/"
    client.logout()
    response = client.post(
        "/accounts/login/", {"username": "officer@example.test", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "メールアドレスまたはパスワードが正しくありません" in response.content.decode()


@pytest.mark.django_db
def test_logout_is_a_post_and_returns_home(client, make_user):
    client.force_login(make_user("officer"))
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/"

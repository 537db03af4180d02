"""Password rules: length 12, not common, not all digits, not like the account, more than
one kind of character; explained in Japanese."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from sangyo.accounts.models import User


def codes(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return {e.code for e in exc.error_list}
    return set()


@pytest.mark.parametrize(
    "password", ["sangyo-demo-2025", "correct horse battery", "つくば産業戦略2025年度版"]
)
def test_demo_and_test_passwords_stay_valid(password):
    assert codes(password) == set()


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short-1", "password_too_short"),
        ("123456789012345", "password_entirely_numeric"),
        ("abcdefghijklmnop", "password_single_class"),
        ("ABCDEFGHIJKLMNOP", "password_single_class"),
        ("!!!!????####$$$$", "password_single_class"),
        ("password1234", "password_too_common"),
    ],
)
def test_weak_passwords_are_refused(password, code):
    assert code in codes(password)


def test_password_like_the_email_is_refused():
    user = User(email="yamada.taro.tsukuba@example.test", name="山田太郎")
    assert "password_too_similar" in codes("yamada.taro.tsukuba", user)


def test_messages_are_japanese():
    with translation.override("ja"):
        try:
            validate_password("abc")
        except ValidationError as exc:
            text = " ".join(exc.messages)
    assert "短すぎます" in text or "文字以上" in text
    assert "2種類以上" in text

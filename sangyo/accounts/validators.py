"""A password rule Django does not ship: more than one kind of character."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _classes(password: str) -> set[str]:
    found = set()
    for ch in password:
        if ch.isdigit():
            found.add("digit")
        elif ch.isalpha() and ch.isascii():
            found.add("upper" if ch.isupper() else "lower")
        elif ch.isalpha():
            found.add("other_letter")  # kana, kanji and other scripts
        else:
            found.add("symbol")  # punctuation and spaces
    return found


class CharacterClassValidator:
    """Refuse passwords made of one kind of character only (all lower-case letters, all
    digits, ...). Two kinds are enough: "correct horse battery" (letters and spaces) passes;
    length does the rest (MinimumLengthValidator)."""

    def validate(self, password: str, user=None) -> None:
        if len(_classes(password)) < 2:
            raise ValidationError(
                _(
                    "パスワードには2種類以上の文字（英小文字・英大文字・数字・記号や空白・かな漢字）"
                    "を組み合わせてください。"
                ),
                code="password_single_class",
            )

    def get_help_text(self) -> str:
        return _("2種類以上の文字（英字・数字・記号など）を組み合わせてください。")

"""Check digits of 法人番号 and 全国地方公共団体コード.

Input is normalised before checking because numbers arrive typed with full-width digits or
copied with separators ("8-0000-2013-0001", "０８２２０１"). Errors are Japanese sentences that
say exactly what to fix, since they are shown to the person who typed the number.
"""

from __future__ import annotations

import re
import unicodedata

# Hyphen look-alikes, including the long-vowel mark an IME produces for "-" in kana mode.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−ー]+")

CORPORATE_NUMBER_LENGTH = 13
LG_CODE_WEIGHTS = (6, 5, 4, 3, 2)
PREFECTURE_CODES = range(1, 48)


class CodeError(ValueError):
    """An invalid code; the message is Japanese, for users."""


def _digits(s: str, label: str) -> str:
    s = _SEPARATORS.sub("", unicodedata.normalize("NFKC", s))
    if not s:
        raise CodeError(f"{label}が入力されていません")
    bad = next((c for c in s if c not in "0123456789"), None)
    if bad is not None:
        raise CodeError(f"{label}に数字以外の文字「{bad}」が含まれています")
    return s


def corporate_number_check_digit(base12: str) -> int:
    """財務省令第70号 第2条: 9 − (Σ Pn·Qn mod 9), Pn the n-th base digit from the right,
    Qn = 1 for odd n and 2 for even n. The result is 1–9."""
    base = _digits(base12, "法人番号の基礎番号")
    if len(base) != 12:
        raise CodeError(f"法人番号の基礎番号は12桁です（入力されたのは{len(base)}桁）")
    total = sum(int(p) * (2 if n % 2 == 0 else 1) for n, p in enumerate(reversed(base), start=1))
    return 9 - total % 9


def validate_corporate_number(s: str) -> str:
    """Return the 13-digit number, or raise CodeError.

    Like any mod-9 check, it cannot see a 0 typed as 9 (or 9 as 0) in the base number.
    """
    number = _digits(s, "法人番号")
    if len(number) != CORPORATE_NUMBER_LENGTH:
        raise CodeError(f"法人番号は13桁です（入力されたのは{len(number)}桁）")
    expected = corporate_number_check_digit(number[1:])
    if int(number[0]) != expected:
        raise CodeError(
            "法人番号のチェックデジット（先頭の1桁）が合いません："
            f"残りの12桁からは「{expected}」になるはずですが「{number[0]}」です。"
            "番号を確認してください"
        )
    return number


def is_valid_corporate_number(s: str) -> bool:
    try:
        validate_corporate_number(s)
    except CodeError:
        return False
    return True


def lg_code_check_digit(code5: str) -> int:
    """11 − (d1·6 + d2·5 + d3·4 + d4·3 + d5·2 mod 11), keeping only the last digit, which
    turns remainder 0 (→ 11) into 1 and remainder 1 (→ 10) into 0."""
    code = _digits(code5, "地方公共団体コード")
    if len(code) != 5:
        raise CodeError(
            f"検査数字を計算する地方公共団体コードは5桁です（入力されたのは{len(code)}桁）"
        )
    total = sum(int(d) * w for d, w in zip(code, LG_CODE_WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def lg_code6(code5: str) -> str:
    code = _digits(code5, "地方公共団体コード")
    return code + str(lg_code_check_digit(code))


def validate_lg_code(s: str) -> str:
    """Accept the 5-digit code (as in 国税庁 files) or the 6-digit one with its check digit,
    and return the 6-digit form."""
    code = _digits(s, "地方公共団体コード")
    if len(code) not in (5, 6):
        raise CodeError(f"地方公共団体コードは5桁または6桁です（入力されたのは{len(code)}桁）")
    if int(code[:2]) not in PREFECTURE_CODES:
        raise CodeError(
            f"地方公共団体コードの先頭2桁（都道府県コード）は01〜47です（入力は「{code[:2]}」）"
        )
    full = lg_code6(code[:5])
    if len(code) == 6 and code != full:
        raise CodeError(
            "地方公共団体コードの検査数字（6桁目）が合いません："
            f"「{code[:5]}」の6桁目は「{full[5]}」になるはずですが「{code[5]}」です"
        )
    return full


def lg_corporate_number(code: str) -> str:
    """法人番号 of a local government: check digit + "000020" + 6-digit 団体コード
    (東京都 13000 → 8000020130001). Accepts the 5- or 6-digit 団体コード."""
    base = "000020" + validate_lg_code(code)
    return f"{corporate_number_check_digit(base)}{base}"

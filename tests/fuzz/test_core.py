"""Fuzzing of sangyo.core parsers: 和暦 dates, fiscal-year labels, 法人番号 and 団体コード,
and text normalisation. Each either returns a valid result or raises its declared error
(WarekiError, CodeError) with a Japanese message; round trips hold where they exist."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import assume, example, given
from hypothesis import strategies as st

from sangyo.core import codes, fiscal, text, wareki
from sangyo.core.codes import CodeError
from sangyo.core.wareki import ERAS, GREGORIAN_START, WarekiError

from .common import any_text, assert_clear, fuzz, has_japanese, nasty_text

# --------------------------------------------------------------------------- 和暦

ERA_TOKENS = [t for e in ERAS for t in (e.name, e.name[0], e.letter, e.letter.lower())]
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@st.composite
def wareki_like(draw):
    """Strings shaped like dates: any era token, 元 or a number (also impossible ones),
    separators 年月日 . / - and look-alikes, optional full-width digits and weekday."""
    era = draw(st.sampled_from([*ERA_TOKENS, "", "㍻", "㋿", "Reiwa", "X", "令和令和"]))
    year = draw(st.one_of(st.just("元"), st.integers(-5, 2100).map(str), st.just("")))
    month = str(draw(st.integers(-1, 14)))
    day = str(draw(st.integers(-1, 33)))
    sep = draw(st.sampled_from(["年月日", "...", "///", "---", "ーー", "－－", "年月", "..."]))
    s = f"{era}{year}{sep[0]}{month}{sep[1]}{day}{sep[2] if len(sep) > 2 else ''}"
    if draw(st.booleans()):
        s = s.translate(FULLWIDTH)
    if draw(st.booleans()):
        s += draw(st.sampled_from(["（火）", "(月)", " ", "\u3000", "日日", "x"]))
    return s


def check_parse_date(s: str) -> None:
    try:
        d = wareki.parse_date(s)
    except WarekiError as exc:
        assert_clear(str(exc))
        assert has_japanese(str(exc)), str(exc)
        return
    assert isinstance(d, date)


@fuzz(300)
@given(st.one_of(wareki_like(), nasty_text, any_text))
@example("令和元年5月1日")
@example("令和1年2月30日")
@example("平成31年5月1日")  # after 平成 ended
@example("明治5年12月31日")  # before the Gregorian calendar
@example("明治45年7月30日")  # shared first day of 大正
@example("大正15年12月25日")
@example("昭和64年1月8日")
@example("R0.1.1")
@example("㋿7年4月1日")
@example("R99999999999999999999.1.1")
@example("99999999")
@example("00000000")
@example("")
def test_parse_date_valid_or_wareki_error(s):
    check_parse_date(s)


@fuzz(200)
@given(
    st.sampled_from([*ERA_TOKENS, "Showa", "showa", "令", "X", ""]),
    st.integers(-10, 200),
    st.integers(-3, 15),
    st.integers(-3, 40),
)
def test_from_wareki_valid_or_wareki_error(era, year, month, day):
    try:
        d = wareki.from_wareki(era, year, month, day)
    except WarekiError as exc:
        assert_clear(str(exc))
        return
    # A date that exists converts back to the same era year (or, on a shared first day, to
    # the next era).
    w = wareki.to_wareki(d)
    assert (w.month, w.day) == (month, day)
    assert d >= GREGORIAN_START


dates = st.dates(min_value=GREGORIAN_START, max_value=date(2200, 12, 31))


@fuzz(300)
@given(dates, st.sampled_from(["long", "short"]))
@example(date(2019, 5, 1), "long")
@example(date(2019, 4, 30), "short")
@example(date(1912, 7, 30), "long")
@example(date(1926, 12, 25), "short")
@example(date(1873, 1, 1), "long")
def test_format_then_parse_round_trip(d, style):
    assert wareki.parse_date(wareki.format_wareki(d, style)) == d
    assert wareki.parse_date(d.isoformat()) == d
    assert wareki.parse_date(wareki.format_date_ja(d, with_wareki=False)) == d


@fuzz(200)
@given(st.dates(max_value=GREGORIAN_START - timedelta(days=1)))
def test_before_gregorian_refused_clearly(d):
    try:
        wareki.to_wareki(d)
    except WarekiError as exc:
        assert "1873" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("converted a lunisolar date")
    # 西暦 input is accepted, and display never fails.
    assert wareki.format_date_ja(d)


@fuzz(200)
@given(st.datetimes(min_value=datetime(1873, 1, 2), timezones=st.timezones()))
def test_aware_datetimes_are_tokyo_dates(dt):
    w = wareki.to_wareki(dt)
    assert w.to_date() == wareki.tokyo_date(dt)


# --------------------------------------------------------------------------- 年度


@fuzz(200)
@given(st.integers(1873, 2200))
@example(1988)
@example(1989)
@example(2019)
def test_fiscal_year_label(fy):
    label = fiscal.fiscal_year_label(fy)
    assert label.endswith("年度")
    start, end = fiscal.fiscal_year_range(fy)
    assert fiscal.fiscal_year(start) == fiscal.fiscal_year(end) == fy


# --------------------------------------------------------------------------- 法人番号


@st.composite
def corporate_number_like(draw):
    digits = draw(st.text(alphabet="0123456789", min_size=10, max_size=15))
    if len(digits) == 13 and draw(st.booleans()):
        digits = str(codes.corporate_number_check_digit(digits[1:])) + digits[1:]
    if draw(st.booleans()):
        digits = digits.translate(FULLWIDTH)
    if draw(st.booleans()):
        sep = draw(st.sampled_from(["-", "ー", "−", " ", "\u3000", "‐", "/", "E+"]))
        at = draw(st.integers(0, len(digits)))
        digits = digits[:at] + sep + digits[at:]
    return digits


@fuzz(400)
@given(st.one_of(corporate_number_like(), nasty_text))
@example("")
@example("1" * 13)
@example("8-0000-2013-0001")
@example("８０００．０２０１３０００１")
@example("1.23457E+12")
@example("٨٠٠٠٠٢٠١٣٠٠٠١")  # Arabic-Indic digits: NFKC keeps them
def test_validate_corporate_number(s):
    try:
        number = codes.validate_corporate_number(s)
    except CodeError as exc:
        assert_clear(str(exc))
        assert "法人番号" in str(exc)
        assert not codes.is_valid_corporate_number(s)
        return
    assert len(number) == 13 and number.isascii() and number.isdigit()
    assert codes.validate_corporate_number(number) == number


@fuzz(300)
@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_generated_check_digit_validates(base):
    number = f"{codes.corporate_number_check_digit(base)}{base}"
    assert codes.validate_corporate_number(number) == number
    wrong = (int(number[0]) % 9) + 1
    # Any other leading digit is refused, with the right digit named.
    try:
        codes.validate_corporate_number(f"{wrong}{base}")
    except CodeError as exc:
        assert number[0] in str(exc)
    else:
        assert str(wrong) == number[0]


@fuzz(300)
@given(st.one_of(st.text(alphabet="0123456789０８-", max_size=8), nasty_text))
@example("082201")
@example("00000")
@example("48000")
def test_validate_lg_code(s):
    try:
        code = codes.validate_lg_code(s)
    except CodeError as exc:
        assert_clear(str(exc))
        return
    assert len(code) == 6 and code.isdigit()
    assert codes.validate_lg_code(code) == code
    assert codes.is_valid_corporate_number(codes.lg_corporate_number(code))


# --------------------------------------------------------------------------- text


@fuzz(400)
@given(st.one_of(nasty_text, any_text))
@example("ｶﾌﾞｼｷｶﾞｲｼｬ")
@example("サーバ－")
@example("ー")
@example("\ufeff\u200b")
def test_normalisation_total_and_stable(s):
    key = text.normalize_for_match(s)
    assert isinstance(key, str)
    assert key == key.strip()
    kana = text.normalize_kana(s)
    assert isinstance(kana, str)


@fuzz(200)
@given(st.text(alphabet="あいうえおかがきアイウエオカガキｱｲｳｶﾞ ー－‐abcABC１２", max_size=30))
def test_hiragana_and_katakana_match(s):
    import jaconv

    assume(s.strip())
    assert text.normalize_for_match(jaconv.hira2kata(s)) == text.normalize_for_match(
        jaconv.kata2hira(s)
    )

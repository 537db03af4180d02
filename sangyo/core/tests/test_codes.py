import pytest
from hypothesis import given
from hypothesis import strategies as st

from sangyo.core.codes import (
    CodeError,
    corporate_number_check_digit,
    is_valid_corporate_number,
    lg_code6,
    lg_code_check_digit,
    lg_corporate_number,
    validate_corporate_number,
    validate_lg_code,
)

KNOWN_VALID = ["8000020130001", "7123456789012", "1180301018771", "4011001098993"]


@pytest.mark.parametrize("number", KNOWN_VALID)
def test_known_valid_corporate_numbers(number):
    assert corporate_number_check_digit(number[1:]) == int(number[0])
    assert is_valid_corporate_number(number)
    assert validate_corporate_number(number) == number


@pytest.mark.parametrize(
    "typed",
    [
        "８００００２０１３０００１",
        "8-0000-2013-0001",
        " 8000 0201 30001 ",
        "8ー0000ー2013ー0001",
        "8　000020130001",
    ],
)
def test_corporate_number_normalisation(typed):
    assert validate_corporate_number(typed) == "8000020130001"


def _corruptions():
    for number in KNOWN_VALID:
        for pos in range(13):
            for digit in "0123456789":
                if digit != number[pos]:
                    yield number, pos, number[:pos] + digit + number[pos + 1 :]


@pytest.mark.parametrize(("number", "pos", "corrupted"), list(_corruptions()))
def test_single_digit_corruption(number, pos, corrupted):
    # A mod-9 check cannot see 0 ↔ 9 in the base (the weighted sum changes by 9 or 18);
    # every other single-digit change must be caught.
    blind = pos > 0 and {number[pos], corrupted[pos]} == {"0", "9"}
    assert is_valid_corporate_number(corrupted) is blind


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "法人番号が入力されていません"),
        (" - ", "法人番号が入力されていません"),
        ("800002013000", "法人番号は13桁です（入力されたのは12桁）"),
        ("80000201300011", "法人番号は13桁です（入力されたのは14桁）"),
        ("80000201300O1", "法人番号に数字以外の文字「O」が含まれています"),
        ("1000020130001", "「8」になるはずですが「1」です"),
    ],
)
def test_corporate_number_errors(typed, message):
    with pytest.raises(CodeError) as exc:
        validate_corporate_number(typed)
    assert message in str(exc.value)
    assert not is_valid_corporate_number(typed)


def test_code_error_is_value_error():
    assert issubclass(CodeError, ValueError)


def test_check_digit_needs_twelve_digits():
    with pytest.raises(CodeError, match="12桁"):
        corporate_number_check_digit("12345")


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_every_base_gets_a_validating_check_digit(base):
    check = corporate_number_check_digit(base)
    assert 1 <= check <= 9
    assert is_valid_corporate_number(f"{check}{base}")
    assert sum(is_valid_corporate_number(f"{d}{base}") for d in range(10)) == 1


@pytest.mark.parametrize(
    ("code5", "code6"),
    [
        ("08220", "082201"),  # つくば市
        ("13101", "131016"),  # 千代田区
        ("01100", "011002"),  # 札幌市
        ("14100", "141003"),  # 横浜市
        ("08000", "080004"),  # 茨城県
        ("13000", "130001"),  # 東京都
    ],
)
def test_lg_codes(code5, code6):
    assert lg_code_check_digit(code5) == int(code6[5])
    assert lg_code6(code5) == code6
    assert validate_lg_code(code5) == code6
    assert validate_lg_code(code6) == code6


@pytest.mark.parametrize(
    ("code5", "weighted_sum", "check"),
    [
        ("01230", 22, 1),  # remainder 0 → 11 → 1
        ("02001", 12, 0),  # remainder 1 → 10 → 0
        ("08220", 54, 1),  # remainder 10 → 1
        ("13101", 27, 6),  # remainder 5 → 6
    ],
)
def test_lg_check_digit_remainders(code5, weighted_sum, check):
    assert sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True)) == weighted_sum
    assert lg_code_check_digit(code5) == check


@pytest.mark.parametrize("typed", ["０８２２０", "08220 ", "082-201", "０８２２０１"])
def test_lg_code_normalisation(typed):
    assert validate_lg_code(typed) == "082201"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "地方公共団体コードが入力されていません"),
        ("0822", "5桁または6桁です（入力されたのは4桁）"),
        ("0822011", "5桁または6桁です（入力されたのは7桁）"),
        ("08a20", "数字以外の文字「a」"),
        ("082202", "「08220」の6桁目は「1」になるはずですが「2」です"),
        ("48001", "都道府県コード"),
        ("00100", "都道府県コード"),
    ],
)
def test_lg_code_errors(typed, message):
    with pytest.raises(CodeError) as exc:
        validate_lg_code(typed)
    assert message in str(exc.value)


@given(st.integers(min_value=1, max_value=47), st.integers(min_value=0, max_value=999))
def test_every_lg_code_has_exactly_one_valid_six_digit_form(pref, city):
    code5 = f"{pref:02d}{city:03d}"
    valid = [d for d in "0123456789" if _lg_ok(code5 + d)]
    assert valid == [lg_code6(code5)[5]]


def _lg_ok(code6: str) -> bool:
    try:
        validate_lg_code(code6)
    except CodeError:
        return False
    return True


@pytest.mark.parametrize(
    ("code", "number"),
    [("13000", "8000020130001"), ("130001", "8000020130001"), ("08220", "8000020082201")],
)
def test_lg_corporate_number(code, number):
    assert lg_corporate_number(code) == number
    assert is_valid_corporate_number(number)

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sangyo.core.wareki import (
    ERAS,
    GREGORIAN_START,
    WarekiError,
    format_date_ja,
    format_wareki,
    from_wareki,
    get_era,
    parse_date,
    to_wareki,
)


def test_era_table():
    assert [(e.name, e.romaji, e.letter) for e in ERAS] == [
        ("明治", "Meiji", "M"),
        ("大正", "Taisho", "T"),
        ("昭和", "Showa", "S"),
        ("平成", "Heisei", "H"),
        ("令和", "Reiwa", "R"),
    ]
    assert ERAS[-1].end is None


# Both sides of every era start: the last day of the old era and the first of the new one.
@pytest.mark.parametrize(
    ("d", "era", "year", "long"),
    [
        (date(1873, 1, 1), "明治", 6, "明治6年1月1日"),
        (date(1912, 7, 29), "明治", 45, "明治45年7月29日"),
        (date(1912, 7, 30), "大正", 1, "大正元年7月30日"),
        (date(1926, 12, 24), "大正", 15, "大正15年12月24日"),
        (date(1926, 12, 25), "昭和", 1, "昭和元年12月25日"),
        (date(1989, 1, 7), "昭和", 64, "昭和64年1月7日"),
        (date(1989, 1, 8), "平成", 1, "平成元年1月8日"),
        (date(2019, 4, 30), "平成", 31, "平成31年4月30日"),
        (date(2019, 5, 1), "令和", 1, "令和元年5月1日"),
        (date(2020, 1, 1), "令和", 2, "令和2年1月1日"),
        (date(2025, 4, 1), "令和", 7, "令和7年4月1日"),
    ],
)
def test_to_wareki_boundaries(d, era, year, long):
    w = to_wareki(d)
    assert (w.era.name, w.year, w.month, w.day) == (era, year, d.month, d.day)
    assert format_wareki(d) == long
    assert str(w) == long
    assert w.to_date() == d


@pytest.mark.parametrize(
    ("d", "short"),
    [(date(2025, 4, 1), "R7.4.1"), (date(2019, 4, 30), "H31.4.30"), (date(1989, 1, 7), "S64.1.7")],
)
def test_format_short(d, short):
    assert format_wareki(d, "short") == short


def test_format_unknown_style():
    with pytest.raises(ValueError):
        format_wareki(date(2025, 4, 1), "medium")


def test_year_label():
    assert to_wareki(date(2019, 5, 1)).year_label == "令和元年"
    assert to_wareki(date(2025, 5, 1)).year_label == "令和7年"


def test_aware_datetime_uses_japanese_date():
    # 15:00 UTC on 30 April 2019 is already 1 May in Japan: the first day of 令和.
    assert format_wareki(datetime(2019, 4, 30, 15, 0, tzinfo=UTC)) == "令和元年5月1日"


@pytest.mark.parametrize("d", [date(1872, 12, 31), date(1868, 10, 23), date(1800, 1, 1)])
def test_before_gregorian_calendar_is_refused(d):
    with pytest.raises(WarekiError, match="改暦"):
        to_wareki(d)


@pytest.mark.parametrize(
    ("era", "year", "month", "day", "expected"),
    [
        ("昭和", 64, 1, 7, date(1989, 1, 7)),
        ("平成", 1, 1, 8, date(1989, 1, 8)),
        ("平成", 31, 4, 30, date(2019, 4, 30)),
        ("令和", 1, 5, 1, date(2019, 5, 1)),
        ("明治", 6, 1, 1, date(1873, 1, 1)),
        ("明治", 45, 7, 29, date(1912, 7, 29)),
        ("大正", 1, 7, 30, date(1912, 7, 30)),
        ("大正", 15, 12, 24, date(1926, 12, 24)),
        ("昭和", 1, 12, 25, date(1926, 12, 25)),
        # 大正 and 昭和 began on the day the emperor died, so that day carries both names.
        ("明治", 45, 7, 30, date(1912, 7, 30)),
        ("大正", 15, 12, 25, date(1926, 12, 25)),
        ("R", 7, 4, 1, date(2025, 4, 1)),
        ("h", 31, 4, 30, date(2019, 4, 30)),
        ("Showa", 64, 1, 7, date(1989, 1, 7)),
        ("令", 7, 4, 1, date(2025, 4, 1)),
    ],
)
def test_from_wareki_valid(era, year, month, day, expected):
    assert from_wareki(era, year, month, day) == expected


@pytest.mark.parametrize(
    ("era", "year", "month", "day", "message"),
    [
        ("平成", 32, 1, 1, "平成32年は存在しません（平成は31年4月30日まで）"),
        ("平成", 31, 5, 1, "平成31年5月1日は存在しません（平成は31年4月30日まで）"),
        ("昭和", 64, 1, 8, "昭和64年1月8日は存在しません（昭和は64年1月7日まで）"),
        ("昭和", 65, 1, 1, "昭和65年は存在しません（昭和は64年1月7日まで）"),
        ("令和", 1, 4, 30, "令和元年4月30日は存在しません（令和は元年5月1日から）"),
        ("平成", 1, 1, 7, "平成元年1月7日は存在しません（平成は元年1月8日から）"),
        ("大正", 1, 7, 29, "大正元年7月29日は存在しません（大正は元年7月30日から）"),
        ("明治", 45, 7, 31, "明治45年7月31日は存在しません（明治は45年7月30日まで）"),
        ("大正", 15, 12, 26, "大正15年12月26日は存在しません（大正は15年12月25日まで）"),
        ("昭和", 1, 12, 24, "昭和元年12月24日は存在しません（昭和は元年12月25日から）"),
        ("令和", 0, 1, 1, "令和0年は存在しません"),
        ("令和", 7, 2, 29, "令和7年2月29日は存在しない日付です"),
        ("明治", 5, 12, 2, "旧暦"),
        ("明治", 1, 10, 23, "旧暦"),
        ("慶応", 1, 1, 1, "元号「慶応」は扱えません"),
    ],
)
def test_from_wareki_invalid(era, year, month, day, message):
    with pytest.raises(WarekiError) as exc:
        from_wareki(era, year, month, day)
    assert message in str(exc.value)


def test_wareki_error_is_value_error():
    assert issubclass(WarekiError, ValueError)


def test_get_era():
    assert get_era("Ｒ") is get_era("reiwa") is get_era("令和") is ERAS[-1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-04-01", date(2025, 4, 1)),
        ("2025/4/1", date(2025, 4, 1)),
        ("2025.4.1", date(2025, 4, 1)),
        ("2025年4月1日", date(2025, 4, 1)),
        ("20250401", date(2025, 4, 1)),
        ("２０２５－０４－０１", date(2025, 4, 1)),
        ("２０２５ー０４ー０１", date(2025, 4, 1)),
        ("2025−04−01", date(2025, 4, 1)),
        ("令和7年4月1日", date(2025, 4, 1)),
        ("令和７年４月１日", date(2025, 4, 1)),
        ("令和 7 年 4 月 1 日", date(2025, 4, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("令和1年5月1日", date(2019, 5, 1)),
        ("R7.4.1", date(2025, 4, 1)),
        ("r07/04/01", date(2025, 4, 1)),
        ("Ｒ７．４．１", date(2025, 4, 1)),
        ("H31.4.30", date(2019, 4, 30)),
        ("S64.1.7", date(1989, 1, 7)),
        ("令7.4.1", date(2025, 4, 1)),
        ("㋿7年4月1日", date(2025, 4, 1)),
        ("平成31年4月30日（火）", date(2019, 4, 30)),
        ("  2025-04-01\n", date(2025, 4, 1)),
        ("1850-01-01", date(1850, 1, 1)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("平成32年1月1日", "平成32年は存在しません（平成は31年4月30日まで）"),
        ("H31.5.1", "平成31年5月1日は存在しません（平成は31年4月30日まで）"),
        ("昭和64年1月8日", "昭和64年1月8日は存在しません（昭和は64年1月7日まで）"),
        ("令和元年4月1日", "令和元年4月1日は存在しません（令和は元年5月1日から）"),
        ("2025-02-29", "2025年2月29日は存在しない日付です"),
        ("令和7年13月1日", "令和7年13月1日は存在しない日付です"),
        ("明治5年12月2日", "旧暦"),
        ("", "日付が入力されていません"),
        ("　", "日付が入力されていません"),
        ("2025-4/1", "日付として読み取れません"),
        ("来週の月曜", "日付として読み取れません"),
        ("X7.4.1", "日付として読み取れません"),
    ],
)
def test_parse_date_errors(text, message):
    with pytest.raises(WarekiError) as exc:
        parse_date(text)
    assert message in str(exc.value)


@pytest.mark.parametrize(
    ("d", "with_wareki", "expected"),
    [
        (date(2025, 4, 1), True, "2025年4月1日（令和7年4月1日）"),
        (date(2019, 5, 1), True, "2019年5月1日（令和元年5月1日）"),
        (date(2025, 4, 1), False, "2025年4月1日"),
        # No computable 和暦 before 1873: shown in 西暦 rather than failing a page.
        (date(1850, 1, 1), True, "1850年1月1日"),
    ],
)
def test_format_date_ja(d, with_wareki, expected):
    assert format_date_ja(d, with_wareki=with_wareki) == expected


dates_since_1873 = st.dates(min_value=GREGORIAN_START, max_value=date(2200, 12, 31))


@given(dates_since_1873)
def test_round_trip(d):
    w = to_wareki(d)
    assert from_wareki(w.era.name, w.year, w.month, w.day) == d
    assert from_wareki(w.era.letter, w.year, w.month, w.day) == d


@given(dates_since_1873)
def test_formats_parse_back(d):
    assert parse_date(format_wareki(d)) == d
    assert parse_date(format_wareki(d, "short")) == d
    assert parse_date(format_date_ja(d, with_wareki=False)) == d
    assert parse_date(d.isoformat()) == d


@given(dates_since_1873)
def test_era_is_the_latest_started(d):
    w = to_wareki(d)
    assert w.era.start <= d
    assert w.era.end is None or d <= w.era.end
    assert w.year >= 1
    nxt = ERAS.index(w.era) + 1
    assert nxt == len(ERAS) or d < ERAS[nxt].start

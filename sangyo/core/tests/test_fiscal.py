from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sangyo.core.fiscal import (
    closing_period,
    fiscal_year,
    fiscal_year_label,
    fiscal_year_label_both,
    fiscal_year_range,
)


@pytest.mark.parametrize(
    ("d", "fy"),
    [
        (date(2025, 3, 31), 2024),
        (date(2025, 4, 1), 2025),
        (date(2025, 12, 31), 2025),
        (date(2026, 1, 1), 2025),
        (date(2026, 3, 31), 2025),
        (date(2026, 4, 1), 2026),
        (datetime(2025, 3, 31, 23, 59), 2024),  # naive: already Japanese time
        (datetime(2025, 3, 31, 14, 59, tzinfo=UTC), 2024),
        (datetime(2025, 3, 31, 15, 0, tzinfo=UTC), 2025),  # 2025-04-01 00:00 JST
        (datetime(2025, 4, 1, 8, 0, tzinfo=timezone(timedelta(hours=9))), 2025),
        (datetime(2025, 4, 1, 0, 30, tzinfo=timezone(timedelta(hours=10))), 2024),
    ],
)
def test_fiscal_year(d, fy):
    assert fiscal_year(d) == fy


def test_fiscal_year_range():
    assert fiscal_year_range(2025) == (date(2025, 4, 1), date(2026, 3, 31))
    assert fiscal_year_range(2023) == (date(2023, 4, 1), date(2024, 3, 31))


def test_closing_period():
    assert closing_period(2025) == (date(2026, 4, 1), date(2026, 5, 31))


@pytest.mark.parametrize(
    ("fy", "label"),
    [
        (2025, "令和7年度"),
        (2020, "令和2年度"),
        (2019, "令和元年度"),  # began in 平成31年; official documents say 令和元年度
        (2018, "平成30年度"),
        (1989, "平成元年度"),
        (1988, "昭和63年度"),
        (1927, "昭和2年度"),
        (1926, "昭和元年度"),
        (1925, "大正14年度"),
        (1912, "大正元年度"),
        (1911, "明治44年度"),
        (1886, "明治19年度"),
    ],
)
def test_fiscal_year_label(fy, label):
    assert fiscal_year_label(fy) == label
    assert fiscal_year_label(fy, "ja") == label


@pytest.mark.parametrize("n", range(1, 13))
def test_reiwa_n_is_fy_2018_plus_n(n):
    assert fiscal_year_label(2018 + n) == ("令和元年度" if n == 1 else f"令和{n}年度")


def test_fiscal_year_label_en_and_both():
    assert fiscal_year_label(2025, "en") == "FY2025"
    assert fiscal_year_label_both(2025) == "令和7年度（2025年度）"
    assert fiscal_year_label_both(2019) == "令和元年度（2019年度）"


def test_fiscal_year_label_unknown_language():
    with pytest.raises(ValueError):
        fiscal_year_label(2025, "fr")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_every_date_is_inside_its_fiscal_year(d):
    start, end = fiscal_year_range(fiscal_year(d))
    assert start <= d <= end


@given(st.integers(min_value=1900, max_value=2200))
def test_fiscal_years_are_contiguous(fy):
    end = fiscal_year_range(fy)[1]
    assert end + timedelta(days=1) == fiscal_year_range(fy + 1)[0]
    assert closing_period(fy)[0] == fiscal_year_range(fy + 1)[0]

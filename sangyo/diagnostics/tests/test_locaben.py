"""ロカベン indicators against hand-worked cases (合成データ), and a property: no input raises."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sangyo.diagnostics import locaben

D = Decimal
Y24, Y25, Y23 = datetime.date(2024, 3, 31), datetime.date(2025, 3, 31), datetime.date(2023, 3, 31)

# Synthetic company A (合成データ): two years of figures, worked out by hand below.
A24 = {
    "sales": 100_000_000,
    "operating_profit": 5_000_000,
    "depreciation": 1_000_000,
    "employees": 10,
    "borrowings": 30_000_000,
    "cash": 6_000_000,
    "receivables": 12_000_000,
    "inventory": 5_000_000,
    "payables": 7_000_000,
    "net_assets": 20_000_000,
    "total_assets": 80_000_000,
}
A25 = {
    "sales": "120000000",
    "operating_profit": 9_000_000,
    "depreciation": 1_000_000,
    "employees": 12,
    "borrowings": 25_000_000,
    "cash": 10_000_000,
    "receivables": 15_000_000,
    "inventory": 6_000_000,
    "payables": 9_000_000,
    "net_assets": 30_000_000,
    "total_assets": 90_000_000,
}


def values(bench, code):
    return [(v.display, v.reason) for v in bench.row(code)]


@pytest.mark.parametrize(
    ("code", "expected_2024", "expected_2025"),
    [
        # 120 ÷ 100 − 1 = 20%; 2024 has no previous year.
        ("sales_growth", "", "20.0%"),
        # 5 ÷ 100 = 5%; 9 ÷ 120 = 7.5%
        ("operating_margin", "5.0%", "7.5%"),
        # 5,000,000 ÷ 10; 9,000,000 ÷ 12
        ("labour_productivity", "500,000円", "750,000円"),
        # (30 − 6) ÷ (5 + 1) = 4; (25 − 10) ÷ (9 + 1) = 1.5
        ("ebitda_debt_ratio", "4.00倍", "1.50倍"),
        # (12 + 5 − 7) ÷ (100 ÷ 12) = 1.2; (15 + 6 − 9) ÷ (120 ÷ 12) = 1.2
        ("working_capital_period", "1.2か月", "1.2か月"),
        # 20 ÷ 80 = 25%; 30 ÷ 90 = 33.33…%
        ("equity_ratio", "25.0%", "33.3%"),
    ],
)
def test_hand_worked_indicators(code, expected_2024, expected_2025):
    bench = locaben.compute({Y25: A25, Y24: A24})
    assert [p.end for p in bench.periods] == [Y24, Y25]  # sorted by period end
    assert [v.display for v in bench.row(code)] == [expected_2024, expected_2025]
    assert bench.problems == []


@pytest.mark.parametrize(
    ("code", "delta", "display"),
    [
        ("operating_margin", D("2.5"), "+2.5ポイント"),
        ("labour_productivity", D("250000"), "+250,000円"),
        ("ebitda_debt_ratio", D("-2.5"), "-2.50倍"),
        ("working_capital_period", D("0"), "±0.0か月"),
        ("equity_ratio", D("8.333"), "+8.3ポイント"),
    ],
)
def test_changes_between_periods(code, delta, display):
    (change,) = locaben.compute({Y24: A24, Y25: A25}).changes[code]
    assert change.delta == delta
    assert change.display == display


def test_change_is_empty_when_a_period_cannot_be_computed():
    (change,) = locaben.compute({Y24: A24, Y25: A25}).changes["sales_growth"]
    assert change.delta is None and change.display == ""


def test_zero_sales():
    bench = locaben.compute({Y24: A24 | {"sales": 0}, Y25: A25})
    first, second = bench.periods
    for code in ("operating_margin", "working_capital_period"):
        assert first.values[code].value is None
        assert "売上高が0以下" in first.values[code].reason
    # Growth from zero sales is undefined, not infinite.
    assert second.values["sales_growth"].value is None
    assert "前年度の売上高が0以下" in second.values["sales_growth"].reason
    # Indicators not using sales are still computed.
    assert first.values["equity_ratio"].display == "25.0%"


@pytest.mark.parametrize(
    ("operating_profit", "depreciation", "reason"),
    [
        (-3_000_000, 1_000_000, "意味を持ちません"),  # EBITDA −2,000,000
        (-1_000_000, 1_000_000, "0のため計算できません"),  # EBITDA exactly 0
    ],
)
def test_negative_or_zero_ebitda(operating_profit, depreciation, reason):
    period = A25 | {"operating_profit": operating_profit, "depreciation": depreciation}
    bench = locaben.compute({Y24: A24, Y25: period})
    v = bench.periods[1].values["ebitda_debt_ratio"]
    assert v.value is None and reason in v.reason


def test_negative_operating_profit_still_gives_margin_and_productivity():
    bench = locaben.compute({Y24: A24, Y25: A25 | {"operating_profit": -3_000_000}})
    values_2025 = bench.periods[1].values
    assert values_2025["operating_margin"].display == "-2.5%"  # −3 ÷ 120
    assert values_2025["labour_productivity"].display == "-250,000円"  # −3,000,000 ÷ 12


def test_missing_previous_year():
    # 2023 and 2025: two years apart, so 2025's growth has no previous year.
    bench = locaben.compute({Y23: A24, Y25: A25})
    assert all(v.value is None for v in bench.row("sales_growth"))
    assert "前年度の決算期" in bench.periods[1].values["sales_growth"].reason


def test_three_periods_use_the_adjacent_previous_year():
    bench = locaben.compute({Y23: A24 | {"sales": 80_000_000}, Y24: A24, Y25: A25})
    # 100 ÷ 80 − 1 = 25%; 120 ÷ 100 − 1 = 20%
    assert [v.display for v in bench.row("sales_growth")] == ["", "25.0%", "20.0%"]
    assert [c.display for c in bench.changes["sales_growth"]] == ["", "-5.0ポイント"]


@pytest.mark.parametrize("count", [0, 1, 4])
def test_wrong_number_of_periods_is_reported_not_raised(count):
    ends = [datetime.date(2020 + i, 3, 31) for i in range(count)]
    bench = locaben.compute({end: A24 for end in ends})
    assert "2期または3期" in bench.problems[0]
    assert len(bench.periods) == count


def test_zero_employees_and_missing_figure():
    bench = locaben.compute({Y24: A24, Y25: {k: v for k, v in A25.items() if k != "cash"}})
    assert "「現預金」が入力されていない" in bench.periods[1].values["ebitda_debt_ratio"].reason
    bench = locaben.compute({Y24: A24 | {"employees": 0}, Y25: A25})
    assert "従業員数が0以下" in bench.periods[0].values["labour_productivity"].reason


def test_unreadable_figure_is_a_problem_not_a_crash():
    bench = locaben.compute({Y24: A24 | {"sales": "abc"}, Y25: A25})
    assert bench.periods[0].problems
    assert bench.periods[0].values["operating_margin"].value is None


def test_remarks_for_net_cash_and_insolvency():
    bench = locaben.compute({Y24: A24, Y25: A25 | {"cash": 40_000_000, "net_assets": -9_000_000}})
    v = bench.periods[1].values
    assert v["ebitda_debt_ratio"].display == "-1.50倍"  # (25 − 40) ÷ 10
    assert "実質無借金" in v["ebitda_debt_ratio"].note
    assert v["equity_ratio"].display == "-10.0%"
    assert "債務超過" in v["equity_ratio"].note


def test_formulas_are_data():
    names = [i.name_ja for i in locaben.INDICATORS]
    assert names == [
        "売上増加率",
        "営業利益率",
        "労働生産性",
        "EBITDA有利子負債倍率",
        "営業運転資本回転期間",
        "自己資本比率",
    ]
    assert {i.unit for i in locaben.INDICATORS} == {"%", "円", "倍", "か月"}
    assert all(set(i.inputs) <= set(locaben.FIGURE_KEYS) for i in locaben.INDICATORS)


NUMBERS = st.one_of(
    st.none(),
    st.integers(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.booleans(),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.dates(),
        st.dictionaries(st.sampled_from(locaben.FIGURE_KEYS + ("other",)), NUMBERS),
        max_size=4,
    )
)
def test_any_input_never_raises(periods):
    bench = locaben.compute(periods)
    for period in bench.periods:
        for v in period.values.values():
            assert (v.value is None) != (v.reason == "")
            v.display  # noqa: B018 - formatting must not raise either
    for changes in bench.changes.values():
        for c in changes:
            c.display  # noqa: B018

"""Pure tests of the indicative linear projection (no database, no Django settings needed)."""

from __future__ import annotations

import statistics
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sangyo.indicators.forecast import (
    LABEL_EN,
    LABEL_JA,
    T_975,
    project,
    t_quantile_975,
    will_reach,
)
from sangyo.indicators.progress import Spec

D = Decimal


def spec(direction="increase", baseline="100", target="110", target_fy=2029, **kw) -> Spec:
    return Spec(
        direction, "ratio", "stock", D(baseline), 2024, D(target), target_fy, 2025, **kw
    )  # fmt: skip


# 2020..2023: 1, 3, 4, 8 → slope 2.2, x̄ = 2021.5, Sxx = 5, SSE = 1.8, s² = 0.9.
NOISY = {2020: D(1), 2021: D(3), 2022: D(4), 2023: D(8)}


@pytest.mark.parametrize(
    "points",
    [
        {},
        {2025: D(1)},
        {2025: D(1), 2026: D(2)},
        {2025: D(1), 2026: D(2), 2027: None},  # None is a missing year, not a point
    ],
)
def test_fewer_than_three_points_gives_no_projection(points):
    assert project(points, 2029) is None


def test_known_fit():
    p = project(NOISY, 2026)
    assert p is not None
    assert (p.slope, p.n, p.t_value) == (D("2.2"), 4, D("4.303"))
    assert p.intercept == D("-4443.3")  # value at FY0: 2.5 − 2.2 × 2021.5 + …
    assert p.residual_se == D("0.9").sqrt()
    assert [pt.value for pt in p.points] == [
        D("0.7"), D("2.9"), D("5.1"), D("7.3"), D("9.5"), D("11.7"), D("13.9")
    ]  # fmt: skip
    # at FY2024: sqrt(0.9 × (1 + 1/4 + 2.5²/5)) = sqrt(2.25) = 1.5, × 4.303
    at_2024 = p.points[4]
    assert (at_2024.fy, at_2024.half_width) == (2024, D("6.4545"))
    assert (at_2024.low, at_2024.high) == (D("3.0455"), D("15.9545"))


def test_agrees_with_statistics_linear_regression():
    points = {2018: D("10.5"), 2019: D("12.1"), 2021: D("11.9"), 2022: D("15.2"), 2023: D(16)}
    p = project(points, 2029)
    ref = statistics.linear_regression(
        [float(x) for x in points], [float(y) for y in points.values()]
    )
    assert float(p.slope) == pytest.approx(ref.slope)
    assert float(p.intercept) == pytest.approx(ref.intercept)


def test_points_cover_first_observation_to_target_year():
    p = project(NOISY, 2029)
    assert [pt.fy for pt in p.points] == list(range(2020, 2030))
    assert (p.first_fy, p.last_observed_fy, p.target_fy) == (2020, 2023, 2029)
    # a target year before the last observation still covers every observed year
    early = project(NOISY, 2021)
    assert [pt.fy for pt in early.points] == [2020, 2021, 2022, 2023]


def test_band_is_symmetric_and_widens_away_from_the_data():
    p = project(NOISY, 2030)
    widths = {pt.fy: pt.half_width for pt in p.points}
    assert widths[2021] == widths[2022]  # x̄ = 2021.5
    assert widths[2020] == widths[2023]
    assert widths[2022] < widths[2023] < widths[2025] < widths[2030]
    for pt in p.points:
        assert pt.low == pt.value - pt.half_width and pt.high == pt.value + pt.half_width
        assert p.point(pt.fy) == pt


def test_missing_years_are_skipped():
    p = project({2020: D(1), 2021: None, 2022: D(3), 2024: D(5)}, 2026)
    assert p.n == 3 and p.slope == D(1) and p.band_at(2026) == 0


@pytest.mark.parametrize(
    ("points", "fy", "value"),
    [
        ({2020: D(0), 2023: D(1), 2026: D(2)}, 2029, D(3)),  # slope 1/3, reproduced exactly
        ({2020: D(5), 2021: D(5), 2022: D(5)}, 2030, D(5)),  # flat
        ({2020: D(-3), 2021: D(-1), 2022: D(1)}, 2025, D(7)),  # negative values
        ({2020: D("0.1"), 2021: D("0.2"), 2022: D("0.3")}, 2024, D("0.5")),  # no float noise
    ],
)
def test_exact_fit_has_zero_band(points, fy, value):
    p = project(points, fy)
    assert p.residual_se == 0
    assert all(pt.half_width == 0 and pt.low == pt.value == pt.high for pt in p.points)
    for x, y in points.items():
        assert p.value_at(x) == y
    assert p.value_at(fy) == value


def test_labels_and_note():
    p = project(NOISY, 2026)
    assert (
        (p.label_ja, p.label_en)
        == (LABEL_JA, LABEL_EN)
        == ("見通し（参考）", "Projection (indicative)")
    )
    assert [n.code for n in p.notes] == ["indicative"]
    assert "95%予測区間" in p.notes[0].text_ja and "prediction interval" in p.notes[0].text_en


def test_refuses_floats():
    with pytest.raises(TypeError, match="float"):
        project({2020: 1.0, 2021: 2.0, 2022: 3.0}, 2025)


@pytest.mark.parametrize(
    ("df", "t"),
    [
        (1, D("12.706")),
        (2, D("4.303")),
        (10, D("2.228")),
        (30, D("2.042")),
        (31, D("1.96")),
        (500, D("1.96")),
    ],
)
def test_t_quantiles(df, t):
    assert t_quantile_975(df) == t


def test_t_table_is_complete_and_decreasing():
    assert sorted(T_975) == list(range(1, 31))
    values = [T_975[df] for df in range(1, 31)]
    assert values == sorted(values, reverse=True)
    assert values[-1] > D("1.96")
    with pytest.raises(ValueError, match="at least 1"):
        t_quantile_975(0)


def test_t_value_follows_degrees_of_freedom():
    assert project({2020: D(1), 2021: D(3), 2022: D(2)}, 2025).t_value == D("12.706")
    many = {2000 + i: D(i % 3) for i in range(40)}
    assert project(many, 2045).t_value == D("1.96")


# --------------------------------------------------------------------------- will_reach


@pytest.mark.parametrize(
    ("s", "points", "reach"),
    [
        # increase 100 → 110 by FY2029; trend +2/yr from 100 in FY2024 → 110 in FY2029
        (spec(), {2025: D(102), 2026: D(104), 2027: D(106)}, True),
        (spec(), {2025: D(101), 2026: D(102), 2027: D(103)}, False),  # 107 in FY2029
        (spec(), {2025: D(103), 2026: D(106), 2027: D(109)}, True),
        # decrease 50 → 30
        (spec("decrease", "50", "30"), {2025: D(46), 2026: D(42), 2027: D(38)}, True),
        (spec("decrease", "50", "30"), {2025: D(49), 2026: D(48), 2027: D(47)}, False),
        # maintain 79 ± 10 %: 71.1..86.9
        (spec("maintain", "79", "79"), {2025: D(79), 2026: D(80), 2027: D(81)}, True),  # 83
        (spec("maintain", "79", "79"), {2025: D(79), 2026: D(82), 2027: D(85)}, False),  # 91
        (spec("maintain", "79", "79"), {2025: D(79), 2026: D(76), 2027: D(73)}, False),  # 67
    ],
)
def test_will_reach(s, points, reach):
    p = project(points, s.target_fy)
    assert will_reach(p, s) is reach


def test_will_reach_uses_the_spec_target_year():
    p = project({2025: D(102), 2026: D(104), 2027: D(106)}, 2027)  # projection ends earlier
    assert will_reach(p, spec()) is True


# --------------------------------------------------------------------------- properties


@given(
    st.decimals(-1000, 1000, places=2),
    st.decimals(-100, 100, places=3),
    st.sets(st.integers(1990, 2040), min_size=3, max_size=12),
    st.integers(2030, 2060),
)
def test_exactly_linear_points_are_reproduced_with_zero_band(intercept, slope, years, target_fy):
    points = {fy: intercept + slope * (fy - 2000) for fy in years}
    p = project(points, target_fy)
    assert p is not None
    assert p.slope == slope
    assert p.residual_se == 0
    for fy, y in points.items():
        assert p.value_at(fy) == y
    assert all(pt.half_width == 0 for pt in p.points)
    assert p.value_at(target_fy) == intercept + slope * (target_fy - 2000)


@given(
    st.dictionaries(
        st.integers(2000, 2030), st.decimals(-(10**6), 10**6, places=2), min_size=3, max_size=15
    ),
    st.integers(2030, 2040),
)
def test_band_is_never_negative_and_contains_the_line(points, target_fy):
    p = project(points, target_fy)
    for pt in p.points:
        assert pt.half_width >= 0
        assert pt.low <= pt.value <= pt.high

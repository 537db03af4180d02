"""Pure tests of the KPI progress maths (no database, no Django settings needed)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sangyo.indicators.progress import (
    DEFAULT_BANDS,
    Band,
    Direction,
    Kind,
    Method,
    PathKind,
    Spec,
    achievement,
    expected_value,
    latest_pace,
    maintain_tolerance,
    pace,
    round_pct,
    to_decimal,
    validate_bands,
)

D = Decimal


def spec(
    direction="increase",
    method="ratio",
    baseline="100",
    target="110",
    baseline_fy=2024,
    target_fy=2029,
    plan_start_fy=2025,
    kind="stock",
    **kw,
) -> Spec:
    return Spec(
        direction=direction,
        method=method,
        kind=kind,
        baseline=D(baseline),
        baseline_fy=baseline_fy,
        target=D(target),
        target_fy=target_fy,
        plan_start_fy=plan_start_fy,
        **kw,
    )


# The Tsukuba 2025 strategy's KPIs, as in strategies/tsukuba-2025.yaml (baseline years not
# stated; plan FY2025–FY2029).
GMP = spec("increase", "ratio", "14383", "16234", None, 2029, 2025)  # 市内総生産 (億円)
FOUNDERS = spec("maintain", "ratio", "79", "79", None, 2029, 2025, kind="flow")  # 新規創業者数
APPLICATIONS = spec("increase", "ratio", "20", "24", None, 2029, 2025, kind="flow")  # 申請件数


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D("1.10"), D("1.10")), (7, D(7)), ("14383", D(14383)), (" -2.5 ", D("-2.5"))],
)
def test_to_decimal_accepts_exact_inputs(value, expected):
    assert to_decimal(value) == expected


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (0.1, TypeError),
        (True, TypeError),
        (None, TypeError),
        ([1], TypeError),
        ("abc", ValueError),
        (D("NaN"), ValueError),
        (D("Infinity"), ValueError),
        ("-inf", ValueError),
    ],
)
def test_to_decimal_refuses_floats_and_non_numbers(value, error):
    with pytest.raises(error):
        to_decimal(value)


@pytest.mark.parametrize(
    ("x", "rounded"),
    [
        (D("59.95"), D("60.0")),  # ROUND_HALF_UP: .x5 goes up (banker's rounding would too here)
        (D("59.94"), D("59.9")),
        (D("59.949999"), D("59.9")),
        (D("60.05"), D("60.1")),  # banker's rounding would give 60.0
        (D("99.95"), D("100.0")),
        (D("-59.95"), D("-60.0")),  # half away from zero
        (D("95.454545"), D("95.5")),
        (D("1E+40"), D("1E+40")),  # huge values must not make quantize fail
    ],
)
def test_round_pct_is_half_up_to_one_place(x, rounded):
    assert round_pct(x) == rounded
    assert round_pct(x).as_tuple().exponent == -1


# --------------------------------------------------------------------------- bands


def test_default_bands_are_the_tama_rule():
    assert [(b.min_share, b.status, b.label_ja, b.label_en) for b in DEFAULT_BANDS] == [
        (D(100), "on_track", "順調", "On track"),
        (D(60), "mostly_on_track", "概ね順調", "Mostly on track"),
        (None, "needs_improvement", "要改善", "Needs improvement"),
    ]
    assert validate_bands(DEFAULT_BANDS) == DEFAULT_BANDS


CATCH_ALL = Band(None, "c", "c", "c")


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ((), "at least one band"),
        ((Band(50, "a", "a", "a"),), "last band must be the catch-all"),
        ((CATCH_ALL, CATCH_ALL), "only the last band may be the catch-all"),
        ((Band(60, "a", "a", "a"), Band(100, "b", "b", "b"), CATCH_ALL), "strictly descend"),
        ((Band(60, "a", "a", "a"), Band(60, "b", "b", "b"), CATCH_ALL), "strictly descend"),
        ((Band(60, "a", "a", "a"), Band(None, "a", "a", "a")), "unique"),
        (("on_track",), "expected Band"),
    ],
)
def test_invalid_bands_are_refused_with_a_clear_message(bands, message):
    with pytest.raises(ValueError, match=message):
        validate_bands(bands)
    with pytest.raises(ValueError, match=message):
        spec(bands=bands)


def test_band_refuses_empty_status_and_float_threshold():
    with pytest.raises(ValueError, match="status"):
        Band(None, "", "x", "x")
    with pytest.raises(TypeError, match="float"):
        Band(0.6, "x", "x", "x")


def test_single_catch_all_band_is_valid():
    only = (Band(None, "measured", "計測", "Measured"),)
    p = pace(spec(bands=only), 2027, D(104))
    assert p.status == "measured"
    assert "すべての値" in p.reason_ja and "any value" in p.reason_en


def test_custom_bands_cascade_style():
    cascade = (
        Band(D(95), "on_track", "順調", "On Track"),
        Band(D(85), "behind", "遅れ", "Behind"),
        Band(None, "at_risk", "要注意", "At Risk"),
    )
    s = spec(baseline="0", target="100", baseline_fy=2024, target_fy=2025, bands=cascade)
    assert pace(s, 2025, D(95)).status == "on_track"
    p = pace(s, 2025, D(90))
    assert p.status == "behind"
    assert "85%以上95%未満" in p.reason_ja and "85% or more and under 95%" in p.reason_en
    assert pace(s, 2025, D("84.9")).status == "at_risk"
    # rules without a share use the first (best) and last (worst) band
    assert pace(s, 2024, D(0)).status == "on_track"
    assert pace(s, 2024, D(-1)).status == "at_risk"
    m = spec("maintain", baseline="5", target="5", bands=cascade)
    assert pace(m, 2026, D(5)).status == "on_track"
    assert pace(m, 2026, D(9)).status == "at_risk"


# --------------------------------------------------------------------------- spec


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (dict(direction="increase", baseline="10", target="9"), ValueError, "below baseline"),
        (dict(direction="decrease", baseline="10", target="11"), ValueError, "above baseline"),
        (dict(direction="maintain", baseline="79", target="80"), ValueError, "must equal"),
        (dict(direction="sideways"), ValueError, "sideways"),
        (dict(method="average"), ValueError, "average"),
        (dict(baseline_fy=2029), ValueError, "must be before target_fy"),
        (dict(baseline_fy=None, plan_start_fy=2030), ValueError, "after target_fy"),
        (dict(tolerance_pct=D("-1")), ValueError, "negative"),
        (dict(tolerance_pct=0.1), TypeError, "float"),
        (dict(path="stepped"), ValueError, "steps .* are required"),
        (dict(steps={2026: D(105)}), ValueError, "path is linear"),
        (dict(path="stepped", steps={2024: D(100)}), ValueError, "outside the path"),
        (dict(path="stepped", steps={2030: D(110)}), ValueError, "outside the path"),
        (dict(path="stepped", steps={2026: D(120)}), ValueError, "not between"),
        (dict(path="stepped", steps={2029: D(105)}), ValueError, "must be the target"),
        (dict(path="stepped", steps={"2026": D(105)}), TypeError, "must be ints"),
        (dict(target_fy="2029"), TypeError, "target_fy"),
        (dict(baseline_fy=True), TypeError, "baseline_fy"),
    ],
)
def test_spec_refuses_contradictions(kwargs, error, message):
    with pytest.raises(error, match=message):
        spec(**kwargs)


def test_spec_coerces_enum_strings_and_is_immutable():
    s = spec(path="stepped", steps={2027: "105"})
    assert s.direction is Direction.INCREASE
    assert s.method is Method.RATIO
    assert s.kind is Kind.STOCK
    assert s.path is PathKind.STEPPED
    assert s.steps == {2027: D(105)}
    with pytest.raises(TypeError):
        s.steps[2028] = D(108)  # read-only mapping
    with pytest.raises(FrozenInstanceError):
        s.target = D(1)
    assert hash(s) == hash(spec(path="stepped", steps={2027: "105"}))


def test_steps_are_copied():
    steps = {2027: D(105)}
    s = spec(path="stepped", steps=steps)
    steps[2027] = D(0)
    assert s.steps[2027] == D(105)


def test_path_start_is_year_before_plan_when_baseline_year_not_stated():
    assert GMP.path_start_fy == 2024 and not GMP.baseline_fy_stated
    assert spec(baseline_fy=2022).path_start_fy == 2022


# --------------------------------------------------------------------------- expected value


@pytest.mark.parametrize(
    ("s", "fy", "expected"),
    [
        # linear, baseline year stated: 100 (FY2024) → 110 (FY2029), 2 per year
        (spec(), 2020, D(100)),  # clamp before start
        (spec(), 2024, D(100)),
        (spec(), 2025, D(102)),
        (spec(), 2027, D(106)),
        (spec(), 2029, D(110)),
        (spec(), 2035, D(110)),  # clamp after target
        # baseline year stated earlier than the plan (FY2020)
        (spec(baseline_fy=2020, target="109"), 2025, D(105)),
        # Tsukuba 市内総生産, baseline year not stated → path from FY2024
        (GMP, 2024, D(14383)),
        (GMP, 2025, D("14753.2")),
        (GMP, 2027, D("15493.6")),
        (GMP, 2029, D(16234)),
        (APPLICATIONS, 2025, D("20.8")),
        (APPLICATIONS, 2028, D("23.2")),
        # decrease: 50 → 30
        (spec("decrease", baseline="50", target="30"), 2026, D(42)),
        # maintain: the target every year, even before the plan
        (FOUNDERS, 2010, D(79)),
        (FOUNDERS, 2027, D(79)),
        # stepped: 100 until the first step, then the latest step, the target from FY2029
        (spec(path="stepped", steps={2026: D(103), 2028: D(108)}), 2025, D(100)),
        (spec(path="stepped", steps={2026: D(103), 2028: D(108)}), 2026, D(103)),
        (spec(path="stepped", steps={2026: D(103), 2028: D(108)}), 2027, D(103)),
        (spec(path="stepped", steps={2026: D(103), 2028: D(108)}), 2028, D(108)),
        (spec(path="stepped", steps={2026: D(103), 2028: D(108)}), 2029, D(110)),
        (spec(path="stepped", steps={2026: D(103), 2028: D(108)}), 2031, D(110)),
        (spec("decrease", baseline="50", target="30", path="stepped", steps={2027: 40}), 2027, 40),
    ],
)
def test_expected_value(s, fy, expected):
    assert expected_value(s, fy) == expected


def test_expected_value_keeps_full_precision():
    s = spec(baseline="0", target="1", baseline_fy=2026, target_fy=2029)
    assert expected_value(s, 2027) == D(1) / D(3)


# --------------------------------------------------------------------------- achievement


@pytest.mark.parametrize(
    ("direction", "method", "baseline", "target", "actual", "code", "rate"),
    [
        # kpi-methods.md: baseline 100, target 110, actual 105
        ("increase", "ratio", "100", "110", "105", "ok", D("95.5")),
        ("increase", "baseline_relative", "100", "110", "105", "ok", D("50.0")),
        ("increase", "ratio", "100", "110", "121", "ok", D("110.0")),
        ("increase", "baseline_relative", "100", "110", "95", "ok", D("-50.0")),
        ("increase", "ratio", "0", "10", "0", "ok", D("0.0")),
        # decrease: ratio is target ÷ actual; baseline-relative works unchanged
        ("decrease", "ratio", "50", "30", "40", "ok", D("75.0")),
        ("decrease", "ratio", "50", "30", "30", "ok", D("100.0")),
        ("decrease", "ratio", "50", "30", "20", "ok", D("150.0")),
        ("decrease", "baseline_relative", "50", "30", "40", "ok", D("50.0")),
        ("decrease", "baseline_relative", "50", "30", "55", "ok", D("-25.0")),
        ("decrease", "baseline_relative", "50", "0", "10", "ok", D("80.0")),
        # negative values are fine baseline-relative
        ("increase", "baseline_relative", "-10", "-4", "-7", "ok", D("50.0")),
        ("increase", "baseline_relative", "-5", "-2", "3", "ok", D("266.7")),
        ("decrease", "baseline_relative", "2", "-4", "-1", "ok", D("50.0")),
        # both negative and same sign is still a ratio only when the target is positive
        ("increase", "ratio", "-10", "-4", "-5", "mixed_signs", None),
        # undefined cases
        ("increase", "ratio", "-5", "0", "3", "target_zero", None),
        ("decrease", "ratio", "10", "0", "3", "target_zero", None),
        ("increase", "ratio", "-5", "-2", "3", "mixed_signs", None),  # the −150 % tool bug
        ("increase", "ratio", "5", "20", "-3", "mixed_signs", None),
        ("decrease", "ratio", "50", "30", "-1", "mixed_signs", None),
        ("decrease", "ratio", "50", "30", "0", "actual_zero", None),
        ("increase", "baseline_relative", "20", "20", "25", "target_equals_baseline", None),
        ("decrease", "baseline_relative", "20", "20", "15", "target_equals_baseline", None),
    ],
)
def test_achievement_table(direction, method, baseline, target, actual, code, rate):
    a = achievement(spec(direction, method, baseline, target), D(actual))
    assert (a.code, a.rate) == (code, rate)
    assert a.within_band is None
    assert a.method == method and a.direction == direction
    assert a.reason_ja and a.reason_en
    if rate is None:
        assert a.rate_exact is None
        assert "baseline" in a.reason_en  # every undefined case says what to do instead
        assert "基準値" in a.reason_ja


def test_kpi_methods_example_exact_figures():
    ratio = achievement(spec(), D(105))
    assert ratio.rate_exact.quantize(D("0.01")) == D("95.45")
    assert ratio.reason_ja == "達成率 95.5%（実績 105 ÷ 目標値 110 × 100）"
    assert ratio.reason_en == "Achievement 95.5% (actual 105 ÷ target 110 × 100)"
    relative = achievement(spec(method="baseline_relative"), D(105))
    assert relative.rate_exact == D(50)
    assert (
        relative.reason_ja
        == "達成率 50.0%（(実績 105 − 基準値 100) ÷ (目標値 110 − 基準値 100) × 100）"
    )


def test_undefined_reasons_name_the_problem():
    zero = achievement(spec(baseline="-5", target="0"), D(3))
    assert zero.reason_en.lower().startswith("target is zero: ratio undefined")
    assert zero.reason_ja.startswith("目標値が0のため")
    mixed = achievement(spec(baseline="-5", target="-2"), D(3))
    assert "different signs" in mixed.reason_en and "baseline-relative" in mixed.reason_en


@pytest.mark.parametrize(
    ("method", "target", "tolerance", "actual", "within"),
    [
        ("ratio", "79", "10", "79", True),
        ("baseline_relative", "79", "10", "79", True),
        ("ratio", "79", "10", "86.9", True),  # exactly +10 %: inclusive
        ("ratio", "79", "10", "71.1", True),  # exactly −10 %
        ("ratio", "79", "10", "87", False),
        ("ratio", "79", "10", "71", False),
        ("ratio", "79", "3", "81", True),  # Fukuoka ±3 %: 2.37 allowed
        ("ratio", "79", "3", "82", False),
        ("ratio", "79", "0", "79", True),
        ("ratio", "-20", "10", "-22", True),  # |target| for negative targets
        ("ratio", "-20", "10", "-23", False),
        # target 0: tolerance_pct read as an absolute allowance of tolerance_pct / 100
        ("ratio", "0", "10", "0.1", True),
        ("ratio", "0", "10", "-0.1", True),
        ("ratio", "0", "10", "0.11", False),
        ("ratio", "0", "50", "0.5", True),
    ],
)
def test_maintain_achievement_is_a_band_not_a_rate(method, target, tolerance, actual, within):
    s = spec("maintain", method, target, target, tolerance_pct=D(tolerance))
    a = achievement(s, D(actual))
    assert (a.code, a.rate, a.rate_exact, a.within_band) == ("maintain", None, None, within)


def test_maintain_tolerance_values():
    assert maintain_tolerance(FOUNDERS) == D("7.9")
    assert maintain_tolerance(spec("maintain", baseline="0", target="0")) == D("0.1")
    zero = achievement(spec("maintain", baseline="0", target="0"), D(1))
    assert "absolute" in zero.reason_en and "絶対値" in zero.reason_ja


# --------------------------------------------------------------------------- pace

# baseline 0 (FY2024) → target 1000 (FY2025): expected(2025) = 1000, so share = actual / 10.
EDGE = spec(baseline="0", target="1000", baseline_fy=2024, target_fy=2025, plan_start_fy=2025)


@pytest.mark.parametrize(
    ("actual", "share", "status"),
    [
        ("1200", D("120.0"), "on_track"),
        ("1000", D("100.0"), "on_track"),  # exactly 100 → upper band
        ("999.5", D("100.0"), "on_track"),  # 99.95 rounds to the 100.0 shown → on track
        ("999.4", D("99.9"), "mostly_on_track"),
        ("600", D("60.0"), "mostly_on_track"),  # exactly 60 → upper band
        ("599.5", D("60.0"), "mostly_on_track"),  # 59.95 → 60.0 shown → 概ね順調
        ("599.49", D("59.9"), "needs_improvement"),  # 59.949 → 59.9
        ("599.4", D("59.9"), "needs_improvement"),
        ("0", D("0.0"), "needs_improvement"),
        ("-100", D("-10.0"), "needs_improvement"),  # went backwards
    ],
)
def test_pace_band_edges(actual, share, status):
    p = pace(EDGE, 2025, D(actual))
    assert (p.code, p.share, p.status) == ("share", share, status)
    assert p.share_exact == D(actual) / 10


@pytest.mark.parametrize(
    ("s", "fy", "actual", "share", "status"),
    [
        # increase 100 (FY2024) → 110 (FY2029): expected(2027) = 106
        (spec(), 2027, "106", D("100.0"), "on_track"),
        (spec(), 2027, "104", D("66.7"), "mostly_on_track"),
        (spec(), 2027, "103", D("50.0"), "needs_improvement"),
        # the method does not change the pace (always measured from the baseline)
        (spec(method="baseline_relative"), 2027, "104", D("66.7"), "mostly_on_track"),
        # decrease 50 → 30: expected(2026) = 42
        (spec("decrease", baseline="50", target="30"), 2026, "42", D("100.0"), "on_track"),
        (spec("decrease", baseline="50", target="30"), 2026, "40", D("125.0"), "on_track"),
        (spec("decrease", baseline="50", target="30"), 2026, "45", D("62.5"), "mostly_on_track"),
        (spec("decrease", baseline="50", target="30"), 2026, "52", D("-25.0"), "needs_improvement"),
        (spec("decrease", baseline="10", target="0"), 2029, "0", D("100.0"), "on_track"),
        # negative values
        (
            spec(baseline="-10", target="0", target_fy=2025),
            2025,
            "-4",
            D("60.0"),
            "mostly_on_track",
        ),
        # after the target year: compared with the final target
        (spec(), 2031, "110", D("100.0"), "on_track"),
        # stepped: 100 until FY2026's step 103 → share (actual − 100) / 3
        (spec(path="stepped", steps={2026: 103}), 2026, "103", D("100.0"), "on_track"),
        (spec(path="stepped", steps={2026: 103}), 2028, "102", D("66.7"), "mostly_on_track"),
    ],
)
def test_pace_directions_and_paths(s, fy, actual, share, status):
    p = pace(s, fy, D(actual))
    assert (p.code, p.share, p.status) == ("share", share, status)
    assert p.expected == expected_value(s, fy)
    assert p.within_band is None


@pytest.mark.parametrize(
    ("s", "fy", "actual", "code", "status", "ja", "en"),
    [
        # at or before the start of the path nothing is expected yet
        (spec(), 2024, "100", "no_progress_expected", "on_track", "基準値以上", "at or above"),
        (spec(), 2023, "101", "no_progress_expected", "on_track", "基準値以上", "at or above"),
        (spec(), 2024, "99", "no_progress_expected", "needs_improvement", "下回る", "below"),
        (
            spec("decrease", baseline="50", target="30"),
            2024,
            "50",
            "no_progress_expected",
            "on_track",
            "基準値以下",
            "at or below",
        ),
        (
            spec("decrease", baseline="50", target="30"),
            2024,
            "51",
            "no_progress_expected",
            "needs_improvement",
            "上回る",
            "above",
        ),
        # stepped path before its first step
        (
            spec(path="stepped", steps={2027: 105}),
            2026,
            "100",
            "no_progress_expected",
            "on_track",
            "基準値以上",
            "at or above",
        ),
        # an increase KPI whose target equals its baseline
        (
            spec(baseline="20", target="20"),
            2027,
            "21",
            "target_equals_baseline",
            "on_track",
            "目標値が基準値 20 と同じ",
            "equals the baseline",
        ),
        (
            spec("decrease", baseline="20", target="20"),
            2027,
            "21",
            "target_equals_baseline",
            "needs_improvement",
            "上回る",
            "above",
        ),
    ],
)
def test_pace_without_expected_progress(s, fy, actual, code, status, ja, en):
    p = pace(s, fy, D(actual))
    assert (p.code, p.status, p.share, p.share_exact) == (code, status, None, None)
    assert ja in p.reason_ja and en in p.reason_en


@pytest.mark.parametrize(
    ("actual", "status", "within", "deviation_ja", "deviation_en"),
    [
        ("79", "on_track", True, "差 0、0%", "difference 0, 0%"),
        ("80", "on_track", True, "差 +1、+1.3%", "difference +1, +1.3%"),
        ("71.1", "on_track", True, "差 -7.9、-10%", "difference -7.9, -10%"),
        ("86.9", "on_track", True, "差 +7.9、+10%", "difference +7.9, +10%"),
        ("70", "needs_improvement", False, "差 -9、-11.4%", "difference -9, -11.4%"),
        ("100", "needs_improvement", False, "差 +21、+26.6%", "difference +21, +26.6%"),
    ],
)
def test_pace_maintain_tsukuba_founders(actual, status, within, deviation_ja, deviation_en):
    p = pace(FOUNDERS, 2026, D(actual))
    assert (p.code, p.status, p.within_band, p.share) == ("maintain", status, within, None)
    assert p.expected == D(79)
    assert deviation_ja in p.reason_ja and deviation_en in p.reason_en
    assert "許容幅 ±10%" in p.reason_ja and "tolerance ±10%" in p.reason_en


def test_pace_maintain_reason_text():
    p = pace(FOUNDERS, 2026, D(70))
    assert p.reason_ja == (
        "2026年度の目標値 79 に対し実績 70（差 -9、-11.4%）。許容幅 ±10% を超えるため「要改善」"
    )
    assert p.reason_en == (
        "Target for FY2026: 79; actual: 70 (difference -9, -11.4%). "
        "That is outside the tolerance ±10%, so “Needs improvement”."
    )
    ok = pace(FOUNDERS, 2026, D(79))
    assert ok.reason_ja.endswith("許容幅 ±10% 以内のため「順調」")


def test_pace_maintain_zero_target_uses_absolute_tolerance():
    s = spec("maintain", baseline="0", target="0")
    assert pace(s, 2026, D("0.1")).status == "on_track"
    p = pace(s, 2026, D("0.2"))
    assert p.status == "needs_improvement"
    assert "差 +0.2）" in p.reason_ja and "±0.1（目標値が0のため絶対値）" in p.reason_ja


def test_pace_reason_in_plain_words():
    # 14,000 (FY2024) → 16,000 (FY2028): expected(2026) = 15,000; 14,723 is 72.3 % of the way.
    s = spec(baseline="14000", target="16000", baseline_fy=2024, target_fy=2028)
    p = pace(s, 2026, D(14723))
    assert p.reason_ja == (
        "2026年度の見込み値 15,000 に対し実績 14,723。"
        "計画どおりの進捗の 72.3% のため「概ね順調」（基準: 60%以上100%未満）"
    )
    assert p.reason_en == (
        "Expected value for FY2026: 15,000; actual: 14,723. That is 72.3% of the progress "
        "planned by then, so “Mostly on track” (criterion: 60% or more and under 100%)."
    )
    assert (p.label_ja, p.label_en) == ("概ね順調", "Mostly on track")
    assert p.notes == ()  # baseline year stated


@pytest.mark.parametrize(
    ("actual", "criterion_ja", "criterion_en"),
    [("16000", "100%以上", "100% or more"), ("14100", "60%未満", "under 60%")],
)
def test_pace_criterion_text_for_top_and_bottom_bands(actual, criterion_ja, criterion_en):
    s = spec(baseline="14000", target="16000", baseline_fy=2024, target_fy=2028)
    p = pace(s, 2026, D(actual))
    assert f"（基準: {criterion_ja}）" in p.reason_ja
    assert f"(criterion: {criterion_en})" in p.reason_en


def test_computed_expected_value_is_rounded_for_display_only():
    s = spec(baseline="0", target="1", baseline_fy=2026, target_fy=2029)
    p = pace(s, 2027, D("0.25"))
    assert p.expected == D(1) / D(3)
    assert "見込み値 0.33 に対し実績 0.25" in p.reason_ja
    assert p.share == D("75.0")


# --------------------------------------------------------------------------- notes


def test_baseline_year_not_stated_note_on_every_result():
    for result in (
        pace(GMP, 2026, D(15000)),
        pace(GMP, 2024, D(15000)),
        pace(FOUNDERS, 2026, D(79)),
        achievement(GMP, D(15000)),
        achievement(FOUNDERS, D(79)),
        achievement(spec(baseline="0", target="0", baseline_fy=None), D(1)),
    ):
        codes = [n.code for n in result.notes]
        assert codes == ["baseline_fy_not_stated"]
        assert "2024年度" in result.notes[0].text_ja
        assert "FY2024" in result.notes[0].text_en


def test_no_note_when_baseline_year_stated():
    assert pace(spec(), 2026, D(104)).notes == ()
    assert achievement(spec(), D(104)).notes == ()


def test_after_target_year_note():
    p = pace(spec(), 2030, D(111))
    assert [n.code for n in p.notes] == ["after_target_year"]
    assert p.expected == D(110)


# --------------------------------------------------------------------------- Tsukuba KPIs


@pytest.mark.parametrize(
    ("fy", "actual", "share", "status"),
    [
        (2025, "14753.2", D("100.0"), "on_track"),
        (2025, "14605", D("60.0"), "mostly_on_track"),  # 59.967 → 60.0
        (2025, "14604", D("59.7"), "needs_improvement"),
        (2027, "15493.6", D("100.0"), "on_track"),
        (2027, "15000", D("55.6"), "needs_improvement"),
        (2027, "15100", D("64.6"), "mostly_on_track"),
        (2029, "16234", D("100.0"), "on_track"),
        (2029, "16300", D("103.6"), "on_track"),
    ],
)
def test_tsukuba_gross_municipal_product(fy, actual, share, status):
    p = pace(GMP, fy, D(actual))
    assert (p.share, p.status) == (share, status)
    assert p.notes[0].code == "baseline_fy_not_stated"


def test_tsukuba_gross_municipal_product_achievement():
    a = achievement(GMP, D(15000))
    assert a.rate == D("92.4")  # 15000 / 16234: ratio is the declared method
    b = achievement(spec("increase", "baseline_relative", "14383", "16234", None), D(15000))
    assert b.rate == D("33.3")  # 617 / 1851


def test_tsukuba_applications_latest_pace_skips_missing_years():
    # FY2026 missing, FY2028 not yet published: FY2027 is judged (expected 22.4).
    p = latest_pace(APPLICATIONS, {2025: D(21), 2027: D(22), 2028: None})
    assert p is not None
    assert (p.fy, p.expected, p.share, p.status) == (2027, D("22.4"), D("83.3"), "mostly_on_track")
    assert p.notes[0].code == "baseline_fy_not_stated"


def test_tsukuba_applications_achievement():
    assert achievement(APPLICATIONS, D(22)).rate == D("91.7")
    assert achievement(APPLICATIONS, D(24)).rate == D("100.0")


def test_tsukuba_founders_maintain():
    assert achievement(FOUNDERS, D(79)).within_band is True
    assert achievement(FOUNDERS, D(90)).within_band is False
    p = latest_pace(FOUNDERS, {2027: D(75), 2025: D(60)})
    assert (p.fy, p.status) == (2027, "on_track")


# --------------------------------------------------------------------------- latest pace


@pytest.mark.parametrize("observations", [{}, {2025: None}, {2025: None, 2026: None}])
def test_latest_pace_without_observations(observations):
    assert latest_pace(spec(), observations) is None


def test_latest_pace_uses_latest_year_regardless_of_order():
    p = latest_pace(spec(), {2028: D(108), 2025: D(90), 2026: None})
    assert p.fy == 2028 and p.status == "on_track"


def test_latest_pace_judges_flow_and_stock_alike():
    stock = spec(kind="stock")
    flow = spec(kind="flow")
    obs = {2026: D(103)}
    assert latest_pace(stock, obs) == latest_pace(flow, obs)


def test_pace_refuses_float_actual():
    with pytest.raises(TypeError, match="float"):
        pace(spec(), 2026, 103.0)
    with pytest.raises(TypeError, match="float"):
        achievement(spec(), 103.0)


# --------------------------------------------------------------------------- properties

values = st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False)
years = st.integers(min_value=2000, max_value=2040)


@st.composite
def directional_specs(draw, direction=None):
    direction = direction or draw(st.sampled_from(["increase", "decrease"]))
    method = draw(st.sampled_from(["ratio", "baseline_relative"]))
    a, b = draw(values), draw(values)
    baseline, target = (min(a, b), max(a, b)) if direction == "increase" else (max(a, b), min(a, b))
    baseline_fy = draw(st.none() | st.integers(2000, 2030))
    plan_start = draw(st.integers(2000, 2030))
    start = baseline_fy if baseline_fy is not None else plan_start - 1
    target_fy = draw(st.integers(max(start, plan_start) + 1, max(start, plan_start) + 10))
    steps = None
    path = draw(st.sampled_from(["linear", "stepped"]))
    if path == "stepped":
        lo, hi = sorted((baseline, target))
        step_years = (
            draw(st.sets(st.integers(start + 1, target_fy - 1), max_size=4))
            if target_fy - start > 1
            else set()
        )
        steps = {fy: draw(st.decimals(lo, hi, places=2)) for fy in step_years}
        steps[target_fy] = target
    return Spec(
        direction, method, "stock", baseline, baseline_fy, target, target_fy, plan_start,
        path=path, steps=steps,
    )  # fmt: skip


@given(directional_specs(), years)
def test_actual_on_the_path_is_on_track(s, fy):
    expected = expected_value(s, fy)
    assume(expected != s.baseline)
    p = pace(s, fy, expected)
    assert p.share == D("100.0")
    assert p.status == "on_track"


@given(directional_specs(), years, values, values)
def test_share_is_monotone_in_actual(s, fy, a, b):
    assume(expected_value(s, fy) != s.baseline)
    low, high = sorted((a, b))
    p_low, p_high = pace(s, fy, low), pace(s, fy, high)
    ranks = {b.status: i for i, b in enumerate(s.bands)}
    if s.direction is Direction.INCREASE:
        assert p_low.share <= p_high.share
        assert ranks[p_low.status] >= ranks[p_high.status]  # higher actual: same or better band
    else:
        assert p_low.share >= p_high.share
        assert ranks[p_low.status] <= ranks[p_high.status]


@given(directional_specs(), years)
def test_expected_value_lies_between_baseline_and_target(s, fy):
    lo, hi = sorted((s.baseline, s.target))
    assert lo <= expected_value(s, fy) <= hi


@given(directional_specs(), st.integers(1999, 2045))
def test_linear_expected_value_is_monotone_in_time(s, fy):
    assume(s.path is PathKind.LINEAR)
    e0, e1 = expected_value(s, fy), expected_value(s, fy + 1)
    if s.direction is Direction.INCREASE:
        assert e0 <= e1
    else:
        assert e0 >= e1


@given(st.sampled_from(["increase", "decrease"]), values, values, values)
def test_ratio_is_never_returned_for_mixed_signs(direction, a, b, actual):
    baseline, target = (min(a, b), max(a, b)) if direction == "increase" else (max(a, b), min(a, b))
    s = spec(direction, "ratio", baseline, target)
    result = achievement(s, actual)
    if target < 0 or target * actual < 0 or target == 0:
        assert result.rate is None
        assert result.code in {"mixed_signs", "target_zero"}
    if result.rate is not None:
        assert target > 0 and actual >= 0


@given(directional_specs(), years, values)
def test_results_are_always_well_formed(s, fy, actual):
    p = pace(s, fy, actual)
    assert p.status in {b.status for b in s.bands}
    assert (p.share is None) == (p.share_exact is None)
    assert p.reason_ja and p.reason_en
    a = achievement(s, actual)
    assert (a.rate is None) == (a.code != "ok")
    assert bool(a.notes) == (s.baseline_fy is None)


@given(values, st.decimals(0, 50, places=1), values, years)
def test_maintain_status_matches_within_band(level, tolerance, actual, fy):
    s = spec("maintain", baseline=level, target=level, tolerance_pct=tolerance)
    p = pace(s, fy, actual)
    assert p.within_band == achievement(s, actual).within_band
    assert p.status == ("on_track" if p.within_band else "needs_improvement")
    assert p.within_band == (abs(actual - level) <= maintain_tolerance(s))

"""From stored indicators to judgements: the Tsukuba KPIs with entered figures, methods,
refused definitions, vintages and projections."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from sangyo.indicators.assess import assess, bands_for, spec_for
from sangyo.indicators.models import Indicator, Observation, TargetRevision
from sangyo.indicators.tests.factories import indicator, observe

D = Decimal
PLAN_START = 2025


def tsukuba_indicator(tsukuba, code: str) -> Indicator:
    return Indicator.objects.get(strategy=tsukuba, code=code)


def judged(ind: Indicator, **kw):
    ind = Indicator.objects.get(pk=ind.pk)
    revision = ind.revisions.order_by("-decided_on", "-id").first()
    return assess(ind, revision, list(ind.observations.all()), PLAN_START, **kw)


# Tsukuba's KPIs (baseline year not stated → path from FY2024 to FY2029):
#   市内総生産 14,383 → 16,234 (+370.2 a year), 申請件数 20 → 24 (+0.8 a year),
#   新規創業者数 79 maintained (±10 % → ±7.9), 就業者数 143,306 → 153,318 (+2,002.4 a year).
CASES = [
    # code, figures FY2025.., latest status, share of planned progress
    (
        "gross-municipal-product",
        [14800, 15150, 15500, 15870, 16240],
        "on_track",
        D("100.3"),
    ),
    ("gross-municipal-product", [14700, 14900, 15100, 15300, 15600], "mostly_on_track", D("65.7")),
    (
        "gross-municipal-product",
        [14400, 14450, 14500, 14550, 14600],
        "needs_improvement",
        D("11.7"),
    ),
    ("certification-applications", [21, 22, 22, 23, 24], "on_track", D("100.0")),
    ("certification-applications", [20, 21, 21, 22, 23], "mostly_on_track", D("75.0")),
    ("certification-applications", [20, 20, 19, 20, 21], "needs_improvement", D("25.0")),
    ("employed-persons", [145400, 147400, 149400, 151400, 153400], "on_track", D("100.8")),
    ("employed-persons", [143000, 143100, 143200, 143300, 143200], "needs_improvement", D("-1.1")),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "figures", "status", "share"), CASES)
def test_tsukuba_increase_kpis_fy2025_to_fy2029(tsukuba, code, figures, status, share):
    ind = tsukuba_indicator(tsukuba, code)
    for fy, value in zip(range(2025, 2030), figures, strict=True):
        observe(ind, fy, value)
    a = judged(ind)
    assert a.pace.fy == 2029
    assert a.status == status
    assert a.pace.share == share
    assert a.pace.expected == a.spec.target  # the target year expects the target itself
    assert a.reason_ja == a.pace.reason_ja and "2029年度" in a.reason_ja


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "status", "within"),
    [
        (79, "on_track", True),
        (85, "on_track", True),
        ("86.9", "on_track", True),  # 79 + 7.9: the edge is inside
        (87, "needs_improvement", False),
        ("71.1", "on_track", True),
        (71, "needs_improvement", False),
    ],
)
def test_tsukuba_founders_are_maintained_within_ten_percent(tsukuba, value, status, within):
    ind = tsukuba_indicator(tsukuba, "new-founders")
    for fy in range(2025, 2029):
        observe(ind, fy, 79)
    observe(ind, 2029, value)
    a = judged(ind)
    assert ind.direction == "maintain"
    assert a.status == status
    assert a.pace.within_band is within
    assert a.achievement.rate is None  # maintain is never a rate
    assert "許容幅 ±10%" in a.reason_ja


@pytest.mark.django_db
def test_each_year_is_judged_against_its_own_point_on_the_path(tsukuba):
    ind = tsukuba_indicator(tsukuba, "gross-municipal-product")
    for fy, value in [(2025, 14800), (2026, 14900), (2027, 14500)]:
        observe(ind, fy, value)
    a = judged(ind)
    assert {fy: p.status for fy, p in a.yearly.items()} == {
        2025: "on_track",  # 417 of 370.2 expected
        2026: "mostly_on_track",  # 517 of 740.4
        2027: "needs_improvement",  # 117 of 1,110.6
    }
    assert a.status == "needs_improvement"  # the latest year decides


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "rate"),
    [(Indicator.Method.RATIO, D("95.5")), (Indicator.Method.BASELINE_RELATIVE, D("50.0"))],
)
def test_declared_method_decides_the_achievement_rate_but_not_the_pace(tsukuba, method, rate):
    # kpi-methods.md: baseline 100, target 110, actual 105 → 95.45 % by ratio, 50 % relative.
    ind = indicator(strategy=tsukuba, baseline="100", target="110", method=method)
    observe(ind, 2027, 105)
    a = judged(ind)
    assert a.achievement.rate == rate
    assert a.pace.share == D("83.3")  # 5 of the 6 expected by FY2027, whatever the method
    assert a.status == "mostly_on_track"


def test_baseline_year_not_stated_is_a_note():
    ind = Indicator(code="x", direction="increase", method="ratio", kind="stock", unit_ja="件")
    rev = TargetRevision(baseline_value=D(20), baseline_fy=None, target_value=D(24), target_fy=2029)
    a = assess(ind, rev, [Observation(fiscal_year=2025, value=D(21))], PLAN_START)
    assert [n.code for n in a.notes] == ["baseline_fy_not_stated"]
    assert "2024年度" in a.notes[0].text_ja
    assert a.spec.path_start_fy == 2024
    stated = TargetRevision(
        baseline_value=D(20), baseline_fy=2023, target_value=D(24), target_fy=2029
    )
    assert assess(ind, stated, [], PLAN_START).notes == ()


def _memory_indicator(**fields) -> Indicator:
    defaults = {
        "code": "synthetic",
        "name_ja": "合成データ指標",
        "unit_ja": "件",
        "direction": "increase",
        "method": "baseline_relative",
        "kind": "flow",
    }
    return Indicator(**(defaults | fields))


def _rev(baseline, target, baseline_fy=2024, target_fy=2029) -> TargetRevision:
    return TargetRevision(
        baseline_value=D(baseline),
        baseline_fy=baseline_fy,
        target_value=D(target),
        target_fy=target_fy,
        decided_on=datetime.date(2025, 3, 1),
    )


def _obs(*pairs, status="final") -> list[Observation]:
    return [Observation(fiscal_year=fy, value=D(str(v)), status=status) for fy, v in pairs]


@pytest.mark.parametrize(
    ("fields", "revision", "words"),
    [
        ({"direction": "increase"}, _rev(100, 90), "目標値 90 が基準値 100 を下回って"),
        ({"direction": "decrease"}, _rev(100, 110), "目標値 110 が基準値 100 を上回って"),
        (
            {"direction": "maintain", "method": "ratio"},
            _rev(79, 80),
            "目標値 80 と基準値 79 が異なる",
        ),
        ({}, _rev(100, 120, baseline_fy=2029), "目標年度（2029年度）以降"),
        ({}, None, "目標値が設定されていない"),
        ({"bands": [{"min_share": 50, "status": "ok"}]}, _rev(100, 120), "判定基準"),
        ({"bands": [{"min_share": "abc", "status": "ok"}]}, _rev(100, 120), "判定基準"),
        ({"path": "stepped", "steps": {"2027": "130"}}, _rev(100, 120), "中間目標"),
        ({"path": "stepped", "steps": {}}, _rev(100, 120), "中間目標"),
    ],
)
def test_inconsistent_definitions_are_not_judged_and_say_why(fields, revision, words):
    ind = _memory_indicator(**fields)
    a = assess(ind, revision, _obs((2025, 105), (2026, 110)), PLAN_START)
    assert a.status == "not_judged"
    assert a.label_ja == "判定できません"
    assert words in a.problem_ja
    assert a.problem_en and a.reason_ja == a.problem_ja
    assert a.pace is None and a.spec is None and a.projection is None
    # The figures themselves are still there for the page to show.
    assert a.latest.value == D(110)
    assert a.observations == {2025: D(105), 2026: D(110)}


def test_custom_bands_from_json_with_string_keys_and_numbers():
    ind = _memory_indicator(
        bands=[
            {"min_share": "90", "status": "a", "label_ja": "達成見込み", "label_en": "Likely"},
            {"min_share": 50.5, "status": "b", "label_ja": "注意", "label_en": "Watch"},
            {"min_share": None, "status": "c", "label_ja": "遅れ", "label_en": "Late"},
        ]
    )
    assert [b.min_share for b in bands_for(ind)] == [D(90), D("50.5"), None]
    a = assess(ind, _rev(100, 120), _obs((2025, "102.4")), PLAN_START)  # 60 % of the 4
    assert (a.status, a.label_ja, a.shape) == ("b", "注意", "triangle")
    a = assess(ind, _rev(100, 120), _obs((2025, "103.6")), PLAN_START)  # 90 %
    assert (a.status, a.shape) == ("a", "circle")
    a = assess(ind, _rev(100, 120), _obs((2025, 101)), PLAN_START)
    assert (a.status, a.shape, a.symbol) == ("c", "square", "■")


def test_empty_bands_use_the_default():
    a = assess(_memory_indicator(bands=[]), _rev(100, 120), _obs((2025, 104)), PLAN_START)
    assert [b.status for b in a.bands] == ["on_track", "mostly_on_track", "needs_improvement"]


def test_stepped_path_reads_json_string_keys():
    ind = _memory_indicator(path="stepped", steps={"2026": "105", "2028": 115, "2029": "120"})
    spec = spec_for(ind, _rev(100, 120), PLAN_START)
    assert dict(spec.steps) == {2026: D(105), 2028: D(115), 2029: D(120)}
    a = assess(ind, _rev(100, 120), _obs((2027, 105)), PLAN_START)
    assert a.path[2025] == D(100) and a.path[2027] == D(105) and a.path[2028] == D(115)
    assert a.status == "on_track"


def test_latest_vintage_is_named():
    obs = Observation(
        fiscal_year=2026,
        value=D("15100.5"),
        status="preliminary",
        source="茨城県 市町村民経済計算（速報）",
        published_on=datetime.date(2028, 3, 31),
    )
    obs.revision_count = 2
    a = assess(
        _memory_indicator(), _rev(14383, 16234, None), [obs, *_obs((2025, 14700))], PLAN_START
    )
    assert a.latest.fiscal_year == 2026
    assert a.latest.is_preliminary
    assert a.latest.basis_ja == (
        "2026年度の速報値（2028年3月31日公表、出典：茨城県 市町村民経済計算（速報）、"
        "2回改定後の値）による判定"
    )
    assert "preliminary figure for FY2026" in a.latest.basis_en
    assert a.preliminary_years == {2026}


@pytest.mark.parametrize(
    ("points", "shown"),
    [
        ([(2025, 104)], False),
        ([(2025, 104), (2026, 108)], False),
        ([(2025, 104), (2026, 108), (2027, 111)], True),
        ([(2026, 108), (2027, 111), (2029, 120)], False),  # the target year is observed
    ],
)
def test_projection_only_with_three_points_and_before_the_target_year(points, shown):
    a = assess(_memory_indicator(), _rev(100, 120), _obs(*points), PLAN_START)
    assert (a.projection is not None) is shown
    assert bool(a.projection_points) is shown
    assert bool(a.projection_text_ja) is shown
    if shown:
        assert a.projection.label_ja == "見通し（参考）"
        assert set(a.projection_points) == {2028, 2029}
        value, low, high = a.projection_points[2029]
        assert low < value < high  # an honest interval, not a point
        assert "95%予測区間" in a.projection_text_ja


def test_projection_says_whether_the_trend_reaches_the_target():
    on_trend = assess(
        _memory_indicator(), _rev(100, 120), _obs((2025, 104), (2026, 108), (2027, 112)), PLAN_START
    )
    assert on_trend.reaches is True and "届く見込み" in on_trend.projection_text_ja
    flat = assess(
        _memory_indicator(), _rev(100, 120), _obs((2025, 101), (2026, 102), (2027, 102)), PLAN_START
    )
    assert flat.reaches is False and "届かない見込み" in flat.projection_text_ja


def test_no_figures_yet_is_not_a_failure():
    a = assess(_memory_indicator(), _rev(100, 120), [], PLAN_START)
    assert a.status == "no_data" and a.latest is None and a.pace is None
    assert a.path[2029] == D(120)  # the plan's path is still drawn


def test_list_mode_skips_projection_and_yearly_paces():
    obs = _obs((2025, 104), (2026, 108), (2027, 112))
    a = assess(_memory_indicator(), _rev(100, 120), obs, PLAN_START, full=False)
    assert a.projection is None and a.yearly == {} and a.path == {}
    assert a.status == "on_track"  # but the latest status is the same
    both = assess(_memory_indicator(), _rev(100, 120), obs, PLAN_START, full=False, yearly=True)
    assert set(both.yearly) == {2025, 2026, 2027} and both.projection is None


@pytest.mark.parametrize(
    ("method", "rate"),
    [("ratio", D("84.2")), ("baseline_relative", D("25.0"))],
)
def test_decrease_indicator_on_pace(method, rate):
    # 100 → 80 by FY2029 from FY2024: FY2025 expects 96; 95 is 125 % of the planned fall.
    ind = _memory_indicator(direction="decrease", method=method)
    a = assess(ind, _rev(100, 80), _obs((2025, 95)), PLAN_START)
    assert a.pace.expected == D(96) and a.pace.share == D("125.0")
    assert a.status == "on_track"
    assert a.achievement.rate == rate  # ratio: target ÷ actual (80 ÷ 95)

"""Tests for the SVG KPI charts (pure Python, no database)."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal as D
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sangyo.indicators.charts import (
    BLUE_50,
    chart_table,
    chart_table_headers,
    data_table_rows,
    format_number,
    kpi_chart_svg,
    nice_ticks,
    y_axis,
    y_range,
)

NS = "{http://www.w3.org/2000/svg}"
YEARS = list(range(2024, 2031))
PATH = {y: D(14500 + 250 * (y - 2024)) for y in YEARS}  # 2027 → 15,250


def render(**overrides) -> str:
    kwargs = {
        "title": "製造品出荷額",
        "unit": "億円",
        "fiscal_years": YEARS,
        "path": PATH,
        "observations": {2024: D(14480), 2025: D(14850), 2026: D(15020), 2027: D(15100)},
        "chart_id": "kpi-1",
    }
    kwargs.update(overrides)
    return kpi_chart_svg(**kwargs)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def series(root: ET.Element, name: str) -> ET.Element | None:
    return root.find(f".//{NS}g[@data-series='{name}']")


def polylines(root: ET.Element, name: str) -> list[ET.Element]:
    group = series(root, name)
    return [] if group is None else group.findall(f"{NS}polyline")


def markers(root: ET.Element) -> list[ET.Element]:
    return [el for el in series(root, "observations") if el.get("data-fy")]


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


def y_tick_values(root: ET.Element) -> list[D]:
    axes = root.find(f".//{NS}g[@data-role='axes']")
    out = []
    for t in axes.iter(f"{NS}text"):
        if t.get("text-anchor") == "end" and re.fullmatch(r"-?[\d,]+(\.\d+)?", t.text or ""):
            out.append(D(t.text.replace(",", "")))
    return out


def coords(points: str) -> list[tuple[float, float]]:
    nums = [float(n) for n in re.split(r"[\s,]+", points.strip())]
    return list(zip(nums[::2], nums[1::2], strict=True))


# --- structure & accessibility -----------------------------------------------------


def test_root_is_accessible_responsive_svg():
    svg = render()
    root = parse(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 640 320"
    assert root.get("width") == "100%"
    assert root.get("height") is None
    assert root.get("preserveAspectRatio") == "xMidYMid meet"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title.text == "製造品出荷額"
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    assert "Noto Sans JP" in root.get("font-family")


def test_desc_summarises_latest_actual_against_plan():
    desc = parse(render()).find(f"{NS}desc").text
    assert "2027年度の実績 15,100億円（計画値 15,250億円）" in desc


def test_desc_mentions_preliminary_target_and_projection():
    svg = render(
        preliminary={2027},
        target=(2030, D(16000)),
        projection={2030: (D(16100), D(15500), D(16700))},
        lang="en",
    )
    desc = parse(svg).find(f"{NS}desc").text
    assert "FY2027 actual (preliminary): 15,100 億円 (plan: 15,250 億円)." in desc
    assert "Target: 16,000 億円 in FY2030." in desc
    assert "Projection (indicative) for FY2030: 16,100 億円 (range 15,500–16,700 億円)." in desc


def test_no_scripts_styles_or_event_handlers():
    root = parse(render(title='<script>alert("x")</script>'))
    for el in root.iter():
        assert el.tag not in (f"{NS}script", f"{NS}style", f"{NS}foreignObject")
        for name in el.attrib:
            assert not name.lower().startswith("on"), name
            assert name != "style"


@pytest.mark.parametrize(
    "title",
    ['<script>alert("x")</script>', 'R&D "投資" <計画>', "a\x00b\x1fc", "]]> ' & ;"],
)
def test_text_is_escaped(title):
    svg = render(title=title, unit="<b>億円</b>")
    root = parse(svg)  # still well-formed
    assert "<script" not in svg
    assert "<b>" not in svg
    assert root.find(f"{NS}title").text == title.replace("\x00", "").replace("\x1f", "")
    assert "<b>億円</b>" in texts(root)


@pytest.mark.parametrize("bad", ["", "1abc", "has space", 'x"y', "a<b"])
def test_chart_id_must_be_an_xml_id(bad):
    with pytest.raises(ValueError):
        render(chart_id=bad)


def test_output_is_deterministic():
    assert render() == render()


# --- series --------------------------------------------------------------------------


def test_one_line_for_path_and_one_for_observations():
    root = parse(render())
    (path_line,) = polylines(root, "path")
    (obs_line,) = polylines(root, "observations")
    assert len(coords(path_line.get("points"))) == len(YEARS)
    assert len(coords(obs_line.get("points"))) == 4
    # Told apart by line style, not just colour.
    assert path_line.get("stroke-dasharray")
    assert obs_line.get("stroke-dasharray") is None


def test_missing_year_breaks_the_line():
    obs = {2024: D(1), 2025: D(2), 2027: D(4), 2028: D(5), 2029: D(6)}
    root = parse(render(observations=obs))
    lines = polylines(root, "observations")
    assert [len(coords(pl.get("points"))) for pl in lines] == [2, 3]
    assert len(markers(root)) == 5


def test_isolated_observation_still_has_a_marker():
    root = parse(render(observations={2024: D(1), 2026: D(3)}))
    assert polylines(root, "observations") == []
    assert sorted(m.get("data-fy") for m in markers(root)) == ["2024", "2026"]


def test_preliminary_markers_are_hollow():
    root = parse(render(preliminary={2026, 2027, 2030}))  # 2030 has no actual: ignored
    by_year = {m.get("data-fy"): m for m in markers(root)}
    for fy in ("2026", "2027"):
        assert by_year[fy].get("data-preliminary") == "true"
        assert by_year[fy].get("fill") in ("none", "#ffffff")
    for fy in ("2024", "2025"):
        assert by_year[fy].get("fill") not in ("none", "#ffffff")
    assert "速報値" in texts(root)


def test_last_point_has_value_label():
    root = parse(render())
    labels = root.find(f".//{NS}g[@data-role='labels']")
    assert "15,100億円" in ["".join(t.itertext()) for t in labels.iter(f"{NS}text")]


def test_projection_band_and_dotted_line():
    proj = {2028: (D(15300), D(15100), D(15500)), 2029: (D(15500), D(15200), D(15800))}
    root = parse(render(projection=proj))
    group = series(root, "projection")
    band = group.find(f"{NS}polygon")
    assert band.get("fill") == BLUE_50
    assert band.get("opacity")
    (line,) = group.findall(f"{NS}polyline")
    assert line.get("stroke-dasharray")
    # Joined to the latest actual (2027), so the fan starts at the last value.
    assert len(coords(line.get("points"))) == 3
    assert "見通し（参考）" in texts(root)
    assert "Projection (indicative)" in texts(parse(render(projection=proj, lang="en")))


def test_target_marker_is_labelled():
    root = parse(render(target=(2030, D(16500))))
    assert series(root, "target") is not None
    assert "目標 16,500億円" in texts(root)


def test_assessment_colours_markers_with_shapes():
    root = parse(render(assessment={2025: "warning", 2026: "off_track", 2027: "on_track"}))
    by_year = {m.get("data-fy"): m for m in markers(root)}
    assert by_year["2025"].tag == f"{NS}polygon"  # triangle
    assert by_year["2026"].tag == f"{NS}rect"  # square
    assert by_year["2027"].get("fill") == "#197a4b"
    assert {"順調", "注意", "遅れ"} <= set(texts(root))
    with pytest.raises(ValueError):
        render(assessment={2025: "great"})


# --- axes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "year_label", "axis_title", "legend"),
    [("ja", "2025", "年度", "実績"), ("en", "FY2025", "Fiscal year", "Actual")],
)
def test_language_of_labels(lang, year_label, axis_title, legend):
    root = parse(render(lang=lang))
    labels = texts(root)
    assert year_label in labels
    assert axis_title in labels
    assert legend in labels
    assert root.get("lang") == lang


def test_large_values_get_thousands_separators():
    obs = {2024: D(123456), 2025: D(124000)}
    root = parse(render(observations=obs, path={}))
    assert all(v >= 100_000 for v in y_tick_values(root))
    assert any("," in t for t in texts(root))


@pytest.mark.parametrize(
    ("values", "includes_zero"),
    [
        ([14000, 16500], False),  # far from zero
        ([-16500, -14000], False),
        ([-5, 10], True),  # crosses zero
        ([10, 100], True),  # near zero relative to the spread
        ([0, 5], True),
        ([-100, -40], True),
    ],
)
def test_y_range_zero_rule(values, includes_zero):
    lo, hi = y_range([D(v) for v in values])
    assert (lo <= 0 <= hi) is includes_zero
    axis_lo, axis_hi, _, _ = y_axis([D(v) for v in values])
    assert (axis_lo <= 0 <= axis_hi) is includes_zero
    assert axis_lo <= min(values) and axis_hi >= max(values)


def test_chart_axis_far_from_zero_does_not_start_at_zero():
    ticks = y_tick_values(parse(render()))
    assert min(ticks) >= 13_000
    assert max(ticks) <= 18_000


def test_chart_axis_crossing_zero_includes_zero():
    obs = {2024: D(-300), 2025: D(-50), 2026: D(120), 2027: D(400)}
    ticks = y_tick_values(parse(render(observations=obs, path={})))
    assert D(0) in ticks
    assert min(ticks) < 0 < max(ticks)


@pytest.mark.parametrize(
    ("lo", "hi", "n", "expected"),
    [
        ("14000", "16500", 6, ("14000", "16500", "500")),
        ("0", "1", 5, ("0", "1", "0.2")),
        ("-5", "10", 6, ("-5", "10", "5")),
        ("-5", "10", 8, ("-6", "10", "2")),
        ("0.011", "0.012", 5, ("0.01", "0.02", "0.01")),  # never finer than 0.01
        ("123456", "987654", 6, ("0", "1000000", "200000")),
    ],
)
def test_nice_ticks(lo, hi, n, expected):
    axis_lo, axis_hi, step, ticks = nice_ticks(D(lo), D(hi), n)
    assert (axis_lo, axis_hi, step) == tuple(D(e) for e in expected)
    assert ticks[0] == axis_lo and ticks[-1] == axis_hi
    assert len(ticks) - 1 <= n


@given(
    lo=st.decimals(min_value=-(10**9), max_value=10**9, places=2),
    span=st.decimals(min_value="0.01", max_value=10**9, places=2),
    n=st.integers(min_value=2, max_value=8),
)
def test_nice_ticks_are_1_2_5_steps_covering_the_range(lo, span, n):
    hi = lo + span
    axis_lo, axis_hi, step, ticks = nice_ticks(lo, hi, n)
    assert axis_lo <= lo and axis_hi >= hi
    assert len(ticks) - 1 <= n
    mantissa = step.scaleb(-step.adjusted())
    assert mantissa in (1, 2, 5)
    assert all(b - a == step for a, b in pairwise(ticks))


def test_flat_series_is_padded_and_centred():
    flat = dict.fromkeys(YEARS, D(50))
    root = parse(render(path=flat, observations={2024: D(50), 2025: D(50)}))
    ticks = y_tick_values(root)
    assert min(ticks) < 50 < max(ticks)
    (line,) = polylines(root, "observations")
    ys = {y for _, y in coords(line.get("points"))}
    assert len(ys) == 1


def test_all_zero_series():
    root = parse(render(path={}, observations=dict.fromkeys(YEARS, D(0))))
    assert D(0) in y_tick_values(root)


def test_single_year():
    root = parse(render(fiscal_years=[2025], path={2025: D(120)}, observations={2025: D(118)}))
    assert len(markers(root)) == 1
    assert len(polylines(root, "path")) == 1  # short stroke, still visible


def test_negative_values():
    obs = {2024: D(-1200), 2025: D(-900), 2026: D(-1500)}
    root = parse(render(path={y: D(-1000) for y in YEARS}, observations=obs))
    ticks = y_tick_values(root)
    assert max(ticks) < 0  # far from zero: zero not forced in
    assert min(ticks) <= -1500
    assert "-1,500億円" in texts(root)


def test_very_large_numbers():
    obs = {2024: D("123456789.5"), 2025: D("123999999")}
    root = parse(render(path={}, observations=obs))
    assert "123,999,999億円" in texts(root)


@pytest.mark.parametrize(("lang", "message"), [("ja", "データがありません"), ("en", "No data")])
def test_empty_data_renders_message(lang, message):
    root = parse(render(path={}, observations={}, lang=lang))
    assert message in texts(root)
    assert message in root.find(f"{NS}desc").text
    assert root.findall(f".//{NS}polyline") == []


def test_path_only_says_no_actuals_yet():
    root = parse(render(observations={}))
    assert "実績データはまだありません" in root.find(f"{NS}desc").text
    assert len(polylines(root, "path")) == 1


# --- numbers & table -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("15100"), "15,100"),
        (D("15100.50"), "15,100.5"),
        (D("1234567.891"), "1,234,567.89"),
        (D("0.005"), "0.01"),
        (D("-0.001"), "0"),
        (D("-1234.5"), "-1,234.5"),
        (D("1E+3"), "1,000"),
        (D("0.10"), "0.1"),
        (5, "5"),
        (D("12345678901234567890.1"), "12,345,678,901,234,567,890.1"),
    ],
)
def test_format_number(value, expected):
    assert format_number(value, "ja") == expected
    assert format_number(value, "en") == expected


@pytest.mark.parametrize("bad", [D("NaN"), D("Infinity"), None, "abc"])
def test_format_number_rejects_non_numbers(bad):
    with pytest.raises(ValueError):
        format_number(bad)


def test_chart_table_rows():
    rows = chart_table(
        YEARS,
        PATH,
        {2024: D(14480), 2027: D("15100.0")},
        {2027},
        {2030: (D(16100), D(15500), D(16700))},
        "ja",
    )
    assert [r["fiscal_year"] for r in rows] == YEARS
    first, r2025, r2027, r2030 = rows[0], rows[1], rows[3], rows[6]
    assert first["label"] == "2024年度"
    assert (first["expected"], first["actual"], first["status"]) == ("14,500", "14,480", "確定")
    assert (r2025["actual"], r2025["status"], r2025["status_code"]) == ("—", "—", None)
    assert (r2027["actual"], r2027["status"], r2027["status_code"]) == (
        "15,100",
        "速報",
        "preliminary",
    )
    assert r2027["actual_value"] == D("15100.0")
    assert r2030["projection"] == "16,100（15,500〜16,700）"
    assert r2030["projection_low"] == D(15500)


def test_chart_table_english_and_alias():
    rows = data_table_rows([2025], {2025: D(1)}, {2025: D(2)}, set(), None, "en")
    assert rows[0]["label"] == "FY2025"
    assert rows[0]["status"] == "Final"
    assert rows[0]["projection"] == "—"
    assert chart_table_headers("en", "億円")["expected"] == "Target path (億円)"
    assert chart_table_headers("ja", "億円")["actual"] == "実績（億円）"


# --- property test ---------------------------------------------------------------------

values = st.decimals(min_value=-(10**12), max_value=10**12, places=2)


@st.composite
def chart_inputs(draw):
    first = draw(st.integers(min_value=1990, max_value=2040))
    years = list(range(first, first + draw(st.integers(min_value=1, max_value=25))))

    def subset():
        return [y for y in years if draw(st.booleans())]

    path = {y: draw(values) for y in subset()}
    obs = {y: draw(values) for y in subset()}
    projection = None
    if draw(st.booleans()):
        projection = {y: (draw(values), draw(values), draw(values)) for y in subset()}
    target = (draw(st.sampled_from(years)), draw(values)) if draw(st.booleans()) else None
    return {
        "title": draw(st.text(max_size=40)),
        "unit": draw(st.sampled_from(["億円", "%", "", "t-CO2", "<&>"])),
        "fiscal_years": years,
        "path": path,
        "observations": obs,
        "preliminary": set(draw(st.lists(st.sampled_from(years), max_size=5))),
        "projection": projection,
        "target": target,
        "width": draw(st.sampled_from([240, 480, 640, 960])),
        "height": draw(st.sampled_from([200, 320, 480])),
        "lang": draw(st.sampled_from(["ja", "en"])),
        "chart_id": "prop",
    }


_COORD_ATTRS = (
    ("x", 0),
    ("cx", 0),
    ("x1", 0),
    ("x2", 0),
    ("y", 1),
    ("cy", 1),
    ("y1", 1),
    ("y2", 1),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chart_inputs())
def test_random_series_render_valid_svg_inside_viewbox(kwargs):
    svg = kpi_chart_svg(**kwargs)
    root = parse(svg)
    width, height = kwargs["width"], kwargs["height"]
    assert root.get("viewBox") == f"0 0 {width} {height}"
    bounds = (width + 0.05, height + 0.05)
    for el in root.iter():
        for name, axis in _COORD_ATTRS:
            if el.get(name) is not None:
                assert -0.05 <= float(el.get(name)) <= bounds[axis], (el.tag, name, el.attrib)
        if el.get("points"):
            for x, y in coords(el.get("points")):
                assert -0.05 <= x <= bounds[0] and -0.05 <= y <= bounds[1], el.attrib
        if el.tag == f"{NS}rect":
            assert float(el.get("x")) + float(el.get("width")) <= bounds[0]
            assert float(el.get("y")) + float(el.get("height")) <= bounds[1]
        for name in el.attrib:
            assert not name.lower().startswith("on")

"""KPI charts as plain SVG text (no JavaScript, no plotting library).

The same markup is meant to be inlined in an HTML page and handed to
WeasyPrint for PDFs, so it keeps to a conservative SVG subset:

* only presentation attributes (``fill=``, ``stroke=`` …) — no ``<style>``
  element and no ``style=`` attribute, so a strict Content-Security-Policy
  (no ``'unsafe-inline'``) does not strip anything;
* no scripts, no ``on*=`` handlers, no ``dominant-baseline``/``paint-order``
  (text is positioned with explicit baselines instead);
* ``viewBox`` + ``width="100%"`` so the chart scales with its container.

Accessibility: the root is ``role="img"`` labelled by a ``<title>`` and a
``<desc>`` summarising the latest actual against the plan.  Series are told
apart by line style and marker shape as well as colour (solid line + filled
circles for actuals, hollow circles for preliminary figures, a dashed line for
the target path, a dotted line + light band for the projection, a diamond for
the target), so the chart still reads in greyscale print.  The numbers
themselves are available as an HTML table via :func:`chart_table`.

Colours are the デジタル庁デザインシステム tokens listed below.

Y-axis rule
-----------
The value range covers the target path, the observations, the projection
(value, low and high) and the target marker.  Then:

* if the data cross zero, zero is naturally inside the range;
* if all values are on one side of zero, zero is added only when the gap
  between zero and the data is no larger than the data's own spread
  (i.e. including zero at most doubles the axis).  A KPI moving between
  14,000 and 16,500 therefore gets an axis of about 14,000–16,500, while one
  moving between 10 and 100 starts at 0;
* a flat series (all values equal) is padded by 5 % of its magnitude
  (or 0–1 when everything is zero) so the line sits mid-chart;
* the range is then widened to "nice" ticks: steps of 1, 2 or 5 × 10ⁿ,
  never finer than 0.01 (the precision of :func:`format_number`);
* if a point would sit within 2 % of the top or bottom of the axis, the axis
  gets one more step on that side (headroom for markers and labels) — except
  at zero, which stays the edge when the data start or end there.

:func:`y_axis` implements all of it; :func:`y_range` and :func:`nice_ticks`
are the two halves.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    ROUND_HALF_UP,
    Decimal,
    InvalidOperation,
    localcontext,
)
from xml.sax.saxutils import escape, quoteattr

__all__ = [
    "BLUE_50",
    "BLUE_900",
    "FONT_FAMILY",
    "GREEN_800",
    "RED_900",
    "SOLID_GRAY_200",
    "SOLID_GRAY_600",
    "TEXT",
    "YELLOW_WARNING",
    "chart_table",
    "chart_table_headers",
    "data_table_rows",
    "format_number",
    "kpi_chart_svg",
    "nice_ticks",
    "y_axis",
    "y_range",
]

# --- デジタル庁デザインシステム colour tokens ---------------------------------
BLUE_900 = "#0017c1"  # actual series
BLUE_50 = "#e8f1fe"  # projection band
SOLID_GRAY_600 = "#666666"  # target path, axes
SOLID_GRAY_200 = "#cccccc"  # grid
GREEN_800 = "#197a4b"  # on track
YELLOW_WARNING = "#b78f00"  # needs attention
RED_900 = "#ce0000"  # off track
TEXT = "#1a1a1a"
WHITE = "#ffffff"
FONT_FAMILY = '"Noto Sans JP","Noto Sans CJK JP",sans-serif'

MISSING = "—"  # shown in table cells without a value

ASSESSMENTS = ("on_track", "warning", "off_track")
_ASSESSMENT_COLOUR = {"on_track": GREEN_800, "warning": YELLOW_WARNING, "off_track": RED_900}
_ASSESSMENT_SHAPE = {"on_track": "circle", "warning": "triangle", "off_track": "square"}

_STRINGS: dict[str, dict[str, str]] = {
    "ja": {
        "actual": "実績",
        "preliminary": "速報値",
        "path": "計画値",
        "projection": "見通し（参考）",
        "target": "目標",
        "no_data": "データがありません",
        "x_axis": "年度",
        "status_preliminary": "速報",
        "status_final": "確定",
        "on_track": "順調",
        "warning": "注意",
        "off_track": "遅れ",
        "col_year": "年度",
        "col_expected": "計画値",
        "col_actual": "実績",
        "col_status": "速報／確定",
        "col_projection": "見通し（参考）",
        "col_assessment": "評価",
    },
    "en": {
        "actual": "Actual",
        "preliminary": "Preliminary",
        "path": "Target path",
        "projection": "Projection (indicative)",
        "target": "Target",
        "no_data": "No data",
        "x_axis": "Fiscal year",
        "status_preliminary": "Preliminary",
        "status_final": "Final",
        "on_track": "On track",
        "warning": "Needs attention",
        "off_track": "Off track",
        "col_year": "Fiscal year",
        "col_expected": "Target path",
        "col_actual": "Actual",
        "col_status": "Status",
        "col_projection": "Projection (indicative)",
        "col_assessment": "Assessment",
    },
}

_MIN_STEP = Decimal("0.01")
_MAX_YEARS = 200
_ID_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# --- numbers ------------------------------------------------------------------


def _lang(lang: str) -> str:
    return "ja" if (lang or "").lower().startswith("ja") else "en"


def _to_decimal(value: object) -> Decimal | None:
    """Decimal for finite numbers, ``None`` for missing / NaN / infinite."""
    if value is None or isinstance(value, bool):
        return None
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return d if d.is_finite() else None


def _fixed(value: Decimal, places: int) -> str:
    """``value`` rounded half-up to ``places`` decimals with thousands separators."""
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + places + 5)
        q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if q == 0:
            q = abs(q)  # no "-0"
        return f"{q:,.{places}f}"


def format_number(value: Decimal | int | float, lang: str = "ja") -> str:
    """Format a number for display: thousands separators, at most 2 decimals,
    trailing zeros stripped (``Decimal("15100.50")`` → ``"15,100.5"``).

    Both languages use ``,`` and ``.``, as Japanese official documents do; the
    minus sign is the ASCII hyphen-minus.  Raises ``ValueError`` for NaN,
    infinities and non-numbers.
    """
    d = _to_decimal(value)
    if d is None:
        raise ValueError(f"not a finite number: {value!r}")
    s = _fixed(d, 2)
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def _with_unit(text: str, unit: str, lang: str) -> str:
    if not unit:
        return text
    if lang == "ja" or unit.startswith("%"):
        return f"{text}{unit}"
    return f"{text} {unit}"


def y_range(values: Iterable[Decimal]) -> tuple[Decimal, Decimal]:
    """The data range the y axis must show (before rounding to nice ticks).

    See the module docstring for the zero rule.  Raises ``ValueError`` when
    ``values`` is empty.
    """
    vals = list(values)
    if not vals:
        raise ValueError("no values")
    lo, hi = min(vals), max(vals)
    if lo == hi:
        if lo == 0:
            return Decimal(0), Decimal(1)
        pad = max(abs(lo) * Decimal("0.05"), _MIN_STEP)
        return lo - pad, hi + pad
    span = hi - lo
    if lo > 0 and lo <= span:
        lo = Decimal(0)
    elif hi < 0 and -hi <= span:
        hi = Decimal(0)
    return lo, hi


def nice_ticks(
    lo: Decimal, hi: Decimal, max_intervals: int = 6
) -> tuple[Decimal, Decimal, Decimal, list[Decimal]]:
    """Round ``[lo, hi]`` outwards to a 1-2-5 step grid.

    Returns ``(axis_lo, axis_hi, step, ticks)`` with at most ``max_intervals``
    intervals and a step of at least 0.01.
    """
    lo, hi = Decimal(lo), Decimal(hi)
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        hi = lo + _MIN_STEP
    max_intervals = max(1, int(max_intervals))
    with localcontext() as ctx:
        ctx.prec = max(40, abs(hi).adjusted() + 10, abs(lo).adjusted() + 10)
        raw = (hi - lo) / max_intervals
        exponent = max(raw.adjusted(), _MIN_STEP.adjusted())
        while True:
            for m in (1, 2, 5):
                step = Decimal(m).scaleb(exponent)
                if step < _MIN_STEP:
                    continue
                n_lo = (lo / step).to_integral_value(rounding=ROUND_FLOOR)
                n_hi = (hi / step).to_integral_value(rounding=ROUND_CEILING)
                if n_hi - n_lo <= max_intervals:
                    ticks = [(n_lo + i) * step for i in range(int(n_hi - n_lo) + 1)]
                    return n_lo * step, n_hi * step, step, ticks
            exponent += 1


def y_axis(
    values: Iterable[Decimal], max_intervals: int = 6
) -> tuple[Decimal, Decimal, Decimal, list[Decimal]]:
    """``(axis_lo, axis_hi, step, ticks)`` for ``values`` (see module docstring)."""
    vals = list(values)
    lo, hi = y_range(vals)
    axis_lo, axis_hi, step, _ = nice_ticks(lo, hi, max_intervals)
    tol = (axis_hi - axis_lo) * Decimal("0.02")
    if max(vals) > axis_hi - tol and axis_hi != 0:
        axis_hi += step
    if min(vals) < axis_lo + tol and axis_lo != 0:
        axis_lo -= step
    count = int((axis_hi - axis_lo) / step)
    return axis_lo, axis_hi, step, [axis_lo + i * step for i in range(count + 1)]


def _step_places(step: Decimal) -> int:
    return max(0, -step.normalize().as_tuple().exponent)


# --- input normalisation --------------------------------------------------------


@dataclass
class _Data:
    path: dict[int, Decimal] = field(default_factory=dict)
    obs: dict[int, Decimal] = field(default_factory=dict)
    prelim: set[int] = field(default_factory=set)
    proj: dict[int, tuple[Decimal, Decimal, Decimal]] = field(default_factory=dict)
    target: tuple[int, Decimal] | None = None
    assessment: dict[int, str] = field(default_factory=dict)
    given_years: set[int] = field(default_factory=set)

    def values(self) -> list[Decimal]:
        out = [*self.path.values(), *self.obs.values()]
        for v, lo, hi in self.proj.values():
            out += [v, lo, hi]
        if self.target:
            out.append(self.target[1])
        return out

    def year_set(self) -> set[int]:
        years = set(self.given_years) | set(self.path) | set(self.obs) | set(self.proj)
        if self.target:
            years.add(self.target[0])
        return years

    def year_range(self) -> list[int]:
        years = self.year_set()
        if not years:
            return []
        first, last = min(years), max(years)
        if last - first + 1 > _MAX_YEARS:
            raise ValueError(f"fiscal year range {first}–{last} is too long to chart")
        return list(range(first, last + 1))


def _clean_series(series: Mapping[int, object] | None) -> dict[int, Decimal]:
    out: dict[int, Decimal] = {}
    for fy, value in (series or {}).items():
        d = _to_decimal(value)
        if d is not None:
            out[int(fy)] = d
    return out


def _normalise(
    fiscal_years: Iterable[int],
    path: Mapping[int, object] | None,
    observations: Mapping[int, object] | None,
    preliminary: Iterable[int] | None,
    projection: Mapping[int, tuple[object, object, object]] | None,
    target: tuple[int, object] | None = None,
    assessment: Mapping[int, str] | None = None,
) -> _Data:
    data = _Data()
    data.given_years = {int(y) for y in (fiscal_years or ())}
    data.path = _clean_series(path)
    data.obs = _clean_series(observations)
    data.prelim = {int(y) for y in (preliminary or ())} & set(data.obs)
    for fy, triple in (projection or {}).items():
        v, lo, hi = (_to_decimal(x) for x in triple)
        if v is None:
            continue
        lo = v if lo is None else lo
        hi = v if hi is None else hi
        lo, hi = min(lo, hi, v), max(lo, hi, v)
        data.proj[int(fy)] = (v, lo, hi)
    if target is not None:
        tv = _to_decimal(target[1])
        if tv is not None:
            data.target = (int(target[0]), tv)
    for fy, code in (assessment or {}).items():
        if code not in ASSESSMENTS:
            raise ValueError(f"unknown assessment {code!r}; expected one of {ASSESSMENTS}")
        if int(fy) in data.obs:
            data.assessment[int(fy)] = code
    return data


def _runs(years: Iterable[int]) -> list[list[int]]:
    """Split sorted years into runs of consecutive years (gaps break a line)."""
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return runs


# --- SVG helpers ------------------------------------------------------------------


def _clean_text(text: object) -> str:
    """Drop characters XML 1.0 cannot carry at all (control characters)."""
    return _XML_INVALID.sub("", str(text))


def _num(x: float) -> str:
    s = f"{x:.1f}"
    if s.endswith(".0"):
        s = s[:-2]
    return "0" if s == "-0" else s


def _attrs(attrs: Mapping[str, object]) -> str:
    out = []
    for name, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, float):
            value = _num(value)
        out.append(f" {name}={quoteattr(_clean_text(value))}")
    return "".join(out)


def _el(tag: str, attrs: Mapping[str, object], content: str | None = None) -> str:
    """An element; ``content`` is raw markup (escape text with :func:`_txt`)."""
    if content is None:
        return f"<{tag}{_attrs(attrs)}/>"
    return f"<{tag}{_attrs(attrs)}>{content}</{tag}>"


def _txt(text: object) -> str:
    return escape(_clean_text(text))


def _text_width(text: str, size: float) -> float:
    """Rough advance width of ``text`` in Noto Sans JP at ``size`` px."""
    em = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            em += 1.0
        elif ch in ",.:;'|!il ()":
            em += 0.3
        else:
            em += 0.6
    return em * size


def _points(pts: Iterable[tuple[float, float]]) -> str:
    return " ".join(f"{_num(x)},{_num(y)}" for x, y in pts)


def _marker(
    shape: str, x: float, y: float, colour: str, hollow: bool, size: float = 4.5, **extra: object
) -> tuple[str, dict[str, object]]:
    """(tag, attrs) for a marker; hollow markers are white-filled (the line
    behind them does not show through)."""
    paint: dict[str, object] = {
        "fill": WHITE if hollow else colour,
        "stroke": colour,
        "stroke-width": 2,
    }
    if shape == "triangle":
        s = size * 1.25
        pts = [(x, y - s), (x + s, y + s * 0.8), (x - s, y + s * 0.8)]
        return "polygon", {"points": _points(pts), **paint, **extra}
    if shape == "square":
        s = size * 0.9
        return "rect", {"x": x - s, "y": y - s, "width": 2 * s, "height": 2 * s, **paint, **extra}
    if shape == "diamond":
        s = size * 1.4
        pts = [(x, y - s), (x + s, y), (x, y + s), (x - s, y)]
        return "polygon", {"points": _points(pts), **paint, **extra}
    return "circle", {"cx": x, "cy": y, "r": size, **paint, **extra}


# --- layout constants -----------------------------------------------------------------

_PAD = 8.0
_FONT = 12.0
_LEGEND_ROW = 20.0
_SWATCH = 26.0

_OBS_STROKE = {"stroke": BLUE_900, "stroke-width": 2.5, "fill": "none"}
_PATH_STROKE = {
    "stroke": SOLID_GRAY_600,
    "stroke-width": 2,
    "stroke-dasharray": "7 4",
    "fill": "none",
}
_PROJ_STROKE = {
    "stroke": BLUE_900,
    "stroke-width": 2,
    "stroke-dasharray": "0.5 4.5",
    "stroke-linecap": "round",
    "fill": "none",
}
_BAND_FILL = {"fill": BLUE_50, "opacity": "0.9", "stroke": "none"}
_LINE_JOIN = {"stroke-linejoin": "round"}


def _legend_symbol(kind: str, x: float, y: float) -> list[str]:
    """Symbol ``_SWATCH`` px wide, vertically centred on ``y``."""
    mid = x + _SWATCH / 2
    line = {"x1": x, "y1": y, "x2": x + _SWATCH, "y2": y}
    if kind == "actual":
        tag, attrs = _marker("circle", mid, y, BLUE_900, hollow=False)
        return [_el("line", {**line, **_OBS_STROKE}), _el(tag, attrs)]
    if kind == "preliminary":
        tag, attrs = _marker("circle", mid, y, BLUE_900, hollow=True)
        return [_el(tag, attrs)]
    if kind == "path":
        return [_el("line", {**line, **_PATH_STROKE})]
    if kind == "projection":
        band = {"x": x, "y": y - 6, "width": _SWATCH, "height": 12, **_BAND_FILL}
        return [_el("rect", band), _el("line", {**line, **_PROJ_STROKE})]
    if kind == "target":
        tag, attrs = _marker("diamond", mid, y, SOLID_GRAY_600, hollow=False)
        return [_el(tag, attrs)]
    # assessments
    tag, attrs = _marker(_ASSESSMENT_SHAPE[kind], mid, y, _ASSESSMENT_COLOUR[kind], hollow=False)
    return [_el(tag, attrs)]


def _legend(kinds: list[str], s: dict[str, str], width: float) -> tuple[list[str], int]:
    """Legend items laid out left to right, wrapping; returns (markup, rows)."""
    if not kinds:
        return [], 0
    parts: list[str] = []
    x, row = _PAD, 0
    for kind in kinds:
        label = s[kind]
        item_w = _SWATCH + 6 + _text_width(label, _FONT)
        if x > _PAD and x + item_w > width - _PAD:
            x, row = _PAD, row + 1
        cy = _PAD + _LEGEND_ROW * row + _LEGEND_ROW / 2
        parts += _legend_symbol(kind, x, cy)
        parts.append(
            _el("text", {"x": x + _SWATCH + 6, "y": cy + _FONT * 0.36}, _txt(label)),
        )
        x += item_w + 18
    return parts, row + 1


# --- the chart -----------------------------------------------------------------------


def _describe(data: _Data, s: dict[str, str], unit: str, lang: str) -> str:
    def val(v: Decimal) -> str:
        return _with_unit(format_number(v, lang), unit, lang)

    def fy_label(fy: int) -> str:
        return f"{fy}年度" if lang == "ja" else f"FY{fy}"

    if not data.values():
        return s["no_data"] + ("。" if lang == "ja" else ".")
    parts: list[str] = []
    if data.obs:
        fy = max(data.obs)
        extras = []
        if fy in data.path:
            extras.append(
                f"計画値 {val(data.path[fy])}" if lang == "ja" else f"plan: {val(data.path[fy])}"
            )
        if fy in data.assessment:
            extras.append(
                s[data.assessment[fy]].lower() if lang == "en" else s[data.assessment[fy]]
            )
        if lang == "ja":
            head = f"{fy_label(fy)}の実績" + ("（速報）" if fy in data.prelim else "")
            tail = f"（{'、'.join(extras)}）" if extras else ""
            parts.append(f"{head} {val(data.obs[fy])}{tail}。")
        else:
            head = f"{fy_label(fy)} actual" + (" (preliminary)" if fy in data.prelim else "")
            tail = f" ({'; '.join(extras)})" if extras else ""
            parts.append(f"{head}: {val(data.obs[fy])}{tail}.")
    else:
        parts.append("実績データはまだありません。" if lang == "ja" else "No actual data yet.")
    if data.target:
        fy, v = data.target
        parts.append(
            f"目標は{fy_label(fy)} {val(v)}。"
            if lang == "ja"
            else f"Target: {val(v)} in {fy_label(fy)}."
        )
    if data.proj:
        fy = max(data.proj)
        v, lo, hi = data.proj[fy]
        if lang == "ja":
            rng = f"（{format_number(lo)}〜{val(hi)}）" if lo != hi else ""
            parts.append(f"見通し（参考）は{fy_label(fy)} {val(v)}{rng}。")
        else:
            rng = f" (range {format_number(lo)}–{val(hi)})" if lo != hi else ""
            parts.append(f"Projection (indicative) for {fy_label(fy)}: {val(v)}{rng}.")
    return "".join(parts) if lang == "ja" else " ".join(parts)


def kpi_chart_svg(
    *,
    title: str,
    unit: str,
    fiscal_years: list[int],
    path: Mapping[int, Decimal],
    observations: Mapping[int, Decimal],
    preliminary: Iterable[int] = frozenset(),
    projection: Mapping[int, tuple[Decimal, Decimal, Decimal]] | None = None,
    target: tuple[int, Decimal] | None = None,
    width: int = 640,
    height: int = 320,
    lang: str = "ja",
    chart_id: str,
    assessment: Mapping[int, str] | None = None,
) -> str:
    """Render a KPI time-series chart as a standalone ``<svg>`` element string.

    * ``fiscal_years`` — the years to show; the x axis runs continuously from
      the earliest to the latest year found here or in any series.
    * ``path`` — expected values on the target path (dashed grey line).
    * ``observations`` — actuals (solid blue line, filled circles).  A missing
      year breaks the line; nothing is interpolated.  The latest point carries
      a value label.
    * ``preliminary`` — years whose observation is preliminary (hollow marker).
    * ``projection`` — ``fy → (value, low, high)``, drawn as a dotted line in a
      light band.  When it starts the year after the latest actual it is
      joined to that actual so the fan starts from the last known value.
    * ``target`` — ``(fy, value)`` drawn as a labelled diamond.
    * ``assessment`` — optional ``fy → "on_track" | "warning" | "off_track"``;
      the observation marker then takes the status colour *and* shape
      (circle / triangle / square) and the legend explains it.
    * ``chart_id`` — a valid XML id; the ``<title>``/``<desc>`` ids derive from it.

    Values may be ``Decimal``, ``int`` or ``float``; NaN/None are treated as
    missing.  Raises ``ValueError`` for a bad ``chart_id``, a size below
    240×200, an unknown assessment or an absurdly long year range.
    """
    if not _ID_RE.match(chart_id or ""):
        raise ValueError(f"chart_id must be a valid XML id, got {chart_id!r}")
    if width < 240 or height < 200:
        raise ValueError("chart must be at least 240×200")
    lang = _lang(lang)
    s = _STRINGS[lang]
    data = _normalise(fiscal_years, path, observations, preliminary, projection, target, assessment)
    years = data.year_range()
    W, H = float(width), float(height)

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    head = [
        _el("title", {"id": title_id}, _txt(title)),
        _el("desc", {"id": desc_id}, _txt(_describe(data, s, unit, lang))),
    ]
    root = {
        "xmlns": "http://www.w3.org/2000/svg",
        "id": chart_id,
        "viewBox": f"0 0 {width} {height}",
        "width": "100%",
        "preserveAspectRatio": "xMidYMid meet",
        "role": "img",
        "aria-labelledby": f"{title_id} {desc_id}",
        "lang": lang,
        "xml:lang": lang,
        "font-family": FONT_FAMILY,
        "font-size": _FONT,
        "fill": TEXT,
    }
    values = data.values()
    if not values:
        body = _no_data(s, W, H)
        return _el("svg", root, "".join(head + body))

    # Projection joined to the latest actual when it starts the year after.
    proj = dict(data.proj)
    if data.obs and proj:
        last = max(data.obs)
        if min(proj) == last + 1:
            v = data.obs[last]
            proj[last] = (v, v, v)

    # Legend (its height decides where the plot starts).
    kinds = []
    if data.obs:
        kinds.append("actual")
    if data.prelim:
        kinds.append("preliminary")
    kinds += [k for k in ASSESSMENTS if k in data.assessment.values()]
    if data.path:
        kinds.append("path")
    if data.proj:
        kinds.append("projection")
    if data.target:
        kinds.append("target")
    legend, legend_rows = _legend(kinds, s, W)

    plot_top = _PAD + legend_rows * _LEGEND_ROW + (28.0 if unit else 10.0) + 8
    plot_bottom = H - (_PAD + 2 * _FONT + 18)
    plot_h = max(plot_bottom - plot_top, 40.0)
    plot_bottom = plot_top + plot_h

    max_intervals = max(2, min(7, int(plot_h // 28)))
    axis_lo, axis_hi, step, ticks = y_axis(values, max_intervals)
    places = _step_places(step)
    tick_labels = [_fixed(t, places) for t in ticks]

    label_w = max(_text_width(t, _FONT) for t in tick_labels)
    plot_left = min(max(_PAD + label_w + 8, 36.0), W * 0.35)
    plot_right = W - _PAD - 14
    plot_w = plot_right - plot_left
    band = plot_w / len(years)
    index = {fy: i for i, fy in enumerate(years)}
    span = float(axis_hi - axis_lo)

    def X(fy: int) -> float:
        return plot_left + (index[fy] + 0.5) * band

    def Y(v: Decimal) -> float:
        return plot_top + float(axis_hi - v) / span * plot_h

    def clamp_x(cx: float, w: float) -> float:
        """Centre for a label ``w`` wide so that it stays inside the chart."""
        return min(max(cx, _PAD + w / 2), W - _PAD / 2 - w / 2)

    def val(v: Decimal) -> str:
        return _with_unit(format_number(v, lang), unit, lang)

    def fy_label(fy: int) -> str:
        return f"{fy}年度" if lang == "ja" else f"FY{fy}"

    body: list[str] = []

    # Grid + y axis.
    grid: list[str] = []
    for t, label in zip(ticks, tick_labels, strict=True):
        y = Y(t)
        is_zero = t == 0 and axis_lo < 0
        grid.append(
            _el(
                "line",
                {
                    "x1": plot_left,
                    "y1": y,
                    "x2": plot_right,
                    "y2": y,
                    "stroke": SOLID_GRAY_600 if is_zero else SOLID_GRAY_200,
                    "stroke-width": 1.5 if is_zero else 1,
                },
            )
        )
        grid.append(
            _el(
                "text",
                {"x": plot_left - 6, "y": y + _FONT * 0.36, "text-anchor": "end"},
                _txt(label),
            )
        )
    if unit:
        grid.append(_el("text", {"x": _PAD, "y": plot_top - 14}, _txt(unit)))
    # X axis.
    grid.append(
        _el(
            "line",
            {
                "x1": plot_left,
                "y1": plot_bottom,
                "x2": plot_right,
                "y2": plot_bottom,
                "stroke": SOLID_GRAY_600,
                "stroke-width": 1,
            },
        )
    )
    x_labels = {fy: (str(fy) if lang == "ja" else f"FY{fy}") for fy in years}
    widest = max(_text_width(lb, _FONT) for lb in x_labels.values())
    every = max(1, -(-int(widest + 10) // max(int(band), 1)))
    for fy in years:
        x = X(fy)
        grid.append(
            _el(
                "line",
                {
                    "x1": x,
                    "y1": plot_bottom,
                    "x2": x,
                    "y2": plot_bottom + 4,
                    "stroke": SOLID_GRAY_600,
                    "stroke-width": 1,
                },
            )
        )
        if (index[fy] % every) == 0:
            w = _text_width(x_labels[fy], _FONT)
            grid.append(
                _el(
                    "text",
                    {"x": clamp_x(x, w), "y": plot_bottom + 18, "text-anchor": "middle"},
                    _txt(x_labels[fy]),
                )
            )
    grid.append(
        _el(
            "text",
            {"x": plot_right, "y": plot_bottom + 36, "text-anchor": "end", "fill": SOLID_GRAY_600},
            _txt(s["x_axis"]),
        )
    )
    body.append(_el("g", {"data-role": "axes"}, "".join(grid)))

    # Projection: band + dotted line.
    if proj:
        parts: list[str] = []
        for run in _runs(proj):
            if len(run) == 1:
                fy = run[0]
                v, plo, phi = proj[fy]
                x, half = X(fy), min(8.0, band / 2)
                parts.append(
                    _el(
                        "rect",
                        {
                            "x": x - half,
                            "y": Y(phi),
                            "width": 2 * half,
                            "height": max(Y(plo) - Y(phi), 0.0),
                            **_BAND_FILL,
                        },
                    )
                )
                parts.append(
                    _el(
                        "polyline",
                        {"points": _points([(x - half, Y(v)), (x + half, Y(v))]), **_PROJ_STROKE},
                    )
                )
                continue
            upper = [(X(fy), Y(proj[fy][2])) for fy in run]
            lower = [(X(fy), Y(proj[fy][1])) for fy in reversed(run)]
            parts.append(_el("polygon", {"points": _points(upper + lower), **_BAND_FILL}))
            parts.append(
                _el(
                    "polyline",
                    {"points": _points((X(fy), Y(proj[fy][0])) for fy in run), **_PROJ_STROKE},
                )
            )
        body.append(_el("g", {"data-series": "projection"}, "".join(parts)))

    # Target path: dashed line(s).
    if data.path:
        parts = []
        for run in _runs(data.path):
            if len(run) == 1:
                x, y, half = X(run[0]), Y(data.path[run[0]]), min(14.0, band / 2.5)
                pts = [(x - half, y), (x + half, y)]
            else:
                pts = [(X(fy), Y(data.path[fy])) for fy in run]
            parts.append(_el("polyline", {"points": _points(pts), **_PATH_STROKE, **_LINE_JOIN}))
        body.append(_el("g", {"data-series": "path"}, "".join(parts)))

    # Target marker.
    labels: list[str] = []
    if data.target:
        fy, v = data.target
        x, y = X(fy), Y(v)
        tag, attrs = _marker("diamond", x, y, SOLID_GRAY_600, hollow=False, size=5)
        marker = _el(
            tag,
            {**attrs, "data-fy": fy},
            _el("title", {}, _txt(f"{s['target']} {fy_label(fy)} {val(v)}")),
        )
        text = f"{s['target']} {val(v)}"
        labels.append(
            _label(
                text,
                x,
                y,
                clamp_x,
                plot_top,
                plot_bottom,
                TEXT,
                bold=False,
                prefer_above=data.obs.get(fy, v) <= v,
            )
        )
        body.append(_el("g", {"data-series": "target"}, marker))

    # Observations: solid line(s) broken at gaps, markers, last value label.
    if data.obs:
        marker_size = max(2.5, min(4.5, band * 0.18))
        parts = []
        for run in _runs(data.obs):
            if len(run) > 1:
                pts = [(X(fy), Y(data.obs[fy])) for fy in run]
                parts.append(_el("polyline", {"points": _points(pts), **_OBS_STROKE, **_LINE_JOIN}))
        for fy in sorted(data.obs):
            code = data.assessment.get(fy)
            colour = _ASSESSMENT_COLOUR[code] if code else BLUE_900
            shape = _ASSESSMENT_SHAPE[code] if code else "circle"
            hollow = fy in data.prelim
            tip = f"{fy_label(fy)} {s['actual']} {val(data.obs[fy])}"
            notes = [s["status_preliminary"] if hollow else s["status_final"]]
            if code:
                notes.append(s[code])
            tip += f"（{'、'.join(notes)}）" if lang == "ja" else f" ({', '.join(notes)})"
            tag, attrs = _marker(
                shape,
                X(fy),
                Y(data.obs[fy]),
                colour,
                hollow,
                size=marker_size,
                **{"data-fy": fy, "data-preliminary": "true" if hollow else "false"},
            )
            parts.append(_el(tag, attrs, _el("title", {}, _txt(tip))))
        body.append(_el("g", {"data-series": "observations"}, "".join(parts)))
        last = max(data.obs)
        lv = data.obs[last]
        neighbour = data.path.get(last)
        labels.append(
            _label(
                val(lv),
                X(last),
                Y(lv),
                clamp_x,
                plot_top,
                plot_bottom,
                BLUE_900,
                bold=True,
                prefer_above=neighbour is None or lv >= neighbour,
            )
        )

    body.append(_el("g", {"data-role": "labels"}, "".join(labels)))
    body.append(_el("g", {"data-role": "legend"}, "".join(legend)))
    return _el("svg", root, "".join(head + body))


def _label(
    text: str,
    x: float,
    y: float,
    clamp_x: Callable[[float, float], float],
    plot_top: float,
    plot_bottom: float,
    colour: str,
    *,
    bold: bool,
    prefer_above: bool,
) -> str:
    """A value label with a white backing plate, above (or below) a point."""
    size = 13.0 if bold else _FONT
    w = _text_width(text, size) * (1.05 if bold else 1.0)
    above = prefer_above
    if above and y - 12 - size < plot_top - 4:
        above = False
    if not above and y + 12 + size > plot_bottom:
        above = True
    baseline = y - 11 if above else y + 11 + size * 0.8
    cx = clamp_x(x, w + 6)
    plate = {
        "x": cx - w / 2 - 3,
        "y": baseline - size * 0.85,
        "width": w + 6,
        "height": size * 1.15,
        "fill": WHITE,
        "opacity": "0.75",
        "rx": 2,
    }
    attrs = {"x": cx, "y": baseline, "text-anchor": "middle", "fill": colour}
    if bold:
        attrs["font-weight"] = "bold"
        attrs["font-size"] = size
    text_el = _el("text", attrs, _txt(text))
    return _el("rect", plate) + text_el if bold else text_el


def _no_data(s: dict[str, str], W: float, H: float) -> list[str]:
    frame = {
        "x": _PAD,
        "y": _PAD,
        "width": W - 2 * _PAD,
        "height": H - 2 * _PAD,
        "fill": WHITE,
        "stroke": SOLID_GRAY_200,
        "stroke-width": 1,
        "stroke-dasharray": "4 4",
    }
    msg = {
        "x": W / 2,
        "y": H / 2 + 5,
        "text-anchor": "middle",
        "font-size": 14,
        "fill": SOLID_GRAY_600,
    }
    return [
        _el(
            "g", {"data-role": "no-data"}, _el("rect", frame) + _el("text", msg, _txt(s["no_data"]))
        )
    ]


# --- the accessible table beside the chart ---------------------------------------------


def chart_table_headers(lang: str = "ja", unit: str = "") -> dict[str, str]:
    """Column headings for :func:`chart_table` rows (unit appended to numbers)."""
    lang = _lang(lang)
    s = _STRINGS[lang]

    def with_unit(label: str) -> str:
        if not unit:
            return label
        return f"{label}（{unit}）" if lang == "ja" else f"{label} ({unit})"

    return {
        "label": s["col_year"],
        "expected": with_unit(s["col_expected"]),
        "actual": with_unit(s["col_actual"]),
        "status": s["col_status"],
        "projection": with_unit(s["col_projection"]),
        "assessment": s["col_assessment"],
    }


def chart_table(
    fiscal_years: Iterable[int],
    path: Mapping[int, Decimal],
    observations: Mapping[int, Decimal],
    preliminary: Iterable[int] = frozenset(),
    projection: Mapping[int, tuple[Decimal, Decimal, Decimal]] | None = None,
    lang: str = "ja",
    *,
    assessment: Mapping[int, str] | None = None,
) -> list[dict]:
    """Rows for the HTML table that accompanies a chart, one per fiscal year
    (the given years plus any year that has data, ascending).

    Each row has display strings ``label`` (「2027年度」/「FY2027」),
    ``expected``, ``actual``, ``status`` (速報/確定 · Preliminary/Final),
    ``projection`` (「16,200（15,800〜16,600）」) and ``assessment`` — ``"—"``
    where there is nothing — plus raw values for templates that need them:
    ``fiscal_year``, ``expected_value``, ``actual_value``, ``status_code``
    (``"preliminary"``/``"final"``/``None``), ``projection_value``,
    ``projection_low``, ``projection_high``, ``assessment_code``.
    """
    lang = _lang(lang)
    s = _STRINGS[lang]
    data = _normalise(fiscal_years, path, observations, preliminary, projection, None, assessment)
    rows = []
    for fy in sorted(data.year_set()):
        expected = data.path.get(fy)
        actual = data.obs.get(fy)
        status_code = None if actual is None else ("preliminary" if fy in data.prelim else "final")
        proj = data.proj.get(fy)
        if proj is None:
            proj_text = MISSING
        else:
            v, plo, phi = proj
            proj_text = format_number(v, lang)
            if plo != phi:
                lo_s, hi_s = format_number(plo, lang), format_number(phi, lang)
                proj_text += f"（{lo_s}〜{hi_s}）" if lang == "ja" else f" ({lo_s}–{hi_s})"
        code = data.assessment.get(fy)
        rows.append(
            {
                "fiscal_year": fy,
                "label": f"{fy}年度" if lang == "ja" else f"FY{fy}",
                "expected": MISSING if expected is None else format_number(expected, lang),
                "expected_value": expected,
                "actual": MISSING if actual is None else format_number(actual, lang),
                "actual_value": actual,
                "status": s[f"status_{status_code}"] if status_code else MISSING,
                "status_code": status_code,
                "projection": proj_text,
                "projection_value": proj[0] if proj else None,
                "projection_low": proj[1] if proj else None,
                "projection_high": proj[2] if proj else None,
                "assessment": s[code] if code else MISSING,
                "assessment_code": code,
            }
        )
    return rows


data_table_rows = chart_table

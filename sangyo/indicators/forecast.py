"""Indicative projection of a KPI: a straight line through past values, with a band.

Why a straight line: municipal KPIs have a handful of yearly points (a five-year plan gives
at most five), too few to tell a curve from noise; a line is what an officer would draw in
Excel, so the page and the spreadsheet agree. The result is labelled 見通し（参考） /
Projection (indicative) everywhere: it is arithmetic on the past, not a forecast the city
stands behind.

Why at least 3 points: two points always fit a line exactly, so the band would be zero and
the page would look falsely certain; with n − 2 = 1 degree of freedom the band is honest
(wide). With fewer than 3 points `project` returns None and the page shows no projection.

Why exact arithmetic: the fit is computed in `fractions.Fraction` from the exact Decimal
inputs, and converted to Decimal (28 digits) only at the end. Points that lie exactly on a
line then give residuals of exactly zero and a band of exactly zero width, instead of
1e-25 noise, and the fitted values reproduce the input exactly. Only the square root is
taken in Decimal. No numpy, and no floats anywhere.

The band is the 95 % prediction interval for a single future value,
    ± t(0.975, n − 2) × s × sqrt(1 + 1/n + (x − x̄)² / Sxx),
with s the residual standard error. It widens away from the observed years, which is the
point: a projection three years out is much less certain than next year's. t quantiles come
from a table for df 1..30 (3 decimals, as printed in statistics textbooks); beyond 30 we
use 1.96, which understates the band by at most 4 % (df 31: exact 2.040) — acceptable for
an indicative line, and series that long are rare for municipal KPIs.

`will_reach` compares the central projected value in the target year with the target (it
ignores the band): "on the current trend the target would / would not be reached" is the
sentence the page prints; the band is shown alongside for the uncertainty.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from .progress import Direction, Note, Spec, maintain_tolerance, to_decimal

__all__ = [
    "LABEL_EN",
    "LABEL_JA",
    "T_975",
    "ProjectedPoint",
    "Projection",
    "project",
    "t_quantile_975",
    "will_reach",
]

LABEL_JA = "見通し（参考）"
LABEL_EN = "Projection (indicative)"

_CTX = decimal.Context(
    prec=28,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

# Two-sided 95 % Student t quantiles, t(0.975, df), df = 1..30.
T_975: dict[int, Decimal] = {
    df: Decimal(v)
    for df, v in enumerate(
        (
            "12.706", "4.303", "3.182", "2.776", "2.571", "2.447", "2.365", "2.306",
            "2.262", "2.228", "2.201", "2.179", "2.160", "2.145", "2.131", "2.120",
            "2.110", "2.101", "2.093", "2.086", "2.080", "2.074", "2.069", "2.064",
            "2.060", "2.056", "2.052", "2.048", "2.045", "2.042",
        ),
        start=1,
    )
}  # fmt: skip
_T_LARGE = Decimal("1.96")


def t_quantile_975(df: int) -> Decimal:
    """t(0.975, df) from the table; 1.96 (the normal quantile) for df > 30."""
    if df < 1:
        raise ValueError(f"degrees of freedom must be at least 1, got {df}")
    return T_975.get(df, _T_LARGE)


def _dec(q: Fraction) -> Decimal:
    return _CTX.divide(Decimal(q.numerator), Decimal(q.denominator))


@dataclass(frozen=True)
class ProjectedPoint:
    """The line's value in one fiscal year, with the 95 % prediction band around it."""

    fy: int
    value: Decimal
    low: Decimal
    high: Decimal
    half_width: Decimal


@dataclass(frozen=True)
class Projection:
    """Least-squares line y = intercept + slope × fy through the observed points.

    `points` covers every fiscal year from the first observation to the target year (or the
    last observation, if later), so a chart can draw the fitted line and its band directly.
    """

    slope: Decimal
    intercept: Decimal
    n: int
    residual_se: Decimal
    t_value: Decimal
    first_fy: int
    last_observed_fy: int
    target_fy: int
    points: tuple[ProjectedPoint, ...]
    label_ja: str = LABEL_JA
    label_en: str = LABEL_EN
    notes: tuple[Note, ...] = ()
    # Exact fit, kept so value_at/band_at reproduce exactly-linear data without rounding.
    _slope: Fraction = field(default=Fraction(0), repr=False, compare=False)
    _intercept: Fraction = field(default=Fraction(0), repr=False, compare=False)
    _s2: Fraction = field(default=Fraction(0), repr=False, compare=False)
    _xbar: Fraction = field(default=Fraction(0), repr=False, compare=False)
    _sxx: Fraction = field(default=Fraction(1), repr=False, compare=False)

    def value_at(self, fy: int) -> Decimal:
        return _dec(self._intercept + self._slope * fy)

    def band_at(self, fy: int) -> Decimal:
        """Half-width of the 95 % prediction interval at `fy` (0 for an exact fit)."""
        if self._s2 == 0:
            return Decimal(0)
        factor = 1 + Fraction(1, self.n) + (fy - self._xbar) ** 2 / self._sxx
        with decimal.localcontext(_CTX):
            return self.t_value * _dec(self._s2 * factor).sqrt()

    def point(self, fy: int) -> ProjectedPoint:
        value, half = self.value_at(fy), self.band_at(fy)
        with decimal.localcontext(_CTX):
            return ProjectedPoint(fy, value, value - half, value + half, half)


def project(points: Mapping[int, Decimal | None], target_fy: int) -> Projection | None:
    """Ordinary least squares line through {fiscal year: value}; None if < 3 values.

    Years mapped to None (not published yet) are skipped, like missing years.
    """
    data = {
        fy: Fraction(to_decimal(v, f"points[{fy}]")) for fy, v in points.items() if v is not None
    }
    n = len(data)
    if n < 3:
        return None
    xs, ys = list(data), list(data.values())
    xbar = Fraction(sum(xs), n)
    ybar = sum(ys, Fraction(0)) / n
    sxx = sum((x - xbar) ** 2 for x in xs)
    sxy = sum((x - xbar) * (y - ybar) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx  # sxx > 0: the years are distinct dictionary keys and n ≥ 3
    intercept = ybar - slope * xbar
    sse = sum((y - (intercept + slope * x)) ** 2 for x, y in zip(xs, ys, strict=True))
    s2 = sse / (n - 2)
    with decimal.localcontext(_CTX):
        residual_se = _dec(s2).sqrt()
    first, last = min(xs), max(xs)
    proj = Projection(
        slope=_dec(slope),
        intercept=_dec(intercept),
        n=n,
        residual_se=residual_se,
        t_value=t_quantile_975(n - 2),
        first_fy=first,
        last_observed_fy=last,
        target_fy=target_fy,
        points=(),
        notes=(
            Note(
                "indicative",
                "過去の実績に直線を当てはめた参考値であり、市の予測や目標ではない。"
                "幅は直線の傾向が続くと仮定した95%予測区間。",
                "A straight line fitted to past values: indicative only, not a forecast or "
                "target of the city. The band is a 95% prediction interval assuming the "
                "linear trend continues.",
            ),
        ),
        _slope=slope,
        _intercept=intercept,
        _s2=s2,
        _xbar=xbar,
        _sxx=sxx,
    )
    years = range(first, max(target_fy, last) + 1)
    object.__setattr__(proj, "points", tuple(proj.point(fy) for fy in years))
    return proj


def will_reach(projection: Projection, spec: Spec) -> bool:
    """Would the central projected value in spec.target_fy meet the target?

    increase: value ≥ target; decrease: value ≤ target; maintain: within the tolerance band
    (the same band `progress.pace` uses). The prediction band is deliberately not used.
    """
    value = projection.value_at(spec.target_fy)
    if spec.direction is Direction.INCREASE:
        return value >= spec.target
    if spec.direction is Direction.DECREASE:
        return value <= spec.target
    with decimal.localcontext(_CTX):
        return abs(value - spec.target) <= maintain_tolerance(spec)

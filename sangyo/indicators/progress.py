"""Progress maths for KPIs: achievement against the final target, and pace against the path.

Everything here is a pure function of a `Spec` and the numbers given, so it can be tested
without a database and reused by pages, exports and roll-ups alike. Why it is built this way:

Numbers
    All values are `decimal.Decimal`. Official statistics are published as exact decimals
    (14,383億円, 20件) and a public page must show the same figure a spreadsheet would; binary
    floats would turn 0.1 into 0.1000000000000000055… and make band edges (exactly 60 %)
    depend on representation noise. Floats are therefore *rejected* on input (TypeError)
    rather than converted: a float has already lost the value the user meant. Ints and strings
    are accepted and converted exactly. Arithmetic runs in a fixed 28-digit context so a
    caller's global decimal settings cannot change a result.

Rounding
    Percentages are rounded once, to 1 decimal place, ROUND_HALF_UP (the rule people learn
    at school and that Excel's ROUND uses, so officers can check a figure by hand). The
    status is decided on the *rounded* share, i.e. on the number the public sees: 59.95 %
    is shown as 60.0 % and is therefore 「概ね順調」, never "60.0 % — 要改善" which would
    contradict the criterion printed next to it. 59.94 % shows as 59.9 % and is 要改善.
    Full precision is kept until that single rounding (`share_exact`, `rate_exact`).

Achievement versus pace
    `achievement` answers "how far are we towards the *final* target?", by the method the
    indicator declares (ratio or baseline-relative; kpi-methods.md shows they disagree
    widely, so the method is never guessed). `pace` answers "are we where the plan said we
    would be *this* year?". Pace is always measured from the baseline along the path,
    whatever the declared method: the path itself runs from baseline to target, and a
    ratio of actual ÷ expected would count the baseline as progress (105 ÷ 110 = 95 % "on
    pace" although only half the planned improvement happened).

Direction
    increase / decrease use the same baseline-relative formula; for decrease the target is
    below the baseline, so numerator and denominator are both negative when things improve
    and the signs work out without special cases. A Spec whose target contradicts its
    direction (increase with target < baseline) is rejected when built: it cannot be judged
    meaningfully, and catching it at load time is kinder than a wrong colour on a page.
    maintain requires target == baseline and is judged within a tolerance band, never by a
    rate (a "102 % of same level" figure invites misreading).

Baseline year not stated
    Many plan summaries (Tsukuba's among them) print a baseline value without its year. We
    then treat it as the value for the year *before* the plan starts, so the first plan year
    already expects 1/N of the improvement, matching 多摩市's "year n → n × 20 %" rule.
    Because this is an assumption, every result carries a note saying so.

Bands
    Ordered rules, first match wins (ClearPoint style), highest threshold first, with a
    catch-all last. The default is 多摩市's: ≥ 100 % 順調, ≥ 60 % 概ね順調, otherwise 要改善.
    When a rule needs "the best" or "the worst" status without a share (maintain, or no
    progress expected yet), it uses the first and the last band, so custom bands keep working.

Language
    Results carry both languages as `<name>_ja` / `<name>_en` pairs, like the models do, so
    `sangyo.core.i18n.pick(result, "reason")` shows the right one; this module therefore
    needs no Django import at all and works without settings. Fiscal years are written as
    2027年度 / FY2027 (the Gregorian form used in plan documents' KPI tables).

Kind (stock / flow)
    Both are judged per fiscal year against the path: a flow value (件/年) is that year's
    count, a stock value (市内総生産) is that year's level, and in both cases the latest
    observed year is what the public asks about. The kind is carried for display and for
    future aggregation rules (sum / average), which are not decided here.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import wraps
from types import MappingProxyType
from typing import Any, ParamSpec, TypeVar

__all__ = [
    "DEFAULT_BANDS",
    "Achievement",
    "Band",
    "Direction",
    "Kind",
    "Method",
    "Note",
    "Pace",
    "PathKind",
    "Spec",
    "achievement",
    "expected_value",
    "latest_pace",
    "maintain_tolerance",
    "pace",
    "round_pct",
    "to_decimal",
    "validate_bands",
]


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"
    MAINTAIN = "maintain"


class Method(StrEnum):
    RATIO = "ratio"
    BASELINE_RELATIVE = "baseline_relative"


class Kind(StrEnum):
    STOCK = "stock"
    FLOW = "flow"


class PathKind(StrEnum):
    LINEAR = "linear"
    STEPPED = "stepped"


# --------------------------------------------------------------------------- numbers

_CTX = decimal.Context(
    prec=28,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
_HUNDRED = Decimal(100)
_ONE_DP = Decimal("0.1")

P = ParamSpec("P")
R = TypeVar("R")


def _in_context(fn: Callable[P, R]) -> Callable[P, R]:
    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with decimal.localcontext(_CTX):
            return fn(*args, **kwargs)

    return wrapper


def to_decimal(value: Any, name: str = "value") -> Decimal:
    """Exact conversion of Decimal / int / str; floats and non-finite values are refused."""
    if isinstance(value, bool):
        raise TypeError(f"{name}: expected a number, got a bool")
    if isinstance(value, float):
        raise TypeError(
            f"{name}: floats are not accepted (got {value!r}); pass Decimal({str(value)!r})"
        )
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int | str):
        try:
            d = Decimal(value.strip() if isinstance(value, str) else value)
        except decimal.InvalidOperation:
            raise ValueError(f"{name}: {value!r} is not a number") from None
    else:
        raise TypeError(f"{name}: expected Decimal, int or str, got {type(value).__name__}")
    if not d.is_finite():
        raise ValueError(f"{name}: {value!r} is not a finite number")
    return d


def round_pct(x: Decimal) -> Decimal:
    """1 decimal place, ROUND_HALF_UP (59.95 → 60.0, 59.94 → 59.9)."""
    # Enough precision for the integer part too, so a huge share cannot make quantize fail.
    ctx = decimal.Context(prec=max(28, x.adjusted() + 3), rounding=ROUND_HALF_UP)
    return x.quantize(_ONE_DP, context=ctx)


def _fmt(d: Decimal, max_places: int | None = None) -> str:
    """Display form: thousands separators, no trailing zeros, no exponent, no "-0".

    Given values (baseline, target, actual) are shown exactly; computed values (the expected
    value, a deviation) are rounded to `max_places` for display only.
    """
    if max_places is not None:
        ctx = decimal.Context(prec=max(28, d.adjusted() + max_places + 2), rounding=ROUND_HALF_UP)
        d = d.quantize(Decimal(1).scaleb(-max_places), context=ctx)
    if d == 0:
        return "0"
    d = d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()
    return format(d, ",f")


def _fmt_signed(d: Decimal, max_places: int | None = None) -> str:
    return ("+" if d > 0 else "") + _fmt(d, max_places)


def _fmt_pct(d: Decimal) -> str:
    return f"{d:.1f}"


# --------------------------------------------------------------------------- bands


@dataclass(frozen=True)
class Band:
    """A rule "share ≥ min_share → status"; min_share None is the catch-all (last band)."""

    min_share: Decimal | None
    status: str
    label_ja: str
    label_en: str

    def __post_init__(self) -> None:
        if self.min_share is not None:
            object.__setattr__(self, "min_share", to_decimal(self.min_share, "Band.min_share"))
        if not self.status:
            raise ValueError("Band.status must not be empty")


DEFAULT_BANDS: tuple[Band, ...] = (
    Band(Decimal(100), "on_track", "順調", "On track"),
    Band(Decimal(60), "mostly_on_track", "概ね順調", "Mostly on track"),
    Band(None, "needs_improvement", "要改善", "Needs improvement"),
)


def validate_bands(bands: tuple[Band, ...] | list[Band]) -> tuple[Band, ...]:
    """Return the bands as a tuple, or raise ValueError saying exactly what is wrong."""
    bands = tuple(bands)
    if not bands:
        raise ValueError("bands: at least one band (the catch-all) is required")
    for b in bands:
        if not isinstance(b, Band):
            raise ValueError(f"bands: expected Band, got {type(b).__name__}")
    if bands[-1].min_share is not None:
        raise ValueError(
            "bands: the last band must be the catch-all (min_share=None), "
            f"but it has min_share={bands[-1].min_share}"
        )
    previous: Decimal | None = None
    for i, b in enumerate(bands[:-1]):
        if b.min_share is None:
            raise ValueError(
                f"bands: only the last band may be the catch-all, but band {i} "
                f"({b.status!r}) has min_share=None"
            )
        if previous is not None and b.min_share >= previous:
            raise ValueError(
                "bands: min_share must strictly descend (highest first), but "
                f"{b.min_share} ({b.status!r}) follows {previous}"
            )
        previous = b.min_share
    statuses = [b.status for b in bands]
    if len(set(statuses)) != len(statuses):
        raise ValueError(f"bands: statuses must be unique, got {statuses}")
    return bands


def _band_for(bands: tuple[Band, ...], share: Decimal) -> Band:
    for b in bands:
        if b.min_share is None or share >= b.min_share:
            return b
    raise AssertionError("validated bands always end with a catch-all")  # pragma: no cover


def _criterion(bands: tuple[Band, ...], band: Band) -> tuple[str, str]:
    """("60%以上100%未満", "60% or more and under 100%") for the given band."""
    i = bands.index(band)
    lower = band.min_share
    upper = bands[i - 1].min_share if i > 0 else None
    if lower is not None and upper is not None:
        return (
            f"{_fmt(lower)}%以上{_fmt(upper)}%未満",
            f"{_fmt(lower)}% or more and under {_fmt(upper)}%",
        )
    if lower is not None:
        return f"{_fmt(lower)}%以上", f"{_fmt(lower)}% or more"
    if upper is not None:
        return f"{_fmt(upper)}%未満", f"under {_fmt(upper)}%"
    return "すべての値", "any value"


# --------------------------------------------------------------------------- spec


@dataclass(frozen=True)
class Note:
    """A caveat attached to a result; `code` is stable, the texts are for people."""

    code: str
    text_ja: str
    text_en: str


@dataclass(frozen=True)
class Spec:
    """What an indicator promises. Validated on construction (ValueError / TypeError).

    Enum fields accept their string values ("increase"); numbers accept Decimal, int or str.
    `steps` is copied into a read-only mapping, so a Spec cannot change after it is built.
    """

    direction: Direction
    method: Method
    kind: Kind
    baseline: Decimal
    baseline_fy: int | None
    target: Decimal
    target_fy: int
    plan_start_fy: int
    path: PathKind = PathKind.LINEAR
    steps: Mapping[int, Decimal] | None = field(default=None, hash=False)
    tolerance_pct: Decimal = Decimal("10")
    bands: tuple[Band, ...] = DEFAULT_BANDS

    def __post_init__(self) -> None:
        def put(name: str, value: Any) -> None:
            object.__setattr__(self, name, value)

        put("direction", Direction(self.direction))
        put("method", Method(self.method))
        put("kind", Kind(self.kind))
        put("path", PathKind(self.path))
        put("baseline", to_decimal(self.baseline, "baseline"))
        put("target", to_decimal(self.target, "target"))
        put("tolerance_pct", to_decimal(self.tolerance_pct, "tolerance_pct"))
        put("bands", validate_bands(self.bands))
        for name in ("baseline_fy", "target_fy", "plan_start_fy"):
            value = getattr(self, name)
            if value is None and name == "baseline_fy":
                continue
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"{name}: expected an int fiscal year, got {value!r}")

        if self.tolerance_pct < 0:
            raise ValueError(f"tolerance_pct must not be negative, got {self.tolerance_pct}")
        if self.plan_start_fy > self.target_fy:
            raise ValueError(
                f"plan_start_fy {self.plan_start_fy} is after target_fy {self.target_fy}"
            )
        if self.path_start_fy >= self.target_fy:
            raise ValueError(
                f"the path starts in FY{self.path_start_fy} (baseline year), which must be "
                f"before target_fy {self.target_fy}"
            )
        if self.direction is Direction.INCREASE and self.target < self.baseline:
            raise ValueError(
                f"direction is increase but target {self.target} is below baseline "
                f"{self.baseline}: use direction decrease, or check the numbers"
            )
        if self.direction is Direction.DECREASE and self.target > self.baseline:
            raise ValueError(
                f"direction is decrease but target {self.target} is above baseline "
                f"{self.baseline}: use direction increase, or check the numbers"
            )
        if self.direction is Direction.MAINTAIN and self.target != self.baseline:
            raise ValueError(
                f"direction is maintain, so target must equal baseline; got baseline "
                f"{self.baseline}, target {self.target}"
            )

        if self.path is PathKind.STEPPED:
            if not self.steps:
                raise ValueError("path is stepped, so steps ({fiscal year: value}) are required")
        elif self.steps:
            raise ValueError("steps were given but path is linear: set path=stepped")
        put("steps", MappingProxyType(self._checked_steps(self.steps)) if self.steps else None)

    def _checked_steps(self, steps: Mapping[int, Any]) -> dict[int, Decimal]:
        lo, hi = sorted((self.baseline, self.target))
        checked: dict[int, Decimal] = {}
        for fy in sorted(steps):
            if not isinstance(fy, int) or isinstance(fy, bool):
                raise TypeError(f"steps: fiscal years must be ints, got {fy!r}")
            value = to_decimal(steps[fy], f"steps[{fy}]")
            if not self.path_start_fy < fy <= self.target_fy:
                raise ValueError(
                    f"steps: FY{fy} is outside the path FY{self.path_start_fy + 1}.."
                    f"FY{self.target_fy}"
                )
            if not lo <= value <= hi:
                raise ValueError(
                    f"steps: the value {value} for FY{fy} is not between baseline "
                    f"{self.baseline} and target {self.target}"
                )
            if fy == self.target_fy and value != self.target:
                raise ValueError(
                    f"steps: the value for the target year FY{fy} must be the target "
                    f"{self.target}, got {value}"
                )
            checked[fy] = value
        return checked

    @property
    def baseline_fy_stated(self) -> bool:
        return self.baseline_fy is not None

    @property
    def path_start_fy(self) -> int:
        """The year the baseline value describes (assumed: the year before the plan)."""
        return self.baseline_fy if self.baseline_fy is not None else self.plan_start_fy - 1


def _spec_notes(spec: Spec) -> list[Note]:
    if spec.baseline_fy_stated:
        return []
    fy = spec.path_start_fy
    return [
        Note(
            "baseline_fy_not_stated",
            f"基準値の年度が示されていないため、計画開始の前年度（{fy}年度）の値とみなして"
            "計算しています。",
            f"The baseline year is not stated, so the baseline is treated as the value for "
            f"FY{fy}, the year before the plan starts.",
        )
    ]


# --------------------------------------------------------------------------- expected value


@_in_context
def expected_value(spec: Spec, fy: int) -> Decimal:
    """The value the plan expects in fiscal year `fy`.

    linear: straight line from (path_start_fy, baseline) to (target_fy, target), held at
    the baseline before the start and at the target after the target year (a plan says
    nothing beyond its horizon, and the target remains what is asked for).
    stepped: the latest step at or before `fy`, the baseline before the first step, and the
    target from the target year on. maintain: the target every year.
    """
    if spec.direction is Direction.MAINTAIN:
        return spec.target
    start = spec.path_start_fy
    if fy <= start:
        return spec.baseline
    if fy >= spec.target_fy:
        return spec.target
    if spec.path is PathKind.STEPPED:
        assert spec.steps is not None
        value = spec.baseline
        for step_fy, step_value in sorted(spec.steps.items()):
            if step_fy <= fy:
                value = step_value
        return value
    elapsed = Decimal(fy - start)
    total = Decimal(spec.target_fy - start)
    return spec.baseline + (spec.target - spec.baseline) * elapsed / total


# --------------------------------------------------------------------------- achievement


@dataclass(frozen=True)
class Achievement:
    """How far the actual value is towards the final target, by the declared method.

    `rate` is a percentage rounded to 1 dp (None when undefined or for maintain);
    `within_band` is set for maintain only. `code` says which rule applied:
    ok, maintain, target_zero, target_equals_baseline, mixed_signs, actual_zero.
    """

    method: Method
    direction: Direction
    code: str
    rate: Decimal | None
    rate_exact: Decimal | None
    within_band: bool | None
    actual: Decimal
    target: Decimal
    baseline: Decimal
    reason_ja: str
    reason_en: str
    notes: tuple[Note, ...] = ()


@_in_context
def maintain_tolerance(spec: Spec) -> Decimal:
    """Allowed |actual − target| for maintain.

    tolerance_pct % of |target|; for a target of zero a relative band has no width, so the
    percentage is read as an absolute allowance in the indicator's unit divided by 100
    (10 → ±0.1), the smallest reading that is not "exactly zero only".
    """
    if spec.target == 0:
        return spec.tolerance_pct / _HUNDRED
    return spec.tolerance_pct / _HUNDRED * abs(spec.target)


def _tolerance_text(spec: Spec) -> tuple[str, str]:
    if spec.target == 0:
        tol = _fmt(maintain_tolerance(spec), 4)
        return (
            f"許容幅 ±{tol}（目標値が0のため絶対値）",
            f"tolerance ±{tol} (absolute, because the target is zero)",
        )
    pct = _fmt(spec.tolerance_pct)
    return f"許容幅 ±{pct}%", f"tolerance ±{pct}%"


@_in_context
def achievement(spec: Spec, actual: Decimal) -> Achievement:
    """Achievement rate against the FINAL target (not this year's expected value).

    ratio, increase: actual ÷ target × 100.
    ratio, decrease: target ÷ actual × 100 (reaching the target or below gives ≥ 100 %).
    baseline_relative (both directions): (actual − baseline) ÷ (target − baseline) × 100.
    maintain: no rate; `within_band` = |actual − target| ≤ tolerance (see `maintain_tolerance`).

    Undefined (rate None, with a reason) rather than a misleading number:
    - ratio with target 0 (division by zero, and "0 % of nothing" means nothing);
    - ratio with a negative target, or actual and target of opposite signs (a tool once
      scored actual 3 against target −2 as −150 %); baseline-relative is suggested;
    - ratio, decrease, actual 0 (target ÷ 0);
    - baseline_relative with target == baseline (no progress was asked for; suggest maintain).
    """
    actual = to_decimal(actual, "actual")
    notes = tuple(_spec_notes(spec))

    def result(code: str, exact: Decimal | None, ja: str, en: str, within=None) -> Achievement:
        return Achievement(
            method=spec.method,
            direction=spec.direction,
            code=code,
            rate=None if exact is None else round_pct(exact),
            rate_exact=exact,
            within_band=within,
            actual=actual,
            target=spec.target,
            baseline=spec.baseline,
            reason_ja=ja,
            reason_en=en,
            notes=notes,
        )

    a, t, b = _fmt(actual), _fmt(spec.target), _fmt(spec.baseline)

    if spec.direction is Direction.MAINTAIN:
        deviation = actual - spec.target
        within = abs(deviation) <= maintain_tolerance(spec)
        tol_ja, tol_en = _tolerance_text(spec)
        dev = _fmt_signed(deviation, 4)
        if within:
            ja = f"目標値 {t} に対し実績 {a}（差 {dev}）。{tol_ja} 以内"
            en = f"Target {t}, actual {a} (difference {dev}): within the {tol_en}"
        else:
            ja = f"目標値 {t} に対し実績 {a}（差 {dev}）。{tol_ja} を超えている"
            en = f"Target {t}, actual {a} (difference {dev}): outside the {tol_en}"
        return result("maintain", None, ja, en, within)

    if spec.method is Method.BASELINE_RELATIVE:
        if spec.target == spec.baseline:
            return result(
                "target_equals_baseline",
                None,
                f"目標値 {t} が基準値 {b} と同じため、基準値からの達成率は計算できない"
                "（維持型の指標として扱うことを検討してください）",
                f"Target {t} equals baseline {b}: the baseline-relative rate is undefined "
                "(consider declaring the indicator as maintain)",
            )
        exact = (actual - spec.baseline) / (spec.target - spec.baseline) * _HUNDRED
        return result(
            "ok",
            exact,
            f"達成率 {_fmt_pct(round_pct(exact))}%（(実績 {a} − 基準値 {b}) ÷ "
            f"(目標値 {t} − 基準値 {b}) × 100）",
            f"Achievement {_fmt_pct(round_pct(exact))}% ((actual {a} − baseline {b}) ÷ "
            f"(target {t} − baseline {b}) × 100)",
        )

    # ratio
    if spec.target == 0:
        return result(
            "target_zero",
            None,
            "目標値が0のため、比率による達成率は計算できない（基準値からの達成率を使用してください）",
            "Target is zero: ratio undefined (use the baseline-relative method)",
        )
    if spec.target < 0 or actual * spec.target < 0:
        return result(
            "mixed_signs",
            None,
            f"目標値 {t} と実績 {a} の符号が異なる（または目標値が負）ため、比率による達成率は"
            "意味をなさない（基準値からの達成率を使用してください）",
            f"Target {t} and actual {a} have different signs (or the target is negative): "
            "a ratio would be meaningless (use the baseline-relative method)",
        )
    if spec.direction is Direction.DECREASE:
        if actual == 0:
            return result(
                "actual_zero",
                None,
                "実績が0のため、減少型の比率（目標値 ÷ 実績）は計算できない"
                "（基準値からの達成率を使用してください）",
                "Actual is zero: the decrease ratio (target ÷ actual) is undefined "
                "(use the baseline-relative method)",
            )
        exact = spec.target / actual * _HUNDRED
        formula_ja, formula_en = f"目標値 {t} ÷ 実績 {a} × 100", f"target {t} ÷ actual {a} × 100"
    else:
        exact = actual / spec.target * _HUNDRED
        formula_ja, formula_en = f"実績 {a} ÷ 目標値 {t} × 100", f"actual {a} ÷ target {t} × 100"
    pct = _fmt_pct(round_pct(exact))
    return result(
        "ok", exact, f"達成率 {pct}%（{formula_ja}）", f"Achievement {pct}% ({formula_en})"
    )


# --------------------------------------------------------------------------- pace


@dataclass(frozen=True)
class Pace:
    """Judgement of one fiscal year's value against the planned path.

    `share` is the percentage of the progress expected by `fy` that was achieved, rounded to
    1 dp (None when undefined: maintain, or no progress expected yet). `code` says which rule
    applied: share, no_progress_expected, target_equals_baseline, maintain.
    """

    fy: int
    status: str
    label_ja: str
    label_en: str
    code: str
    share: Decimal | None
    share_exact: Decimal | None
    expected: Decimal
    actual: Decimal
    within_band: bool | None
    reason_ja: str
    reason_en: str
    notes: tuple[Note, ...] = ()


@_in_context
def pace(spec: Spec, fy: int, actual: Decimal) -> Pace:
    """Is `actual` (the value for fiscal year `fy`) where the plan expected it to be?

    increase / decrease: share = (actual − baseline) ÷ (expected(fy) − baseline) × 100,
    rounded to 1 dp, then the first band whose min_share ≤ share.

    No progress expected (expected(fy) == baseline: a year at or before the path start, or a
    target equal to the baseline): the share would divide by zero, so it is None and the
    status is the best band if the actual is at least as good as the baseline (≥ for
    increase, ≤ for decrease), otherwise the worst band; nothing was asked for yet, so
    "held the baseline" is all that can be judged (Fukuoka's b/c distinction).

    maintain: best band if within the tolerance band, else the worst band, with the
    deviation in the reason.
    """
    actual = to_decimal(actual, "actual")
    expected = expected_value(spec, fy)
    bands = spec.bands
    best, worst = bands[0], bands[-1]
    notes = _spec_notes(spec)
    if fy > spec.target_fy:
        notes.append(
            Note(
                "after_target_year",
                f"目標年度（{spec.target_fy}年度）を過ぎているため、最終目標値と比較しています。",
                f"The target year (FY{spec.target_fy}) has passed, so the value is compared "
                "with the final target.",
            )
        )
    a, e, b = _fmt(actual), _fmt(expected, 2), _fmt(spec.baseline)

    def result(
        band: Band,
        code: str,
        exact: Decimal | None,
        ja: str,
        en: str,
        within: bool | None = None,
    ) -> Pace:
        return Pace(
            fy=fy,
            status=band.status,
            label_ja=band.label_ja,
            label_en=band.label_en,
            code=code,
            share=None if exact is None else round_pct(exact),
            share_exact=exact,
            expected=expected,
            actual=actual,
            within_band=within,
            reason_ja=ja,
            reason_en=en,
            notes=tuple(notes),
        )

    if spec.direction is Direction.MAINTAIN:
        deviation = actual - spec.target
        within = abs(deviation) <= maintain_tolerance(spec)
        band = best if within else worst
        tol_ja, tol_en = _tolerance_text(spec)
        dev = _fmt_signed(deviation, 4)
        if spec.target != 0:
            dev_pct = _fmt_signed(round_pct(deviation / abs(spec.target) * _HUNDRED))
            dev_ja, dev_en = f"差 {dev}、{dev_pct}%", f"difference {dev}, {dev_pct}%"
        else:
            dev_ja, dev_en = f"差 {dev}", f"difference {dev}"
        where_ja, where_en = ("以内の", "within") if within else ("を超える", "outside")
        return result(
            band,
            "maintain",
            None,
            f"{fy}年度の目標値 {e} に対し実績 {a}（{dev_ja}）。{tol_ja} {where_ja}ため"
            f"「{band.label_ja}」",
            f"Target for FY{fy}: {e}; actual: {a} ({dev_en}). That is {where_en} the "
            f"{tol_en}, so “{band.label_en}”.",
            within,
        )

    if expected == spec.baseline:
        improving = spec.direction is Direction.INCREASE
        held = actual >= spec.baseline if improving else actual <= spec.baseline
        band = best if held else worst
        if held:
            cmp_ja = "基準値以上" if improving else "基準値以下"
            cmp_en = "at or above" if improving else "at or below"
        else:
            cmp_ja = "基準値を下回る" if improving else "基準値を上回る"
            cmp_en = "below" if improving else "above"
        if spec.target == spec.baseline:
            code = "target_equals_baseline"
            why_ja = f"目標値が基準値 {b} と同じため、進捗の割合は計算できない"
            why_en = f"The target equals the baseline {b}, so no share of progress can be computed"
        else:
            code = "no_progress_expected"
            why_ja = f"{fy}年度はまだ基準値 {b} からの進捗が見込まれていない（見込み値 {e}）"
            why_en = f"No progress from the baseline {b} is expected yet for FY{fy} (expected {e})"
        return result(
            band,
            code,
            None,
            f"{why_ja}。実績 {a} は{cmp_ja}のため「{band.label_ja}」",
            f"{why_en}. The actual {a} is {cmp_en} the baseline, so “{band.label_en}”.",
        )

    exact = (actual - spec.baseline) / (expected - spec.baseline) * _HUNDRED
    share = round_pct(exact)
    band = _band_for(bands, share)
    crit_ja, crit_en = _criterion(bands, band)
    s = _fmt_pct(share)
    return result(
        band,
        "share",
        exact,
        f"{fy}年度の見込み値 {e} に対し実績 {a}。計画どおりの進捗の {s}% のため"
        f"「{band.label_ja}」（基準: {crit_ja}）",
        f"Expected value for FY{fy}: {e}; actual: {a}. That is {s}% of the progress planned "
        f"by then, so “{band.label_en}” (criterion: {crit_en}).",
    )


def latest_pace(spec: Spec, observations: Mapping[int, Decimal | None]) -> Pace | None:
    """Pace for the latest fiscal year that has a value; None if there is none.

    Years missing from the mapping, or mapped to None (not yet published), are skipped:
    the latest *published* figure is what the public asks about, and a gap must not be read
    as zero. Flow and stock indicators are judged alike (see the module docstring).
    """
    observed = [fy for fy, value in observations.items() if value is not None]
    if not observed:
        return None
    fy = max(observed)
    value = observations[fy]
    assert value is not None
    return pace(spec, fy, value)

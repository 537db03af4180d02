"""From stored rows to a judgement: an Indicator, its TargetRevision in force and its
observations become a `progress.Spec` and an `Assessment` that pages, the API and the open
data all show alike.

Pure given the loaded objects: nothing here queries the database, so a selector can load a
whole strategy in a fixed number of queries and assess every indicator in memory.

Why an `Assessment` never raises: `progress.Spec` refuses definitions that cannot be judged
(an "increase" indicator whose target is below its baseline, a "maintain" indicator whose
target differs from its baseline, a baseline year after the target year, malformed steps or
bands). A public page must not answer 500 for a data-entry slip, so the refusal becomes a
`problem` text (判定できません, with the reason in words) and the figures are still shown.

Texts come in `_ja` / `_en` pairs like `progress` results, so `sangyo.core.i18n.pick` and the
`tr` template filter choose the language, and the API can return both.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import forecast
from .progress import (
    DEFAULT_BANDS,
    Achievement,
    Band,
    Note,
    Pace,
    Spec,
    _spec_notes,  # the same "baseline year not stated" note progress results carry
    achievement,
    expected_value,
    latest_pace,
    pace,
)

__all__ = ["Assessment", "Vintage", "assess", "bands_for", "spec_for"]

# Shapes that tell statuses apart without colour (the chart uses the same three).
SHAPE_SYMBOL = {"circle": "●", "triangle": "▲", "square": "■", "none": "－", "unknown": "？"}

STATUS_NOT_JUDGED = "not_judged"
STATUS_NO_DATA = "no_data"


def _fmt(value: Decimal) -> str:
    """14383.0000 → 14,383; 1.2500 → 1.25 (exact: no rounding of stored figures)."""
    d = Decimal(value)
    if d == d.to_integral_value():
        return f"{int(d):,}"
    return f"{d.normalize():,f}"


def _date_ja(d: datetime.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _date_en(d: datetime.date) -> str:
    return d.strftime("%-d %B %Y")


def _dec(value: Any, name: str) -> Decimal:
    """JSON numbers arrive as int/float/str; floats are read via their shortest repr."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{name}: expected a number, got {value!r}")
    if isinstance(value, float):
        value = repr(value)
    try:
        return Decimal(str(value).strip())
    except ArithmeticError:
        raise ValueError(f"{name}: {value!r} is not a number") from None


def bands_for(indicator) -> tuple[Band, ...]:
    """The indicator's pace bands (list of dicts in `indicator.bands`); empty → default."""
    raw = indicator.bands or []
    if not raw:
        return DEFAULT_BANDS
    if not isinstance(raw, list):
        raise ValueError("bands: expected a list of rules")
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, Mapping):
            raise ValueError(f"bands[{i}]: expected an object")
        min_share = item.get("min_share")
        out.append(
            Band(
                None if min_share in (None, "") else _dec(min_share, f"bands[{i}].min_share"),
                str(item.get("status") or ""),
                str(item.get("label_ja") or item.get("status") or ""),
                str(item.get("label_en") or item.get("label_ja") or item.get("status") or ""),
            )
        )
    return tuple(out)


def _steps(indicator) -> dict[int, Decimal] | None:
    raw = indicator.steps or {}
    if not raw:
        return None
    if not isinstance(raw, Mapping):
        raise ValueError("steps: expected an object {fiscal year: value}")
    steps = {}
    for key, value in raw.items():
        try:
            fy = int(str(key).strip())
        except ValueError:
            raise ValueError(f"steps: {key!r} is not a fiscal year") from None
        steps[fy] = _dec(value, f"steps[{key}]")
    return steps


def spec_for(indicator, revision, plan_start_fy: int) -> Spec | None:
    """The `Spec` of an indicator under `revision`; None when no target is set yet.

    Raises ValueError / TypeError when the definition is inconsistent (see `assess`)."""
    if revision is None:
        return None
    return Spec(
        direction=indicator.direction,
        method=indicator.method,
        kind=indicator.kind,
        baseline=Decimal(revision.baseline_value),
        baseline_fy=revision.baseline_fy,
        target=Decimal(revision.target_value),
        target_fy=revision.target_fy,
        plan_start_fy=plan_start_fy,
        path=indicator.path,
        steps=_steps(indicator),
        tolerance_pct=Decimal(indicator.tolerance_pct),
        bands=bands_for(indicator),
    )


def _problem(indicator, revision, plan_start_fy: int, exc: Exception) -> tuple[str, str]:
    """Why the definition cannot be judged, in words (the common cases named exactly)."""
    if revision is None:
        return (
            "目標値が設定されていないため、判定できません。",
            "No target has been set, so progress cannot be judged.",
        )
    b, t = Decimal(revision.baseline_value), Decimal(revision.target_value)
    bs, ts = _fmt(b), _fmt(t)
    direction = indicator.direction
    if direction == "increase" and t < b:
        return (
            f"「増加が望ましい」指標ですが、目標値 {ts} が基準値 {bs} を下回っているため、"
            "判定できません。",
            f"The indicator should increase, but the target {ts} is below the baseline {bs}, "
            "so progress cannot be judged.",
        )
    if direction == "decrease" and t > b:
        return (
            f"「減少が望ましい」指標ですが、目標値 {ts} が基準値 {bs} を上回っているため、"
            "判定できません。",
            f"The indicator should decrease, but the target {ts} is above the baseline {bs}, "
            "so progress cannot be judged.",
        )
    if direction == "maintain" and t != b:
        return (
            f"「維持」の指標ですが、目標値 {ts} と基準値 {bs} が異なるため、判定できません。",
            f"The indicator is to be maintained, but the target {ts} differs from the "
            f"baseline {bs}, so progress cannot be judged.",
        )
    start = revision.baseline_fy if revision.baseline_fy is not None else plan_start_fy - 1
    if plan_start_fy > revision.target_fy or start >= revision.target_fy:
        return (
            f"基準年度（{start}年度）または計画開始年度（{plan_start_fy}年度）が目標年度"
            f"（{revision.target_fy}年度）以降のため、判定できません。",
            f"The baseline year (FY{start}) or the plan's first year (FY{plan_start_fy}) is "
            f"not before the target year (FY{revision.target_fy}), so progress cannot be "
            "judged.",
        )
    detail = str(exc)
    if detail.startswith("bands") or "Band" in detail:
        return (
            f"進捗の判定基準の設定に誤りがあるため、判定できません（{detail}）。",
            f"The pace bands are set incorrectly, so progress cannot be judged ({detail}).",
        )
    if "step" in detail:
        return (
            f"中間目標の設定に誤りがあるため、判定できません（{detail}）。",
            f"The intermediate targets are set incorrectly, so progress cannot be judged "
            f"({detail}).",
        )
    return (
        f"指標の定義に矛盾があるため、判定できません（{detail}）。",
        f"The indicator's definition is inconsistent, so progress cannot be judged ({detail}).",
    )


@dataclass(frozen=True)
class Vintage:
    """Which figure a judgement rests on: the latest year's current vintage."""

    fiscal_year: int
    value: Decimal
    status: str  # "preliminary" | "final"
    published_on: datetime.date | None
    source: str
    # Earlier vintages of this year's figure; None when the caller did not load them.
    revision_count: int | None

    @property
    def is_preliminary(self) -> bool:
        return self.status == "preliminary"

    @property
    def status_label_ja(self) -> str:
        return "速報値" if self.is_preliminary else "確定値"

    @property
    def status_label_en(self) -> str:
        return "Preliminary" if self.is_preliminary else "Final"

    @property
    def basis_ja(self) -> str:
        parts = []
        if self.published_on:
            parts.append(f"{_date_ja(self.published_on)}公表")
        if self.source:
            parts.append(f"出典：{self.source}")
        if self.revision_count:
            parts.append(f"{self.revision_count}回改定後の値")
        extra = f"（{'、'.join(parts)}）" if parts else ""
        return f"{self.fiscal_year}年度の{self.status_label_ja}{extra}による判定"

    @property
    def basis_en(self) -> str:
        parts = []
        if self.published_on:
            parts.append(f"published {_date_en(self.published_on)}")
        if self.source:
            parts.append(f"source: {self.source}")
        if self.revision_count:
            times = "once" if self.revision_count == 1 else f"{self.revision_count} times"
            parts.append(f"revised {times}")
        extra = f" ({'; '.join(parts)})" if parts else ""
        return (
            f"Judged on the {self.status_label_en.lower()} figure for FY{self.fiscal_year}{extra}"
        )


def _revision_count(obs) -> int | None:
    if hasattr(obs, "revision_count"):
        return obs.revision_count
    if hasattr(obs, "history_list"):
        return len(obs.history_list)
    return None


@dataclass(frozen=True)
class Assessment:
    """Everything a page needs to show an indicator's progress and trace it."""

    spec: Spec | None
    problem_ja: str
    problem_en: str
    latest: Vintage | None
    pace: Pace | None
    achievement: Achievement | None
    # Pace of every observed year on the path (only when assessed with full=True).
    yearly: Mapping[int, Pace]
    projection: forecast.Projection | None
    reaches: bool | None
    # Expected value for each year of the path (path start .. target year).
    path: Mapping[int, Decimal]
    observations: Mapping[int, Decimal]
    preliminary_years: frozenset[int]
    notes: tuple[Note, ...] = ()
    bands: tuple[Band, ...] = DEFAULT_BANDS
    status: str = STATUS_NO_DATA
    label_ja: str = ""
    label_en: str = ""
    shape: str = "none"
    reason_ja: str = ""
    reason_en: str = ""
    projection_text_ja: str = ""
    projection_text_en: str = ""
    target: tuple[int, Decimal] | None = field(default=None)

    @property
    def judged(self) -> bool:
        return self.pace is not None

    @property
    def symbol(self) -> str:
        return SHAPE_SYMBOL[self.shape]

    @property
    def projection_points(self) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
        """Projected (value, low, high) for the years after the latest observation."""
        if self.projection is None:
            return {}
        last = self.projection.last_observed_fy
        return {p.fy: (p.value, p.low, p.high) for p in self.projection.points if p.fy > last}

    @property
    def projection_at_target(self) -> forecast.ProjectedPoint | None:
        if self.projection is None or self.spec is None:
            return None
        return self.projection.point(self.spec.target_fy)

    def shape_for(self, status: str) -> str:
        return _shape(self.bands, status)


def _shape(bands: tuple[Band, ...], status: str) -> str:
    statuses = [b.status for b in bands]
    if status not in statuses:
        return "unknown"
    i = statuses.index(status)
    if i == 0:
        return "circle"
    return "square" if i == len(statuses) - 1 else "triangle"


def _merge_notes(*groups: Iterable[Note]) -> tuple[Note, ...]:
    seen: dict[str, Note] = {}
    for group in groups:
        for note in group:
            seen.setdefault(note.code, note)
    return tuple(seen.values())


def _projection_text(proj: forecast.Projection, spec: Spec, unit: tuple[str, str]):
    point = proj.point(spec.target_fy)
    reaches = forecast.will_reach(proj, spec)
    v, lo, hi = (_fmt(x.quantize(Decimal("0.01"))) for x in (point.value, point.low, point.high))
    fy = spec.target_fy
    if spec.direction == "maintain":
        ja_verb = "許容幅に収まる見込み" if reaches else "許容幅に収まらない見込み"
        en_verb = "within the tolerance" if reaches else "outside the tolerance"
    else:
        ja_verb = "目標値に届く見込み" if reaches else "目標値に届かない見込み"
        en_verb = "would reach the target" if reaches else "would not reach the target"
    ja = (
        f"過去{proj.n}年度分の実績に直線を当てはめると、{fy}年度は {v}{unit[0]}"
        f"（95%予測区間 {lo}〜{hi}）で、{ja_verb}です（目標値 {_fmt(spec.target)}{unit[0]}）。"
    )
    en_unit = f" {unit[1]}" if unit[1] else ""
    en = (
        f"A straight line through the {proj.n} observed years gives {v}{en_unit} for FY{fy} "
        f"(95% prediction interval {lo}–{hi}): on this trend the indicator {en_verb} "
        f"(target {_fmt(spec.target)}{en_unit})."
    )
    return reaches, ja, en


def assess(
    indicator,
    revision,
    observations: Iterable,
    plan_start_fy: int,
    *,
    full: bool = True,
    yearly: bool | None = None,
) -> Assessment:
    """Judge an indicator on its current target and the latest vintage of its figures.

    `observations` are `Observation` rows (any order). With `full=False` the projection and
    the per-year paces are skipped (lists of many indicators need only the latest status);
    `yearly` overrides the latter (open data wants every year's pace, but no projection).
    """
    yearly_wanted = full if yearly is None else yearly
    obs = sorted(observations, key=lambda o: o.fiscal_year)
    values = {o.fiscal_year: Decimal(o.value) for o in obs}
    prelim = frozenset(o.fiscal_year for o in obs if o.status == "preliminary")
    latest_obs = obs[-1] if obs else None
    latest = (
        Vintage(
            fiscal_year=latest_obs.fiscal_year,
            value=Decimal(latest_obs.value),
            status=latest_obs.status,
            published_on=latest_obs.published_on,
            source=latest_obs.source,
            revision_count=_revision_count(latest_obs),
        )
        if latest_obs is not None
        else None
    )
    target = (revision.target_fy, Decimal(revision.target_value)) if revision is not None else None
    common = {
        "latest": latest,
        "observations": values,
        "preliminary_years": prelim,
        "target": target,
    }

    try:
        spec = spec_for(indicator, revision, plan_start_fy)
        if spec is None:
            raise ValueError("no target revision")
    except (ValueError, TypeError) as exc:
        ja, en = _problem(indicator, revision, plan_start_fy, exc)
        return Assessment(
            spec=None,
            problem_ja=ja,
            problem_en=en,
            pace=None,
            achievement=None,
            yearly={},
            projection=None,
            reaches=None,
            path={},
            status=STATUS_NOT_JUDGED,
            label_ja="判定できません",
            label_en="Cannot be judged",
            shape="unknown",
            reason_ja=ja,
            reason_en=en,
            **common,
        )

    # The path is for charts and tables; a list of many indicators needs only the status.
    path = (
        {fy: expected_value(spec, fy) for fy in range(spec.path_start_fy, spec.target_fy + 1)}
        if full or yearly_wanted
        else {}
    )
    current = latest_pace(spec, values)
    ach = (
        achievement(spec, values[latest.fiscal_year])
        if latest is not None and (full or yearly_wanted)
        else None
    )
    paces: dict[int, Pace] = {}
    projection = None
    reaches = None
    proj_ja = proj_en = ""
    if yearly_wanted:
        paces = {fy: pace(spec, fy, v) for fy, v in values.items() if fy > spec.path_start_fy}
        if current is not None:
            paces[current.fy] = current
    if full:
        # Only with ≥ 3 points (forecast.project returns None otherwise), and only while the
        # target year is still ahead: afterwards the figure itself answers the question.
        if latest is not None and latest.fiscal_year < spec.target_fy:
            projection = forecast.project(values, spec.target_fy)
        if projection is not None:
            unit = (indicator.unit_ja, indicator.unit_en or indicator.unit_ja)
            reaches, proj_ja, proj_en = _projection_text(projection, spec, unit)

    notes = _merge_notes(
        _spec_notes(spec),
        current.notes if current else (),
        ach.notes if ach else (),
    )
    if current is None:
        status, label_ja, label_en, shape = STATUS_NO_DATA, "実績なし", "No data yet", "none"
        reason_ja = "まだ実績値が登録されていないため、進捗は判定していません。"
        reason_en = "No figures have been recorded yet, so progress is not judged."
    else:
        status, label_ja, label_en = current.status, current.label_ja, current.label_en
        shape = _shape(spec.bands, current.status)
        reason_ja, reason_en = current.reason_ja, current.reason_en
    return Assessment(
        spec=spec,
        problem_ja="",
        problem_en="",
        pace=current,
        achievement=ach,
        yearly=paces,
        projection=projection,
        reaches=reaches,
        path=path,
        notes=notes,
        bands=spec.bands,
        status=status,
        label_ja=label_ja,
        label_en=label_en,
        shape=shape,
        reason_ja=reason_ja,
        reason_en=reason_en,
        projection_text_ja=proj_ja,
        projection_text_en=proj_en,
        **common,
    )

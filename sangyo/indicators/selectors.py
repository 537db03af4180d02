"""Reads of indicators for the public pages, the measure panel, the API and open data.

Every reader loads indicators, their target revisions and their observations in a fixed
number of queries, whatever the number of indicators or years: revisions and observations
are fetched with one query each (filtered through the indicator, so no long `IN (…)` lists)
and grouped in memory. Each indicator then carries:

- `revision_list`: its target revisions, newest first; `current_revision` is the first
  (the one in force, as `services.current_target` decides);
- `observation_list`: its observations by fiscal year, each with `revision_count` (earlier
  vintages) or, when history is loaded, `history_list` (newest first);
- `assessment`: `assess.assess(...)` on the above.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404

from sangyo.strategy.models import Measure, Strategy, Vision
from sangyo.strategy.selectors import get_strategy

from .assess import assess
from .models import Indicator, Observation, ObservationRevision, TargetRevision

__all__ = [
    "Dashboard",
    "MeasureGroup",
    "VisionGroup",
    "current_strategy",
    "dashboard",
    "indicator_detail",
    "measure_indicators",
    "open_data",
    "strategy_indicators",
]


def current_strategy() -> Strategy:
    """The current strategy; 404 when none is loaded."""
    return get_strategy(None)


_LEVEL_RANK = {
    Indicator.Level.OUTCOME_KPI: 0,
    Indicator.Level.MEASURE_OUTCOME: 1,
    Indicator.Level.MEASURE_OUTPUT: 2,
}


def _display_order(ind: Indicator):
    """Vision KPIs in the plan's order, then measure indicators by measure number."""
    kpi, measure = ind.kpi, ind.measure
    return (
        0 if ind.level == Indicator.Level.OUTCOME_KPI else 1,
        (kpi.vision.order, kpi.order) if kpi else (999, 0),
        measure.number if measure else "",
        _LEVEL_RANK.get(ind.level, 9),
        ind.order,
        ind.code,
    )


class ObservationRow:
    """An observation read as plain values: lists of many indicators need no model
    instances (several times cheaper to build), only what `assess` and the pages read."""

    __slots__ = (
        "fiscal_year",
        "indicator_id",
        "note",
        "pk",
        "published_on",
        "revision_count",
        "source",
        "status",
        "value",
    )
    FIELDS = (
        "pk",
        "indicator_id",
        "fiscal_year",
        "value",
        "status",
        "source",
        "published_on",
        "note",
    )

    def __init__(self, row: tuple, revision_count: int = 0):
        (
            self.pk,
            self.indicator_id,
            self.fiscal_year,
            self.value,
            self.status,
            self.source,
            self.published_on,
            self.note,
        ) = row
        self.revision_count = revision_count


def _load(
    filters: dict[str, Any],
    *,
    plan_start_fy: int | None = None,
    history: bool = False,
    full: bool | None = None,
    yearly: bool | None = None,
    tree: bool = False,
    series: str = "all",
) -> list[Indicator]:
    """Indicators matching `filters` with revisions, observations and assessment.

    4 queries. `history`: observations as model instances with every earlier vintage
    (`history_list`); otherwise light `ObservationRow`s with `revision_count` only.
    `plan_start_fy` None: each indicator's own strategy (selected with it). `full` None:
    projections and yearly paces for outcome KPIs only. `tree`: also select each measure's
    sub-theme, theme and vision (for the vision code of measure indicators). `series`:
    "all" years of every indicator, or every year of outcome KPIs and only the "latest"
    year of the others ("kpis"), or the "latest" year only — lists that show the latest
    status need not read ten years of figures per indicator."""
    related_filters = {f"indicator__{k}": v for k, v in filters.items()}
    earlier_filters = {f"observation__{k}": v for k, v in related_filters.items()}
    select = ["kpi__vision", "measure"]
    if tree:
        select.append("measure__sub_theme__theme__vision")
    if plan_start_fy is None:
        select.append("strategy")
    indicators = sorted(
        Indicator.objects.filter(**filters).select_related(*select), key=_display_order
    )
    if not indicators:
        return []

    revisions: dict[int, list[TargetRevision]] = defaultdict(list)
    for rev in TargetRevision.objects.filter(**related_filters).order_by(
        "indicator_id", "-decided_on", "-id"
    ):
        revisions[rev.indicator_id].append(rev)

    observations: dict[int, list] = defaultdict(list)
    obs_qs = Observation.objects.filter(**related_filters).order_by("indicator_id", "fiscal_year")
    if series != "all":
        latest_year = (
            Observation.objects.filter(indicator_id=OuterRef("indicator_id"))
            .order_by("-fiscal_year")
            .values("fiscal_year")[:1]
        )
        only_latest = Q(fiscal_year=Subquery(latest_year))
        if series == "kpis":
            only_latest |= Q(indicator__level=Indicator.Level.OUTCOME_KPI)
        obs_qs = obs_qs.filter(only_latest)
    if history:
        earlier: dict[int, list[ObservationRevision]] = defaultdict(list)
        for old in ObservationRevision.objects.filter(**earlier_filters).order_by(
            "observation_id", "-replaced_at", "-id"
        ):
            earlier[old.observation_id].append(old)
        for obs in obs_qs:
            obs.history_list = earlier.get(obs.pk, [])
            obs.revision_count = len(obs.history_list)
            observations[obs.indicator_id].append(obs)
    else:
        counts = dict(
            ObservationRevision.objects.filter(**earlier_filters)
            .order_by()
            .values_list("observation_id")
            .annotate(n=Count("id"))
        )
        for row in obs_qs.values_list(*ObservationRow.FIELDS):
            observations[row[1]].append(ObservationRow(row, counts.get(row[0], 0)))

    for ind in indicators:
        ind.revision_list = revisions.get(ind.pk, [])
        ind.current_revision = ind.revision_list[0] if ind.revision_list else None
        ind.observation_list = observations.get(ind.pk, [])
        start = plan_start_fy if plan_start_fy is not None else ind.strategy.start_fy
        ind.assessment = assess(
            ind,
            ind.current_revision,
            ind.observation_list,
            start,
            full=(ind.level == Indicator.Level.OUTCOME_KPI) if full is None else full,
            yearly=yearly,
        )
    return indicators


def strategy_indicators(
    strategy: Strategy,
    *,
    history: bool = False,
    full: bool | None = None,
    yearly: bool | None = None,
    tree: bool = False,
    series: str = "all",
) -> list[Indicator]:
    """Every indicator of a strategy, assessed (4 queries)."""
    return _load(
        {"strategy": strategy},
        plan_start_fy=strategy.start_fy,
        history=history,
        full=full,
        yearly=yearly,
        tree=tree,
        series=series,
    )


def open_data(strategy: Strategy) -> tuple[list[Vision], list[Measure], list[Indicator]]:
    """Visions, measures and every indicator with its history and yearly paces (6 queries)."""
    visions = list(Vision.objects.filter(strategy=strategy).order_by("order", "code"))
    measures = list(
        Measure.objects.filter(strategy=strategy)
        .select_related("sub_theme__theme__vision")
        .order_by("number")
    )
    indicators = strategy_indicators(strategy, history=True, full=False, yearly=True, tree=True)
    return visions, measures, indicators


@dataclass
class VisionGroup:
    vision: Vision
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class MeasureGroup:
    measure: Measure
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class Dashboard:
    strategy: Strategy
    visions: list[VisionGroup]
    measures: list[MeasureGroup]
    # Outcome indicators not tied to a KPI of the strategy file (rare; shown apart).
    other: list[Indicator]

    @property
    def measure_indicator_count(self) -> int:
        return sum(len(g.indicators) for g in self.measures)


def dashboard(strategy: Strategy) -> Dashboard:
    """The strategy's indicators grouped for the dashboard: 5 queries whatever the size.

    Vision KPIs are assessed in full (projection, yearly paces) for their charts; the
    measure-level indicators only get their latest status, which keeps the page light."""
    groups = {v.pk: VisionGroup(v) for v in Vision.objects.filter(strategy=strategy)}
    measures: dict[int, MeasureGroup] = {}
    other: list[Indicator] = []
    for ind in strategy_indicators(strategy, series="kpis"):
        if ind.level == Indicator.Level.OUTCOME_KPI:
            if ind.kpi is not None and ind.kpi.vision_id in groups:
                groups[ind.kpi.vision_id].indicators.append(ind)
            else:
                other.append(ind)
        elif ind.measure is not None:
            measures.setdefault(ind.measure_id, MeasureGroup(ind.measure)).indicators.append(ind)
        else:
            other.append(ind)
    return Dashboard(
        strategy=strategy,
        visions=sorted(groups.values(), key=lambda g: (g.vision.order, g.vision.code)),
        measures=sorted(measures.values(), key=lambda g: g.measure.number),
        other=other,
    )


def indicator_detail(pk: int) -> Indicator:
    """One indicator with its whole history (4 queries); 404 when unknown."""
    found = _load({"pk": pk}, history=True, full=True, tree=True)
    if not found:
        raise Http404("indicator not found")
    return found[0]


def measure_indicators(measure: Measure) -> list[Indicator]:
    """The output / outcome indicators of one measure, latest status only (4 queries)."""
    return _load({"measure": measure}, full=False, series="latest")

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

from django.db.models import Count
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


def _load(
    filters: dict[str, Any],
    *,
    plan_start_fy: int | None = None,
    history: bool = False,
    full: bool | None = None,
    yearly: bool | None = None,
    related: tuple[str, ...] = (),
) -> list[Indicator]:
    """Indicators matching `filters` with revisions, observations and assessment.

    3 queries (4 with `history`). `plan_start_fy` None: each indicator's own strategy
    (selected with it). `full` None: projections and yearly paces for outcome KPIs only."""
    related_filters = {f"indicator__{k}": v for k, v in filters.items()}
    select = ("kpi__vision", "measure__sub_theme__theme__vision", *related)
    if plan_start_fy is None:
        select = (*select, "strategy")
    indicators = list(
        Indicator.objects.filter(**filters)
        .select_related(*select)
        .order_by("level", "order", "code", "pk")
    )
    if not indicators:
        return []

    revisions: dict[int, list[TargetRevision]] = defaultdict(list)
    for rev in TargetRevision.objects.filter(**related_filters).order_by(
        "indicator_id", "-decided_on", "-id"
    ):
        revisions[rev.indicator_id].append(rev)

    obs_qs = Observation.objects.filter(**related_filters).order_by("indicator_id", "fiscal_year")
    if not history:
        obs_qs = obs_qs.annotate(revision_count=Count("history"))
    observations: dict[int, list[Observation]] = defaultdict(list)
    for obs in obs_qs:
        observations[obs.indicator_id].append(obs)

    if history:
        earlier: dict[int, list[ObservationRevision]] = defaultdict(list)
        for old in ObservationRevision.objects.filter(
            **{f"observation__{k}": v for k, v in related_filters.items()}
        ).order_by("observation_id", "-replaced_at", "-id"):
            earlier[old.observation_id].append(old)
        for obs_list in observations.values():
            for obs in obs_list:
                obs.history_list = earlier.get(obs.pk, [])
                obs.revision_count = len(obs.history_list)

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
) -> list[Indicator]:
    """Every indicator of a strategy, assessed (3 queries; 4 with history)."""
    return _load(
        {"strategy": strategy},
        plan_start_fy=strategy.start_fy,
        history=history,
        full=full,
        yearly=yearly,
    )


def open_data(strategy: Strategy) -> tuple[list[Vision], list[Measure], list[Indicator]]:
    """Visions, measures and every indicator with its history and yearly paces (6 queries)."""
    visions = list(Vision.objects.filter(strategy=strategy).order_by("order", "code"))
    measures = list(
        Measure.objects.filter(strategy=strategy)
        .select_related("sub_theme__theme__vision")
        .order_by("number")
    )
    indicators = strategy_indicators(strategy, history=True, full=False, yearly=True)
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


def _kpi_key(ind: Indicator):
    kpi = ind.kpi
    return (kpi.order if kpi else 0, ind.order, ind.code)


def dashboard(strategy: Strategy) -> Dashboard:
    """The strategy's indicators grouped for the dashboard: 4 queries whatever the size.

    Vision KPIs are assessed in full (projection, yearly paces) for their charts; the
    measure-level indicators only get their latest status, which keeps the page light."""
    groups = {v.pk: VisionGroup(v) for v in Vision.objects.filter(strategy=strategy)}
    measures: dict[int, MeasureGroup] = {}
    other: list[Indicator] = []
    for ind in strategy_indicators(strategy):
        if ind.level == Indicator.Level.OUTCOME_KPI:
            if ind.kpi is not None and ind.kpi.vision_id in groups:
                groups[ind.kpi.vision_id].indicators.append(ind)
            else:
                other.append(ind)
        elif ind.measure is not None:
            measures.setdefault(ind.measure_id, MeasureGroup(ind.measure)).indicators.append(ind)
        else:
            other.append(ind)
    for g in groups.values():
        g.indicators.sort(key=_kpi_key)
    return Dashboard(
        strategy=strategy,
        visions=sorted(groups.values(), key=lambda g: (g.vision.order, g.vision.code)),
        measures=sorted(measures.values(), key=lambda g: g.measure.number),
        other=other,
    )


def indicator_detail(pk: int) -> Indicator:
    """One indicator with its whole history (4 queries); 404 when unknown."""
    found = _load(
        {"pk": pk},
        history=True,
        full=True,
    )
    if not found:
        raise Http404("indicator not found")
    return found[0]


def measure_indicators(measure: Measure) -> list[Indicator]:
    """The output / outcome indicators of one measure, latest status only (3 queries)."""
    return _load({"measure": measure}, full=False)

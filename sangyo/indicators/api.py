"""Read-only API of indicators: the current strategy's list, and one indicator in full.

Numbers are JSON numbers (figures are read by charts and spreadsheets, not re-parsed);
texts come in both languages. Each call runs a fixed number of queries.
"""

from ninja import Router, Schema

from . import opendata, selectors

router = Router(tags=["indicators"])


class Text(Schema):
    ja: str
    en: str


class LatestOut(Schema):
    fiscal_year: int
    value: float
    status: str


class PaceSummary(Schema):
    status: str
    label: Text
    share: float | None = None


class IndicatorSummary(Schema):
    id: int
    code: str
    level: str
    name: Text
    unit: Text
    measure: str | None = None
    vision: str | None = None
    latest: LatestOut | None = None
    pace: PaceSummary


class ValueAtYear(Schema):
    value: float
    fiscal_year: int | None = None


class RevisionOut(Schema):
    baseline: ValueAtYear
    target: ValueAtYear
    decided_on: str
    reason: str
    approved_by: str


class EarlierVintage(Schema):
    value: float
    status: str
    source: str
    published_on: str | None = None
    note: str
    replaced_at: str | None = None


class ObservationOut(Schema):
    fiscal_year: int
    value: float
    status: str
    source: str
    published_on: str | None = None
    note: str
    expected: float | None = None
    pace_status: str | None = None
    history: list[EarlierVintage]


class PathPoint(Schema):
    fiscal_year: int
    expected: float


class BandOut(Schema):
    min_share: float | None = None
    status: str
    label: Text


class ComputationOut(Schema):
    code: str
    params: dict
    definition: Text | None = None


class DefinitionOut(Schema):
    kind: str
    direction: str
    method: str
    path: str
    steps: dict
    tolerance_pct: float
    bands: list[BandOut]
    source: Text
    obtained: str
    computation: ComputationOut | None = None


class VintageOut(Schema):
    fiscal_year: int
    status: str
    published_on: str | None = None
    source: str
    earlier_vintages: int | None = None
    text: Text


class AchievementOut(Schema):
    method: str
    rate: float | None = None
    within_tolerance: bool | None = None
    reason: Text


class NoteOut(Schema):
    code: str
    text: Text


class ProjectionPoint(Schema):
    fiscal_year: int
    value: float
    low: float
    high: float


class ProjectionOut(Schema):
    label: Text
    method: str
    points_used: int
    slope_per_year: float
    target_fy: int
    value_at_target: float
    low: float
    high: float
    interval: str
    will_reach_target: bool | None = None
    text: Text
    points: list[ProjectionPoint]


class AssessmentOut(Schema):
    status: str
    label: Text
    reason: Text
    problem: Text | None = None
    fiscal_year: int | None = None
    expected: float | None = None
    actual: float | None = None
    share: float | None = None
    vintage: VintageOut | None = None
    achievement: AchievementOut | None = None
    notes: list[NoteOut]
    projection: ProjectionOut | None = None


class IndicatorOut(Schema):
    id: int
    code: str
    level: str
    name: Text
    unit: Text
    measure: str | None = None
    vision: str | None = None
    definition: DefinitionOut
    target: RevisionOut | None = None
    revisions: list[RevisionOut]
    path: list[PathPoint]
    observations: list[ObservationOut]
    assessment: AssessmentOut


def _summary(ind) -> dict:
    a = ind.assessment
    latest = a.latest
    return {
        "id": ind.pk,
        "code": ind.code,
        "level": ind.level,
        "name": opendata.text(ind, "name"),
        "unit": opendata.text(ind, "unit"),
        "measure": ind.measure.number if ind.measure_id else None,
        "vision": opendata.vision_code(ind),
        "latest": None
        if latest is None
        else {
            "fiscal_year": latest.fiscal_year,
            "value": opendata.number(latest.value),
            "status": latest.status,
        },
        "pace": {
            "status": a.status,
            "label": {"ja": a.label_ja, "en": a.label_en},
            "share": opendata.number(a.pace.share, 1) if a.pace else None,
        },
    }


@router.get(
    "/indicators",
    response=list[IndicatorSummary],
    summary="Indicators of the current strategy, with latest value and pace status",
)
def list_indicators(request):
    strategy = selectors.current_strategy()
    return [
        _summary(ind)
        for ind in selectors.strategy_indicators(strategy, full=False, tree=True, series="latest")
    ]


@router.get(
    "/indicators/{indicator_id}",
    response=IndicatorOut,
    summary="One indicator: definition, targets, revisions, observations, assessment",
)
def get_indicator(request, indicator_id: int):
    return opendata.indicator_data(selectors.indicator_detail(indicator_id))

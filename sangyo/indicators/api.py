"""Read-only API of indicators: the current strategy's list, and one indicator in full.

Numbers are JSON numbers (figures are read by charts and spreadsheets, not re-parsed);
texts come in both languages. Each call runs a fixed number of queries.
"""

from typing import Any, Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema

from sangyo.api_common import Input, PageParams, Text, page_schema, paginate, responses
from sangyo.strategy.api import ValueAtYear

from . import opendata, selectors

router = Router(tags=["indicators"])


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
    params: dict[str, Any] = Field(..., description="集計条件（集計定義ごと） / per computation")
    definition: Text | None = None


class DefinitionOut(Schema):
    kind: str
    direction: str
    method: str
    path: str
    steps: dict[str, float | str] = Field(..., description="中間目標 {年度: 値} / interim targets")
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


IndicatorPage = page_schema("IndicatorPage", IndicatorSummary)


class IndicatorFilters(Input):
    level: Literal["", "outcome_kpi", "measure_outcome", "measure_output"] = Field(
        "",
        description="outcome_kpi: 成果指標（将来都市像）, measure_outcome: 成果指標（施策）, "
        "measure_output: 活動指標（施策）",
    )
    measure: str = Field("", max_length=10, description="施策番号 / measure number, e.g. 05")
    vision: str = Field("", max_length=10, description="将来都市像 / vision code, e.g. I")
    status: str = Field("", max_length=30, description="進捗の判定 / pace status, e.g. on_track")


@router.get(
    "/indicators",
    response=responses(IndicatorPage),
    summary="指標の一覧 / Indicators",
    description=(
        "現行戦略の成果指標・活動指標と、最新の値・進捗の判定（理由つきは詳細で）。\n\n"
        "Indicators of the current strategy with the latest value and pace status."
    ),
)
def list_indicators(request, filters: Query[IndicatorFilters], page: Query[PageParams]):
    try:
        strategy = selectors.current_strategy()
    except Http404:
        return paginate(request, [], page)
    rows = [
        _summary(ind)
        for ind in selectors.strategy_indicators(strategy, full=False, tree=True, series="latest")
    ]
    if filters.level:
        rows = [r for r in rows if r["level"] == filters.level]
    if filters.measure:
        rows = [r for r in rows if r["measure"] == filters.measure]
    if filters.vision:
        rows = [r for r in rows if r["vision"] == filters.vision]
    if filters.status:
        rows = [r for r in rows if r["pace"]["status"] == filters.status]
    return paginate(request, rows, page)


@router.get(
    "/indicators/{indicator_id}",
    response=responses(IndicatorOut, 404),
    summary="指標1件 / One indicator",
    description=(
        "定義、目標と改定の履歴、目標への経路、年度別の実績（速報・確報と以前の値）、"
        "進捗の判定と理由、見通し。\n\n"
        "Definition, targets and their revisions, the target path, observations by fiscal "
        "year (with earlier vintages), the assessment with its reason, and the projection."
    ),
)
def get_indicator(request, indicator_id: int):
    return opendata.indicator_data(selectors.indicator_detail(indicator_id))

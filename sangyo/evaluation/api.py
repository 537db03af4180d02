"""Read-only API: the published evaluation of a fiscal year, exactly the open data JSON
(small counts suppressed; see docs/evaluation.md and schema/evaluation.schema.json)."""

from __future__ import annotations

from ninja import Field, Router, Schema

from sangyo.api_common import Text, responses

router = Router(tags=["evaluation"])

Num = int | float


class EvalStrategy(Schema):
    code: str
    title: Text
    municipality_code: str
    start_fy: int
    end_fy: int


class Suppression(Schema):
    threshold_businesses: int = Field(
        ..., description="この数未満の事業者数は秘匿 / fewer are hidden"
    )


class EvalProgramNode(Schema):
    code: str
    name: Text


class EvalMeasureNode(Schema):
    number: str
    name: Text
    programs: list[EvalProgramNode]


class EvalThemeNode(Schema):
    code: str
    name: Text
    measures: list[EvalMeasureNode]


class EvalVisionNode(Schema):
    code: str
    name: Text
    themes: list[EvalThemeNode]


class EvalObservation(Schema):
    fiscal_year: int
    value: Num | None = None
    status: str


class EvalTarget(Schema):
    fiscal_year: int | None = None
    value: Num | None = None


class EvalProgress(Schema):
    status: str
    label_ja: str
    label_en: str


class EvalIndicator(Schema):
    code: str
    level: str
    name: Text
    unit: Text
    measure: str | None = None
    vision: str | None = None
    observations: list[EvalObservation]
    target: EvalTarget | None = None
    progress: EvalProgress


class EvalKind(Schema):
    kind: str
    records: Num | None = None
    businesses: Num | None = None
    suppressed: bool


class EvalProgramYear(Schema):
    code: str
    records: Num | None = None
    businesses: Num | None = None
    suppressed: bool
    kinds: list[EvalKind]


class EvalSurvey(Schema):
    responses: Num | None = None
    mean_rating: Num | None = None
    suppressed: bool


class EvalYear(Schema):
    fiscal_year: int
    records: Num | None = Field(None, description="null when suppressed / 秘匿時は null")
    businesses: Num | None = None
    suppressed: bool
    programs: list[EvalProgramYear]
    survey: EvalSurvey
    costs: dict[str, Num | None] | None = Field(
        None, description="財源別の事業費と人件費（円） / costs by funding source and staff (yen)"
    )
    cost_per_record: Num | None = None
    cost_per_business: Num | None = None


class EvalAim(Schema):
    target: str
    means: str
    intent: str


class EvalRatings(Schema):
    relevance: str | None = None
    effectiveness: str | None = None
    efficiency: str | None = None


class EvalReasons(Schema):
    relevance: str
    effectiveness: str
    efficiency: str


class EvalFollowUp(Schema):
    improvement: str
    status: str | None = None
    note: str


class EvalOpinion(Schema):
    sector: str
    affiliation: str
    text: str


class EvalSheet(Schema):
    version: int
    published_at: str | None = None
    correction_reason: str | None = None
    url: str
    aim: EvalAim
    ratings: EvalRatings
    reasons: EvalReasons
    direction: str | None = None
    direction_reason: str
    improvements: list[str]
    follow_ups: list[EvalFollowUp]
    committee_opinions: list[EvalOpinion]


class EvalMeasure(Schema):
    number: str
    name: Text
    sheet: EvalSheet | None = None
    years: list[EvalYear] = Field(..., description="前年度と当年度 / previous and this year")


class EvaluationOut(Schema):
    schema_: str = Field(..., alias="schema", description="sangyo-evaluation/1")
    licence: str
    strategy: EvalStrategy
    fiscal_year: int
    suppression: Suppression
    tree: list[EvalVisionNode]
    indicators: list[EvalIndicator]
    measures: list[EvalMeasure]


@router.get(
    "/evaluation/{fy}",
    response=responses(EvaluationOut, 404),
    by_alias=True,
    summary="施策評価の公開データ（年度別） / Evaluation open data of a fiscal year",
    description=(
        "/evaluation/{fy}/opendata.json と同じ内容。公表済みの評価シート、実績の件数（3者未満は"
        "秘匿して null）、費用、指標、委員会の意見。計画期間の前後1年を外れる年度は404。\n\n"
        "The same as /evaluation/{fy}/opendata.json: published sheets, counts (fewer than 3 "
        "businesses suppressed as null), costs, indicators and committee opinions. Years "
        "outside the plan period ±1 → 404."
    ),
)
def evaluation_year(request, fy: int):
    from django.http import Http404

    from sangyo.indicators.selectors import current_strategy

    from . import opendata, selectors

    strategy = current_strategy()
    if not (strategy.start_fy - 1 <= fy <= strategy.end_fy + 1):
        raise Http404
    return opendata.as_dict(selectors.year_figures(strategy, fy, public=True))

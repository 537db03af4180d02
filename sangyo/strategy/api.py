"""Read-only API of the strategy tree."""

from django.http import Http404
from ninja import Query, Router, Schema

from sangyo.api_common import PageParams, Text, page_schema, paginate, responses

from . import selectors

router = Router(tags=["strategy"])


class MeasureProgramOut(Schema):
    code: str
    name: Text


class MeasureOut(Schema):
    number: str
    name: Text
    description: Text
    programs: list[MeasureProgramOut]


class SubThemeOut(Schema):
    code: str
    name: Text
    aim: Text
    measures: list[MeasureOut]


class ThemeOut(Schema):
    code: str
    name: Text
    sub_themes: list[SubThemeOut]


class ValueAtYear(Schema):
    # A JSON number: KPI figures are read by charts and spreadsheets, not re-parsed.
    value: float
    fiscal_year: int | None = None


class Printed(Schema):
    baseline: str
    target: str


class KpiOut(Schema):
    code: str
    name: Text
    unit: Text
    kind: str
    direction: str
    baseline: ValueAtYear
    target: ValueAtYear
    printed: Printed


class VisionOut(Schema):
    code: str
    label: str
    name: Text
    target_state: Text
    kpis: list[KpiOut]
    themes: list[ThemeOut]


class Municipality(Schema):
    code: str
    name: Text
    prefecture: Text


class Period(Schema):
    start_fy: int
    end_fy: int


class StrategySummary(Schema):
    code: str
    is_current: bool
    title: Text
    period: Period


class SituationSection(Schema):
    code: str
    heading: Text
    points: list[Text]


class SituationOut(Schema):
    title: Text
    sections: list[SituationSection]
    note: Text | None = None


class StanceOut(Schema):
    title: Text
    points: list[Text]
    note: Text | None = None


class PrincipleOut(Schema):
    number: int
    name: Text


class RoleOut(Schema):
    party: Text
    duties: list[Text]
    note: Text | None = None


class OrdinanceOut(Schema):
    title: Text
    purpose: Text
    in_force: str
    principles: list[PrincipleOut]
    roles: list[RoleOut]
    basic_policies: list[Text]


class StrategyOut(Schema):
    code: str
    is_current: bool
    municipality: Municipality
    title: Text
    period: Period
    adopted: str
    publisher: Text
    slogan: Text
    sub_slogan: Text
    visions: list[VisionOut]
    situation: SituationOut | None = None
    stance: StanceOut | None = None
    ordinance: OrdinanceOut | None = None


StrategyPage = page_schema("StrategyPage", StrategySummary)


def _strategy(code: str | None) -> dict:
    data = selectors.strategy_as_dict(selectors.get_strategy(code))
    # A strategy stored before the file carried these sections has {}: say "none".
    return {**data, **{k: data.get(k) or None for k in ("situation", "stance", "ordinance")}}


@router.get(
    "/strategy",
    response=responses(StrategyOut, 404),
    summary="現行の産業戦略（全体） / The current strategy, whole tree",
    description=(
        "将来都市像 → 施策テーマ → サブテーマ → 施策 → 事業例の全体、成果指標（基準値・目標値）、"
        "現況・基本的な考え方・振興条例。戦略が未登録なら404。\n\n"
        "Visions → themes → sub-themes → measures → example programs, the outcome KPIs "
        "(baseline and target), the situation, the basic stance and the SME ordinance. "
        "404 when no strategy is loaded."
    ),
)
def current_strategy(request):
    return _strategy(None)


@router.get(
    "/strategies",
    response=responses(StrategyPage),
    summary="登録済みの戦略 / Loaded strategies",
    description="現行および過去の戦略。 / The current strategy and earlier ones.",
)
def list_strategies(request, page: Query[PageParams]):
    return paginate(
        request,
        list(selectors.strategies_list()),
        page,
        lambda s: {
            "code": s.code,
            "is_current": s.is_current,
            "title": {"ja": s.title_ja, "en": s.title_en},
            "period": {"start_fy": s.start_fy, "end_fy": s.end_fy},
        },
    )


@router.get(
    "/strategies/{code}",
    response=responses(StrategyOut, 404),
    summary="戦略1件（コード指定） / One strategy by code",
    description="例 / e.g. `tsukuba-2025`。",
)
def strategy_by_code(request, code: str):
    if len(code) > 50 or "\x00" in code:
        raise Http404
    return _strategy(code)

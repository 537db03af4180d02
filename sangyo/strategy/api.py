"""Read-only API of the strategy tree."""

from ninja import Router, Schema

from . import selectors

router = Router(tags=["strategy"])


class Text(Schema):
    ja: str
    en: str


class ProgramOut(Schema):
    code: str
    name: Text


class MeasureOut(Schema):
    number: str
    name: Text
    description: Text
    programs: list[ProgramOut]


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
    situation: dict
    stance: dict
    ordinance: dict | None = None


@router.get("/strategy", response=StrategyOut, summary="The current strategy, whole tree")
def current_strategy(request):
    return selectors.strategy_as_dict(selectors.get_strategy(None))


@router.get("/strategies", response=list[StrategySummary], summary="Loaded strategies")
def list_strategies(request):
    return [
        {
            "code": s.code,
            "is_current": s.is_current,
            "title": {"ja": s.title_ja, "en": s.title_en},
            "period": {"start_fy": s.start_fy, "end_fy": s.end_fy},
        }
        for s in selectors.strategies_list()
    ]


@router.get("/strategies/{code}", response=StrategyOut, summary="One strategy by code")
def strategy_by_code(request, code: str):
    return selectors.strategy_as_dict(selectors.get_strategy(code))

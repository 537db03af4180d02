"""Reads of the strategy tree. Each page fetches the whole tree in a fixed number of
queries, whatever the size of the strategy."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from .models import Kpi, Measure, Program, Strategy, SubTheme, Theme, Vision


def strategies_list() -> QuerySet[Strategy]:
    return Strategy.objects.order_by("-is_current", "-start_fy", "code")


def get_strategy(code: str | None = None) -> Strategy:
    """The strategy with `code`, or the current one; 404 when there is none."""
    qs = Strategy.objects.all()
    strategy = qs.filter(code=code).first() if code else qs.filter(is_current=True).first()
    if strategy is None:
        raise Http404("strategy not found")
    return strategy


def visions_tree(strategy: Strategy) -> list[Vision]:
    """Visions with KPIs, themes, sub-themes, measures and programs: six queries."""
    programs = Prefetch("programs", queryset=Program.objects.order_by("order"))
    measures = Prefetch(
        "measures", queryset=Measure.objects.order_by("number").prefetch_related(programs)
    )
    sub_themes = Prefetch(
        "sub_themes", queryset=SubTheme.objects.order_by("order").prefetch_related(measures)
    )
    themes = Prefetch(
        "themes", queryset=Theme.objects.order_by("order").prefetch_related(sub_themes)
    )
    kpis = Prefetch("kpis", queryset=Kpi.objects.order_by("order"))
    return list(
        Vision.objects.filter(strategy=strategy).order_by("order").prefetch_related(kpis, themes)
    )


def visions_with_kpis(strategy: Strategy) -> list[Vision]:
    return list(
        Vision.objects.filter(strategy=strategy)
        .order_by("order")
        .prefetch_related(Prefetch("kpis", queryset=Kpi.objects.order_by("order")))
    )


def get_vision(strategy: Strategy, code: str) -> Vision:
    vision = next((v for v in visions_tree(strategy) if v.code == code), None)
    if vision is None:
        raise Http404("vision not found")
    return vision


def get_measure(strategy: Strategy, number: str) -> Measure:
    measure = (
        Measure.objects.filter(strategy=strategy, number=number)
        .select_related("sub_theme__theme__vision")
        .prefetch_related(
            Prefetch("programs", queryset=Program.objects.order_by("order")),
            Prefetch("sub_theme__theme__vision__kpis", queryset=Kpi.objects.order_by("order")),
        )
        .first()
    )
    if measure is None:
        raise Http404("measure not found")
    return measure


def neighbour_measures(measure: Measure) -> tuple[Measure | None, Measure | None]:
    numbers = list(
        Measure.objects.filter(strategy_id=measure.strategy_id)
        .order_by("number")
        .values_list("number", "name_ja", "name_en")
    )
    index = [n for n, *_ in numbers].index(measure.number)
    prev_row = numbers[index - 1] if index > 0 else None
    next_row = numbers[index + 1] if index + 1 < len(numbers) else None

    def as_measure(row):
        return Measure(number=row[0], name_ja=row[1], name_en=row[2]) if row else None

    return as_measure(prev_row), as_measure(next_row)


def strategy_as_dict(strategy: Strategy) -> dict:
    """The whole tree as plain data, for the API and open data."""

    def t(obj, field):
        return {"ja": getattr(obj, f"{field}_ja"), "en": getattr(obj, f"{field}_en")}

    visions = visions_tree(strategy)
    return {
        "code": strategy.code,
        "is_current": strategy.is_current,
        "municipality": {
            "code": strategy.municipality_code,
            "name": t(strategy, "municipality_name"),
            "prefecture": t(strategy, "prefecture"),
        },
        "title": t(strategy, "title"),
        "period": {"start_fy": strategy.start_fy, "end_fy": strategy.end_fy},
        "adopted": strategy.adopted,
        "publisher": t(strategy, "publisher"),
        "slogan": t(strategy, "slogan"),
        "sub_slogan": t(strategy, "sub_slogan"),
        "visions": [
            {
                "code": v.code,
                "label": v.label,
                "name": t(v, "name"),
                "target_state": t(v, "target_state"),
                "kpis": [
                    {
                        "code": k.code,
                        "name": t(k, "name"),
                        "unit": t(k, "unit"),
                        "kind": k.kind,
                        "direction": k.direction,
                        "baseline": {"value": k.baseline_value, "fiscal_year": k.baseline_fy},
                        "target": {"value": k.target_value, "fiscal_year": k.target_fy},
                        "printed": {"baseline": k.printed_baseline, "target": k.printed_target},
                    }
                    for k in v.kpis.all()
                ],
                "themes": [
                    {
                        "code": th.code,
                        "name": t(th, "name"),
                        "sub_themes": [
                            {
                                "code": st.code,
                                "name": t(st, "name"),
                                "aim": t(st, "aim"),
                                "measures": [
                                    {
                                        "number": m.number,
                                        "name": t(m, "name"),
                                        "description": t(m, "description"),
                                        "programs": [
                                            {"code": p.code, "name": t(p, "name")}
                                            for p in m.programs.all()
                                        ],
                                    }
                                    for m in st.measures.all()
                                ],
                            }
                            for st in th.sub_themes.all()
                        ],
                    }
                    for th in v.themes.all()
                ],
            }
            for v in visions
        ],
        "situation": strategy.situation,
        "stance": strategy.stance,
        "ordinance": strategy.ordinance or None,
    }

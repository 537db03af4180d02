"""Public pages of indicators: the strategy dashboard, one page per indicator, and the open
data downloads. Published figures are public (no login); the pages work without
JavaScript and their charts are server-side SVG, so a browser and a PDF show the same."""

from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sangyo.core.i18n import pick
from sangyo.core.templatetags.sangyo import fy, num

from . import opendata, selectors
from .assess import SHAPE_SYMBOL, bands_for
from .charts import chart_table, chart_table_headers, format_number, kpi_chart_svg
from .computed import get_computation
from .models import Indicator


def _lang() -> str:
    return "en" if (get_language() or "ja")[:2] == "en" else "ja"


def licence() -> str:
    return getattr(settings, "SANGYO_OPEN_DATA_LICENCE", "CC BY 4.0")


def _chart(indicator: Indicator, lang: str) -> SimpleNamespace:
    """The SVG chart of an indicator and the same data as table rows (for screen readers)."""
    a = indicator.assessment
    unit = indicator.unit_en if lang == "en" and indicator.unit_en else indicator.unit_ja
    name = indicator.name_en if lang == "en" and indicator.name_en else indicator.name_ja
    projection = a.projection_points or None
    years = sorted(set(a.path) | set(a.observations) | set(projection or ()))
    svg = kpi_chart_svg(
        title=name,
        unit=unit,
        fiscal_years=years,
        path=a.path,
        observations=a.observations,
        preliminary=a.preliminary_years,
        projection=projection,
        target=a.target,
        lang=lang,
        chart_id=f"indicator-chart-{indicator.pk}",
    )
    rows = chart_table(years, a.path, a.observations, a.preliminary_years, projection, lang)
    return SimpleNamespace(
        svg=mark_safe(svg),  # built by charts.kpi_chart_svg, which escapes every text
        rows=rows,
        headers=chart_table_headers(lang, unit),
        has_projection=projection is not None,
        table_id=f"indicator-table-{indicator.pk}",
    )


def list_rows(indicators) -> list[SimpleNamespace]:
    """Display strings for a list of many indicators, prepared in Python: the dashboard
    lists ~200 of them, and formatting here costs a fraction of doing it in the template."""
    base = reverse("indicators:dashboard")
    levels = {value: str(label) for value, label in Indicator.Level.choices}
    preliminary, final, unset = _("速報値"), _("確定値"), _("未設定")
    rows = []
    for ind in indicators:
        a, rev = ind.assessment, ind.current_revision
        unit = pick(ind, "unit")
        latest = a.latest
        rows.append(
            SimpleNamespace(
                url=f"{base}{ind.pk}/",
                name=pick(ind, "name"),
                level=levels.get(ind.level, ind.level),
                latest=f"{num(latest.value)} {unit}" if latest else "—",
                latest_fy=fy(latest.fiscal_year) if latest else "—",
                vintage=(preliminary if latest.is_preliminary else final) if latest else "",
                target=f"{num(rev.target_value)} {unit}（{fy(rev.target_fy)}）" if rev else unset,
                a=a,
            )
        )
    return rows


def dashboard(request):
    board = selectors.dashboard(selectors.current_strategy())
    lang = _lang()
    for group in board.visions:
        for ind in group.indicators:
            ind.chart = _chart(ind, lang)
    for ind in board.other:
        ind.chart = _chart(ind, lang)
    for group in board.measures:
        group.rows = list_rows(group.indicators)
    return render(
        request,
        "indicators/dashboard.html",
        {"strategy": board.strategy, "board": board, "licence": licence()},
    )


def _trace(indicator: Indicator, lang: str) -> SimpleNamespace | None:
    """The arithmetic behind the latest status, with the numbers filled in."""
    a = indicator.assessment
    if a.spec is None or a.pace is None:
        return None
    spec, p = a.spec, a.pace
    start, fy = spec.path_start_fy, p.fy
    clamped = min(max(fy, start), spec.target_fy)
    return SimpleNamespace(
        fy=fy,
        start=start,
        target_fy=spec.target_fy,
        elapsed=clamped - start,
        total=spec.target_fy - start,
        baseline=format_number(spec.baseline, lang),
        target=format_number(spec.target, lang),
        expected=format_number(p.expected, lang),
        actual=format_number(p.actual, lang),
        share=None if p.share is None else f"{p.share:.1f}",
        stepped=spec.path == "stepped",
        maintain=spec.direction == "maintain",
    )


def _computation(indicator: Indicator) -> SimpleNamespace | None:
    if indicator.obtained != Indicator.Obtained.COMPUTED:
        return None
    computation = get_computation(indicator.computation)
    if computation is None:
        return SimpleNamespace(
            label_ja=indicator.computation,
            label_en=indicator.computation,
            text_ja="この集計定義は現在登録されていません。",
            text_en="This computation is not registered at present.",
        )
    ja, en = computation.describe(indicator.computation_params or {})
    return SimpleNamespace(
        label_ja=computation.label_ja, label_en=computation.label_en, text_ja=ja, text_en=en
    )


def _bands(indicator: Indicator):
    a = indicator.assessment
    if a.spec is not None:
        bands = a.spec.bands
    else:
        try:
            bands = bands_for(indicator)
        except (ValueError, TypeError):
            return []
    return [
        SimpleNamespace(
            band=b,
            symbol=SHAPE_SYMBOL[a.shape_for(b.status) if a.spec else "unknown"],
            first=i == 0,
            last=i == len(bands) - 1,
        )
        for i, b in enumerate(bands)
    ]


def _observation_rows(indicator: Indicator) -> list[SimpleNamespace]:
    a = indicator.assessment
    rows = []
    for obs in reversed(indicator.observation_list):
        p = a.yearly.get(obs.fiscal_year)
        rows.append(
            SimpleNamespace(
                obs=obs,
                pace=p,
                symbol=SHAPE_SYMBOL[a.shape_for(p.status)] if p else "",
                history=getattr(obs, "history_list", []),
            )
        )
    return rows


def detail(request, pk: int):
    indicator = selectors.indicator_detail(pk)
    lang = _lang()
    indicator.chart = _chart(indicator, lang)
    observation_rows = _observation_rows(indicator)
    return render(
        request,
        "indicators/detail.html",
        {
            "strategy": indicator.strategy,
            "indicator": indicator,
            "a": indicator.assessment,
            "trace": _trace(indicator, lang),
            "computation": _computation(indicator),
            "bands": _bands(indicator),
            "observation_rows": observation_rows,
            "revised_rows": [r for r in observation_rows if r.history],
            "vision": indicator.kpi.vision if indicator.kpi else None,
            "licence": licence(),
        },
    )


def download_csv(request):
    strategy = selectors.current_strategy()
    response = HttpResponse(
        opendata.csv_bytes(strategy, *selectors.open_data(strategy)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{opendata.filename(strategy, "csv")}"'
    return response


def download_json(request):
    strategy = selectors.current_strategy()
    response = HttpResponse(
        opendata.json_bytes(strategy, *selectors.open_data(strategy), licence=licence()),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{opendata.filename(strategy, "json")}"'
    )
    return response

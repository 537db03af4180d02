"""Open data of an evaluation year, built only from `selectors.year_figures(public=True)`:
JSON (schema: sangyo/evaluation/schema/evaluation.schema.json, described in
docs/evaluation.md) and CSV (UTF-8 with BOM, one row per measure, program and kind of
support). No personal data: businesses are only counted, committee members appear by
sector and affiliation, and small counts are suppressed (null / empty with suppressed=1)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from sangyo.core.tabular import write_csv
from sangyo.indicators.opendata import number, text

from .selectors import Cell, MeasureFigures, YearFigures

SCHEMA_ID = "sangyo-evaluation/1"
SCHEMA_FILE = Path(__file__).parent / "schema" / "evaluation.schema.json"
LICENCE = "CC BY 4.0"


def filename(year: YearFigures, ext: str) -> str:
    return f"sangyo-evaluation-{year.strategy.code}-FY{year.fiscal_year}.{ext}"


def _cell(c: Cell):
    v = c.public_value
    if isinstance(v, Decimal):
        return number(v, 2)
    return v


def costs_data(mf: MeasureFigures) -> dict[str, Any] | None:
    if mf.costs is None:
        return None
    c = mf.costs
    data: dict[str, Any] = {f.removeprefix("cost_"): v for f, _label, v in c.funding}
    data |= {
        "project_cost": c.project_cost,
        "staff_hours": number(c.staff_hours, 1),
        "hourly_cost": c.hourly_cost,
        "personnel_cost": c.personnel_cost,
        "total_cost": c.total_cost,
    }
    return data


def year_data(mf: MeasureFigures) -> dict[str, Any]:
    return {
        "fiscal_year": mf.fiscal_year,
        "records": _cell(mf.records),
        "businesses": _cell(mf.businesses),
        "suppressed": mf.records.suppressed,
        "programs": [
            {
                "code": p.program.code,
                "records": _cell(p.records),
                "businesses": _cell(p.businesses),
                "suppressed": p.records.suppressed,
                "kinds": [
                    {
                        "kind": k.kind,
                        "records": _cell(k.records),
                        "businesses": _cell(k.businesses),
                        "suppressed": k.records.suppressed,
                    }
                    for k in p.kinds
                ],
            }
            for p in mf.programs
        ],
        "survey": {
            "responses": _cell(mf.survey_responses),
            "mean_rating": _cell(mf.survey_mean),
            "suppressed": mf.survey_responses.suppressed,
        },
        "costs": costs_data(mf),
        "cost_per_record": _cell(mf.cost_per_record),
        "cost_per_business": _cell(mf.cost_per_business),
    }


def sheet_data(mf: MeasureFigures) -> dict[str, Any] | None:
    s = mf.sheet
    if s is None:
        return None
    return {
        "version": s.version,
        "published_at": s.published_at.isoformat() if s.published_at else None,
        "correction_reason": s.correction_reason or None,
        "url": reverse("evaluation:sheet", args=[s.pk]),
        "aim": {"target": s.aim_target, "means": s.aim_means, "intent": s.aim_intent},
        "ratings": {
            "relevance": s.relevance or None,
            "effectiveness": s.effectiveness or None,
            "efficiency": s.efficiency or None,
        },
        "reasons": {
            "relevance": s.relevance_reason,
            "effectiveness": s.effectiveness_reason,
            "efficiency": s.efficiency_reason,
        },
        "direction": s.direction or None,
        "direction_reason": s.direction_reason,
        "improvements": [i.text for i in s.improvements.all()],
        "follow_ups": [
            {"improvement": i.text, "status": f.status if f else None, "note": f.note if f else ""}
            for i, f in mf.follow_ups
        ],
        "committee_opinions": [
            {
                "sector": o.member.sector,
                "affiliation": o.member.affiliation,
                "text": o.text,
            }
            for o in s.opinions.all()
        ],
    }


def indicator_data(ind) -> dict[str, Any]:
    a = ind.assessment
    return {
        "code": ind.code,
        "level": ind.level,
        "name": text(ind, "name"),
        "unit": text(ind, "unit"),
        "measure": ind.measure.number if ind.measure_id else None,
        "vision": ind.kpi.vision.code if ind.kpi_id else None,
        "observations": [
            {"fiscal_year": o.fiscal_year, "value": number(o.value), "status": o.status}
            for o in ind.observation_list
        ],
        "target": (
            {"fiscal_year": a.target[0], "value": number(a.target[1])} if a.target else None
        ),
        "progress": {"status": a.status, "label_ja": a.label_ja, "label_en": a.label_en},
    }


def tree_data(year: YearFigures) -> list[dict[str, Any]]:
    visions: dict[int, dict] = {}
    for mf in year.measures:
        m, theme, vision = mf.measure, mf.theme, mf.vision
        v = visions.setdefault(
            vision.pk, {"code": vision.code, "name": text(vision, "name"), "themes": {}}
        )
        t = v["themes"].setdefault(
            theme.pk, {"code": theme.code, "name": text(theme, "name"), "measures": []}
        )
        t["measures"].append(
            {
                "number": m.number,
                "name": text(m, "name"),
                "programs": [
                    {"code": p.program.code, "name": text(p.program, "name")} for p in mf.programs
                ],
            }
        )
    return [{**v, "themes": list(v["themes"].values())} for v in visions.values()]


def as_dict(year: YearFigures) -> dict[str, Any]:
    assert year.public, "open data is built from the public (suppressed) figures only"
    s = year.strategy
    return {
        "schema": SCHEMA_ID,
        "licence": LICENCE,
        "strategy": {
            "code": s.code,
            "title": text(s, "title"),
            "municipality_code": s.municipality_code,
            "start_fy": s.start_fy,
            "end_fy": s.end_fy,
        },
        "fiscal_year": year.fiscal_year,
        "suppression": {"threshold_businesses": year.threshold},
        "tree": tree_data(year),
        "indicators": [indicator_data(i) for i in year.kpis]
        + [i for mf in year.measures for i in map(indicator_data, mf.indicators)],
        "measures": [
            {
                "number": mf.measure.number,
                "name": text(mf.measure, "name"),
                "sheet": sheet_data(mf),
                "years": [year_data(year.previous[mf.measure.pk]), year_data(mf)],
            }
            for mf in year.measures
        ],
    }


def json_bytes(year: YearFigures) -> bytes:
    return json.dumps(as_dict(year), ensure_ascii=False, indent=1, cls=DjangoJSONEncoder).encode()


CSV_HEADER = (
    "fiscal_year",
    "measure_number",
    "measure_name",
    "row_level",
    "program_code",
    "program_name",
    "support_kind",
    "records",
    "businesses",
    "suppressed",
    "project_cost_yen",
    "personnel_cost_yen",
    "total_cost_yen",
    "cost_per_record_yen",
    "cost_per_business_yen",
    "survey_responses",
    "survey_mean_rating",
    "sheet_version",
)


def csv_rows(year: YearFigures) -> list[list[Any]]:
    assert year.public, "open data is built from the public (suppressed) figures only"
    rows: list[list[Any]] = []
    for current in year.measures:
        for mf in (year.previous[current.measure.pk], current):
            m = mf.measure
            c = mf.costs
            rows.append(
                [
                    mf.fiscal_year,
                    m.number,
                    m.name_ja,
                    "measure",
                    "",
                    "",
                    "",
                    _cell(mf.records),
                    _cell(mf.businesses),
                    int(mf.records.suppressed),
                    c.project_cost if c else None,
                    c.personnel_cost if c else None,
                    c.total_cost if c else None,
                    _cell(mf.cost_per_record),
                    _cell(mf.cost_per_business),
                    _cell(mf.survey_responses),
                    _cell(mf.survey_mean),
                    mf.sheet.version if mf.sheet else None,
                ]
            )
            for p in mf.programs:
                base = [mf.fiscal_year, m.number, m.name_ja]
                rows.append(
                    [
                        *base,
                        "program",
                        p.program.code,
                        p.program.name_ja,
                        "",
                        _cell(p.records),
                        _cell(p.businesses),
                        int(p.records.suppressed),
                    ]
                    + [None] * 8
                )
                for k in p.kinds:
                    rows.append(
                        [
                            *base,
                            "kind",
                            p.program.code,
                            p.program.name_ja,
                            k.kind,
                            _cell(k.records),
                            _cell(k.businesses),
                            int(k.records.suppressed),
                        ]
                        + [None] * 8
                    )
    return rows


def csv_bytes(year: YearFigures) -> bytes:
    return write_csv(CSV_HEADER, csv_rows(year))

"""Open data: every indicator of a strategy with its targets and time series, as CSV and JSON.

CSV: UTF-8 with a byte order mark (Excel on Japanese Windows otherwise reads it as Shift_JIS),
CRLF line ends (RFC 4180), one row per indicator × fiscal year, so it opens as one flat table
in a spreadsheet. Numbers are written exactly, without thousands separators or exponents.

JSON: the tree strategy → visions → KPIs and measures → indicators, each indicator with its
target revisions and its series (with every earlier vintage of each figure). Numbers are JSON
numbers. The same per-indicator structure is returned by `/api/v1/indicators/{id}`.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal
from typing import Any

from django.utils import timezone

from .assess import Assessment, bands_for
from .computed import get_computation
from .models import Indicator

CSV_COLUMNS = (
    "strategy_code",
    "vision_code",
    "measure_number",
    "indicator_code",
    "indicator_level",
    "name_ja",
    "name_en",
    "unit_ja",
    "unit_en",
    "kind",
    "direction",
    "method",
    "baseline",
    "baseline_fy",
    "target",
    "target_fy",
    "fiscal_year",
    "expected",
    "value",
    "status",
    "source",
    "published_on",
    "pace_status",
    "indicator_source_ja",
)


def filename(strategy, ext: str) -> str:
    return f"sangyo-indicators-{strategy.code}.{ext}"


# --------------------------------------------------------------------------- numbers


def plain(value: Decimal | None, places: int = 4) -> str:
    """Exact text for a CSV cell: 14383.0000 → 14383, 15123.4 → 15123.4, no exponent."""
    if value is None:
        return ""
    d = Decimal(value).quantize(Decimal(1).scaleb(-places))
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def number(value: Decimal | None, places: int = 4) -> int | float | None:
    """A JSON number: an int when whole, else a float of the value rounded to `places`."""
    if value is None:
        return None
    d = Decimal(value).quantize(Decimal(1).scaleb(-places))
    return int(d) if d == d.to_integral_value() else float(d)


def text(obj, field: str) -> dict[str, str]:
    return {
        "ja": getattr(obj, f"{field}_ja", "") or "",
        "en": getattr(obj, f"{field}_en", "") or "",
    }


def _date(d: datetime.date | None) -> str | None:
    return d.isoformat() if d else None


# --------------------------------------------------------------------------- structures


def vision_code(indicator: Indicator) -> str | None:
    """The vision of a KPI, or of the measure an indicator belongs to (selected with it)."""
    if indicator.kpi_id and indicator.kpi is not None:
        return indicator.kpi.vision.code
    if indicator.measure_id:
        return indicator.measure.sub_theme.theme.vision.code
    return None


def revision_data(rev) -> dict[str, Any]:
    return {
        "baseline": {"value": number(rev.baseline_value), "fiscal_year": rev.baseline_fy},
        "target": {"value": number(rev.target_value), "fiscal_year": rev.target_fy},
        "decided_on": _date(rev.decided_on),
        "reason": rev.reason,
        "approved_by": rev.approved_by,
    }


def _pace_data(p, a: Assessment | None = None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "fiscal_year": p.fy,
        "expected": number(p.expected),
        "actual": number(p.actual),
        "share": number(p.share, 1),
        "status": p.status,
        "label": {"ja": p.label_ja, "en": p.label_en},
        "reason": {"ja": p.reason_ja, "en": p.reason_en},
    }


def observation_data(obs, a: Assessment) -> dict[str, Any]:
    p = a.yearly.get(obs.fiscal_year)
    return {
        "fiscal_year": obs.fiscal_year,
        "value": number(obs.value),
        "status": obs.status,
        "source": obs.source,
        "published_on": _date(obs.published_on),
        "note": obs.note,
        "expected": number(a.path.get(obs.fiscal_year)),
        "pace_status": p.status if p else None,
        "history": [
            {
                "value": number(old.value),
                "status": old.status,
                "source": old.source,
                "published_on": _date(old.published_on),
                "note": old.note,
                "replaced_at": old.replaced_at.isoformat() if old.replaced_at else None,
            }
            for old in getattr(obs, "history_list", [])
        ],
    }


def assessment_data(a: Assessment) -> dict[str, Any]:
    latest = a.latest
    projection = None
    if a.projection is not None and a.spec is not None:
        at_target = a.projection_at_target
        projection = {
            "label": {"ja": a.projection.label_ja, "en": a.projection.label_en},
            "method": "ols_linear",
            "points_used": a.projection.n,
            "slope_per_year": number(a.projection.slope),
            "target_fy": a.spec.target_fy,
            "value_at_target": number(at_target.value),
            "low": number(at_target.low),
            "high": number(at_target.high),
            "interval": "95% prediction interval",
            "will_reach_target": a.reaches,
            "text": {"ja": a.projection_text_ja, "en": a.projection_text_en},
            "points": [
                {
                    "fiscal_year": fy,
                    "value": number(v),
                    "low": number(lo),
                    "high": number(hi),
                }
                for fy, (v, lo, hi) in sorted(a.projection_points.items())
            ],
        }
    ach = a.achievement
    return {
        "status": a.status,
        "label": {"ja": a.label_ja, "en": a.label_en},
        "reason": {"ja": a.reason_ja, "en": a.reason_en},
        "problem": {"ja": a.problem_ja, "en": a.problem_en} if a.problem_ja else None,
        "fiscal_year": a.pace.fy if a.pace else None,
        "expected": number(a.pace.expected) if a.pace else None,
        "actual": number(a.pace.actual) if a.pace else None,
        "share": number(a.pace.share, 1) if a.pace else None,
        "vintage": None
        if latest is None
        else {
            "fiscal_year": latest.fiscal_year,
            "status": latest.status,
            "published_on": _date(latest.published_on),
            "source": latest.source,
            "earlier_vintages": latest.revision_count,
            "text": {"ja": latest.basis_ja, "en": latest.basis_en},
        },
        "achievement": None
        if ach is None
        else {
            "method": str(ach.method),
            "rate": number(ach.rate, 1),
            "within_tolerance": ach.within_band,
            "reason": {"ja": ach.reason_ja, "en": ach.reason_en},
        },
        "notes": [{"code": n.code, "text": {"ja": n.text_ja, "en": n.text_en}} for n in a.notes],
        "projection": projection,
    }


def _bands(indicator: Indicator, a: Assessment) -> list[dict[str, Any]]:
    try:
        bands = a.spec.bands if a.spec is not None else bands_for(indicator)
    except (ValueError, TypeError):
        return []
    return [
        {
            "min_share": number(b.min_share),
            "status": b.status,
            "label": {"ja": b.label_ja, "en": b.label_en},
        }
        for b in bands
    ]


def computation_data(indicator: Indicator) -> dict[str, Any] | None:
    if indicator.obtained != Indicator.Obtained.COMPUTED:
        return None
    computation = get_computation(indicator.computation)
    definition = None
    if computation is not None:
        ja, en = computation.describe(indicator.computation_params or {})
        definition = {"ja": ja, "en": en}
    return {
        "code": indicator.computation,
        "params": indicator.computation_params or {},
        "definition": definition,
    }


def definition_data(indicator: Indicator, a: Assessment) -> dict[str, Any]:
    return {
        "kind": indicator.kind,
        "direction": indicator.direction,
        "method": indicator.method,
        "path": indicator.path,
        "steps": {str(k): v for k, v in (indicator.steps or {}).items()},
        "tolerance_pct": number(indicator.tolerance_pct),
        "bands": _bands(indicator, a),
        "source": text(indicator, "source"),
        "obtained": indicator.obtained,
        "computation": computation_data(indicator),
    }


def indicator_data(indicator: Indicator) -> dict:
    """One indicator with definition, targets, series and assessment (loaded by selectors)."""
    a = indicator.assessment
    rev = indicator.current_revision
    return {
        "id": indicator.pk,
        "code": indicator.code,
        "level": indicator.level,
        "name": text(indicator, "name"),
        "unit": text(indicator, "unit"),
        "measure": indicator.measure.number if indicator.measure_id else None,
        "vision": vision_code(indicator),
        "definition": definition_data(indicator, a),
        "target": revision_data(rev) if rev else None,
        "revisions": [revision_data(r) for r in indicator.revision_list],
        "path": [{"fiscal_year": fy, "expected": number(v)} for fy, v in sorted(a.path.items())],
        "observations": [observation_data(o, a) for o in indicator.observation_list],
        "assessment": assessment_data(a),
    }


def tree(strategy, visions, measures, indicators, *, licence: str) -> dict[str, Any]:
    kpis: dict[int, list] = {v.pk: [] for v in visions}
    by_measure: dict[int, list] = {m.pk: [] for m in measures}
    other = []
    for ind in indicators:
        data = indicator_data(ind)
        if ind.level == Indicator.Level.OUTCOME_KPI and ind.kpi_id and ind.kpi.vision_id in kpis:
            kpis[ind.kpi.vision_id].append((ind.kpi.order, ind.order, data))
        elif ind.measure_id in by_measure:
            by_measure[ind.measure_id].append(data)
        else:
            other.append(data)
    return {
        "licence": licence,
        "generated_at": timezone.now().isoformat(),
        "note": {
            "ja": "値は最新の版（速報値・確定値の別を status に記載）。以前の版は history にあります。"
            "見通しは含みません。",
            "en": "Values are the latest vintage (status says preliminary or final); earlier "
            "vintages are under history. Projections are not included.",
        },
        "strategy": {
            "code": strategy.code,
            "title": text(strategy, "title"),
            "municipality": {
                "code": strategy.municipality_code,
                "name": text(strategy, "municipality_name"),
            },
            "period": {"start_fy": strategy.start_fy, "end_fy": strategy.end_fy},
        },
        "visions": [
            {
                "code": v.code,
                "label": v.label,
                "name": text(v, "name"),
                "kpis": [d for *_k, d in sorted(kpis[v.pk], key=lambda x: x[:2])],
            }
            for v in visions
        ],
        "measures": [
            {
                "number": m.number,
                "name": text(m, "name"),
                "vision": m.sub_theme.theme.vision.code,
                "indicators": by_measure[m.pk],
            }
            for m in measures
        ],
        "other_indicators": other,
    }


def json_bytes(strategy, visions, measures, indicators, *, licence: str) -> bytes:
    doc = tree(strategy, visions, measures, indicators, licence=licence)
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def csv_rows(strategy, visions, measures, indicators) -> list[dict[str, str]]:
    """One row per indicator × fiscal year (the path's years and every observed year)."""
    rows = []
    for ind in indicators:
        a = ind.assessment
        rev = ind.current_revision
        obs_by_year = {o.fiscal_year: o for o in ind.observation_list}
        common = {
            "strategy_code": strategy.code,
            "vision_code": vision_code(ind) or "",
            "measure_number": ind.measure.number if ind.measure_id else "",
            "indicator_code": ind.code,
            "indicator_level": ind.level,
            "name_ja": ind.name_ja,
            "name_en": ind.name_en,
            "unit_ja": ind.unit_ja,
            "unit_en": ind.unit_en,
            "kind": ind.kind,
            "direction": ind.direction,
            "method": ind.method,
            "baseline": plain(rev.baseline_value) if rev else "",
            "baseline_fy": str(rev.baseline_fy) if rev and rev.baseline_fy else "",
            "target": plain(rev.target_value) if rev else "",
            "target_fy": str(rev.target_fy) if rev else "",
            "indicator_source_ja": ind.source_ja,
        }
        years = sorted(set(a.path) | set(obs_by_year)) or [None]
        for fy in years:
            obs = obs_by_year.get(fy)
            p = a.yearly.get(fy)
            rows.append(
                common
                | {
                    "fiscal_year": "" if fy is None else str(fy),
                    "expected": plain(a.path.get(fy)),
                    "value": plain(obs.value) if obs else "",
                    "status": obs.status if obs else "",
                    "source": obs.source if obs else "",
                    "published_on": (_date(obs.published_on) or "") if obs else "",
                    "pace_status": p.status if p else "",
                }
            )
    return rows


def csv_bytes(strategy, visions, measures, indicators) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(csv_rows(strategy, visions, measures, indicators))
    return ("\ufeff" + out.getvalue()).encode("utf-8")

"""Synthetic demo figures for the KPIs and a few computed output indicators.

The values are invented (not official statistics) and their source says so; they exist so
the dashboard, the pace statuses and the projection can be seen working."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from . import services
from .models import Indicator, Observation

DEMO_SOURCE = "デモ用の合成データ（実際の統計値ではありません）"

# KPI code → [(fiscal year, value, status)]
KPI_VALUES = {
    "gross-municipal-product": [
        (2022, "14520", "final"),
        (2023, "14790", "final"),
        (2024, "15010", "preliminary"),
    ],
    "certification-applications": [(2024, "21", "final"), (2025, "19", "final")],
    "new-founders": [(2023, "81", "final"), (2024, "76", "final"), (2025, "84", "final")],
    "employed-persons": [
        (2023, "145100", "final"),
        (2024, "146050", "final"),
        (2025, "146900", "preliminary"),
    ],
}

# (code, measure, name ja, name en, unit ja, unit en, params, baseline, target)
OUTPUTS = [
    (
        "m01-consultations",
        "01",
        "専門家相談の件数",
        "Expert consultations",
        "件",
        "cases",
        {"measures": ["01"], "kinds": ["consultation"]},
        "12",
        "40",
    ),
    (
        "m03-dx-seminar",
        "03",
        "DX導入セミナーの参加事業者数",
        "Businesses attending DX seminars",
        "者",
        "businesses",
        {"programs": ["03-1"], "kinds": ["event"], "distinct_businesses": True},
        "5",
        "20",
    ),
    (
        "m06-certification-applications",
        "06",
        "認定制度への申請（支援実績から集計）",
        "Certification applications (from support records)",
        "件",
        "applications",
        {"programs": ["06-1"], "kinds": ["application"]},
        "5",
        "12",
    ),
    (
        "m10-founder-certificates",
        "10",
        "特定創業支援等事業の証明書を受けた創業者数",
        "Founders who received a founder support certificate",
        "人",
        "people",
        {"programs": ["10-1"], "kinds": ["certificate"], "distinct_businesses": True},
        "5",
        "15",
    ),
]


@transaction.atomic
def load_demo(*, strategy) -> dict[str, int]:
    added = 0
    for code, values in KPI_VALUES.items():
        indicator = Indicator.objects.filter(strategy=strategy, code=code).first()
        if indicator is None:
            continue
        for fy, value, status in values:
            if Observation.objects.filter(indicator=indicator, fiscal_year=fy).exists():
                continue
            services.observation_record(
                indicator=indicator,
                data=services.ObservationInput(
                    fiscal_year=fy,
                    value=Decimal(value),
                    status=status,
                    source=DEMO_SOURCE,
                    published_on=datetime.date(fy + 2, 3, 31)
                    if code == "gross-municipal-product"
                    else datetime.date(fy + 1, 6, 30),
                ),
                actor="demo",
            )
            added += 1
    measures = {m.number: m for m in strategy.measures.all()}
    for code, number, name_ja, name_en, unit_ja, unit_en, params, baseline, target in OUTPUTS:
        indicator = Indicator.objects.filter(strategy=strategy, code=code).first()
        if indicator is None:
            indicator = services.indicator_create(
                strategy=strategy,
                actor="demo",
                measure=measures[number],
                code=code,
                level=Indicator.Level.MEASURE_OUTPUT,
                name_ja=name_ja,
                name_en=name_en,
                unit_ja=unit_ja,
                unit_en=unit_en,
                kind=Indicator.Kind.FLOW,
                direction=Indicator.Direction.INCREASE,
                method=Indicator.Method.BASELINE_RELATIVE,
                obtained=Indicator.Obtained.COMPUTED,
                computation="registry.support_records",
                computation_params=params,
                source_ja="支援実績（Sangyo）",
                source_en="Support records (Sangyo)",
            )
            services.target_revise(
                indicator=indicator,
                baseline_value=Decimal(baseline),
                baseline_fy=2024,
                target_value=Decimal(target),
                target_fy=strategy.end_fy,
                decided_on=datetime.date(2025, 4, 1),
                reason="デモ用の合成目標",
                approved_by="産業振興課長（デモ）",
                actor="demo",
            )
        services.indicator_refresh_computed(indicator=indicator, actor="demo")
    return {"observations": added, "outputs": len(OUTPUTS)}

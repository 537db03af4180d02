"""Test factories for indicators, through the services so revisions and history are real."""

import datetime
import itertools
from decimal import Decimal

from sangyo.indicators import services
from sangyo.indicators.models import Indicator

_seq = itertools.count(1)


def indicator(
    *,
    strategy,
    measure=None,
    baseline="100",
    target="120",
    baseline_fy=2024,
    target_fy=2029,
    **fields,
) -> Indicator:
    n = next(_seq)
    defaults = {
        "code": f"test-indicator-{n}",
        "level": Indicator.Level.MEASURE_OUTPUT if measure else Indicator.Level.OUTCOME_KPI,
        "name_ja": f"合成指標{n}",
        "name_en": f"Synthetic indicator {n}",
        "unit_ja": "件",
        "unit_en": "cases",
        "kind": Indicator.Kind.FLOW,
        "direction": Indicator.Direction.INCREASE,
        "method": Indicator.Method.BASELINE_RELATIVE,
        "measure": measure,
    }
    obj = services.indicator_create(strategy=strategy, actor="test", **(defaults | fields))
    services.target_revise(
        indicator=obj,
        baseline_value=Decimal(baseline),
        baseline_fy=baseline_fy,
        target_value=Decimal(target),
        target_fy=target_fy,
        decided_on=datetime.date(2025, 3, 1),
        reason="テスト用の目標",
        approved_by="テスト",
        actor="test",
    )
    return obj


def observe(ind: Indicator, fiscal_year: int, value, **extra):
    return services.observation_record(
        indicator=ind,
        data=services.ObservationInput(fiscal_year=fiscal_year, value=Decimal(str(value)), **extra),
        actor="test",
    )[0]

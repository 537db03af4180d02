"""The indicator services the staff pages call: target revisions keep their history, a
revised observation keeps the old figure, bulk applies are all or nothing, and computed
indicators recount themselves. Every change leaves an audit event."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from sangyo.core.models import AuditEvent
from sangyo.indicators import services
from sangyo.indicators.models import Indicator, Observation, ObservationRevision
from sangyo.indicators.services import IndicatorError, ObservationInput
from sangyo.indicators.tests.factories import indicator, observe

pytestmark = pytest.mark.django_db


def revise(ind, **kw):
    values = {
        "baseline_value": Decimal(100),
        "baseline_fy": 2024,
        "target_value": Decimal(150),
        "target_fy": 2029,
        "decided_on": datetime.date(2026, 4, 1),
        "reason": "中間見直し（合成データ）",
        "approved_by": "産業振興審議会",
        "actor": "test",
    }
    return services.target_revise(indicator=ind, **(values | kw))


def test_target_revisions_accumulate_and_the_latest_is_in_force(tsukuba):
    ind = indicator(strategy=tsukuba)
    before = AuditEvent.objects.filter(code="indicators.target.revised").count()
    revise(ind, target_value=Decimal(150))
    revise(ind, target_value=Decimal(160), decided_on=datetime.date(2027, 4, 1), baseline_fy=None)
    assert ind.revisions.count() == 3  # the factory's initial target and two revisions
    current = services.current_target(ind)
    assert (current.target_value, current.baseline_fy) == (Decimal(160), None)
    assert [r.target_value for r in ind.revisions.order_by("decided_on", "id")] == [
        Decimal(120),
        Decimal(150),
        Decimal(160),
    ]
    events = AuditEvent.objects.filter(code="indicators.target.revised")
    assert events.count() == before + 2
    assert events.order_by("-id").first().data["reason"] == "中間見直し（合成データ）"


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"reason": "  "}, "改定の理由を入力してください"),
        ({"approved_by": ""}, "承認者を入力してください"),
        ({"baseline_fy": 2030, "target_fy": 2029}, "基準年度が目標年度より後です"),
    ],
)
def test_target_revision_refusals(tsukuba, kw, message):
    ind = indicator(strategy=tsukuba)
    with pytest.raises(IndicatorError, match=message):
        revise(ind, **kw)
    assert ind.revisions.count() == 1


def test_maintain_indicator_needs_baseline_equal_to_target(tsukuba):
    ind = indicator(strategy=tsukuba, direction="maintain", baseline="79", target="79")
    with pytest.raises(IndicatorError, match="「維持」の指標は基準値と目標値を同じに"):
        revise(ind, baseline_value=Decimal(79), target_value=Decimal(80))


def test_observation_revision_keeps_the_old_figure(tsukuba):
    ind = indicator(strategy=tsukuba)
    observe(ind, 2024, "14383", status="preliminary", source="速報（合成データ）")
    obs, change = services.observation_record(
        indicator=ind,
        data=ObservationInput(
            fiscal_year=2024, value=Decimal("14520"), source="確報（合成データ）"
        ),
        actor="test",
    )
    assert change == "revised"
    assert obs.value == Decimal("14520")
    [old] = ObservationRevision.objects.filter(observation=obs)
    assert (old.value, old.status, old.source) == (
        Decimal("14383"),
        "preliminary",
        "速報（合成データ）",
    )
    event = AuditEvent.objects.filter(code="indicators.observation.revised").latest("id")
    assert Decimal(event.data["previous"]) == Decimal("14383")
    _same, change = services.observation_record(
        indicator=ind,
        data=ObservationInput(
            fiscal_year=2024, value=Decimal("14520.0"), source="確報（合成データ）"
        ),
        actor="test",
    )
    assert change == "unchanged"
    assert ObservationRevision.objects.filter(observation=obs).count() == 1


def test_bulk_apply_is_all_or_nothing(tsukuba):
    ind = indicator(strategy=tsukuba)
    computed = indicator(
        strategy=tsukuba,
        obtained=Indicator.Obtained.COMPUTED,
        computation="registry.support_records",
        computation_params={},
    )
    items = [
        (ind, ObservationInput(fiscal_year=2024, value=Decimal(1))),
        (computed, ObservationInput(fiscal_year=2024, value=Decimal(2))),
    ]
    with pytest.raises(IndicatorError):
        services.observations_apply(items=items, actor="test", source_label="合成データ.csv")
    assert not Observation.objects.filter(indicator__in=[ind, computed]).exists()
    assert services.observations_plan(items[:1]).as_dict() == {
        "added": 1,
        "revised": 0,
        "unchanged": 0,
    }


@pytest.fixture
def support_setup(tsukuba):
    from sangyo.registry.tests.factories import business, support_record

    program = tsukuba.measures.get(number="06").programs.order_by("order").first()
    other = tsukuba.measures.get(number="01").programs.order_by("order").first()
    a, b = business(), business()
    support_record(business_obj=a, program=program, date=datetime.date(2025, 5, 1))
    support_record(business_obj=a, program=program, date=datetime.date(2025, 9, 1))
    support_record(business_obj=b, program=program, date=datetime.date(2026, 5, 1))
    support_record(business_obj=b, program=other, date=datetime.date(2026, 6, 1))
    return program


def test_refresh_counts_support_records_per_fiscal_year(tsukuba, support_setup):
    ind = indicator(
        strategy=tsukuba,
        measure=support_setup.measure,
        obtained=Indicator.Obtained.COMPUTED,
        computation="registry.support_records",
        computation_params={"measures": ["06"], "distinct_businesses": True},
    )
    result = services.indicator_refresh_computed(indicator=ind, actor="test")
    assert result.as_dict() == {"added": 2, "revised": 0, "unchanged": 0}
    assert dict(ind.observations.values_list("fiscal_year", "value")) == {
        2025: Decimal(1),
        2026: Decimal(1),
    }
    again = services.indicator_refresh_computed(indicator=ind, actor="test")
    assert again.as_dict() == {"added": 0, "revised": 0, "unchanged": 2}


def test_refresh_command_recomputes_every_computed_indicator(tsukuba, support_setup, capsys):
    counts = indicator(
        strategy=tsukuba,
        code="synthetic-records",
        obtained=Indicator.Obtained.COMPUTED,
        computation="registry.support_records",
        computation_params={},
    )
    entered = indicator(strategy=tsukuba, code="synthetic-entered")
    call_command("indicators", "refresh")
    assert dict(counts.observations.values_list("fiscal_year", "value")) == {
        2025: Decimal(2),
        2026: Decimal(2),
    }
    assert not entered.observations.exists()
    assert "synthetic-records" in capsys.readouterr().out

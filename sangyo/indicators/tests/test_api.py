"""The indicators API: /api/v1/indicators and /api/v1/indicators/{id}."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sangyo.indicators import services
from sangyo.indicators.models import Indicator
from sangyo.indicators.tests.factories import indicator, observe

pytestmark = pytest.mark.django_db


@pytest.fixture
def gmp(tsukuba):
    return Indicator.objects.get(strategy=tsukuba, code="gross-municipal-product")


def test_list_has_every_indicator_of_the_current_strategy(client, tsukuba, gmp):
    measure = tsukuba.measures.get(number="07")
    output = indicator(strategy=tsukuba, measure=measure)
    observe(gmp, 2025, 14800)
    observe(gmp, 2026, "14900.5", status="preliminary")
    response = client.get("/api/v1/indicators")
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()["results"]}
    assert set(rows) == {
        "gross-municipal-product",
        "certification-applications",
        "new-founders",
        "employed-persons",
        output.code,
    }
    row = rows["gross-municipal-product"]
    assert row == {
        "id": gmp.pk,
        "code": "gross-municipal-product",
        "level": "outcome_kpi",
        "name": {"ja": "市内総生産", "en": "Gross municipal product"},
        "unit": {"ja": "億円", "en": "100 million yen"},
        "measure": None,
        "vision": "I",
        "latest": {"fiscal_year": 2026, "value": 14900.5, "status": "preliminary"},
        "pace": {
            "status": "mostly_on_track",
            "label": {"ja": "概ね順調", "en": "Mostly on track"},
            "share": 69.9,
        },
    }
    # Measure-level indicators name their measure and, through it, their vision.
    assert rows[output.code]["measure"] == "07"
    assert (
        rows[output.code]["vision"] == tsukuba.measures.get(number="07").sub_theme.theme.vision.code
    )
    assert rows[output.code]["latest"] is None
    assert rows[output.code]["pace"]["status"] == "no_data"
    # Outcome KPIs first, in the plan's order.
    assert [r["code"] for r in response.json()["results"]][:4] == [
        "gross-municipal-product",
        "certification-applications",
        "new-founders",
        "employed-persons",
    ]


def test_list_runs_the_same_queries_whatever_the_size(client, tsukuba):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/indicators").status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for n in range(12):
        ind = indicator(strategy=tsukuba, measure=tsukuba.measures.get(number=f"{n % 17 + 1:02d}"))
        for fy in (2025, 2026, 2027):
            observe(ind, fy, 100 + fy - 2024 + n)
    assert count() == small <= 7


def test_detail_has_definition_targets_revisions_observations_and_assessment(client, gmp):
    services.target_revise(
        indicator=gmp,
        baseline_value=Decimal(14383),
        baseline_fy=None,
        target_value=Decimal(16500),
        target_fy=2029,
        decided_on=datetime.date(2026, 4, 1),
        reason="合成データ：上方修正",
        approved_by="合成データ会議",
        actor="test",
    )
    observe(gmp, 2025, 14700, status="preliminary", source="速報")
    observe(gmp, 2025, 14800, source="確報", published_on=datetime.date(2027, 3, 31))
    observe(gmp, 2026, 15250)
    observe(gmp, 2027, 15720)
    response = client.get(f"/api/v1/indicators/{gmp.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["definition"]["method"] == "baseline_relative"
    assert data["definition"]["direction"] == "increase"
    assert data["definition"]["source"]["ja"] == "茨城県「市町村民経済計算」"
    assert [b["status"] for b in data["definition"]["bands"]] == [
        "on_track",
        "mostly_on_track",
        "needs_improvement",
    ]
    assert data["definition"]["bands"][1]["min_share"] == 60
    assert data["target"] == {
        "baseline": {"value": 14383, "fiscal_year": None},
        "target": {"value": 16500, "fiscal_year": 2029},
        "decided_on": "2026-04-01",
        "reason": "合成データ：上方修正",
        "approved_by": "合成データ会議",
    }
    assert [r["target"]["value"] for r in data["revisions"]] == [16500, 16234]
    first = data["observations"][0]
    assert first["fiscal_year"] == 2025 and first["value"] == 14800
    assert first["published_on"] == "2027-03-31"
    assert [(h["value"], h["status"], h["source"]) for h in first["history"]] == [
        (14700, "preliminary", "速報")
    ]
    assert data["path"][0] == {"fiscal_year": 2024, "expected": 14383}
    assert data["path"][-1] == {"fiscal_year": 2029, "expected": 16500}

    a = data["assessment"]
    # FY2027: expected 14,383 + 2,117 × 3/5 = 15,653.2; (15,720 − 14,383) ÷ 1,270.2 = 105.3 %.
    assert a["fiscal_year"] == 2027
    assert a["expected"] == 15653.2
    assert a["actual"] == 15720
    assert a["share"] == 105.3
    assert a["status"] == "on_track"
    assert "15,653.2" in a["reason"]["ja"] and "15,653.2" in a["reason"]["en"]
    assert a["achievement"]["rate"] == 63.2
    assert a["vintage"]["fiscal_year"] == 2027 and a["vintage"]["status"] == "final"
    assert [n["code"] for n in a["notes"]] == ["baseline_fy_not_stated"]
    p = a["projection"]
    assert p["label"] == {"ja": "見通し（参考）", "en": "Projection (indicative)"}
    assert p["points_used"] == 3 and p["target_fy"] == 2029
    assert p["low"] < p["value_at_target"] < p["high"]
    assert [pt["fiscal_year"] for pt in p["points"]] == [2028, 2029]
    assert isinstance(p["will_reach_target"], bool)


def test_numbers_are_json_numbers(client, gmp):
    observe(gmp, 2025, "14800.25")
    data = client.get(f"/api/v1/indicators/{gmp.pk}").json()
    assert data["observations"][0]["value"] == 14800.25
    assert isinstance(data["assessment"]["share"], float)
    assert isinstance(data["target"]["target"]["value"], int | float)
    assert data["assessment"]["projection"] is None  # one point only


def test_computed_indicator_definition(client, tsukuba):
    ind = indicator(
        strategy=tsukuba,
        measure=tsukuba.measures.get(number="06"),
        obtained=Indicator.Obtained.COMPUTED,
        computation="registry.support_records",
        computation_params={"measures": ["06"], "distinct_businesses": True},
    )
    data = client.get(f"/api/v1/indicators/{ind.pk}").json()
    computation = data["definition"]["computation"]
    assert computation["code"] == "registry.support_records"
    assert (
        computation["definition"]["ja"]
        == "支援実績（施策06）を受けた事業者の数（年度ごと、重複を除く）"
    )


def test_unknown_indicator_is_404(client, tsukuba):
    assert client.get("/api/v1/indicators/999999").status_code == 404


def test_detail_runs_a_fixed_number_of_queries(client, gmp, django_assert_max_num_queries):
    for fy in range(2016, 2026):
        observe(gmp, fy, 14000 + fy)
        observe(gmp, fy, 14001 + fy)
    with django_assert_max_num_queries(5):
        assert client.get(f"/api/v1/indicators/{gmp.pk}").status_code == 200

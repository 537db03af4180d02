"""The read-only JSON API of the strategy tree under /api/v1/."""

import json
from decimal import Decimal

import pytest

from sangyo.strategy.schema import StrategyDoc
from sangyo.strategy.services import strategy_load

pytestmark = pytest.mark.django_db

FIGURES = {
    "gross-municipal-product": (Decimal("14383"), Decimal("16234")),
    "certification-applications": (Decimal("20"), Decimal("24")),
    "new-founders": (Decimal("79"), Decimal("79")),
    "employed-persons": (Decimal("143306"), Decimal("153318")),
}


def get_json(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:200])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def kpis(body: dict) -> dict:
    return {k["code"]: k for v in body["visions"] for k in v["kpis"]}


def test_current_strategy_whole_tree(client, tsukuba, tsukuba_doc):
    body = get_json(client, "/api/v1/strategy")

    assert body["code"] == "tsukuba-2025"
    assert body["is_current"] is True
    assert body["municipality"]["code"] == "082201"
    assert body["period"] == {"start_fy": 2025, "end_fy": 2029}
    assert body["adopted"] == "2025-03"
    assert body["slogan"]["ja"] == "世界の未来をつくる 産業創造都市つくば"
    assert [v["code"] for v in body["visions"]] == ["I", "II", "III", "IV"]
    assert [v["name"]["ja"] for v in body["visions"]] == [v.name.ja for v in tsukuba_doc.visions]

    themes = [t for v in body["visions"] for t in v["themes"]]
    assert [t["code"] for t in themes] == [t.code for t in tsukuba_doc.themes]
    sub_themes = [st for t in themes for st in t["sub_themes"]]
    assert len(sub_themes) == 8
    measures = [m for st in sub_themes for m in st["measures"]]
    assert sorted(m["number"] for m in measures) == [f"{n:02d}" for n in range(1, 18)]
    by_number = {m["number"]: m for m in measures}
    for m in tsukuba_doc.measures:
        got = by_number[m.number]
        assert got["name"] == {"ja": m.name.ja, "en": m.name.en}
        assert [(p["code"], p["name"]["ja"]) for p in got["programs"]] == [
            (p.code, p.name.ja) for p in m.programs
        ]
    # Each measure is nested under its own sub-theme.
    for st in sub_themes:
        for m in st["measures"]:
            assert (
                next(x for x in tsukuba_doc.measures if x.number == m["number"]).sub_theme
                == st["code"]
            )

    assert body["ordinance"]["in_force"] == "2025-03"
    assert len(body["ordinance"]["basic_policies"]) == 9
    assert body["situation"]["title"]["ja"] == "つくば市の現況"


def test_kpi_figures(client, tsukuba):
    got = kpis(get_json(client, "/api/v1/strategy"))
    assert set(got) == set(FIGURES)
    for code, (baseline, target) in FIGURES.items():
        k = got[code]
        assert Decimal(str(k["baseline"]["value"])) == baseline, code
        assert Decimal(str(k["target"]["value"])) == target, code
        assert k["baseline"]["fiscal_year"] is None  # not stated in the summary
        assert k["target"]["fiscal_year"] == 2029
    assert got["new-founders"]["direction"] == "maintain"
    assert got["gross-municipal-product"]["printed"] == {
        "baseline": "14,383億円",
        "target": "16,234億円（2029年度）",
    }


def test_kpi_values_are_json_numbers(client, tsukuba):
    k = kpis(get_json(client, "/api/v1/strategy"))["gross-municipal-product"]
    assert isinstance(k["baseline"]["value"], (int, float))
    assert isinstance(k["target"]["value"], (int, float))


def test_list_of_strategies(client, tsukuba, tsukuba_doc):
    data = tsukuba_doc.model_dump()
    data["code"] = "tsukuba-2020"
    data["period"] = {"start_fy": 2020, "end_fy": 2024}
    for v in data["visions"]:
        for k in v["kpis"]:
            k["target"]["fiscal_year"] = 2024
    strategy_load(doc=StrategyDoc.model_validate(data), actor="test")

    page = get_json(client, "/api/v1/strategies")
    assert page["count"] == 2 and page["next"] is None and page["previous"] is None
    body = page["results"]
    assert [(s["code"], s["is_current"]) for s in body] == [
        ("tsukuba-2025", True),
        ("tsukuba-2020", False),
    ]
    assert body[0]["title"]["ja"] == "第２次つくば市産業戦略"
    assert body[1]["period"] == {"start_fy": 2020, "end_fy": 2024}

    old = get_json(client, "/api/v1/strategies/tsukuba-2020")
    assert old["code"] == "tsukuba-2020"
    assert old["is_current"] is False
    assert get_json(client, "/api/v1/strategy")["code"] == "tsukuba-2025"


def test_strategy_by_code_equals_the_current(client, tsukuba):
    assert get_json(client, "/api/v1/strategies/tsukuba-2025") == get_json(
        client, "/api/v1/strategy"
    )


def test_unknown_code_is_404(client, tsukuba):
    assert client.get("/api/v1/strategies/no-such-strategy").status_code == 404


def test_no_strategy_loaded_is_404(client):
    assert client.get("/api/v1/strategy").status_code == 404
    assert get_json(client, "/api/v1/strategies")["results"] == []


def test_openapi_document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = json.loads(response.content)
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/strategy", "/api/v1/strategies", "/api/v1/strategies/{code}"} <= set(
        spec["paths"]
    )
    assert "get" in spec["paths"]["/api/v1/strategies/{code}"]
    params = spec["paths"]["/api/v1/strategies/{code}"]["get"]["parameters"]
    assert [(p["name"], p["in"]) for p in params] == [("code", "path")]


def test_api_is_read_only(client, tsukuba):
    assert client.post("/api/v1/strategy", {}).status_code == 405
    assert client.delete("/api/v1/strategies/tsukuba-2025").status_code == 405

"""Open data downloads: the CSV (BOM, one row per indicator × fiscal year) and the JSON tree."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest

from sangyo.indicators.models import Indicator
from sangyo.indicators.opendata import CSV_COLUMNS, number, plain
from sangyo.indicators.tests.factories import indicator, observe


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("14383.0000"), "14383"),
        (Decimal("15123.4"), "15123.4"),
        (Decimal("1E+3"), "1000"),
        (Decimal("0.0000"), "0"),
        (Decimal("-2.50"), "-2.5"),
        (Decimal("16234") / 3, "5411.3333"),
        (None, ""),
    ],
)
def test_csv_numbers_are_plain_and_exact(value, text):
    assert plain(value) == text


def test_json_numbers_are_ints_when_whole():
    assert number(Decimal("14383.0000")) == 14383 and isinstance(number(Decimal("14383.0")), int)
    assert number(Decimal("15123.40")) == 15123.4
    assert number(None) is None


@pytest.fixture
def data(tsukuba):
    gmp = Indicator.objects.get(strategy=tsukuba, code="gross-municipal-product")
    observe(gmp, 2025, 14700, status="preliminary", source="速報")
    observe(
        gmp,
        2025,
        "14800.5",
        status="final",
        source="茨城県 市町村民経済計算",
        published_on=datetime.date(2027, 3, 31),
    )
    measure = tsukuba.measures.get(number="04")
    output = indicator(
        strategy=tsukuba,
        measure=measure,
        name_ja="合成データ 商談会参加件数",
        baseline_fy=2024,
        target_fy=2029,
    )
    observe(output, 2020, 90)  # before the plan: a year of its own
    observe(output, 2026, 108)
    return {"gmp": gmp, "output": output, "measure": measure}


def read_csv(client):
    response = client.get("/indicators/download.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="sangyo-indicators-tsukuba-2025.csv"' in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, for Excel
    assert b"\r\n" in body
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.mark.django_db
def test_csv_has_one_row_per_indicator_and_fiscal_year(client, data):
    rows = read_csv(client)
    assert tuple(rows[0]) == CSV_COLUMNS
    # 4 KPIs × FY2024–FY2029 (path), + the measure indicator's path years and FY2020.
    assert len(rows) == 4 * 6 + 7
    keys = [(r["indicator_code"], r["fiscal_year"]) for r in rows]
    assert len(set(keys)) == len(keys)
    output = [r for r in rows if r["indicator_code"] == data["output"].code]
    assert [r["fiscal_year"] for r in output] == [
        "2020",
        "2024",
        "2025",
        "2026",
        "2027",
        "2028",
        "2029",
    ]


@pytest.mark.django_db
def test_csv_rows_carry_targets_path_and_latest_vintage(client, data):
    rows = {(r["indicator_code"], r["fiscal_year"]): r for r in read_csv(client)}
    row = rows[("gross-municipal-product", "2025")]
    assert row["strategy_code"] == "tsukuba-2025"
    assert row["vision_code"] == "I" and row["measure_number"] == ""
    assert (row["name_ja"], row["name_en"]) == ("市内総生産", "Gross municipal product")
    assert (row["unit_ja"], row["kind"], row["direction"]) == ("億円", "stock", "increase")
    assert row["method"] == "baseline_relative"
    assert (row["baseline"], row["baseline_fy"]) == ("14383", "")  # year not stated
    assert (row["target"], row["target_fy"]) == ("16234", "2029")
    assert row["expected"] == "14753.2"
    assert row["value"] == "14800.5"  # the latest vintage, not the preliminary 14700
    assert row["status"] == "final"
    assert row["source"] == "茨城県 市町村民経済計算"
    assert row["published_on"] == "2027-03-31"
    assert row["pace_status"] == "on_track"
    empty = rows[("gross-municipal-product", "2027")]
    assert empty["value"] == "" and empty["expected"] == "15493.6" and empty["status"] == ""
    out = rows[(data["output"].code, "2026")]
    assert out["measure_number"] == "04"
    assert out["vision_code"] == data["measure"].sub_theme.theme.vision.code
    assert out["value"] == "108" and out["expected"] == "108"


@pytest.mark.django_db
def test_json_is_the_tree_with_revisions_and_series(client, data, settings):
    response = client.get("/indicators/download.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert 'filename="sangyo-indicators-tsukuba-2025.json"' in response["Content-Disposition"]
    doc = json.loads(response.content)
    assert doc["licence"] == "CC BY 4.0"
    assert doc["strategy"]["code"] == "tsukuba-2025"
    assert doc["strategy"]["period"] == {"start_fy": 2025, "end_fy": 2029}
    assert [v["code"] for v in doc["visions"]] == ["I", "II", "III", "IV"]
    assert [k["code"] for v in doc["visions"] for k in v["kpis"]] == [
        "gross-municipal-product",
        "certification-applications",
        "new-founders",
        "employed-persons",
    ]
    assert len(doc["measures"]) == 17
    gmp = doc["visions"][0]["kpis"][0]
    assert gmp["revisions"][0]["target"] == {"value": 16234, "fiscal_year": 2029}
    (obs,) = gmp["observations"]
    assert (obs["fiscal_year"], obs["value"], obs["status"]) == (2025, 14800.5, "final")
    assert obs["expected"] == 14753.2 and obs["pace_status"] == "on_track"
    assert [(h["value"], h["status"]) for h in obs["history"]] == [(14700, "preliminary")]
    assert [p["fiscal_year"] for p in gmp["path"]] == list(range(2024, 2030))
    measure = next(m for m in doc["measures"] if m["number"] == "04")
    (output,) = measure["indicators"]
    assert output["name"]["ja"] == "合成データ 商談会参加件数"
    assert [o["fiscal_year"] for o in output["observations"]] == [2020, 2026]
    assert output["assessment"]["status"] == "on_track"
    assert doc["other_indicators"] == []

    settings.SANGYO_OPEN_DATA_LICENCE = "CC BY 4.0（合成データ）"
    assert client.get("/indicators/download.json").json()["licence"] == "CC BY 4.0（合成データ）"


@pytest.mark.django_db
def test_downloads_run_a_fixed_number_of_queries(client, data, django_assert_max_num_queries):
    for n in range(6):
        extra = indicator(strategy=data["gmp"].strategy, measure=data["measure"])
        observe(extra, 2025, 100 + n)
        observe(extra, 2025, 101 + n)
    with django_assert_max_num_queries(8):
        assert client.get("/indicators/download.csv").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/indicators/download.json").status_code == 200

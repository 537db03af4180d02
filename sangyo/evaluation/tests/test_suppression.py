"""Counts that concern fewer businesses than the threshold (3 by default, editable per year)
never reach a public output: pages, PDF, Excel, CSV, JSON, API. Staff pages show them."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from sangyo.evaluation import report, selectors, services
from sangyo.evaluation.models import Sheet
from sangyo.evaluation.tests.test_report import pdf_pages


def csv_rows(client, fy):
    content = client.get(f"/evaluation/{fy}/opendata.csv").content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


def cell(html, attr):
    return re.search(re.escape(attr) + r">([^<]*)<", html).group(1)


@pytest.mark.django_db
def test_small_counts_are_suppressed_in_every_public_output(evaluation_data, client, users):
    strategy = evaluation_data
    # FY2026: measure 02 reached only 2 businesses.
    year = selectors.year_figures(strategy, 2026, public=True)
    m02 = year.measures[1]
    assert m02.measure.number == "02"
    assert m02.records.suppressed and m02.records.public_value is None
    assert all(p.records.suppressed for p in m02.programs if p.records.value)
    # The public year page.
    page = client.get("/evaluation/2026/").content.decode()
    assert cell(page, 'data-measure="02" data-figure="records"') == "秘匿"
    # CSV (every row of measure 02 in FY2026 that has records).
    rows = [
        r
        for r in csv_rows(client, 2026)
        if r["fiscal_year"] == "2026" and r["measure_number"] == "02"
    ]
    measure_row = next(r for r in rows if r["row_level"] == "measure")
    assert (measure_row["records"], measure_row["businesses"], measure_row["suppressed"]) == (
        "",
        "",
        "1",
    )
    assert all(r["records"] in ("", "0") for r in rows)
    # JSON and the API.
    for url in ("/evaluation/2026/opendata.json", "/api/v1/evaluation/2026"):
        data = client.get(url).json()
        y = data["measures"][1]["years"][1]
        assert (y["records"], y["businesses"], y["suppressed"]) == (None, None, True)
        assert all(p["records"] in (None, 0) for p in y["programs"])
        assert data["suppression"]["threshold_businesses"] == 3
    # PDF and Excel (the public report).
    r = report.build_report(strategy=strategy, fiscal_year=2026)
    text = "\n".join(pdf_pages(r.pdf.open("rb").read())).replace("\r\n", " ")
    assert "施策の合計 秘匿 秘匿" in text
    wb = load_workbook(io.BytesIO(r.xlsx.open("rb").read()))
    ws = wb["施策別評価"]
    row = next(row for row in ws.iter_rows(min_row=2, values_only=True) if row[0] == "02")
    assert row[4:6] == ("秘匿", "秘匿")
    out = [row for row in wb["活動実績"].iter_rows(min_row=2, values_only=True) if row[0] == "02"]
    assert out and all(v in ("秘匿", 0) for row in out for v in row[4:6])
    # Staff see the real figure.
    client.force_login(users["viewer"])
    sheet = Sheet.objects.get(measure=m02.measure, fiscal_year=2026)
    staff_page = client.get(f"/staff/evaluation/sheets/{sheet.pk}/").content.decode()
    assert cell(staff_page, 'data-figure="records"') == "2"


@pytest.mark.django_db
def test_complementary_suppression_on_a_published_sheet(evaluation_data, client):
    """FY2025, measure 01: program 01-2 reached one business, so it is hidden, and 01-1 is
    hidden too: the measure's total minus 01-1 would give 01-2 away."""
    year = selectors.year_figures(evaluation_data, 2025, public=True)
    m01 = year.measures[0]
    assert m01.records.text == "11"
    assert [p.records.suppressed for p in m01.programs] == [True, True]
    assert all(k.records.suppressed for p in m01.programs for k in p.kinds)
    page = client.get(f"/evaluation/sheets/{m01.sheet.pk}/").content.decode()
    assert cell(page, 'data-figure="program-01-1-records"') == "秘匿"
    assert cell(page, 'data-figure="program-01-2-records"') == "秘匿"
    assert cell(page, 'data-figure="records"') == "11"
    assert ">10<" not in page and ">1<" not in page.split("実施事業と活動実績")[1].split("投入")[0]
    data = client.get("/evaluation/2025/opendata.json").json()
    programs = data["measures"][0]["years"][1]["programs"]
    assert [(p["code"], p["records"], p["suppressed"]) for p in programs] == [
        ("01-1", None, True),
        ("01-2", None, True),
    ]
    rows = [
        r
        for r in csv_rows(client, 2025)
        if r["fiscal_year"] == "2025"
        and r["measure_number"] == "01"
        and r["row_level"] != "measure"
    ]
    assert rows and all(r["records"] == "" and r["suppressed"] == "1" for r in rows)


@pytest.mark.django_db
def test_threshold_is_editable_data_and_covers_surveys(evaluation_data, client, users):
    services.year_setting_save(
        strategy=evaluation_data,
        fiscal_year=2026,
        hourly_cost=4300,
        suppression_threshold=5,
        actor=users["admin"],
    )
    year = selectors.year_figures(evaluation_data, 2026, public=True)
    m01, m03 = year.measures[0], year.measures[2]
    # Four businesses and four survey answers are now too few.
    assert m01.records.suppressed and m01.cost_per_record.suppressed
    assert m03.survey_responses.suppressed and m03.survey_mean.suppressed
    data = client.get("/evaluation/2026/opendata.json").json()
    y1, y3 = data["measures"][0]["years"][1], data["measures"][2]["years"][1]
    assert y1["records"] is None and y1["cost_per_record"] is None
    assert y3["survey"] == {"responses": None, "mean_rating": None, "suppressed": True}
    sheet_page = client.get(f"/evaluation/sheets/{m01.sheet.pk}/").content.decode()
    assert cell(sheet_page, 'data-figure="cost_per_record"') == "秘匿"
    assert cell(sheet_page, 'data-figure="records"') == "秘匿"

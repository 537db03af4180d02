"""The annual report: a PDF in Japanese (Noto CJK fonts, non-blank pages, headings in the
text layer) whose figures are the same as the pages', the open data's and the Excel's,
generated as a background job, and fast enough."""

import csv
import ctypes
import io
import re
import time

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from openpyxl import load_workbook

from sangyo.core.models import Job
from sangyo.evaluation import report, selectors, services
from sangyo.evaluation.models import Report

FY = 2026


def pdf_pages(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]


def pdf_fonts(data: bytes) -> set[str]:
    pdf = pdfium.PdfDocument(data)
    names = set()
    for i in range(len(pdf)):
        tp = pdf[i].get_textpage()
        for c in range(0, tp.count_chars(), 3):
            buf, flags = ctypes.create_string_buffer(256), ctypes.c_int()
            pdfium_raw.FPDFText_GetFontInfo(tp, c, buf, 256, ctypes.byref(flags))
            if buf.value:
                names.add(buf.value.decode())
    return names


def html_figure(html: str, figure: str, measure: str | None = None) -> str:
    attr = (
        f'data-measure="{measure}" data-figure="{figure}"' if measure else f'data-figure="{figure}"'
    )
    match = re.search(re.escape(attr) + r">([^<]*)<", html)
    assert match, f"no {attr} in page"
    return match.group(1).strip()


@pytest.fixture
def built(evaluation_data):
    started = time.monotonic()
    r = report.build_report(strategy=evaluation_data, fiscal_year=FY)
    r.elapsed = time.monotonic() - started
    return r


@pytest.mark.django_db
def test_pdf_pages_render_japanese_with_noto_cjk(built):
    # The whole strategy's report (figures, PDF, Excel, storage) well within 30 s.
    assert built.elapsed < 30
    data = built.pdf.open("rb").read()
    pdf = pdfium.PdfDocument(data)
    assert len(pdf) == built.pages >= 20
    # A4 portrait.
    w, h = pdf[0].get_size()
    assert (round(w), round(h)) == (595, 842)
    # Every page has ink: not blank.
    for i in range(len(pdf)):
        image = pdf[i].render(scale=0.5).to_pil().convert("L")
        dark = sum(image.histogram()[:200])
        assert dark > 200, f"page {i + 1} looks blank"
    text = "\n".join(pdf_pages(data))
    for heading in (
        "施策評価 年次報告書",
        "目次",
        "1. 成果指標（KPI）の進捗",
        "2. 施策別の評価シート",
        "3. 外部評価委員会の意見",
        "4. 参考：施策別のコストと活動実績",
        "ロジックモデル",
        "令和8年度（2026年度）",
        "施策01 専門家による伴走支援",
    ):
        assert heading in text, heading
    assert "\ufffd" not in text  # no replacement characters (missing glyphs)
    # Page numbers "n / total" in the footer, and the table of contents points at pages.
    assert f"3 / {len(pdf)}" in text
    toc = pdf_pages(data)[1]
    assert re.search(r"1\. 成果指標（KPI）の進捗\.+\s*3", toc)
    fonts = pdf_fonts(data)
    assert fonts and all("Noto" in f and "CJK" in f for f in fonts), fonts


def _measure_text(pages: list[str], number: str, name: str) -> str:
    """The measure's own page(s): the second time its heading appears (the first is the
    table of contents), up to its logic model."""
    text = "\n".join(pages)
    heading = f"施策{number} {name}"
    first = text.index(heading)
    start = text.index(heading, first + 1)
    return text[start : text.index("ロジックモデル", start)]


@pytest.mark.django_db
def test_every_figure_matches_pages_open_data_excel_and_pdf(built, client):
    strategy = built.strategy
    year = selectors.year_figures(strategy, FY, public=True)
    pages = pdf_pages(built.pdf.open("rb").read())
    year_html = client.get(f"/evaluation/{FY}/").content.decode()
    csv_text = client.get(f"/evaluation/{FY}/opendata.csv").content
    assert csv_text.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    rows = list(csv.DictReader(io.StringIO(csv_text.decode("utf-8-sig"))))
    measure_rows = {
        r["measure_number"]: r
        for r in rows
        if r["row_level"] == "measure" and r["fiscal_year"] == str(FY)
    }
    data = client.get(f"/evaluation/{FY}/opendata.json").json()
    api = client.get(f"/api/v1/evaluation/{FY}").json()
    assert api == data
    json_measures = {m["number"]: m for m in data["measures"]}
    wb = load_workbook(io.BytesIO(built.xlsx.open("rb").read()))
    ws = wb["施策別評価"]
    header = [c.value for c in ws[1]]
    xrows = {
        r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)
    }

    published = year.published
    assert len(published) >= 4
    checked = 0
    for mf in year.measures:
        n = mf.measure.number
        j = json_measures[n]["years"][1]
        c = measure_rows[n]
        x = xrows[n]
        text = _measure_text(pages, n, mf.measure.name_ja)
        # Outputs: records (or 秘匿) agree everywhere.
        assert html_figure(year_html, "records", n) == mf.records.text
        assert j["records"] == mf.records.public_value
        assert c["records"] == ("" if mf.records.suppressed else str(mf.records.value))
        assert x["支援件数"] == ("秘匿" if mf.records.suppressed else mf.records.value)
        assert f"施策の合計 {mf.records.text} {mf.businesses.text}" in text.replace("\r\n", " ")
        if mf.sheet is None:
            assert j["costs"] is None and c["total_cost_yen"] == ""
            continue
        checked += 1
        sheet_html = client.get(f"/evaluation/sheets/{mf.sheet.pk}/").content.decode()
        costs = mf.costs
        # To the yen: total cost = project cost + hours × hourly cost.
        assert costs.total_cost == costs.project_cost + costs.personnel_cost
        for figure, value in (
            ("project_cost", costs.project_cost),
            ("personnel_cost", costs.personnel_cost),
            ("total_cost", costs.total_cost),
        ):
            shown = f"{value:,}"
            assert html_figure(sheet_html, figure) == shown
            assert shown in text
            assert j["costs"][figure] == value
            assert c[f"{figure}_yen"] == str(value)
        for field, _label, value in costs.funding:
            assert html_figure(sheet_html, field) == f"{value:,}"
            assert j["costs"][field.removeprefix("cost_")] == value
        assert x["トータルコスト"] == costs.total_cost
        assert html_figure(sheet_html, "cost_per_record") == mf.cost_per_record.text
        assert html_figure(year_html, "cost_per_record", n) == mf.cost_per_record.text
        assert j["cost_per_record"] == mf.cost_per_record.public_value
        assert c["cost_per_record_yen"] == (
            "" if mf.cost_per_record.public_value is None else str(mf.cost_per_record.value)
        )
        assert f"支援1件あたりのコスト {mf.cost_per_record.text}" in text.replace("\r\n", " ")
        assert html_figure(sheet_html, "records") == mf.records.text
    assert checked == len(published)


def check_schema(value, schema, where="$"):
    """A small JSON Schema check (type, const, enum, required, properties, items): enough
    to keep the documented schema and the output in step without a new dependency."""
    types = schema.get("type")
    if types:
        names = {
            "object": dict,
            "array": list,
            "string": str,
            "boolean": bool,
            "null": type(None),
            "integer": int,
            "number": (int, float),
        }
        allowed = [types] if isinstance(types, str) else types
        ok = any(
            isinstance(value, names[t])
            and not (t in ("integer", "number") and isinstance(value, bool))
            for t in allowed
        )
        assert ok, f"{where}: {value!r} is not {allowed}"
    if "const" in schema:
        assert value == schema["const"], where
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    if isinstance(value, dict):
        for key in schema.get("required", []):
            assert key in value, f"{where}: missing {key}"
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                check_schema(value[key], sub, f"{where}.{key}")
        if schema.get("additionalProperties") is False:
            assert set(value) <= set(schema.get("properties", {})), where
    if isinstance(value, list) and "items" in schema:
        for n, item in enumerate(value):
            check_schema(item, schema["items"], f"{where}[{n}]")


@pytest.mark.django_db
def test_open_data_follows_its_documented_schema(evaluation_data, client):
    schema = client.get("/evaluation/opendata.schema.json").json()
    for fy in (2025, 2026):
        check_schema(client.get(f"/evaluation/{fy}/opendata.json").json(), schema)


@pytest.mark.django_db
def test_survey_results_reach_the_sheet(evaluation_data, client):
    year = selectors.year_figures(evaluation_data, FY, public=True)
    m03 = year.measures[2]
    assert m03.measure.number == "03"
    assert (m03.survey_responses.value, str(m03.survey_mean.value)) == (4, "4.00")
    data = client.get(f"/evaluation/{FY}/opendata.json").json()
    survey = data["measures"][2]["years"][1]["survey"]
    assert survey == {"responses": 4, "mean_rating": 4, "suppressed": False}


@pytest.mark.django_db
def test_report_generated_as_background_job_and_downloadable(
    evaluation_data, client, users, django_capture_on_commit_callbacks
):
    client.force_login(users["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/staff/evaluation/reports/", {"fiscal_year": FY})
    job = Job.objects.get(kind=services.REPORT_JOB)
    assert response.status_code == 302 and response.url == f"/staff/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert (job.progress_done, job.progress_total) == (4, 4)
    r = Report.objects.get(fiscal_year=FY)
    assert r.job_id == job.pk and r.pages > 0
    page = client.get(f"/staff/jobs/{job.pk}/").content.decode()
    assert "100%" in page and "/staff/evaluation/reports/" in page
    client.logout()
    public = client.get(f"/evaluation/{FY}/").content.decode()
    assert f"/evaluation/reports/{r.pk}/report.pdf" in public
    pdf = client.get(f"/evaluation/reports/{r.pk}/report.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    xlsx = client.get(f"/evaluation/reports/{r.pk}/report.xlsx")
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    # A viewer may read the list but not start a report.
    client.force_login(users["viewer"])
    assert client.get("/staff/evaluation/reports/").status_code == 200
    assert client.post("/staff/evaluation/reports/", {"fiscal_year": FY}).status_code == 404

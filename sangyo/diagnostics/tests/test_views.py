"""Staff pages: entering a ロカベン (full-width digits, 和暦), the result, the PDF, the
事業承継 check, and the support record each writes."""

import datetime

import pytest

from sangyo.core.models import AuditEvent
from sangyo.diagnostics.forms import parse_number
from sangyo.diagnostics.models import Diagnosis
from sangyo.registry.models import SupportRecord
from sangyo.registry.tests.factories import business

pytestmark = pytest.mark.django_db


def locaben_post(**extra):
    data = {
        "p1_end": "令和6年3月31日",
        "p1_sales": "１００,０００,０００",
        "p1_operating_profit": "5,000,000円",
        "p1_depreciation": "1000000",
        "p1_employees": "10",
        "p1_borrowings": "30,000,000",
        "p1_cash": "6,000,000",
        "p1_receivables": "12,000,000",
        "p1_inventory": "5,000,000",
        "p1_payables": "7,000,000",
        "p1_net_assets": "20,000,000",
        "p1_total_assets": "80,000,000",
        "p2_end": "2025/3/31",
        "p2_sales": "120,000,000",
        "p2_operating_profit": "▲3,000,000",
        "p2_depreciation": "1,000,000",
        "p2_employees": "12",
        "p2_borrowings": "25,000,000",
        "p2_cash": "10,000,000",
        "p2_net_assets": "30,000,000",
        "p2_total_assets": "90,000,000",
        "note_owner": "合成データ：二代目社長、経営意欲は高い",
    }
    return data | extra


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,234", 1234), ("１，２３４円", 1234), ("▲500", -500), ("-0.5", -0.5), ("△1", -1)],
)
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["abc", "1-2", "", "▲"])
def test_parse_number_refuses(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_locaben_saved_with_support_record_and_shown(client, tsukuba, users):
    b = business(name="合成データ診断株式会社")
    client.force_login(users["officer"])
    response = client.post(f"/staff/diagnostics/new/?business={b.pk}", locaben_post())
    diagnosis = Diagnosis.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/diagnostics/{diagnosis.pk}/"
    assert [p["end"] for p in diagnosis.periods] == ["2024-03-31", "2025-03-31"]
    assert diagnosis.periods[0]["figures"]["sales"] == "100000000"
    assert diagnosis.periods[1]["figures"]["operating_profit"] == "-3000000"
    record = SupportRecord.objects.get(source=f"diagnostics.diagnosis:{diagnosis.pk}")
    assert (record.kind, record.program.code, record.business) == ("consultation", "01-2", b)
    assert record.staff == users["officer"]
    assert AuditEvent.objects.filter(code="diagnostics.diagnosis.created").count() == 1

    page = client.get(response["Location"]).content.decode()
    assert "20.0%" in page  # 売上増加率
    assert "-2.5%" in page  # 営業利益率 with a loss
    assert "意味を持ちません" in page  # EBITDA denominator negative
    assert "「売上債権」「棚卸資産」「買入債務」が入力されていない" in page
    assert "（借入金 − 現預金） ÷ （営業利益 + 減価償却費）" in page
    assert "二代目社長" in page


def test_locaben_form_errors(client, tsukuba, users):
    b = business()
    client.force_login(users["admin"])
    url = f"/staff/diagnostics/new/?business={b.pk}"
    # Only one period, an unreadable number and an unreadable date.
    response = client.post(url, {"p1_end": "2025-03-31", "p1_sales": "百万", "p2_sales": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in page and "エラー：" in page
    assert "数値として読み取れません" in page
    assert "決算期末日を入力してください" in page
    response = client.post(url, {"p1_end": "2025-03-31", "p1_sales": "1"})
    assert "2期または3期分" in response.content.decode()
    response = client.post(url, {"p1_end": "2025-03-31", "p2_end": "令和7年3月31日"})
    assert "同じ決算期末日" in response.content.decode()
    assert not Diagnosis.objects.exists()


def test_unknown_business_is_404(client, tsukuba, users):
    client.force_login(users["officer"])
    assert client.get("/staff/diagnostics/new/?business=999999").status_code == 404
    assert client.get("/staff/diagnostics/new/").status_code == 404


def test_succession_check(client, tsukuba, users):
    b = business()
    client.force_login(users["officer"])
    data = {
        "owner_age": "71",
        "has_candidates": "no",
        "successor_decided": "no",
        "plan_written": "no",
        "shares_arranged": "no",
        "stakeholders_told": "no",
    }
    response = client.post(f"/staff/diagnostics/succession/new/?business={b.pk}", data)
    diagnosis = Diagnosis.objects.get(kind="succession")
    assert diagnosis.answers["owner_age"] == 71
    record = SupportRecord.objects.get(source=diagnosis.source)
    assert record.program.code == "04-1"
    page = client.get(response["Location"]).content.decode()
    assert "後継者人材バンク" in page
    assert "70歳以上" in page


def test_succession_requires_answers(client, tsukuba, users):
    b = business()
    client.force_login(users["officer"])
    response = client.post(f"/staff/diagnostics/succession/new/?business={b.pk}", {})
    assert response.status_code == 200
    assert "エラー：" in response.content.decode()
    assert not Diagnosis.objects.exists()


def _make(b, actor, n=1):
    from sangyo.diagnostics import services

    out = []
    for i in range(n):
        out.append(
            services.diagnosis_create(
                business=b,
                kind="locaben",
                actor=actor,
                periods=[
                    {"end": datetime.date(2023 + i, 3, 31), "figures": {"sales": 100}},
                    {"end": datetime.date(2024 + i, 3, 31), "figures": {"sales": 110}},
                ],
            )
        )
    return out


def test_list_and_detail_queries_are_bounded(client, tsukuba, users, django_assert_max_num_queries):
    client.force_login(users["viewer"])
    for _ in range(3):
        _make(business(), users["officer"], n=3)
    with django_assert_max_num_queries(8):
        response = client.get("/staff/diagnostics/")
    assert response.content.decode().count("/staff/diagnostics/") >= 9
    d = Diagnosis.objects.first()
    with django_assert_max_num_queries(8):
        assert client.get(f"/staff/diagnostics/{d.pk}/").status_code == 200


def test_viewer_reads_but_does_not_write(client, tsukuba, users):
    b = business()
    (d,) = _make(b, users["officer"])
    client.force_login(users["viewer"])
    assert client.get(f"/staff/diagnostics/{d.pk}/").status_code == 200
    assert (
        client.post(f"/staff/diagnostics/new/?business={b.pk}", locaben_post()).status_code == 404
    )
    assert "新しい診断" not in client.get("/staff/diagnostics/").content.decode()


def test_saving_twice_counts_each_diagnosis_once(tsukuba, users):
    b = business()
    _make(b, users["officer"], n=2)
    assert SupportRecord.objects.filter(business=b, source__startswith="diagnostics.").count() == 2


def test_pdf(client, tsukuba, users):
    from sangyo.diagnostics.pdf import diagnosis_html

    b = business(name="合成データPDF株式会社")
    (d,) = _make(b, users["officer"])
    client.force_login(users["officer"])
    response = client.get(f"/staff/diagnostics/{d.pk}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from sangyo.diagnostics.views import _result_context

    html = diagnosis_html(d, _result_context(d))
    assert "合成データPDF株式会社" in html and "10.0%" in html  # 110 ÷ 100 − 1


def test_staff_menu_lists_diagnostics(client, tsukuba, users):
    client.force_login(users["viewer"])
    assert "/staff/diagnostics/" in client.get("/staff/").content.decode()
    client.force_login(users["reviewer"])
    assert "/staff/diagnostics/" not in client.get("/staff/").content.decode()


def test_list_filtered_by_business_offers_both_diagnoses(client, tsukuba, users):
    b, other = business(name="合成データ絞込株式会社"), business(name="合成データ別会社")
    (mine,) = _make(b, users["officer"])
    (theirs,) = _make(other, users["officer"])
    client.force_login(users["officer"])
    page = client.get(f"/staff/diagnostics/?business={b.pk}").content.decode()
    assert f"/staff/diagnostics/{mine.pk}/" in page
    assert f"/staff/diagnostics/{theirs.pk}/" not in page
    assert f"/staff/diagnostics/new/?business={b.pk}" in page
    assert f"/staff/diagnostics/succession/new/?business={b.pk}" in page
    # The search finds businesses to start a diagnosis for.
    page = client.get("/staff/diagnostics/?q=別会社").content.decode()
    assert f"/staff/diagnostics/new/?business={other.pk}" in page


@pytest.mark.parametrize(
    "periods",
    [
        [{"end": datetime.date(2025, 3, 31)}],  # one period
        [{"figures": {}}, {"end": datetime.date(2025, 3, 31)}],  # a period without an end
        [{"end": datetime.date(2025, 3, 31)}] * 2,  # the same end twice
    ],
)
def test_service_refuses_bad_periods(tsukuba, users, periods):
    from sangyo.diagnostics.services import DiagnosticsError, diagnosis_create

    with pytest.raises(DiagnosticsError):
        diagnosis_create(business=business(), kind="locaben", actor="test", periods=periods)
    assert not Diagnosis.objects.exists()
    assert not SupportRecord.objects.filter(source__startswith="diagnostics.").exists()


def test_result_in_english_shows_english_formulas(client, tsukuba, users, settings):
    (d,) = _make(business(), users["officer"])
    client.force_login(users["viewer"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/staff/diagnostics/{d.pk}/").content.decode()
    assert "(Borrowings − cash) ÷ (operating profit + depreciation)" in page

"""The export module on its own: columns, chunked streaming, CP932 handling, audit data."""

from __future__ import annotations

import datetime

import pytest

from sangyo.core.tabular import TabularError, read_csv
from sangyo.registry import exports
from sangyo.registry.models import Business
from sangyo.registry.selectors import BusinessFilter
from sangyo.registry.tests.factories import business

TODAY = datetime.date(2026, 11, 28)


def headers(personal: bool) -> list[str]:
    return [c.header for c in exports.columns(personal=personal, today=TODAY)]


def test_personal_columns_only_when_allowed():
    assert "代表者名 [representative_name]" in headers(personal=True)
    assert not any("representative_name" in h for h in headers(personal=False))
    # The position of a representative is not personal data.
    assert "代表者役職 [representative_position]" in headers(personal=False)


def test_gbizinfo_field_names_where_they_overlap():
    gbiz = {c.gbiz for c in exports.columns(personal=True, today=TODAY) if c.gbiz}
    assert {
        "corporate_number",
        "name",
        "kana",
        "postal_code",
        "location",
        "capital_stock",
        "employee_number",
        "date_of_establishment",
        "company_url",
        "status",
        "close_date",
        "close_cause",
    } <= gbiz


@pytest.mark.django_db
def test_streamed_csv_has_one_bom_across_chunks(monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 2)
    for n in range(5):
        business(name=f"合成ストリーム{n}", kana=f"ゴウセイストリーム{n}")
    cols = exports.columns(personal=False, today=TODAY)
    rows = exports.iter_rows(Business.objects.order_by("id"), cols)
    parts = list(exports.stream_csv_utf8([c.header for c in cols], rows))
    assert len(parts) == 4  # header, then chunks of 2, 2 and 1
    data = b"".join(parts)
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1
    table = read_csv(data)
    assert [r.values[2] for r in table.rows] == [f"合成ストリーム{n}" for n in range(5)]


@pytest.mark.django_db
def test_cp932_build_keeps_typed_text_and_translates_only_the_reason():
    business(name="合成≤株式会社")  # typed by a person: refused, never altered
    cols = exports.columns(personal=False, today=TODAY, cp932=True)
    rows = exports.iter_rows(Business.objects.all(), cols)
    with pytest.raises(TabularError, match="≤"):
        exports.build("csv_cp932", [c.header for c in cols], rows)

    Business.objects.all().delete()
    business(name="合成正常株式会社")
    rows = exports.iter_rows(Business.objects.all(), cols)
    content, count = exports.build("csv_cp932", [c.header for c in cols], rows)
    assert count == 1
    text = content.decode("cp932")
    assert "≦" in text and "合成正常株式会社" in text


def test_filter_summary_and_filename():
    f = BusinessFilter(q="合成", district=3, sort="kana", extra={"jsic_major": "E"})
    assert exports.filter_summary(f) == {"q": "合成", "district": 3, "jsic_major": "E"}
    assert exports.filename("csv_utf8", TODAY) == "businesses-20261128.csv"
    assert exports.filename("csv_cp932", TODAY) == "businesses-20261128-sjis.csv"
    assert exports.filename("xlsx", TODAY) == "businesses-20261128.xlsx"

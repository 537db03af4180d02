"""The programs API: shapes, jGrants field names, open calls only, 404. Synthetic data."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from sangyo.applications.api import utc_iso
from sangyo.applications.models import Call
from sangyo.applications.tests import factories as f
from sangyo.strategy.models import Program

JST = ZoneInfo("Asia/Tokyo")

JGRANTS_FIELDS = {
    "title",
    "catch_phrase",
    "detail",
    "target_area",
    "industry",
    "target_number_of_employees",
    "use_purpose",
    "subsidy_rate",
    "subsidy_max_limit",
    "acceptance_start_datetime",
    "acceptance_end_datetime",
    "institution_name",
    "detail_url",
}


@pytest.fixture
def programs(tsukuba):
    startup = Program.objects.get(code="11-1", measure__strategy=tsukuba)
    f.program_detail(
        startup,
        title_ja="合成データ新規創業促進補助金",
        title_en="Synthetic startup subsidy",
        catch_phrase_ja="創業時の登録免許税などを補助します",
        description_ja="合成データの説明文です。",
        rate_numerator=10,
        rate_denominator=10,
        rate_text="10/10",
        rate_confirmed=True,
        cap_yen=125_000,
        employee_band="20名以下",
        industries=["E", "3911", "まちづくり関連"],
        use_purposes=["新たな事業を行いたい"],
        target_area="茨城県 つくば市",
        institution="つくば市経済部産業振興課",
        detail_url="",
        eligibility=[{"rule": "holds_founder_certificate"}],
    )
    expo = Program.objects.get(code="05-1", measure__strategy=tsukuba)
    f.program_detail(expo, title_ja="合成データ展示会出展支援", rate_confirmed=False, cap_yen=None)
    first = f.open_call(
        startup,
        opens_at=datetime.datetime(2025, 4, 1, 9, 0, tzinfo=JST),
        closes_at=datetime.datetime(2099, 3, 31, 17, 0, tzinfo=JST),
        budget_yen=1_000_000,
    )
    second = f.open_call(
        startup,
        opens_at=datetime.datetime(2025, 6, 1, 0, 0, tzinfo=JST),
        closes_at=datetime.datetime(2098, 12, 28, 17, 15, tzinfo=JST),
    )
    closed = f.open_call(startup, status=Call.Status.CLOSED)
    return {"startup": startup, "expo": expo, "calls": [first, second], "closed": closed}


def test_utc_iso_is_jgrants_style():
    value = datetime.datetime(2025, 4, 1, 9, 0, tzinfo=JST)
    assert utc_iso(value) == "2025-04-01T00:00:00.000Z"


@pytest.mark.django_db
def test_list(client, programs, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/programs")
    assert response.status_code == 200
    items = response.json()["results"]
    assert [i["code"] for i in items] == ["05-1", "11-1"]
    startup = items[1]
    assert startup["id"] == programs["startup"].pk
    assert startup["title"] == "合成データ新規創業促進補助金"
    assert startup["subsidy_rate"] == "10/10"
    assert startup["subsidy_max_limit"] == 125_000
    assert isinstance(startup["subsidy_max_limit"], int)
    assert startup["target_number_of_employees"] == "20名以下"
    # Open calls only, earliest deadline first; the program's window spans them.
    assert [c["id"] for c in startup["calls"]] == [c.pk for c in reversed(programs["calls"])]
    assert programs["closed"].pk not in [c["id"] for c in startup["calls"]]
    assert startup["acceptance_start_datetime"] == "2025-04-01T00:00:00.000Z"
    assert startup["acceptance_end_datetime"] == "2099-03-31T08:00:00.000Z"
    call = startup["calls"][1]
    assert call["budget"] == 1_000_000
    assert call["apply_url"].endswith(f"/apply/calls/{programs['calls'][0].pk}/")
    expo = items[0]
    assert expo["subsidy_rate"] == "要確認"
    assert expo["subsidy_max_limit"] == 0  # jGrants: 0 = not set
    assert expo["calls"] == []
    assert expo["acceptance_start_datetime"] is None


@pytest.mark.django_db
def test_detail_in_the_jgrants_vocabulary(client, programs, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get(f"/api/v1/programs/{programs['startup'].pk}")
    assert response.status_code == 200
    data = response.json()
    assert set(data) >= JGRANTS_FIELDS
    assert data["title"] == "合成データ新規創業促進補助金"
    assert data["catch_phrase"] == "創業時の登録免許税などを補助します"
    assert data["detail"] == "合成データの説明文です。"
    assert data["target_area"] == "茨城県 つくば市"
    # JSIC codes become their 大分類 names (3911 is in G); other entries are kept as written.
    assert data["industry"] == "製造業 / 情報通信業 / まちづくり関連"
    assert data["target_number_of_employees"] == "20名以下"
    assert data["use_purpose"] == ["新たな事業を行いたい"]
    assert data["subsidy_rate"] == "10/10"
    assert data["subsidy_max_limit"] == 125_000
    assert data["acceptance_start_datetime"].endswith("Z")
    assert data["institution_name"] == "つくば市経済部産業振興課"
    # No page of its own at the city: the detail URL is ours.
    assert data["detail_url"] == f"http://testserver/programs/{programs['startup'].pk}/"
    assert data["eligibility"] == [
        {
            "ja": "特定創業支援等事業の証明書を受けていること",
            "en": "Holds a founder support certificate",
        }
    ]
    assert data["en"]["title"] == "Synthetic startup subsidy"
    assert len(data["calls"]) == 2


@pytest.mark.django_db
def test_detail_without_confirmed_money(client, programs):
    data = client.get(f"/api/v1/programs/{programs['expo'].pk}").json()
    assert data["subsidy_rate"] == "要確認"
    assert data["subsidy_max_limit"] == 0
    assert data["industry"] == ""
    assert data["acceptance_end_datetime"] is None


@pytest.mark.django_db
def test_unknown_programs_are_404(client, tsukuba, programs):
    assert client.get("/api/v1/programs/999999").status_code == 404
    # A program of the strategy without details is not published.
    other = Program.objects.get(code="17-1", measure__strategy=tsukuba)
    assert client.get(f"/api/v1/programs/{other.pk}").status_code == 404


@pytest.mark.django_db
def test_the_schema_documents_both_endpoints(client, tsukuba):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/programs" in paths
    assert "/api/v1/programs/{program_id}" in paths

"""Registry reads: the staff search and its filters, stage boundaries, the staff list's
ordering, and the small selectors behind the detail and business-side pages."""

from __future__ import annotations

import datetime

import pytest

from sangyo.registry import services
from sangyo.registry.classification import founder_stage
from sangyo.registry.models import Business
from sangyo.registry.selectors import (
    BusinessFilter,
    businesses_of_user,
    filter_jsic_major,
    merge_preview,
    page_of,
    partners_by_kind,
    search_businesses,
    staff_search,
)
from sangyo.registry.tests.factories import DistrictFactory, business

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 28)


def found(f: BusinessFilter, today=TODAY) -> set[str]:
    return set(staff_search(f, today=today).values_list("name", flat=True))


@pytest.mark.parametrize(
    "query",
    ["ｺﾞｳｾｲ", "ゴウセイ", "ごうせい", "ｺﾞｳｾｲｼｮｳｼﾞ", "商事", "ＳＡＮＧＹＯ", "sangyo", "サンギョー"],
)
def test_name_and_kana_search_ignores_width_and_kana_kind(query):
    business(name="合成商事ＳＡＮＧＹＯ株式会社", kana="ゴウセイショウジサンギョー")
    business(name="別会社", kana="ベツガイシャ")
    assert found(BusinessFilter(q=query)) == {"合成商事ＳＡＮＧＹＯ株式会社"}


def test_corporate_number_prefix():
    business(name="合成東京", corporate_number="8000020130001")
    business(name="合成別番号", corporate_number="7123456789012")
    business(name="合成個人", corporate_type="sole", corporate_number=None)
    assert found(BusinessFilter(corporate_number="800002")) == {"合成東京"}
    assert found(BusinessFilter(corporate_number="８０００")) == {"合成東京"}
    assert found(BusinessFilter(corporate_number="71234-5")) == {"合成別番号"}


def test_each_filter(tsukuba):
    takezono = DistrictFactory(name_ja="合成竹園", address_prefixes=["竹園"])
    a = business(
        name="合成A",
        location="茨城県つくば市竹園1丁目",
        jsic_code="3911",
        employee_number=3,
        date_of_establishment=datetime.date(2024, 1, 1),
        tags=["スタートアップ"],
    )
    b = business(
        name="合成B",
        location="茨城県土浦市大和町1",
        city_code="082031",
        jsic_code="0911",
        capital_stock=5_000_000_000,
        employee_number=900,
        date_of_establishment=datetime.date(1990, 1, 1),
    )
    c = business(name="合成C", corporate_type="pre_founding", date_of_establishment=None)
    services.business_close(
        business=c, close_date=datetime.date(2026, 1, 1), cause="合成", actor="test"
    )
    assert a.district == takezono and b.in_city is False
    assert found(BusinessFilter(district=takezono.pk)) == {"合成A"}
    assert found(BusinessFilter(in_city="0")) == {"合成B"}
    assert found(BusinessFilter(in_city="1")) == {"合成A", "合成C"}
    assert found(BusinessFilter(jsic="39")) == {"合成A", "合成C"}
    assert found(BusinessFilter(jsic="0911")) == {"合成B"}
    assert found(BusinessFilter(size="small")) == {"合成A"}
    assert found(BusinessFilter(size="large")) == {"合成B"}
    assert found(BusinessFilter(stage="young")) == {"合成A"}
    assert found(BusinessFilter(stage="established")) == {"合成B"}
    assert found(BusinessFilter(stage="pre_founding")) == {"合成C"}
    assert found(BusinessFilter(tag="スタートアップ")) == {"合成A"}
    assert found(BusinessFilter(status="closed")) == {"合成C"}
    # 大分類: stored codes are digits, so the letter needs its own filter.
    assert found(BusinessFilter(extra={"jsic_major": "G"})) == {"合成A", "合成C"}
    assert found(BusinessFilter(extra={"jsic_major": "E"})) == {"合成B"}
    assert set(filter_jsic_major(Business.objects.all(), "e").values_list("name", flat=True)) == {
        "合成B"
    }


@pytest.mark.parametrize(
    ("established", "on"),
    [
        (datetime.date(2020, 4, 1), datetime.date(2025, 3, 31)),  # last young day
        (datetime.date(2020, 4, 1), datetime.date(2025, 4, 1)),  # fifth anniversary
        (datetime.date(2020, 2, 29), datetime.date(2025, 2, 28)),
        (datetime.date(2020, 2, 29), datetime.date(2025, 3, 1)),
        (datetime.date(2019, 3, 1), datetime.date(2024, 2, 29)),
        (datetime.date(2019, 2, 28), datetime.date(2024, 2, 29)),
        (datetime.date(2025, 11, 28), datetime.date(2026, 11, 28)),
    ],
)
def test_stage_filter_agrees_with_founder_stage_at_the_boundaries(established, on):
    business(name="合成境界", date_of_establishment=established)
    expected = founder_stage(corporate_type="301", date_of_establishment=established, on=on).key
    for stage in ("young", "established"):
        hit = found(BusinessFilter(stage=stage), today=on) == {"合成境界"}
        assert hit == (stage == expected), (stage, expected)


def test_staff_search_orders_by_registration_when_asked():
    first, second = business(name="合成古い", kana="ア"), business(name="合成新しい", kana="イ")
    newest_first = staff_search(BusinessFilter(q="合成", sort="-registered"))
    assert list(newest_first) == [second, first]
    assert list(staff_search(BusinessFilter(q="合成", sort="registered"))) == [first, second]
    assert list(staff_search(BusinessFilter(q="合成", sort="kana"))) == [first, second]
    assert list(staff_search(BusinessFilter(q="合成", sort="-kana"))) == [second, first]


def test_page_of_tells_next_without_counting():
    for n in range(5):
        business(name=f"合成ページ{n}", kana=f"ゴウセイページ{n}")
    qs = search_businesses(Business.objects.all(), BusinessFilter())
    page = page_of(qs, 1, per_page=2)
    assert (len(page.items), page.has_next, page.has_previous, page.start_index) == (
        2,
        True,
        False,
        1,
    )
    last = page_of(qs, 3, per_page=2)
    assert (len(last.items), last.has_next, last.start_index) == (1, False, 5)


def test_businesses_of_user_lists_memberships_and_live_delegations(make_user):
    rep = make_user("business", "rep@example.test")
    proxy = make_user("business", "proxy@example.test")
    own, delegated, expired = (business(name=f"合成{n}") for n in ("自社", "委任元", "期限切れ"))
    services.membership_add(user=rep, business=own, role="representative", actor="test")
    services.membership_add(user=proxy, business=delegated, role="representative", actor="test")
    services.membership_add(user=rep, business=delegated, role="representative", actor="test")
    services.membership_add(user=rep, business=expired, role="representative", actor="test")
    soon = datetime.date.today() + datetime.timedelta(days=10)
    services.delegation_grant(business=own, proxy=proxy, valid_until=soon, scope="", actor=rep)
    services.delegation_grant(business=expired, proxy=proxy, valid_until=soon, scope="", actor=rep)
    rows = businesses_of_user(proxy, today=datetime.date.today())
    assert {(r["business"].name, r["role"]) for r in rows} == {
        ("合成自社", "proxy"),
        ("合成委任元", "representative"),
        ("合成期限切れ", "proxy"),
    }
    later = businesses_of_user(proxy, today=soon + datetime.timedelta(days=1))
    assert {r["business"].name for r in later} == {"合成委任元"}


def test_merge_preview_counts_what_would_move(make_user):
    dup = business()
    services.contact_create(business=dup, actor="test", name="合成 担当")
    services.membership_add(user=make_user(), business=dup, role="member", actor="test")
    assert merge_preview(dup) == {
        "support_records": 0,
        "contacts": 1,
        "memberships": 1,
        "delegations": 0,
    }


def test_partners_are_grouped_by_kind_in_the_models_order():
    from sangyo.registry.models import PartnerOrganisation

    PartnerOrganisation.objects.create(name="合成B銀行", kind="finance", is_synthetic=True)
    PartnerOrganisation.objects.create(name="合成商工会", kind="chamber", is_synthetic=True)
    PartnerOrganisation.objects.create(name="合成A信金", kind="finance", is_synthetic=True)
    groups = partners_by_kind()
    assert [(str(label), [p.name for p in items]) for label, items in groups] == [
        ("商工会・商工会議所", ["合成商工会"]),
        ("金融機関", ["合成A信金", "合成B銀行"]),
    ]

"""Registry services as the staff screens use them: creating from the form (和暦 dates),
法人番号 rules, derived fields, closing, merging, anonymising contacts, members and proxies."""

from __future__ import annotations

import datetime

import pytest

from sangyo.core.models import AuditEvent
from sangyo.registry import policies, services
from sangyo.registry.forms import BusinessForm
from sangyo.registry.models import Business, Contact, Delegation, Membership, SupportRecord
from sangyo.registry.tests.factories import DistrictFactory, business, support_record

pytestmark = pytest.mark.django_db

VALID_NUMBER = "8000020130001"  # 東京都 (japan-rules.md)
OTHER_VALID_NUMBER = "7123456789012"


def form_data(**changes) -> dict:
    data = {
        "name": "合成データ和暦株式会社",
        "kana": "ごうせいでーたわれき",
        "corporate_type": "301",
        "status": "active",
        "location": "茨城県つくば市研究学園一丁目1番地1",
        "city_code": "082201",
        "in_city": "on",
        "jsic_code": "３９１１",
        "capital_stock": "10000000",
        "employee_number": "3",
        "date_of_establishment": "令和2年4月1日",
        "tags": "スタートアップ、輸出, スタートアップ",
    }
    return {**data, **changes}


def test_create_from_the_form_with_a_wareki_date(tsukuba):
    form = BusinessForm(form_data())
    assert form.is_valid(), form.errors
    created = services.business_create(actor="test", **form.service_kwargs())
    created.refresh_from_db()
    assert created.date_of_establishment == datetime.date(2020, 4, 1)
    assert created.jsic_code == "3911"  # full-width digits normalised
    assert created.kana == "ゴウセイデータワレキ"  # stored as katakana
    assert sorted(created.tags.values_list("name", flat=True)) == ["スタートアップ", "輸出"]
    assert created.size_class == Business.Size.SMALL
    assert "従業員" in created.size_reason


def test_form_shows_the_wareki_parser_error_in_japanese():
    from sangyo.core.wareki import WarekiError, parse_date

    with pytest.raises(WarekiError) as parser_error:
        parse_date("令和2年13月1日")
    form = BusinessForm(form_data(date_of_establishment="令和2年13月1日"))
    assert not form.is_valid()
    assert form.errors["date_of_establishment"] == [str(parser_error.value)]


def test_check_digit_error_comes_from_the_service():
    with pytest.raises(services.RegistryError, match="チェックデジット"):
        business(corporate_number="8000020130002")


def test_corporate_number_is_unique_when_present():
    business(corporate_number=VALID_NUMBER)
    with pytest.raises(services.RegistryError, match="既に"):
        business(corporate_number="8-0000-2013-0001")  # the same number, typed differently
    # Without a number, any number of businesses (sole proprietors) is fine.
    business(corporate_type="sole", corporate_number=None)
    business(corporate_type="sole", corporate_number="")
    assert Business.objects.filter(corporate_number__isnull=True).count() == 2


def test_sole_proprietor_has_no_corporate_number():
    with pytest.raises(services.RegistryError, match="個人事業主"):
        business(corporate_type="sole", corporate_number=VALID_NUMBER)


def test_derived_fields_are_recomputed_on_update(tsukuba):
    district = DistrictFactory(name_ja="合成地区竹園", address_prefixes=["竹園"])
    b = business(employee_number=3, kana="ゴウセイ", location="茨城県つくば市研究学園1番地")
    assert b.size_class == Business.Size.SMALL
    services.business_update(
        business=b,
        actor="test",
        employee_number=500,
        capital_stock=1_000_000_000,
        kana="ｼﾝｺﾞｳｾｲ",
        location="茨城県つくば市竹園1丁目",
    )
    b.refresh_from_db()
    assert b.size_class == Business.Size.LARGE
    assert b.search_kana == "しんごうせい"
    assert b.kana == "シンゴウセイ"
    assert b.district == district
    event = AuditEvent.objects.filter(code="registry.business.updated").latest("id")
    assert {"employee_number", "capital_stock", "kana", "location"} <= set(event.data["fields"])


def test_outside_city_business_is_flagged_and_has_no_district(tsukuba):
    DistrictFactory(name_ja="合成地区", address_prefixes=["研究学園"])
    b = business(location="茨城県土浦市研究学園町1", city_code="082031")
    assert b.in_city is False
    assert b.district is None


def test_close_requires_a_date():
    b = business()
    with pytest.raises(services.RegistryError, match="閉鎖日"):
        services.business_update(business=b, actor="test", status="closed")
    b.refresh_from_db()
    assert b.status == "active"
    services.business_close(
        business=b, close_date=datetime.date(2026, 3, 31), cause="合成データの廃業", actor="test"
    )
    b.refresh_from_db()
    assert (b.status, b.close_date) == ("closed", datetime.date(2026, 3, 31))
    # Reopening clears the closing date and cause.
    services.business_update(business=b, actor="test", status="active")
    b.refresh_from_db()
    assert (b.close_date, b.close_cause) == (None, "")


def test_merge_moves_every_record_and_is_audited(tsukuba, make_user):
    from sangyo.strategy.models import Program

    program = Program.objects.filter(measure__strategy=tsukuba).first()
    keep = business(name="合成重複株式会社", corporate_number=None, notes="")
    dup = business(name="合成重複株式会社", corporate_number=VALID_NUMBER, notes="統合元のメモ")
    records = [support_record(business_obj=dup, program=program) for _ in range(2)]
    contact = services.contact_create(business=dup, actor="test", name="合成 担当")
    shared, only_dup = (
        make_user("business", "shared@example.test"),
        make_user("business", "dup@example.test"),
    )
    services.membership_add(user=shared, business=keep, role="member", actor="test")
    services.membership_add(user=shared, business=dup, role="representative", actor="test")
    services.membership_add(user=only_dup, business=dup, role="member", actor="test")

    kept = services.business_merge(keep=keep, duplicate=dup, actor="test")

    assert not Business.objects.filter(pk=dup.pk).exists()
    assert set(SupportRecord.objects.filter(business=kept)) == set(records)
    assert Contact.objects.get(pk=contact.pk).business_id == kept.pk
    assert set(Membership.objects.filter(business=kept).values_list("user_id", flat=True)) == {
        shared.pk,
        only_dup.pk,
    }
    assert kept.corporate_number == VALID_NUMBER  # empty fields filled from the duplicate
    assert kept.notes == "統合元のメモ"
    event = AuditEvent.objects.get(code="registry.business.merged")
    assert event.target_id == str(kept.pk)
    assert event.data["moved"]["support_records"] == 2
    assert event.data["moved"]["contacts"] == 1


def test_merge_refuses_different_corporate_numbers():
    a = business(corporate_number=VALID_NUMBER)
    b = business(corporate_number=OTHER_VALID_NUMBER)
    with pytest.raises(services.RegistryError, match="法人番号が異なる"):
        services.business_merge(keep=a, duplicate=b, actor="test")
    assert Business.objects.filter(pk=b.pk).exists()


def test_anonymising_a_contact_keeps_the_row_and_the_support_records(tsukuba):
    from sangyo.strategy.models import Program

    program = Program.objects.filter(measure__strategy=tsukuba).first()
    b = business()
    record = support_record(business_obj=b, program=program)
    contact = services.contact_create(
        business=b,
        actor="test",
        name="合成 太郎",
        kana="ゴウセイ タロウ",
        role="総務",
        email="taro@example.test",
        phone="029-000-0000",
        consent_at=datetime.date(2025, 4, 1),
        consent_scope="支援情報の案内",
    )
    services.contact_anonymize(contact=contact, actor="test", reason="本人の申出")
    contact.refresh_from_db()
    assert contact.anonymized_at is not None
    assert (contact.kana, contact.email, contact.phone, contact.role) == ("", "", "", "")
    assert contact.consent_at is None and contact.consent_scope == ""
    assert "合成 太郎" not in contact.name
    assert SupportRecord.objects.filter(pk=record.pk, business=b).exists()
    event = AuditEvent.objects.get(code="registry.contact.anonymized")
    assert event.data == {"reason": "本人の申出"}
    with pytest.raises(services.RegistryError):
        services.contact_update(contact=contact, actor="test", name="戻す")


def test_only_the_representative_delegates_and_the_proxy_expires(make_user):
    b = business()
    rep = make_user("business", "rep@example.test")
    member = make_user("business", "member@example.test")
    proxy = make_user("business", "shindanshi@example.test")
    services.membership_add(user=rep, business=b, role="representative", actor="test")
    services.membership_add(user=member, business=b, role="member", actor="test")
    today = datetime.date.today()
    until = today + datetime.timedelta(days=30)

    with pytest.raises(services.RegistryError, match="代表者"):
        services.delegation_grant(
            business=b, proxy=proxy, valid_until=until, scope="", actor=member
        )
    with pytest.raises(services.RegistryError, match="有効期限"):
        services.delegation_grant(business=b, proxy=proxy, valid_until=today, scope="", actor=rep)
    assert not policies.can_act_for(proxy, b)

    delegation = services.delegation_grant(
        business=b, proxy=proxy, valid_until=until, scope="補助金の申請", actor=rep
    )
    assert policies.can_act_for(member, b)
    assert policies.can_act_for(proxy, b)
    assert policies.can_act_for(proxy, b, on=until)  # the last day counts
    assert not policies.can_act_for(proxy, b, on=until + datetime.timedelta(days=1))

    services.delegation_revoke(delegation=delegation, actor=rep)
    assert Delegation.objects.get(pk=delegation.pk).revoked_at is not None
    assert not policies.can_act_for(proxy, b)
    assert AuditEvent.objects.filter(code="registry.delegation.revoked").count() == 1


def test_membership_role_can_change_but_not_duplicate(make_user):
    b = business()
    user = make_user("business", "someone@example.test")
    services.membership_add(user=user, business=b, role="member", actor="test")
    services.membership_add(user=user, business=b, role="representative", actor="test")
    assert list(Membership.objects.filter(business=b).values_list("role", flat=True)) == [
        "representative"
    ]
    with pytest.raises(services.RegistryError):
        services.membership_add(user=user, business=b, role="owner", actor="test")

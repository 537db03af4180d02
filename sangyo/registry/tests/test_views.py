"""The registry's staff screens and the business side's pages, through the test client."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sangyo.core.models import AuditEvent
from sangyo.registry import services
from sangyo.registry.models import Business, Contact, Delegation, Membership, SupportRecord
from sangyo.registry.tests.factories import DistrictFactory, business, support_record

pytestmark = pytest.mark.django_db

BASE = "/staff/businesses"


def login(client, users, role):
    client.force_login(users[role])
    return client


def body(response) -> str:
    return response.content.decode()


def export_bytes(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# --- list --------------------------------------------------------------------------------------


def test_list_filters_by_name_kana_district_and_jsic(client, users, tsukuba):
    district = DistrictFactory(name_ja="合成吾妻", address_prefixes=["吾妻"])
    business(name="合成ソフト株式会社", kana="ゴウセイソフト", location="茨城県つくば市吾妻1")
    business(name="合成食品株式会社", kana="ゴウセイショクヒン", jsic_code="0911")
    login(client, users, "viewer")

    page = body(client.get(f"{BASE}/", {"q": "ｿﾌﾄ"}))
    assert "合成ソフト株式会社" in page and "合成食品株式会社" not in page

    page = body(client.get(f"{BASE}/", {"district": district.pk}))
    assert "合成ソフト株式会社" in page and "合成食品株式会社" not in page

    page = body(client.get(f"{BASE}/", {"jsic_major": "E"}))
    assert "合成食品株式会社" in page and "合成ソフト株式会社" not in page

    page = body(client.get(f"{BASE}/", {"jsic": "09"}))
    assert "合成食品株式会社" in page and "合成ソフト株式会社" not in page

    response = client.get(f"{BASE}/", {"jsic": "ZZ"})
    assert response.status_code == 200
    assert "エラー：" in body(response)


def test_list_shows_size_reason_stage_and_outside_badge(client, users, tsukuba):
    business(name="合成市外株式会社", location="茨城県土浦市大和町1", city_code="082031")
    login(client, users, "viewer")
    page = body(client.get(f"{BASE}/"))
    assert "市外" in page
    assert "従業員 12人" in page  # the size reason, visible under the class
    assert "創業5年以上" in page


def test_list_sort_links_and_aria_sort(client, users):
    business()
    login(client, users, "viewer")
    page = body(client.get(f"{BASE}/"))
    # Browsing the whole registry: kana order, ascending.
    assert re.search(r'<th scope="col" aria-sort="ascending"><a href="\?sort=-kana">', page)
    page = body(client.get(f"{BASE}/", {"q": "合成"}))
    # A search is shown newest first unless another order is chosen.
    assert re.search(r'aria-sort="descending"><a href="[^"]*sort=registered', page)
    page = body(client.get(f"{BASE}/", {"q": "合成", "sort": "employees"}))
    assert page.count("aria-sort=") == 1
    assert re.search(
        r'aria-sort="ascending"><a href="\?q=%E5%90%88%E6%88%90&amp;sort=-employees"', page
    )


def test_list_pages_without_a_total_count(client, users):
    for _ in range(52):
        business()
    login(client, users, "viewer")
    page = body(client.get(f"{BASE}/"))
    assert "1件目〜50件目" in page
    assert 'rel="next"' in page and 'rel="prev"' not in page
    page = body(client.get(f"{BASE}/", {"page": "2"}))
    assert "51件目〜52件目" in page
    assert 'rel="prev"' in page and 'rel="next"' not in page


def _count_list_queries(client, n: int) -> int:
    existing = Business.objects.count()
    for _ in range(n - existing):
        business(tags=["スタートアップ"], representative_name="合成 代表")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{BASE}/", {"tag": "スタートアップ", "sort": "kana"})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_runs_a_bounded_number_of_queries(client, users, tsukuba):
    DistrictFactory(name_ja="合成研究学園", address_prefixes=["研究学園"])
    login(client, users, "officer")
    with_20 = _count_list_queries(client, 20)
    with_200 = _count_list_queries(client, 200)
    assert with_20 == with_200
    assert with_200 <= 10


def test_representative_name_only_for_roles_with_personal_data(client, users):
    business(name="合成代表者確認", representative_name="合成 花子")
    for role, visible in (("viewer", False), ("officer", True), ("admin", True)):
        login(client, users, role)
        page = body(client.get(f"{BASE}/"))
        assert ("合成 花子" in page) is visible, role
        b = Business.objects.get(name="合成代表者確認")
        page = body(client.get(f"{BASE}/{b.pk}/"))
        assert ("合成 花子" in page) is visible, role


# --- export ------------------------------------------------------------------------------------


def test_csv_utf8_export_has_a_bom_and_japanese_headers(client, users):
    business(name="合成エクスポート株式会社", representative_name="合成 代表者")
    login(client, users, "viewer")
    response = client.get(f"{BASE}/export/", {"format": "csv_utf8", "q": "エクスポート"})
    data = export_bytes(response)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\xef\xbb\xbf") == 1
    text = data.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert "法人番号 [corporate_number]" in header and "名称 [name]" in header
    assert "representative_name" not in header  # viewer: no personal data
    assert "合成エクスポート株式会社" in text and "合成 代表者" not in text
    assert re.match(
        r'attachment; filename="businesses-\d{8}\.csv"', response["Content-Disposition"]
    )
    assert not AuditEvent.objects.filter(code="registry.business.exported").exists()


def test_cp932_export_decodes(client, users):
    business(name="合成髙橋商店〜本店", kana="ゴウセイタカハシショウテン")
    login(client, users, "officer")
    response = client.get(f"{BASE}/export/", {"format": "csv_cp932"})
    assert response.status_code == 200
    text = response.content.decode("cp932")
    assert "合成髙橋商店～本店" in text  # 〜 written as its CP932 twin
    assert "≦" in text  # the size reason's ≤ in its JIS form
    assert response["Content-Type"] == "text/csv; charset=Shift_JIS"


def test_cp932_export_refuses_characters_it_cannot_hold(client, users):
    business(name="合成𠮷野商店")
    login(client, users, "officer")
    response = client.get(f"{BASE}/export/", {"format": "csv_cp932"})
    assert response.status_code == 400
    page = body(response)
    assert "エラー：" in page and "𠮷" in page
    assert "format=csv_utf8" in page
    assert not AuditEvent.objects.filter(code="registry.business.exported").exists()


def test_xlsx_export_opens_with_openpyxl(client, users):
    from openpyxl import load_workbook

    business(name="合成エクセル株式会社", tags=["輸出", "DX推進"])
    login(client, users, "viewer")
    response = client.get(f"{BASE}/export/", {"format": "xlsx"})
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "台帳ID"
    names = [r[rows[0].index("名称 [name]")] for r in rows[1:]]
    assert names == ["合成エクセル株式会社"]
    assert rows[1][rows[0].index("タグ")] in ("DX推進、輸出", "輸出、DX推進")


def test_export_with_personal_data_is_audited_with_filter_and_count(client, users):
    business(name="合成監査A", representative_name="合成 代表A", tags=["輸出"])
    business(name="合成監査B", representative_name="合成 代表B", tags=["輸出"])
    business(name="合成監査C", representative_name="合成 代表C")
    login(client, users, "officer")
    data = export_bytes(client.get(f"{BASE}/export/", {"format": "csv_utf8", "tag": "輸出"}))
    assert "合成 代表A" in data.decode("utf-8-sig")
    event = AuditEvent.objects.get(code="registry.business.exported")
    assert event.data["rows"] == 2
    assert event.data["filter"] == {"tag": "輸出"}
    assert event.actor == users["officer"]
    client.get(f"{BASE}/export/", {"format": "xlsx"})
    assert AuditEvent.objects.filter(code="registry.business.exported").count() == 2


def test_unknown_export_format_is_404(client, users):
    login(client, users, "viewer")
    assert client.get(f"{BASE}/export/", {"format": "pdf"}).status_code == 404


# --- detail ------------------------------------------------------------------------------------


def test_detail_shows_classification_wareki_date_and_timeline(client, users, tsukuba):
    from sangyo.strategy.models import Program

    program = Program.objects.filter(measure__strategy=tsukuba).select_related("measure").first()
    b = business(
        name="合成詳細株式会社",
        date_of_establishment=datetime.date(2020, 4, 1),
        tags=["スタートアップ"],
    )
    for day in (1, 2, 3):
        support_record(
            business_obj=b, program=program, date=datetime.date(2025, 6, day), summary="合成相談"
        )
    login(client, users, "viewer")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{BASE}/{b.pk}/")
    page = body(response)
    assert "2020年4月1日（令和2年4月1日）" in page
    assert "中小企業者" in page and "従業員 12人" in page
    assert "スタートアップ" in page
    assert "391" in page and "第14回改定" in page
    assert page.count("合成相談") == 3
    assert f"/strategy/measures/{program.measure.number}/" in page
    assert "連絡先" not in page  # viewer: no contacts section
    few = len(ctx.captured_queries)
    for day in (4, 5, 6, 7):
        support_record(business_obj=b, program=program, date=datetime.date(2025, 6, day))
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"{BASE}/{b.pk}/")
    assert len(ctx.captured_queries) == few


def test_missing_business_is_404(client, users):
    login(client, users, "admin")
    assert client.get(f"{BASE}/999999/").status_code == 404


# --- create and edit ---------------------------------------------------------------------------


def create_data(**changes):
    data = {
        "name": "合成新規株式会社",
        "kana": "ゴウセイシンキ",
        "corporate_type": "301",
        "status": "active",
        "location": "茨城県つくば市研究学園1",
        "city_code": "082201",
        "in_city": "on",
        "jsic_code": "3911",
        "capital_stock": "30000000",
        "employee_number": "10",
        "date_of_establishment": "R2.4.1",
        "tags": "スタートアップ",
    }
    return {**data, **changes}


def test_create_with_wareki_date_redirects_with_a_message(client, users, tsukuba):
    login(client, users, "officer")
    response = client.post(f"{BASE}/new/", create_data(), follow=True)
    b = Business.objects.get(name="合成新規株式会社")
    assert response.redirect_chain[-1][0] == f"{BASE}/{b.pk}/"
    assert "登録しました" in body(response)
    assert b.date_of_establishment == datetime.date(2020, 4, 1)
    assert AuditEvent.objects.filter(code="registry.business.created", actor=users["officer"])


def test_create_shows_check_digit_and_uniqueness_errors_on_the_field(client, users):
    business(corporate_number="8000020130001", name="合成既存")
    login(client, users, "officer")
    page = body(client.post(f"{BASE}/new/", create_data(corporate_number="8000020130002")))
    assert 'id="id_corporate_number_error"' in page and "チェックデジット" in page
    assert 'aria-invalid="true"' in page and 'role="alert"' in page
    page = body(client.post(f"{BASE}/new/", create_data(corporate_number="8000020130001")))
    error = re.search(r'id="id_corporate_number_error">(.*?)</p>', page, re.S).group(1)
    assert error.startswith("エラー：") and "合成既存" in error
    assert not Business.objects.filter(name="合成新規株式会社").exists()


def test_create_shows_date_and_jsic_errors(client, users):
    login(client, users, "officer")
    page = body(
        client.post(
            f"{BASE}/new/",
            create_data(date_of_establishment="令和二年", jsic_code="99999", status="closed"),
        )
    )
    assert 'id="id_date_of_establishment_error"' in page and "読み取れません" in page
    assert 'id="id_jsic_code_error"' in page
    assert 'id="id_close_date_error"' in page and "閉鎖日" in page


def test_edit_updates_through_the_service(client, users, tsukuba):
    b = business(name="合成編集前")
    login(client, users, "officer")
    page = body(client.get(f"{BASE}/{b.pk}/edit/"))
    assert 'value="合成編集前"' in page and 'value="2015-04-01"' in page
    response = client.post(
        f"{BASE}/{b.pk}/edit/",
        create_data(
            name="合成編集後",
            status="closed",
            close_date="令和8年3月31日",
            close_cause="合成データの廃業",
        ),
    )
    assert response.status_code == 302
    b.refresh_from_db()
    assert (b.name, b.status, b.close_date) == ("合成編集後", "closed", datetime.date(2026, 3, 31))
    assert AuditEvent.objects.filter(code="registry.business.updated", target_id=str(b.pk))


def test_viewer_cannot_edit(client, users):
    b = business()
    login(client, users, "viewer")
    assert client.post(f"{BASE}/{b.pk}/edit/", create_data()).status_code == 404
    assert client.post(f"{BASE}/new/", create_data()).status_code == 404


# --- contacts ------------------------------------------------------------------------------------


def test_contact_create_edit_and_anonymise(client, users, tsukuba):
    from sangyo.strategy.models import Program

    b = business()
    support_record(business_obj=b, program=Program.objects.first())
    login(client, users, "officer")
    response = client.post(
        f"{BASE}/{b.pk}/contacts/new/",
        {
            "name": "合成 一郎",
            "email": "ichiro@example.test",
            "consent_at": "令和7年4月1日",
            "consent_scope": "支援情報の案内",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get(business=b)
    assert contact.consent_at == datetime.date(2025, 4, 1)
    page = body(client.get(f"{BASE}/{b.pk}/"))
    assert "合成 一郎" in page and "ichiro@example.test" in page

    client.post(f"{BASE}/contacts/{contact.pk}/edit/", {"name": "合成 一郎", "role": "社長"})
    contact.refresh_from_db()
    assert contact.role == "社長"

    confirm = client.get(f"{BASE}/contacts/{contact.pk}/anonymize/")
    assert "元に戻すことはできません" in body(confirm)
    contact.refresh_from_db()
    assert contact.anonymized_at is None  # GET only asks

    refused = client.post(f"{BASE}/contacts/{contact.pk}/anonymize/", {"reason": ""})
    assert "エラー：" in body(refused)
    contact.refresh_from_db()
    assert contact.anonymized_at is None

    client.post(f"{BASE}/contacts/{contact.pk}/anonymize/", {"reason": "本人の申出"})
    contact.refresh_from_db()
    assert contact.anonymized_at is not None and contact.email == ""
    assert SupportRecord.objects.filter(business=b).count() == 1
    page = body(client.get(f"{BASE}/{b.pk}/"))
    assert "ichiro@example.test" not in page and "匿名化" in page


def test_contact_pages_need_a_personal_data_role(client, users):
    b = business()
    contact = services.contact_create(business=b, actor="test", name="合成 担当")
    login(client, users, "viewer")
    assert client.get(f"{BASE}/{b.pk}/contacts/new/").status_code == 404
    assert (
        client.post(f"{BASE}/contacts/{contact.pk}/anonymize/", {"reason": "x"}).status_code == 404
    )
    contact.refresh_from_db()
    assert contact.anonymized_at is None


# --- members, duplicates, partners -------------------------------------------------------------


def test_staff_link_a_business_user(client, users, make_user):
    b = business()
    login(client, users, "officer")
    response = client.post(
        f"{BASE}/{b.pk}/members/add/",
        {"member-email": users["business"].email.upper(), "member-role": "representative"},
    )
    assert response.status_code == 302
    assert Membership.objects.get(business=b).user == users["business"]
    # A staff account cannot be linked as a business member.
    page = body(
        client.post(
            f"{BASE}/{b.pk}/members/add/",
            {"member-email": users["viewer"].email, "member-role": "member"},
        )
    )
    assert "エラー：" in page and Membership.objects.filter(business=b).count() == 1


def test_duplicates_and_merge(client, users, tsukuba):
    from sangyo.strategy.models import Program

    keep = business(name="合成重複 株式会社", location="茨城県つくば市吾妻1")
    dup = business(name="合成重複　株式会社", location="茨城県つくば市吾妻１")
    support_record(business_obj=dup, program=Program.objects.first())
    login(client, users, "admin")
    page = body(client.get(f"{BASE}/duplicates/"))
    assert f"keep={keep.pk}&amp;duplicate={dup.pk}" in page

    confirm = body(client.get(f"{BASE}/merge/", {"keep": keep.pk, "duplicate": dup.pk}))
    assert "支援の記録 1件" in confirm
    assert Business.objects.filter(pk=dup.pk).exists()

    response = client.post(f"{BASE}/merge/", {"keep": keep.pk, "duplicate": dup.pk})
    assert response["Location"] == f"{BASE}/{keep.pk}/"
    assert not Business.objects.filter(pk=dup.pk).exists()
    assert SupportRecord.objects.get().business_id == keep.pk
    assert AuditEvent.objects.filter(code="registry.business.merged", actor=users["admin"])


def test_merge_refusal_is_shown(client, users):
    a = business(corporate_number="8000020130001")
    b = business(corporate_number="7123456789012")
    login(client, users, "admin")
    response = client.post(f"{BASE}/merge/", {"keep": a.pk, "duplicate": b.pk})
    assert response.status_code == 400
    assert "エラー：" in body(response) and "法人番号が異なる" in body(response)


def test_officer_cannot_merge(client, users):
    a, b = business(), business()
    login(client, users, "officer")
    assert client.post(f"{BASE}/merge/", {"keep": a.pk, "duplicate": b.pk}).status_code == 404
    assert Business.objects.filter(pk=b.pk).exists()


def test_partners_page_groups_by_kind(client, users):
    from sangyo.registry.models import PartnerOrganisation

    PartnerOrganisation.objects.create(
        name="合成商工会", kind="chamber", role="経営相談", is_synthetic=True
    )
    login(client, users, "viewer")
    page = body(client.get(f"{BASE}/partners/"))
    assert "商工会・商工会議所" in page and "合成商工会" in page and "経営相談" in page


# --- the business side -------------------------------------------------------------------------


def test_business_user_sees_their_businesses_and_delegates(client, users, make_user):
    own = business(name="合成自社")
    business(name="合成他社")
    rep = users["business"]
    services.membership_add(user=rep, business=own, role="representative", actor="test")
    proxy = make_user("business", "shindanshi@example.test")
    login(client, users, "business")

    page = body(client.get(f"{BASE}/my/"))
    assert "合成自社" in page and "合成他社" not in page
    assert f"{BASE}/my/{own.pk}/delegate/" in page

    until = datetime.date.today() + datetime.timedelta(days=60)
    response = client.post(
        f"{BASE}/my/{own.pk}/delegate/",
        {
            "action": "grant",
            "email": proxy.email,
            "valid_until": until.isoformat(),
            "scope": "申請",
        },
    )
    assert response.status_code == 302
    delegation = Delegation.objects.get(business=own)
    assert (delegation.proxy, delegation.valid_until) == (proxy, until)

    # The proxy now sees the business, until the date.
    client.force_login(proxy)
    assert "合成自社" in body(client.get(f"{BASE}/my/"))
    # A proxy is not the representative: no delegation page.
    assert client.get(f"{BASE}/my/{own.pk}/delegate/").status_code == 404

    login(client, users, "business")
    page = body(
        client.post(
            f"{BASE}/my/{own.pk}/delegate/",
            {"action": "grant", "email": proxy.email, "valid_until": "2000-01-01"},
        )
    )
    assert 'id="id_valid_until_error"' in page and "有効期限" in page
    client.post(f"{BASE}/my/{own.pk}/delegate/", {"action": "revoke", "delegation": delegation.pk})
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None
    client.force_login(proxy)
    assert "合成自社" not in body(client.get(f"{BASE}/my/"))


def test_member_cannot_open_the_delegation_page_of_another_business(client, users):
    other = business()
    login(client, users, "business")
    assert client.get(f"{BASE}/my/{other.pk}/delegate/").status_code == 404


# --- Django admin ------------------------------------------------------------------------------


def admin_data(**changes):
    data = {
        "corporate_number": "",
        "name": "合成管理画面株式会社",
        "kana": "ごうせいかんりがめん",
        "corporate_type": "301",
        "jsic_code": "3911",
        "jsic_revision": "14",
        "employee_number": "4",
        "status": "active",
        "in_city": "on",
        "location": "茨城県つくば市吾妻1",
    }
    return {**data, **changes}


@pytest.fixture
def superuser(make_user):
    # Django's admin pages need model permissions, which the superuser has.
    return make_user("admin", "root@example.test", is_superuser=True)


def test_admin_saves_businesses_through_the_services(client, superuser, tsukuba):
    DistrictFactory(name_ja="合成吾妻", address_prefixes=["吾妻"])
    client.force_login(superuser)
    response = client.post("/admin/registry/business/add/", admin_data())
    assert response.status_code == 302, body(response)[:2000]
    b = Business.objects.get(name="合成管理画面株式会社")
    assert b.kana == "ゴウセイカンリガメン" and b.search_kana == "ごうせいかんりがめん"
    assert b.size_class == Business.Size.SMALL and b.district is not None
    assert AuditEvent.objects.filter(code="registry.business.created", target_id=str(b.pk))

    response = client.post(
        f"/admin/registry/business/{b.pk}/change/",
        admin_data(employee_number="900", capital_stock="1000000000"),
    )
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.size_class == Business.Size.LARGE
    event = AuditEvent.objects.get(code="registry.business.updated", target_id=str(b.pk))
    assert event.data["fields"] == ["capital_stock", "employee_number"]


def test_admin_shows_the_services_refusal_on_the_form(client, superuser):
    client.force_login(superuser)
    response = client.post(
        "/admin/registry/business/add/", admin_data(corporate_number="8000020130002")
    )
    assert response.status_code == 200
    assert "チェックデジット" in body(response)
    response = client.post("/admin/registry/business/add/", admin_data(status="closed"))
    assert response.status_code == 200 and "閉鎖日" in body(response)
    assert not Business.objects.exists()


def test_admin_keeps_contacts_and_support_records_read_only(client, superuser):
    b = business()
    contact = services.contact_create(business=b, actor="test", name="合成 担当")
    client.force_login(superuser)
    assert client.get("/admin/registry/contact/").status_code == 200
    response = client.post(f"/admin/registry/contact/{contact.pk}/change/", {"name": "変更"})
    assert response.status_code == 403
    assert client.get("/admin/registry/supportrecord/add/").status_code == 403
    assert client.get("/admin/registry/district/add/").status_code == 200
    assert client.post(f"/admin/registry/business/{b.pk}/delete/").status_code == 403


def test_deep_pages_stop_at_the_limit(client, users, monkeypatch):
    from sangyo.registry import views

    monkeypatch.setattr(views, "MAX_PAGE", 2)
    monkeypatch.setattr(views, "PER_PAGE", 1)
    for _ in range(4):
        business()
    login(client, users, "viewer")
    page = body(client.get(f"{BASE}/", {"page": "99"}))
    assert "2件目〜2件目" in page
    assert 'rel="next"' not in page and "これより先のページは表示できません" in page

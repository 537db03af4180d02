"""The audit log: append-only (ORM, admin, and a PostgreSQL trigger), the staff search page
with its filters and keyset pages, and the export (CSV with BOM, Excel), itself audited."""

import csv
import datetime
import io
from unittest import mock

import pytest
from django.db import connection, transaction
from django.db.models.deletion import ProtectedError

from sangyo.core.audit import audit
from sangyo.core.models import AuditEvent

pytestmark = pytest.mark.django_db

JST = datetime.timezone(datetime.timedelta(hours=9))


def _event(code="registry.business.saved", **kw):
    return audit(code, actor=kw.pop("actor", "test"), data=kw.pop("data", {"n": 1}), **kw)


def _at(when: datetime.datetime, code="registry.business.saved") -> AuditEvent:
    """An event recorded at `when` (the clock is set, not the event changed)."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        return audit(code, actor="cli")


# --- append-only ------------------------------------------------------------------------


def test_an_event_cannot_be_changed_or_deleted_through_the_orm():
    event = _event()
    event.code = "registry.business.forged"
    attempts = [
        event.save,
        event.delete,
        lambda: AuditEvent.objects.filter(pk=event.pk).update(code="x.y.z"),
        lambda: AuditEvent.objects.filter(pk=event.pk).delete(),
        lambda: AuditEvent.objects.bulk_update([event], ["code"]),
        lambda: AuditEvent._base_manager.filter(pk=event.pk).delete(),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionError), transaction.atomic():
            attempt()
    fresh = AuditEvent.objects.get(pk=event.pk)
    assert fresh.code == "registry.business.saved"


def test_a_user_who_acted_cannot_be_deleted(make_user):
    """Deleting an account would have to rewrite its events (SET_NULL is an UPDATE):
    accounts are deactivated instead."""
    officer = make_user("officer")
    audit("registry.business.saved", actor=officer)
    with pytest.raises(ProtectedError):
        officer.delete()
    assert AuditEvent.objects.filter(actor=officer).count() == 1


def test_the_admin_is_read_only(make_user, client):
    from django.contrib.admin.sites import site

    admin_user = make_user("admin")
    model_admin = site._registry[AuditEvent]
    request = type("R", (), {"user": admin_user})()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    event = _event()
    client.force_login(admin_user)
    response = client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_update_and_delete_whatever_the_client():
    from django.db import DatabaseError

    event = _event()
    table = AuditEvent._meta.db_table
    for sql in (
        f"UPDATE {table} SET code = 'x.y.z' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).code == "registry.business.saved"


def test_the_migration_adds_the_trigger_only_on_postgresql():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = 'core_auditevent_append_only'"
            )
            assert cursor.fetchone()[0] == 1
        else:
            assert connection.vendor == "sqlite"
            cursor.execute(
                "SELECT count(*) FROM sqlite_master"
                " WHERE type = 'trigger' AND tbl_name = 'core_auditevent'"
            )
            assert cursor.fetchone()[0] == 0


# --- the search page -------------------------------------------------------------------


@pytest.fixture
def officer_client(client, make_user):
    client.force_login(make_user("officer"))
    return client


def _codes(response) -> list[str]:
    return [row["event"].code for row in response.context["rows"]]


def test_filters_by_code_prefix_actor_target_and_text(officer_client, make_user):
    from sangyo.registry.tests.factories import business

    someone = make_user("admin", email="tanaka@example.test", name="田中 一郎")
    company = business(name="合成データ監査株式会社")
    audit("applications.application.submitted", actor=someone, target=company)
    audit("applications.call.opened", actor="cli")
    audit("registry.business.saved", actor="cli", target=company)

    def get(**params):
        response = officer_client.get("/staff/audit/", params)
        assert response.status_code == 200
        return _codes(response)

    assert set(get(code="applications.")) == {
        "applications.application.submitted",
        "applications.call.opened",
    }
    assert get(code="applications.application.") == ["applications.application.submitted"]
    assert get(actor="田中") == ["applications.application.submitted"]
    assert get(actor="TANAKA@example.test") == ["applications.application.submitted"]
    assert set(get(target_type="registry.business", target_id=str(company.pk))) >= {
        "applications.application.submitted",
        "registry.business.saved",
    }
    assert get(target_type="registry.business", target_id="999999") == []
    assert get(q="監査株式会社", code="registry.business.saved") == ["registry.business.saved"]
    assert get(q="監査株式会社 存在しない語") == []


def test_filters_by_date_range_in_japan_time(officer_client):
    # 23:30 JST on 1 April is 14:30 UTC the same day; 00:30 JST on 2 April is 15:30 UTC on
    # 1 April: a UTC date filter would put both on 1 April.
    _at(datetime.datetime(2026, 4, 1, 23, 30, tzinfo=JST), code="t.event.first")
    _at(datetime.datetime(2026, 4, 2, 0, 30, tzinfo=JST), code="t.event.second")
    _at(datetime.datetime(2026, 4, 3, 12, 0, tzinfo=JST), code="t.event.third")

    def get(**params):
        return _codes(officer_client.get("/staff/audit/", {"code": "t.", **params}))

    assert get(date_from="2026-04-01", date_to="2026-04-01") == ["t.event.first"]
    assert get(date_from="2026-04-02") == ["t.event.third", "t.event.second"]
    assert get(date_to="2026-04-02") == ["t.event.second", "t.event.first"]
    # The date inputs keep the chosen dates (ISO, as <input type="date"> needs).
    html = officer_client.get("/staff/audit/", {"date_from": "2026-04-01"}).content.decode()
    assert 'type="date" name="date_from" value="2026-04-01"' in html


def test_a_reversed_date_range_is_an_error_in_japanese(officer_client):
    response = officer_client.get(
        "/staff/audit/", {"date_from": "2026-04-02", "date_to": "2026-04-01"}
    )
    assert response.status_code == 200
    assert "期間の終わりは始まり（2026-04-02）以降の日付にしてください" in response.content.decode()
    assert response.context["rows"] == []


def test_keyset_pages_walk_every_event_once_in_both_directions(officer_client, monkeypatch):
    from sangyo.core import auditlog

    monkeypatch.setattr(auditlog, "PAGE_SIZE", 3)
    base = datetime.datetime(2026, 5, 1, 9, 0, tzinfo=JST)
    # Two events share a timestamp: the id breaks the tie.
    made = [_at(base + datetime.timedelta(minutes=i // 2), code=f"p.e.n{i}") for i in range(8)]
    newest_first = [e.pk for e in sorted(made, key=lambda e: (e.created_at, e.pk), reverse=True)]

    from sangyo.core.auditlog import page_of, search

    events = search({"code": "p."})
    seen, cursor, pages = [], "", []
    while True:
        page = page_of(events, cursor, size=3)
        pages.append(page)
        seen += [e.pk for e in page["rows"]]
        if not page["older"]:
            break
        cursor = page["older"]
    assert seen == newest_first
    assert pages[0]["newer"] is None and pages[0]["is_first"]
    # Back from the last page to the first through "newer".
    back, cursor = [], pages[-1]["newer"]
    while cursor:
        page = page_of(events, cursor, size=3)
        back = [e.pk for e in page["rows"]] + back
        cursor = page["newer"]
    assert back + [e.pk for e in pages[-1]["rows"]] == newest_first

    response = officer_client.get("/staff/audit/", {"code": "p.", "cursor": pages[0]["older"]})
    assert [row["event"].pk for row in response.context["rows"]] == newest_first[3:6]
    html = response.content.decode()
    assert "cursor=" + pages[1]["older"] in html and "code=p." in html


def test_an_unknown_cursor_shows_the_newest_page(officer_client):
    _event()
    response = officer_client.get("/staff/audit/", {"cursor": "o999999999"})
    assert response.status_code == 200
    response = officer_client.get("/staff/audit/", {"cursor": "garbage"})
    assert len(response.context["rows"]) >= 1


def test_the_data_is_shown_as_pretty_json(officer_client):
    _event(data={"金額": 1200000, "理由": "合成データ <script>"})
    html = officer_client.get("/staff/audit/").content.decode()
    # Indented, keys sorted, escaped.
    assert (
        "{\n  &quot;理由&quot;: &quot;合成データ &lt;script&gt;&quot;,\n"
        "  &quot;金額&quot;: 1200000\n}"
    ) in html


def test_the_staff_menu_links_the_audit_log(client, make_user):
    client.force_login(make_user("officer"))
    assert 'href="/staff/audit/"' in client.get("/staff/").content.decode()
    client.force_login(make_user("viewer"))
    html = client.get("/staff/").content.decode()
    assert "/staff/audit/" not in html


# --- the export -------------------------------------------------------------------------


def test_export_csv_has_bom_crlf_the_filtered_rows_and_is_audited(officer_client):
    _event("registry.business.saved", data={"名前": "合成データ"})
    _event("registry.business.saved")
    _event("events.event.created")
    response = officer_client.get("/staff/audit/export/", {"code": "registry.", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.count(b"\xef\xbb\xbf") == 1
    assert b"\r\n" in body
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["ID", "日時（日本時間）", "種別コード"]
    assert [r[2] for r in rows[1:]] == ["registry.business.saved"] * 2
    assert any(r[8] == '{"名前": "合成データ"}' for r in rows[1:])
    # The export is itself in the log, with its filters and count.
    exported = AuditEvent.objects.get(code="core.audit.exported")
    assert exported.data == {"filters": {"code": "registry."}, "format": "csv", "count": 2}
    assert exported.actor.role == "officer"


def test_export_time_is_japan_time(officer_client):
    _at(datetime.datetime(2026, 4, 1, 23, 30, tzinfo=JST), code="t.event.late")
    body = b"".join(officer_client.get("/staff/audit/export/", {"code": "t."}).streaming_content)
    assert "2026-04-01 23:30:00" in body.decode("utf-8-sig")


def test_export_streams_many_rows_in_chunks(officer_client, monkeypatch):
    from sangyo.core import auditlog

    monkeypatch.setattr(auditlog, "EXPORT_CHUNK", 10)
    AuditEvent.objects.bulk_create(
        [AuditEvent(code="bulk.event.made", actor_label="cli") for _ in range(35)]
    )
    response = officer_client.get("/staff/audit/export/", {"code": "bulk."})
    chunks = list(response.streaming_content)
    assert len(chunks) >= 4  # header, then 10-row chunks
    text = b"".join(chunks).decode("utf-8-sig")
    assert text.count("bulk.event.made") == 35


def test_export_xlsx(officer_client):
    from openpyxl import load_workbook

    _event("registry.business.saved", data={"x": "=SUM(A1)"})
    response = officer_client.get("/staff/audit/export/", {"code": "registry.", "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][2] == "種別コード"
    assert values[1][2] == "registry.business.saved"
    assert AuditEvent.objects.get(code="core.audit.exported").data["format"] == "xlsx"


def test_export_refuses_bad_filters_and_formats_without_auditing(officer_client):
    for params in ({"format": "pdf"}, {"date_from": "2026-04-02", "date_to": "2026-04-01"}):
        response = officer_client.get("/staff/audit/export/", params)
        assert response.status_code == 400
        assert "エラー：" in response.content.decode()
    assert not AuditEvent.objects.filter(code="core.audit.exported").exists()


def test_export_is_refused_to_viewers_and_business_users(client, make_user):
    from sangyo.core.auditlog import record_export

    for role in ("viewer", "reviewer", "business"):
        user = make_user(role)
        client.force_login(user)
        assert client.get("/staff/audit/export/").status_code == 404
        with pytest.raises(PermissionError):
            record_export(actor=user, filters={}, fmt="csv", count=0)
    assert not AuditEvent.objects.filter(code="core.audit.exported").exists()

"""Filing and handling requests: each person sees only their own; staff file requests made
by telephone or letter (job seekers without accounts are found by e-mail address), move
them through their statuses and keep the due date."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
from django.test import override_settings

from sangyo.core.models import AuditEvent
from sangyo.privacy import services
from sangyo.privacy.models import PersonalDataRequest as Req
from sangyo.privacy.services import PrivacyError

SEEKER_EMAIL = "seeker.tanaka@example.test"


@pytest.mark.django_db
def test_each_person_sees_and_downloads_only_their_own_requests(client, users, make_user):
    mine = services.request_file_own(user=users["business"], kind="export")
    other_user = make_user("business", email="someone-else@example.test")
    theirs = services.request_file_own(user=other_user, kind="export")
    client.force_login(users["business"])
    page = client.get("/privacy/").content.decode()
    assert mine.number in page and theirs.number not in page
    assert client.get(f"/privacy/requests/{theirs.pk}/download/").status_code == 404
    assert client.get(f"/privacy/requests/{mine.pk}/download/").status_code == 200


@pytest.mark.django_db
def test_a_deletion_request_needs_a_reason_and_is_not_filed_twice(client, users):
    client.force_login(users["business"])
    response = client.post("/privacy/deletion/", {"reason": ""})
    assert response.status_code == 200
    assert "削除を求める理由を書いてください" in response.content.decode()
    assert client.post("/privacy/deletion/", {"reason": "不要になった"}).status_code == 302
    response = client.post("/privacy/deletion/", {"reason": "もう一度"})
    assert "削除の請求は受付済みです" in response.content.decode()
    assert Req.objects.filter(kind="deletion").count() == 1


@pytest.mark.django_db
@override_settings(SANGYO_PRIVACY_RESPONSE_DAYS=30)
def test_the_due_date_follows_the_setting(users):
    req = services.request_file_own(user=users["business"], kind="deletion", reason="x")
    assert req.due_on - req.received_on == datetime.timedelta(days=30)


@pytest.mark.django_db
def test_staff_file_for_a_job_seeker_by_email_export_and_anonymise(client, users):
    from sangyo.matching import services as ms
    from sangyo.matching.models import JobApplication
    from sangyo.matching.tests.factories import job

    j = job()
    ms.job_apply(
        job=j, name="田中 求職", email=SEEKER_EMAIL, message="田中です。よろしく", consent=True
    )
    ms.job_apply(
        job=j, name="別人 応募", email="other@example.test", message="別人です", consent=True
    )
    client.force_login(users["officer"])
    response = client.post(
        "/staff/privacy/new/",
        {
            "kind": "export",
            "channel": "phone",
            "subject_email": SEEKER_EMAIL.upper(),
            "subject_name": "田中 求職",
            "reason": "電話で依頼",
        },
    )
    export_req = Req.objects.get(kind="export")
    assert response.status_code == 302 and export_req.requester is None
    assert export_req.filed_by == users["officer"]
    zipped = client.get(f"/staff/privacy/{export_req.pk}/download/")
    data = json.loads(zipfile.ZipFile(io.BytesIO(zipped.content)).read("data.json"))
    assert [a["email"] for a in data["job_applications"]] == [SEEKER_EMAIL]
    event = AuditEvent.objects.get(code="privacy.export.downloaded")
    assert event.data["by_staff"] is True

    client.post(
        "/staff/privacy/new/",
        {"kind": "deletion", "channel": "letter", "subject_email": SEEKER_EMAIL},
    )
    deletion = Req.objects.get(kind="deletion")
    preview = client.get(f"/staff/privacy/{deletion.pk}/").content.decode()
    assert "求人への応募" in preview
    client.post(f"/staff/privacy/{deletion.pk}/apply/", {"confirm": "yes"})
    applications = {a.name: a for a in JobApplication.objects.all()}
    assert "田中 求職" not in applications and "別人 応募" in applications
    assert JobApplication.objects.filter(message__contains="田中").count() == 0
    assert JobApplication.objects.filter(status="received").count() == 2
    deletion.refresh_from_db()
    export_req.refresh_from_db()
    assert deletion.status == "done" and deletion.subject_email == ""
    assert export_req.subject_email == "" and "田中" not in export_req.subject_name


@pytest.mark.django_db
def test_apply_needs_the_confirmation_and_only_for_an_open_deletion(client, users):
    req = services.request_file_own(user=users["business"], kind="deletion", reason="x")
    client.force_login(users["officer"])
    client.post(f"/staff/privacy/{req.pk}/apply/")
    req.refresh_from_db()
    assert req.status == "received"
    users["business"].refresh_from_db()
    assert users["business"].is_active
    export = services.request_file_own(user=users["business"], kind="export")
    with pytest.raises(PrivacyError):
        services.request_apply(req=export, actor=users["officer"])


@pytest.mark.django_db
def test_staff_accounts_and_own_requests_are_not_anonymised_by_the_handler(users):
    req = services.request_file_own(user=users["officer"], kind="deletion", reason="x")
    with pytest.raises(PrivacyError):
        services.request_apply(req=req, actor=users["admin"])  # a staff account
    users["officer"].refresh_from_db()
    assert users["officer"].is_active


@pytest.mark.django_db
def test_status_moves_and_a_rejection_needs_a_reason(client, users):
    req = services.request_file_own(user=users["business"], kind="deletion", reason="x")
    client.force_login(users["admin"])
    url = f"/staff/privacy/{req.pk}/"
    client.post(url, {"status": "in_progress", "staff_notes": "本人確認済み（電話）"})
    req.refresh_from_db()
    assert req.status == "in_progress" and req.staff_notes == "本人確認済み（電話）"
    response = client.post(url, {"status": "done", "staff_notes": "本人確認済み（電話）"})
    assert "匿名化を実行する" in response.content.decode()
    response = client.post(url, {"status": "rejected", "staff_notes": ""})
    assert "対応しない理由を職員メモに書いてください" in response.content.decode()
    client.post(url, {"status": "rejected", "staff_notes": "法令上の保存義務のため"})
    req.refresh_from_db()
    assert req.status == "rejected" and req.completed_at is not None
    response = client.post(url, {"status": "received", "staff_notes": "やり直し"})
    assert "状態を変えられません" in response.content.decode()
    codes = list(
        AuditEvent.objects.filter(code="privacy.request.updated")
        .order_by("id")
        .values_list("data", flat=True)
    )
    assert [c["status"] for c in codes] == ["in_progress", "rejected"]


@pytest.mark.django_db
def test_the_staff_list_filters_by_status_and_pages(client, users, make_user):
    for i in range(55):
        person = make_user("business", email=f"p{i}@example.test")
        services.request_file_own(user=person, kind="deletion", reason="x")
    services.request_file_own(user=users["business"], kind="export")
    client.force_login(users["officer"])
    first = client.get("/staff/privacy/").content.decode()
    assert "1 / 2" in first
    done = client.get("/staff/privacy/?status=done").content.decode()
    assert done.count("PDR-") == 1
    assert client.get("/staff/privacy/?status=nonsense").status_code == 200


@pytest.mark.django_db
def test_a_booking_made_for_a_colleague_is_the_colleagues_data(tsukuba, users, make_user):
    from sangyo.consultations.models import Booking
    from sangyo.consultations.services import booking_create
    from sangyo.consultations.tests.factories import desk, slot
    from sangyo.registry.tests.factories import business

    person = make_user("business", email="asker@example.test", name="依頼 一郎")
    company = business(name="合成データ同僚株式会社")
    d = desk(tsukuba)
    own = booking_create(
        slot=slot(d, days=2), business=company, actor=person, name="依頼 一郎", email=""
    )
    for_colleague = booking_create(
        slot=slot(d, days=3),
        business=company,
        actor=person,
        name="同僚 三郎",
        email="colleague@example.test",
        topic="同僚 三郎の相談",
    )
    req = services.request_file_own(user=person, kind="deletion", reason="x")
    services.request_apply(req=req, actor=users["officer"])
    own = Booking.objects.get(pk=own.pk)
    for_colleague = Booking.objects.get(pk=for_colleague.pk)
    assert own.name.startswith("匿名化済み")
    assert for_colleague.name == "同僚 三郎"
    assert for_colleague.email == "colleague@example.test"
    assert for_colleague.topic == "同僚 三郎の相談"

"""A person asks for their data and then for its deletion, end to end through the pages:
the ZIP holds each of their records and nothing of anyone else; after staff apply the
deletion their name, address and telephone number are nowhere in the database (every text
field of every model is searched), and every statistic is what it was."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models import Count
from django.utils import timezone

from sangyo.core.models import AuditEvent
from sangyo.privacy.models import PersonalDataRequest

NAME = "山田 花子"
EMAIL = "hanako.yamada@example.test"
PHONE = "029-123-4567"
OTHER_NAME = "鈴木 次郎"
OTHER_EMAIL = "jiro.suzuki@example.test"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# The audit log is append-only by design (a legal record of who did what): it keeps the
# actor's name at the time. docs/privacy.md names this exception.
EXEMPT = {AuditEvent}


def _person_world(make_user, tsukuba, *, name, email, phone, business):
    """One person with an application (and a document), a booking, an event registration
    with attendance and a survey answer, a job application and a matching message."""
    from sangyo.applications import services as app_services
    from sangyo.applications import uploads
    from sangyo.applications.tests import factories as af
    from sangyo.consultations.services import booking_create
    from sangyo.consultations.tests.factories import desk, slot
    from sangyo.events import services as ev
    from sangyo.events.tests.factories import event
    from sangyo.matching import services as ms
    from sangyo.matching.tests.factories import job, posting
    from sangyo.registry.services import membership_add
    from sangyo.registry.tests.factories import business as make_business
    from sangyo.strategy.models import Program

    user = make_user("business", email=email, name=name)
    membership_add(user=user, business=business, role="representative", actor="test")

    program = Program.objects.get(measure__strategy=tsukuba, code="01-2")
    call = af.open_call(program)
    answers = af.answers_for(call.form)
    first_text = next(k for k, v in answers.items() if isinstance(v, str))
    answers[first_text] = f"担当者 {name}（{phone}）"
    application = af.application(call, business, user, status="draft", answers=answers)
    uploads.document_add(
        application=application,
        actor=user,
        upload=SimpleUploadedFile(f"{name}の見積書.pdf", PDF, content_type="application/pdf"),
        kind="estimate",
    )
    app_services.application_transition(application=application, action="submit", actor=user)

    booking = booking_create(
        slot=slot(desk(tsukuba, name=f"合成データ窓口 {business.pk}")),
        business=business,
        actor=user,
        name=name,
        email=email,
        topic=f"{name}です。資金繰りの相談",
    )

    past = timezone.now() - datetime.timedelta(days=2)
    ev_obj = event(strategy=tsukuba, starts_at=past, ends_at=past + datetime.timedelta(hours=2))
    registration = ev.registration_create(
        event=ev_obj, name=name, email=email, phone=phone, business=business, check_window=False
    )
    registration = ev.registration_attend(registration=registration, actor="test")
    ev.survey_submit(registration=registration, rating=4, comment=f"{name}より：役に立ちました")

    owner = make_business(name=f"合成データ求人株式会社 {business.pk}")
    ms.job_apply(
        job=job(business_obj=owner),
        name=name,
        email=email,
        message=f"{name}と申します。電話 {phone}",
        consent=True,
    )
    interest = ms.interest_create(
        posting=posting(business_obj=owner),
        business=business,
        actor=user,
        message="合成データ 関心があります",
    )
    ms.message_send(
        interest=interest,
        actor=user,
        body=f"{name}です。{email} までご連絡ください",
        business=business,
    )
    return {"user": user, "application": application, "booking": booking, "event": ev_obj}


def _statistics(tsukuba) -> dict:
    """Every figure that must not move: evaluation outputs per measure (and the open data
    CSV), the registry's counts by size and district, attendance per event, bookings,
    applications and job applications by status."""
    from sangyo.applications.models import Application
    from sangyo.consultations.models import Booking
    from sangyo.core.fiscal import fiscal_year
    from sangyo.evaluation import opendata
    from sangyo.evaluation.selectors import year_figures
    from sangyo.events.models import Registration, SurveyResponse
    from sangyo.matching.models import JobApplication
    from sangyo.registry.models import Business, SupportRecord

    fy = fiscal_year(timezone.localdate())
    figures = year_figures(tsukuba, fy, public=False)
    return {
        "evaluation": [
            (
                m.measure.number,
                m.records.value,
                m.businesses.value,
                m.survey_responses.value,
                m.survey_mean.value,
            )
            for m in figures.measures
        ],
        "opendata_csv": opendata.csv_bytes(year_figures(tsukuba, fy, public=True)),
        "registry": list(
            Business.objects.values("size_class", "district_id")
            .annotate(n=Count("id"))
            .order_by("size_class", "district_id")
        ),
        "support": list(
            SupportRecord.objects.values("program_id", "kind", "fiscal_year", "amount")
            .annotate(n=Count("id"))
            .order_by("program_id", "kind", "fiscal_year", "amount")
        ),
        "attendance": list(
            Registration.objects.values("event_id", "status")
            .annotate(n=Count("id"))
            .order_by("event_id", "status")
        ),
        "survey": list(SurveyResponse.objects.values_list("rating", flat=True).order_by("id")),
        "bookings": list(
            Booking.objects.values("status").annotate(n=Count("id")).order_by("status")
        ),
        "applications": list(
            Application.objects.values("status", "requested_yen", "business_id")
            .annotate(n=Count("id"))
            .order_by("status", "requested_yen", "business_id")
        ),
        "job_applications": list(
            JobApplication.objects.values("job_id", "status")
            .annotate(n=Count("id"))
            .order_by("job_id", "status")
        ),
    }


def _texts_containing(needles: list[str]) -> list[str]:
    """Every text or JSON value of every model (except the exempt audit log) that contains
    one of the needles: '<model>.<field>#<pk>'."""
    found = []
    text_types = (models.CharField, models.TextField, models.JSONField)
    for model in apps.get_models():
        if model in EXEMPT or not model._meta.managed:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, text_types)]
        if not fields:
            continue
        for row in model._base_manager.values("pk", *fields):
            for f in fields:
                value = row[f]
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                for needle in needles:
                    if needle.lower() in (text or "").lower():
                        found.append(f"{model._meta.label}.{f}#{row['pk']}: {needle}")
    return found


@pytest.mark.django_db
def test_export_then_deletion_end_to_end(client, tsukuba, make_user, users):
    from sangyo.registry.tests.factories import business

    company = business(name="合成データ精密株式会社")
    mine = _person_world(make_user, tsukuba, name=NAME, email=EMAIL, phone=PHONE, business=company)
    theirs_company = business(name="合成データ別会社株式会社")
    theirs = _person_world(
        make_user,
        tsukuba,
        name=OTHER_NAME,
        email=OTHER_EMAIL,
        phone="03-9876-5432",
        business=theirs_company,
    )
    person = mine["user"]

    # 1. The person asks for a copy and downloads it.
    client.force_login(person)
    page = client.get("/privacy/")
    assert page.status_code == 200
    assert "個人情報の開示・削除" in page.content.decode()
    response = client.post("/privacy/export/")
    assert response.status_code == 302
    export_req = PersonalDataRequest.objects.get(requester=person, kind="export")
    response = client.get(f"/privacy/requests/{export_req.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    assert data["account"][0]["email"] == EMAIL
    assert [m["business"] for m in data["memberships"]] == [company.name]
    assert [a["number"] for a in data["applications"]] == [mine["application"].number]
    assert data["documents"][0]["file_name"] == f"{NAME}の見積書.pdf"
    assert [b["topic"] for b in data["bookings"]] == [f"{NAME}です。資金繰りの相談"]
    assert data["event_registrations"][0]["phone"] == PHONE
    assert data["survey_answers"][0]["rating"] == 4
    assert data["job_applications"][0]["email"] == EMAIL
    assert any(m["body"].startswith(NAME) for m in data["matching_messages"])
    csv_bytes = archive.read("event_registrations.csv")
    assert csv_bytes.startswith("\ufeff".encode())
    assert PHONE in csv_bytes.decode("utf-8-sig")
    everything = b"".join(archive.read(n) for n in archive.namelist()).decode("utf-8-sig")
    for foreign in (OTHER_NAME, OTHER_EMAIL, "03-9876-5432", theirs["application"].number):
        assert foreign not in everything
    downloaded = AuditEvent.objects.get(code="privacy.export.downloaded")
    assert downloaded.data["counts"]["job_applications"] == 1
    assert NAME not in json.dumps(downloaded.data, ensure_ascii=False)  # counts, never content

    # 2. The person asks for deletion; staff preview and apply.
    response = client.post("/privacy/deletion/", {"reason": "サービスを使わなくなったため"})
    assert response.status_code == 302
    deletion = PersonalDataRequest.objects.get(requester=person, kind="deletion")
    assert deletion.status == "received"
    assert deletion.due_on == deletion.received_on + datetime.timedelta(days=14)

    before = _statistics(tsukuba)
    # The comparison means something: the attendance counted as support, the survey answered.
    assert any(records for _n, records, *_rest in before["evaluation"])
    assert any(responses for *_a, responses, _mean in before["evaluation"])
    assert _texts_containing([EMAIL, NAME, PHONE])  # the search does find them

    client.force_login(users["officer"])
    preview = client.get(f"/staff/privacy/{deletion.pk}/")
    assert preview.status_code == 200
    body = preview.content.decode()
    for label in ("アカウント", "相談予約", "イベントの申込・アンケート", "求人への応募"):
        assert label in body
    assert _texts_containing([EMAIL])  # the preview changed nothing
    response = client.post(f"/staff/privacy/{deletion.pk}/apply/", {"confirm": "yes"})
    assert response.status_code == 302

    deletion.refresh_from_db()
    assert deletion.status == "done"
    assert deletion.result["counts"]["accounts.user"] == 1
    assert deletion.result["files_deleted"] == 1
    leftovers = _texts_containing([EMAIL, NAME, NAME.replace(" ", ""), PHONE, "0291234567"])
    assert leftovers == []
    # The other person is untouched.
    assert _texts_containing([OTHER_EMAIL, OTHER_NAME])
    assert _statistics(tsukuba) == before

    person.refresh_from_db()
    assert not person.is_active and not person.has_usable_password()
    assert person.email.endswith("@invalid")
    event = AuditEvent.objects.get(code="privacy.person.anonymised")
    assert event.data["counts"]["events.registration"] == 1
    assert NAME not in json.dumps(event.data, ensure_ascii=False)

    # Applying again is refused; the person can no longer use the site.
    again = client.post(f"/staff/privacy/{deletion.pk}/apply/", {"confirm": "yes"})
    assert again.status_code == 302
    assert AuditEvent.objects.filter(code="privacy.person.anonymised").count() == 1
    client.force_login(person)
    assert client.get("/privacy/").status_code == 302  # inactive: sent to log in


@pytest.mark.django_db
def test_documents_of_a_granted_subsidy_are_kept_and_the_request_says_why(
    tsukuba, make_user, users
):
    from sangyo.applications import services as app_services
    from sangyo.applications import uploads
    from sangyo.applications.models import Document
    from sangyo.applications.tests import factories as af
    from sangyo.privacy import services
    from sangyo.registry.tests.factories import business
    from sangyo.strategy.models import Program

    company = business(name="合成データ交付株式会社")
    user = af.applicant(make_user, company, email=EMAIL)
    program = Program.objects.get(measure__strategy=tsukuba, code="01-2")
    app = af.application(af.open_call(program), company, user, status="draft")
    uploads.document_add(
        application=app,
        actor=user,
        upload=SimpleUploadedFile("交付申請書.pdf", PDF, content_type="application/pdf"),
        kind="estimate",
    )
    staff = af.officer()
    for t in af.path_to(app.workflow, "grant_decided", app.workflow_version):
        kwargs = {"decided_yen": 100_000} if t.action == "decide_grant" else {}
        app = app_services.application_transition(
            application=app,
            action=t.action,
            actor=user if "applicant" in t.who else staff,
            note="合成データ",
            **kwargs,
        )
    assert app.status == "grant_decided"

    req = services.request_file_own(user=user, kind="deletion", reason="合成データ")
    plan = services.request_apply(req=req, actor=users["officer"])
    req.refresh_from_db()
    assert Document.objects.filter(application=app).count() == 1
    assert plan.files_deleted == 0
    assert app.number in req.retained_note
    assert "保存期間" in req.retained_note

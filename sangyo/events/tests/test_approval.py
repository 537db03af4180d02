"""Events that need approval, reminder mails, and the city codes of the open data."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from sangyo.core.models import AuditEvent
from sangyo.events import services
from sangyo.events.models import Registration
from sangyo.events.tests.factories import event

pytestmark = pytest.mark.django_db

Status = Registration.Status


def _register(e, n, **kw):
    return services.registration_create(
        event=e, name=f"合成データ参加者{n}", email=f"p{n}@example.test", actor="t", **kw
    )


def test_with_approval_registrations_wait_and_take_no_seat(tsukuba):
    e = event(strategy=tsukuba, capacity=1, approval_required=True)
    first, second = _register(e, 1), _register(e, 2)
    assert (first.status, second.status) == (Status.PENDING, Status.PENDING)
    # Approving in the reverse order: the seat goes to whoever is approved first.
    assert services.registration_approve(registration=second, actor="u").status == Status.CONFIRMED
    approved = services.registration_approve(registration=first, actor="u")
    assert approved.status == Status.WAITLISTED
    assert services.waiting_position(approved) == 1
    # The confirmed person cancels: the approved waiting person gets the seat.
    services.registration_cancel(token=second.token)
    approved.refresh_from_db()
    assert approved.status == Status.CONFIRMED


def test_decline_tells_the_registrant_and_cannot_be_repeated(
    tsukuba, django_capture_on_commit_callbacks
):
    e = event(strategy=tsukuba, approval_required=True)
    with django_capture_on_commit_callbacks(execute=True):
        r = _register(e, 1)
    assert "承認待ち" in mail.outbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_decline(registration=r, actor="u", reason="対象外")
    assert "お断り" in mail.outbox[-1].subject
    assert "/events/cancel/" not in mail.outbox[-1].body
    with pytest.raises(services.EventError, match="承認待ちの申込だけ"):
        services.registration_approve(registration=r, actor="u")
    with pytest.raises(services.EventError, match="お断りした申込"):
        services.registration_cancel(token=r.token)
    assert AuditEvent.objects.filter(code="events.registration.declined").get().data["reason"] == (
        "対象外"
    )


def test_events_without_approval_confirm_at_once(tsukuba):
    e = event(strategy=tsukuba, capacity=1)
    assert _register(e, 1).status == Status.CONFIRMED
    assert _register(e, 2).status == Status.WAITLISTED
    with pytest.raises(services.EventError):
        services.registration_approve(registration=e.registrations.first(), actor="u")


def test_staff_approve_from_the_registrants_list(client, users, tsukuba):
    e = event(strategy=tsukuba, approval_required=True)
    r = _register(e, 1)
    client.force_login(users["officer"])
    page = client.get(f"/staff/events/{e.pk}/").content.decode()
    assert "承認待ち" in page and f"/registrations/{r.pk}/decide/" in page
    response = client.post(
        f"/staff/events/{e.pk}/registrations/{r.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.status == Status.CONFIRMED
    # A viewer sees the event but cannot decide.
    client.force_login(users["viewer"])
    other = _register(e, 2)
    response = client.post(
        f"/staff/events/{e.pk}/registrations/{other.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == Status.PENDING


def test_public_confirmation_page_says_approval_is_pending(client, tsukuba):
    e = event(strategy=tsukuba, approval_required=True)
    response = client.post(
        f"/events/{e.pk}/", {"name": "合成データ太郎", "email": "t@example.test"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "承認が必要" in page


def test_event_reminders_go_once_to_confirmed_people_only(tsukuba):
    starts = timezone.now() + datetime.timedelta(hours=10)
    e = event(
        strategy=tsukuba,
        capacity=1,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        registration_closes_at=starts,
    )
    confirmed, waiting = _register(e, 1), _register(e, 2)
    later = event(strategy=tsukuba)  # ten days ahead
    _register(later, 3)
    mail.outbox.clear()
    assert services.registrations_remind(actor="t", hours=24) == 1
    assert mail.outbox[0].to == [confirmed.email]
    assert "リマインダー" in mail.outbox[0].subject
    assert f"/events/{e.pk}/ics" in mail.outbox[0].body
    assert services.registrations_remind(actor="t", hours=24) == 0
    waiting.refresh_from_db()
    assert waiting.reminder_sent_at is None


def test_open_data_carries_the_current_strategys_city(client, tsukuba):
    event(strategy=tsukuba)
    text = client.get("/events/opendata.csv").content.decode("utf-8-sig")
    row = text.splitlines()[1]
    assert row.startswith("082201,1,茨城県,つくば市,")

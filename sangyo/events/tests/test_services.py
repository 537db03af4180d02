import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from sangyo.core.models import AuditEvent
from sangyo.events import services
from sangyo.events.models import Registration
from sangyo.events.tests.factories import event as make_event
from sangyo.registry.models import SupportRecord
from sangyo.registry.tests.factories import business

pytestmark = pytest.mark.django_db


def _register(event, n, **kw):
    return services.registration_create(
        event=event, name=f"合成 参加者{n}", email=f"p{n}@example.test", **kw
    )


def test_over_capacity_waits_in_order_and_cancel_promotes_first(
    tsukuba, django_capture_on_commit_callbacks
):
    event = make_event(strategy=tsukuba, capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        regs = [_register(event, i, language="en" if i == 3 else "ja") for i in range(5)]
    assert [r.status for r in regs] == ["confirmed"] * 2 + ["waitlisted"] * 3
    assert services.waiting_position(regs[3]) == 2
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(token=regs[0].token)
    statuses = {r.pk: r.status for r in Registration.objects.all()}
    assert statuses[regs[2].pk] == "confirmed"
    assert statuses[regs[3].pk] == statuses[regs[4].pk] == "waitlisted"
    assert [m.to for m in mail.outbox] == [["p2@example.test"]]
    # Cancelling a waiting person frees no seat: nobody is promoted.
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(token=regs[4].token)
    assert Registration.objects.get(pk=regs[3].pk).status == "waitlisted"
    # Cancelling twice is harmless.
    services.registration_cancel(token=regs[0].token)
    assert AuditEvent.objects.filter(code="events.registration.promoted").count() == 1


def test_promotion_mail_is_in_the_registrants_language(tsukuba, django_capture_on_commit_callbacks):
    from django.utils import translation

    event = make_event(strategy=tsukuba, capacity=1, title_en="Synthetic pitch night")
    first = _register(event, 1)
    _register(event, 2, language="en")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(token=first.token)
    assert len(mail.outbox) == 1
    with translation.override("ja"):
        assert "Synthetic pitch night" in mail.outbox[0].subject


def test_required_question_and_closed_registration(tsukuba):
    event = make_event(
        strategy=tsukuba,
        questions=[{"key": "org", "label_ja": "所属", "required": True}],
    )
    with pytest.raises(services.EventError):
        _register(event, 1)
    reg = _register(event, 2, answers={"org": "合成データ大学", "extra": "x"})
    assert reg.answers == {"org": "合成データ大学"}
    closed = make_event(
        strategy=tsukuba, registration_closes_at=timezone.now() - datetime.timedelta(hours=1)
    )
    with pytest.raises(services.EventError):
        _register(closed, 3)


def test_attendance_writes_one_support_record_for_a_business(tsukuba):
    event = make_event(strategy=tsukuba, code="09-2")
    company = business()
    reg = _register(event, 1, business=company)
    services.registration_attend(registration=reg, actor="test")
    services.registration_attend(registration=reg, actor="test")
    record = SupportRecord.objects.get(source=f"events.registration:{reg.pk}")
    assert (record.kind, record.program.code, record.business) == ("event", "09-2", company)
    anonymous = _register(event, 2)
    services.registration_attend(registration=anonymous, actor="test")
    assert SupportRecord.objects.count() == 1


def _has_started(event):
    from sangyo.events.models import Event

    past = timezone.now() - datetime.timedelta(hours=1)
    Event.objects.filter(pk=event.pk).update(
        starts_at=past, ends_at=past + datetime.timedelta(minutes=30)
    )


def test_survey_once_per_registration(tsukuba):
    event = make_event(strategy=tsukuba)
    reg = _register(event, 1)
    with pytest.raises(services.EventError, match="開始後"):
        services.survey_submit(registration=reg, rating=4)
    _has_started(event)
    reg.refresh_from_db()
    services.survey_submit(registration=reg, rating=4, comment="良かった")
    with pytest.raises(services.EventError):
        services.survey_submit(registration=reg, rating=5)
    with pytest.raises(services.EventError):
        services.survey_submit(registration=_register(event, 2), rating=6)


def test_purge_anonymises_old_registrations_once(tsukuba):
    long_ago = timezone.now() - datetime.timedelta(days=400)
    old = make_event(
        strategy=tsukuba, starts_at=long_ago, ends_at=long_ago + datetime.timedelta(hours=2)
    )
    recent = make_event(strategy=tsukuba)
    old_reg = services.registration_create(
        event=old,
        name="合成 旧参加者",
        email="old@example.test",
        phone="029-000-0000",
        check_window=False,
    )
    services.survey_submit(registration=old_reg, rating=5, comment="合成 個人的な感想")
    new_reg = _register(recent, 1)
    call_command("events", "purge", "--days", "365")
    call_command("events", "purge")
    old_reg.refresh_from_db()
    assert (old_reg.name, old_reg.email, old_reg.phone, old_reg.status) == (
        services.ANONYMIZED_NAME,
        "",
        "",
        "confirmed",
    )
    assert old_reg.survey.rating == 5 and old_reg.survey.comment == ""
    new_reg.refresh_from_db()
    assert new_reg.email == "p1@example.test"
    purges = AuditEvent.objects.filter(code="events.registration.purged")
    assert [e.data["count"] for e in purges] == [1]


def test_demo_is_idempotent(tsukuba):
    from sangyo.events.demo import load_demo
    from sangyo.events.models import Event

    business()
    assert load_demo(strategy=tsukuba) == 4
    assert load_demo(strategy=tsukuba) == 0
    assert Event.objects.filter(is_synthetic=True).count() == 4
    assert Registration.objects.filter(status="waitlisted").exists()
    # The company tour needs approval: its registrations wait for staff.
    tour = Event.objects.get(kind="tour", is_synthetic=True)
    assert tour.approval_required
    assert set(tour.registrations.values_list("status", flat=True)) == {"pending"}

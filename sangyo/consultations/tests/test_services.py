import datetime

import pytest
from django.core import mail
from django.utils import timezone

from sangyo.consultations import services
from sangyo.consultations.models import Booking, Slot
from sangyo.consultations.tests import factories as f
from sangyo.core.models import AuditEvent
from sangyo.registry.models import SupportRecord
from sangyo.registry.tests.factories import business

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(tsukuba):
    return f.desk(tsukuba)


def _book(slot, company, **kw):
    return services.booking_create(
        slot=slot,
        business=company,
        actor="test",
        name="合成データ太郎",
        email="taro@example.test",
        **kw,
    )


def test_booking_takes_the_slot_and_a_second_booking_is_refused(
    desk, django_capture_on_commit_callbacks
):
    slot = f.slot(desk)
    with django_capture_on_commit_callbacks(execute=True):
        booking = _book(slot, business())
    slot.refresh_from_db()
    assert slot.status == Slot.Status.BOOKED
    assert booking.status == Booking.Status.BOOKED
    assert len(mail.outbox) == 1 and "受け付けました" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(code="consultations.booking.created").count() == 1
    with pytest.raises(services.ConsultationError):
        _book(slot, business())
    assert Booking.objects.count() == 1


def test_the_bookers_language_is_kept_for_mail(desk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = _book(f.slot(desk), business(), language="en")
    assert booking.language == "en"
    assert mail.outbox[0].to == ["taro@example.test"]
    assert "Synthetic desk" in mail.outbox[0].body  # the desk's English name


def test_database_refuses_a_second_live_booking_even_without_the_lock(desk):
    from django.db import IntegrityError, transaction

    slot = f.slot(desk)
    _book(slot, business())
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(slot=slot, business=business(), name="合成データ")


def test_cancelling_frees_the_slot_for_another_booking(desk):
    slot = f.slot(desk)
    booking = _book(slot, business())
    services.booking_cancel(booking=booking, actor="test")
    slot.refresh_from_db()
    assert slot.status == Slot.Status.OPEN
    other = _book(slot, business())
    assert other.status == Booking.Status.BOOKED
    with pytest.raises(services.ConsultationError):
        services.booking_cancel(booking=booking, actor="test")


def test_a_past_slot_cannot_be_booked(desk):
    slot = f.slot(desk)
    Slot.objects.filter(pk=slot.pk).update(starts=timezone.now() - datetime.timedelta(hours=1))
    slot.refresh_from_db()
    with pytest.raises(services.ConsultationError):
        _book(slot, business())


def test_a_session_writes_one_support_record_and_marks_the_booking_done(tsukuba, desk):
    from sangyo.registry.selectors import support_counts_for_measure

    company = business()
    booking = _book(f.slot(desk), company)
    case = services.case_create(
        business=company,
        program=desk.program,
        title="合成データ販路開拓",
        categories=["sales"],
        actor="test",
    )
    today = timezone.localdate()
    session = services.session_record(
        case=case, booking=booking, date=today, notes="合成", actor="test", follow_up_days=30
    )
    record = SupportRecord.objects.get(source=f"consultations.session:{session.pk}")
    assert record.kind == "consultation" and record.program == desk.program
    assert record.business == company
    assert list(company.support_records.all()) == [record]
    counts = support_counts_for_measure(desk.program.measure)
    assert sum(c["records"] for c in counts) == 1
    booking.refresh_from_db()
    assert booking.status == Booking.Status.DONE
    fu = case.follow_ups.get()
    assert fu.due == today + datetime.timedelta(days=30)


def test_a_founder_session_is_recorded_for_a_young_business_with_areas(tsukuba, desk):
    from sangyo.applications.models import FounderSession

    young = business(date_of_establishment=timezone.localdate() - datetime.timedelta(days=200))
    old = business(date_of_establishment=datetime.date(2000, 4, 1))
    for company in (young, old):
        case = services.case_create(
            business=company, program=desk.program, title="合成データ創業", actor="test"
        )
        services.session_record(
            case=case, date=timezone.localdate(), areas=["finance", "sales"], actor="test"
        )
    fs = FounderSession.objects.get()
    assert fs.business == young
    assert fs.source.startswith("consultations.session:")


def test_referral_counts_and_outcome_is_recorded(tsukuba, desk):
    from sangyo.registry.models import PartnerOrganisation

    partner = PartnerOrganisation.objects.create(
        name="合成データ事業承継・引継ぎ支援センター", kind=PartnerOrganisation.Kind.values[0]
    )
    company = business()
    case = services.case_create(business=company, program=desk.program, title="合成承継", actor="t")
    ref = services.referral_create(case=case, partner=partner, date=timezone.localdate(), actor="t")
    assert SupportRecord.objects.get(source=f"consultations.referral:{ref.pk}").kind == "referral"
    services.referral_outcome(referral=ref, outcome="accepted", actor="t")
    ref.refresh_from_db()
    assert ref.outcome == "accepted" and ref.outcome_date == timezone.localdate()
    services.case_close(case=case, outcome="合成データ：承継先決定", actor="t")
    with pytest.raises(services.ConsultationError):
        services.session_record(case=case, date=timezone.localdate(), actor="t")

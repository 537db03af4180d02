"""Parallel bookings of one slot on PostgreSQL: the slot row lock (and, behind it, the partial
unique constraint) let exactly one through. SQLite serialises every writer, so this only means
something on PostgreSQL; it is skipped elsewhere."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from sangyo.consultations import services
from sangyo.consultations.models import Booking, Slot
from sangyo.consultations.tests import factories as f
from sangyo.registry.tests.factories import business

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]

REQUESTS = 30


def _book(slot_pk: int, business_obj) -> str:
    try:
        services.booking_create(
            slot=Slot(pk=slot_pk), business=business_obj, actor="test", name="合成データ"
        )
        return "ok"
    except services.ConsultationError as exc:
        return str(exc)
    finally:
        connection.close()


def test_parallel_bookings_of_one_slot_let_exactly_one_through(tsukuba):
    slot = f.slot(f.desk(tsukuba))
    companies = [business() for _ in range(REQUESTS)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        outcomes = list(pool.map(lambda b: _book(slot.pk, b), companies))
    seconds = time.perf_counter() - started
    print(f"\n{REQUESTS} parallel bookings of one slot: {seconds:.2f}s")

    assert outcomes.count("ok") == 1
    assert all("すでに予約" in o for o in outcomes if o != "ok"), set(outcomes)
    assert Booking.objects.filter(slot=slot).count() == 1
    slot.refresh_from_db()
    assert slot.status == Slot.Status.BOOKED


def test_parallel_reminder_runs_mail_each_booking_once(tsukuba):
    """Two schedulers firing at once (e.g. beat restarted mid-run) never send a reminder
    twice: each booking is claimed with SKIP LOCKED before its mail goes out."""
    import datetime

    from django.core import mail
    from django.utils import timezone

    desk = f.desk(tsukuba)
    for n in range(12):
        slot = f.slot(desk, days=0)
        start = timezone.now() + datetime.timedelta(hours=2, minutes=n)
        Slot.objects.filter(pk=slot.pk).update(
            starts=start, ends=start + datetime.timedelta(hours=1)
        )
        services.booking_create(
            slot=slot, business=business(), actor="t", name="合成", email=f"r{n}@example.test"
        )
    mail.outbox.clear()

    def run(_):
        try:
            return services.bookings_remind(actor="test", hours=24)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        sent = list(pool.map(run, range(4)))
    assert sum(sent) == 12
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"r{n}@example.test" for n in range(12))
    assert Booking.objects.filter(reminder_sent_at__isnull=True).count() == 0

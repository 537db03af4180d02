"""1,000 people register at once for 100 seats (PostgreSQL only: SQLite serialises writers
and has no row locks, so it would prove nothing)."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from sangyo.events import services
from sangyo.events.models import Registration
from sangyo.events.tests.factories import event as make_event

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]

PEOPLE = 1_000
SEATS = 100


def test_thousand_parallel_registrations_fill_exactly_the_capacity(tsukuba):
    event = make_event(strategy=tsukuba, capacity=SEATS)

    def register(n):
        try:
            return services.registration_create(
                event=event, name=f"合成 参加者{n:04d}", email="", actor="test"
            ).pk
        finally:
            connections.close_all()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=20) as pool:
        pks = list(pool.map(register, range(PEOPLE)))
    elapsed = time.perf_counter() - started
    print(f"\n{PEOPLE} registrations in {elapsed:.1f} s")
    assert len(set(pks)) == PEOPLE

    in_order = list(Registration.objects.filter(event=event).order_by("created_at", "id"))
    statuses = [r.status for r in in_order]
    # The first SEATS to arrive hold the seats, everyone after them waits, in arrival order.
    assert statuses == ["confirmed"] * SEATS + ["waitlisted"] * (PEOPLE - SEATS)

    first_waiting = in_order[SEATS]
    services.registration_cancel(token=in_order[0].token)
    assert Registration.objects.filter(event=event, status="confirmed").count() == SEATS
    promoted = Registration.objects.filter(event=event, status="confirmed").exclude(
        pk__in=[r.pk for r in in_order[:SEATS]]
    )
    assert list(promoted.values_list("pk", flat=True)) == [first_waiting.pk]
    assert elapsed < 30

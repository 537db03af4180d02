"""Read-replica routing (config/db_router.py). The test settings define `replica` as a TEST
MIRROR of the default database; routing is switched on per test."""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from config import db_router
from config.db_router import COOKIE, ReplicaRouter, pinned_to_primary
from sangyo.registry.models import Business

router = ReplicaRouter()


@pytest.fixture
def replica_on(settings):
    settings.SANGYO_READ_REPLICA = True
    settings.SANGYO_REPLICA_PIN_SECONDS = 10
    # A fresh context for the flags (the test process is not a request).
    token = db_router._wrote.set(False)
    yield
    db_router._wrote.reset(token)


def test_off_everything_uses_the_primary(settings):
    settings.SANGYO_READ_REPLICA = False
    assert router.db_for_read(Business) == "default"
    assert router.db_for_write(Business) == "default"


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_reads_go_to_the_replica_outside_transactions_and_after_no_write(replica_on):
    assert router.db_for_read(Business) == "replica"
    with transaction.atomic():
        assert router.db_for_read(Business) == "default"  # services read what they write
    with pinned_to_primary():
        assert router.db_for_read(Business) == "default"
    assert router.db_for_read(Business) == "replica"
    assert router.allow_migrate("replica", "registry") is False
    assert router.allow_migrate("default", "registry") is True
    router.db_for_write(Business)
    assert router.db_for_read(Business) == "default"  # read your own writes


def _queries(alias, fn):
    with CaptureQueriesContext(connections[alias]) as ctx:
        result = fn()
    return result, len(ctx.captured_queries)


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_post_pins_the_request_and_the_next_seconds_to_the_primary(replica_on, client, tsukuba):
    from sangyo.registry.tests.factories import business

    business(name="合成 読み取り")  # committed: the mirror sees it

    def page():
        return client.get("/")

    response, on_replica = _queries("replica", page)
    assert response.status_code == 200 and on_replica > 0
    assert COOKIE not in response.cookies

    # A request that writes (any POST) reads from the primary and sets the pin cookie.
    response, on_replica = _queries("replica", lambda: client.post("/accounts/login/", {}))
    assert on_replica == 0
    assert response.cookies[COOKIE]["max-age"] == 10

    # The page after it (the redirect target) reads from the primary too.
    response, on_replica = _queries("replica", page)
    assert response.status_code == 200 and on_replica == 0

    # Once the cookie has expired, reads go back to the replica.
    client.cookies[COOKIE] = "0"
    response, on_replica = _queries("replica", page)
    assert on_replica > 0

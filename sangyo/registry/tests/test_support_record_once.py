"""A support record is counted once per source, even when two retries of the same source
arrive together: the one that loses the unique constraint gets the winner's record."""

import datetime
from unittest import mock

import pytest

from sangyo.core.models import AuditEvent
from sangyo.registry import services
from sangyo.registry.models import SupportRecord
from sangyo.strategy.models import Program

from .factories import business

pytestmark = pytest.mark.django_db


def _ensure(biz, program):
    return services.support_record_ensure(
        business=biz,
        program=program,
        date=datetime.date(2025, 6, 1),
        kind="consultation",
        actor="test",
        source="api:crm-1",
    )


def test_the_same_source_twice_is_one_record(tsukuba):
    biz = business(name="合成データ株式会社")
    program = Program.objects.filter(measure__strategy=tsukuba).first()
    first, created = _ensure(biz, program)
    again, created_again = _ensure(biz, program)
    assert created and not created_again and again.pk == first.pk
    assert SupportRecord.objects.filter(source="api:crm-1").count() == 1
    assert AuditEvent.objects.filter(code="registry.support_record.created").count() == 1


def test_a_retry_that_misses_the_first_check_gets_the_winners_record(tsukuba):
    biz = business(name="合成データ株式会社")
    program = Program.objects.filter(measure__strategy=tsukuba).first()
    winner, _ = _ensure(biz, program)
    # The other request committed between this one's check and its insert.
    with mock.patch.object(
        SupportRecord.objects, "filter", return_value=SupportRecord.objects.none()
    ):
        loser, created = _ensure(biz, program)
    assert not created and loser.pk == winner.pk
    assert SupportRecord.objects.filter(source="api:crm-1").count() == 1
    assert AuditEvent.objects.filter(code="registry.support_record.created").count() == 1

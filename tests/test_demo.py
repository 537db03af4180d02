"""`sangyo demo` builds a working, clearly synthetic demo and can run again safely."""

from io import StringIO

import pytest
from django.core.management import call_command

from sangyo.accounts.models import User
from sangyo.core.models import AuditEvent
from sangyo.indicators.models import Indicator, Observation
from sangyo.registry.models import Business, SupportRecord


def run_demo() -> str:
    out = StringIO()
    call_command("demo", "--businesses", "25", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_is_synthetic_complete_and_idempotent():
    first = run_demo()
    assert "admin@example.jp" in first and "sangyo-demo-2025" in first
    assert User.objects.count() == 5
    businesses = Business.objects.all()
    assert businesses.count() == 25
    assert all(b.is_synthetic and "合成" in b.name for b in businesses)
    assert SupportRecord.objects.filter(is_synthetic=True).count() > 100
    # Outcome KPIs got demo figures; computed outputs were counted from support records.
    assert Observation.objects.filter(indicator__level="outcome_kpi").count() >= 8
    computed = Indicator.objects.filter(obtained="computed")
    assert computed.count() == 4
    assert Observation.objects.filter(indicator__in=computed).exists()
    assert all("合成" in o.source or "支援実績" in o.source for o in Observation.objects.all())
    # The demo business user represents a business.
    assert User.objects.get(email="business@example.jp").memberships.count() == 1

    counts = (Business.objects.count(), SupportRecord.objects.count(), Observation.objects.count())
    events = AuditEvent.objects.count()
    second = run_demo()
    assert "変更はありません" in second
    assert (
        Business.objects.count(),
        SupportRecord.objects.count(),
        Observation.objects.count(),
    ) == counts
    assert AuditEvent.objects.count() == events

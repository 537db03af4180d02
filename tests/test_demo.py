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
    demo_logins = ["admin", "officer", "reviewer", "viewer", "business"]
    assert User.objects.filter(email__in=[f"{r}@example.jp" for r in demo_logins]).count() == 5
    # Every account is synthetic (reserved example domains).
    assert not User.objects.exclude(email__regex=r"@example\.(jp|com|org)$").exists()
    businesses = Business.objects.all()
    # 25 requested; the applications demo may add founders of its own (also synthetic).
    assert businesses.count() >= 25
    assert all(b.is_synthetic and "合成" in b.name for b in businesses)
    assert SupportRecord.objects.filter(is_synthetic=True).count() > 100
    # Outcome KPIs got demo figures; computed outputs were counted from support records.
    assert Observation.objects.filter(indicator__level="outcome_kpi").count() >= 8
    computed = Indicator.objects.filter(obtained="computed")
    # Four measure outputs, and the KPI "つくば市認定制度への申請件数" counted from applications.
    assert computed.count() == 5
    kpi = computed.get(code="certification-applications")
    assert kpi.computation == "applications.applications"
    assert kpi.observations.filter(fiscal_year=2026).exists()
    assert Observation.objects.filter(indicator__in=computed).exists()
    # Entered demo figures say they are synthetic; computed ones state their definition.
    entered = Observation.objects.exclude(indicator__obtained="computed")
    assert entered.exists() and all("合成" in o.source for o in entered)
    assert all(o.source for o in Observation.objects.filter(indicator__obtained="computed"))
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

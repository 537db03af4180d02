"""`sangyo seed synthetic` at a small scale: everything it adds is labelled synthetic, the
counts add up, a second run adds nothing, and a working registry is refused."""

import io

import pytest
from django.core.management import CommandError, call_command

from sangyo.applications.models import Application, Call, Payment
from sangyo.events.models import Event
from sangyo.indicators.models import Observation
from sangyo.registry.models import Business, SupportRecord

pytestmark = pytest.mark.django_db


def _seed(*extra):
    out = io.StringIO()
    call_command(
        "seed", "synthetic", "--businesses", "60", "--years", "2",
        "--records-per-business", "4", "--events-per-year", "2", *extra, stdout=out,
    )  # fmt: skip
    return out.getvalue()


def test_seed_fills_every_kind_of_data_labelled_synthetic_and_is_idempotent(tsukuba):
    _seed()
    assert Business.objects.count() == Business.objects.filter(is_synthetic=True).count() == 60
    assert all(b.startswith("合成") for b in Business.objects.values_list("name", flat=True))
    records = SupportRecord.objects.filter(source__startswith="synthetic:")
    assert 60 * 2 <= records.count() <= 60 * 6
    assert set(records.values_list("is_synthetic", flat=True)) == {True}
    assert records.values("fiscal_year").distinct().count() == 2
    assert Event.objects.filter(is_synthetic=True).count() == 4
    assert Observation.objects.filter(note="合成データ（ベンチマーク用）").exists()
    counts = (Business.objects.count(), SupportRecord.objects.count(), Event.objects.count())
    out = _seed()
    assert "既にあるため追加しません" in out
    assert (
        Business.objects.count(),
        SupportRecord.objects.count(),
        Event.objects.count(),
    ) == counts


def test_seed_refuses_a_registry_with_real_businesses(tsukuba):
    from sangyo.registry.tests.factories import business

    business(is_synthetic=False)
    with pytest.raises(CommandError, match="合成でない事業者"):
        _seed()


def test_seed_adds_applications_in_every_state_with_consistent_money_and_records(tsukuba):
    _seed("--applications-per-call", "30")
    calls = Call.objects.filter(is_synthetic=True, title_ja__startswith="合成データ募集")
    assert calls.count() >= 2 and calls.values("fiscal_year").distinct().count() == 2
    apps = Application.objects.filter(call__in=calls)
    assert apps.count() == 30 * calls.count()
    assert set(apps.values_list("is_synthetic", flat=True)) == {True}
    subsidy = apps.filter(workflow="subsidy")
    assert {"rejected", "closed", "paid", "grant_decided"} <= set(
        subsidy.values_list("status", flat=True)
    )
    for call in calls.filter(applications__workflow="subsidy").distinct():
        mine = apps.filter(call=call)
        committed = sum(a.decided_yen or 0 for a in mine)
        assert call.committed_yen == committed <= call.budget_yen
        assert call.paid_yen == sum(
            p.amount_yen for p in Payment.objects.filter(application__call=call)
        )
        for a in mine:
            assert a.requested_yen and (a.decided_yen or 0) <= a.requested_yen
            assert (a.fixed_yen or 0) <= (a.decided_yen or 0)
    # The support records the services would have written, one per event.
    for a in apps.filter(status__in=["closed", "paid", "adopted"]):
        assert SupportRecord.objects.filter(
            source=f"applications.application:{a.pk}:adopted",
            kind="subsidy",
            amount=a.requested_yen,
            business=a.business,
        ).exists()
    submitted = SupportRecord.objects.filter(source__endswith=":submitted", kind="application")
    assert submitted.count() == apps.count()
    certified = apps.filter(status="certified").count()
    assert (
        SupportRecord.objects.filter(kind="certification", source__endswith=":certified").count()
        == certified
    )
    # Idempotent.
    counts = (Call.objects.count(), Application.objects.count(), SupportRecord.objects.count())
    assert "既にあるため追加しません" in _seed("--applications-per-call", "30")
    assert (
        Call.objects.count(),
        Application.objects.count(),
        SupportRecord.objects.count(),
    ) == counts

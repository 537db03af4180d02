"""`sangyo seed synthetic` at a small scale: everything it adds is labelled synthetic, the
counts add up, a second run adds nothing, and a working registry is refused."""

import io

import pytest
from django.core.management import CommandError, call_command

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

import pytest

from sangyo.consultations.demo import load_demo
from sangyo.consultations.models import Booking, Case, Desk, Slot
from sangyo.registry.models import SupportRecord

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_again_changes_nothing(tsukuba):
    first = load_demo(strategy=tsukuba)
    assert first["desks"] == 4 and first["cases"] == 3 and first["slots"] > 0
    counts = [m.objects.count() for m in (Desk, Slot, Booking, Case, SupportRecord)]
    second = load_demo(strategy=tsukuba)
    assert second["slots"] == 0 and second["cases"] == 0
    assert [m.objects.count() for m in (Desk, Slot, Booking, Case, SupportRecord)] == counts
    assert Booking.objects.filter(status="booked").count() == 3
    assert SupportRecord.objects.filter(kind="referral", is_synthetic=True).count() == 1

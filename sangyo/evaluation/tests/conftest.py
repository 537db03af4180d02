import datetime

import pytest
from django.utils import timezone

from sangyo.registry.tests.factories import business, support_record
from sangyo.strategy.models import Program


@pytest.fixture
def evaluation_data(tsukuba):
    """Support records for FY2025–FY2026 (some touching fewer than 3 businesses), an event
    with survey answers, and the evaluation demo (settings, committee, sheets)."""
    from sangyo.evaluation.demo import load_demo
    from sangyo.events import services as events
    from sangyo.events.tests.factories import event

    p = {x.code: x for x in Program.objects.filter(measure__strategy=tsukuba)}
    firms = [business() for _ in range(6)]
    # FY2025, measure 01: program 01-1 reaches 5 businesses twice each; 01-2 one business
    # once (suppressed, and 01-1's kinds are complemented).
    for f in firms[:5]:
        for day in (datetime.date(2025, 5, 1), datetime.date(2025, 9, 1)):
            support_record(business_obj=f, program=p["01-1"], date=day)
    support_record(
        business_obj=firms[5], program=p["01-2"], date=datetime.date(2025, 7, 1), kind="subsidy"
    )
    # FY2026: measure 01 reaches 4 businesses; measure 02 only 2 (suppressed as a whole).
    for f in firms[:4]:
        support_record(business_obj=f, program=p["01-1"], date=datetime.date(2026, 6, 1))
    for f in firms[:2]:
        support_record(
            business_obj=f, program=p["02-1"], date=datetime.date(2026, 6, 1), kind="event"
        )
    # An event of measure 03 in FY2026 with four survey answers (ratings 5, 4, 4, 3).
    e = event(strategy=tsukuba, code="03-1", capacity=10)
    regs = [
        events.registration_create(event=e, name=f"合成 参加者{n}", actor="test") for n in range(4)
    ]
    e.starts_at = timezone.now() - datetime.timedelta(days=3)
    e.ends_at = e.starts_at + datetime.timedelta(hours=2)
    e.save()
    for r, rating in zip(regs, (5, 4, 4, 3), strict=True):
        r.event = e
        events.survey_submit(registration=r, rating=rating)
    load_demo(strategy=tsukuba)
    return tsukuba

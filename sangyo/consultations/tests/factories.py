"""Synthetic consultation records for tests (合成データ)."""

import datetime

from django.utils import timezone

from sangyo.consultations.models import Desk, Expert
from sangyo.consultations.services import slot_create
from sangyo.strategy.models import Program


def desk(strategy, *, code="01-2", name="合成データ経営相談窓口") -> Desk:
    program = Program.objects.get(measure__strategy=strategy, code=code)
    d = Desk.objects.create(
        name_ja=name, name_en="Synthetic desk", program=program, is_synthetic=True
    )
    e = Expert.objects.create(
        name="合成データ専門家", qualifications=["中小企業診断士"], is_synthetic=True
    )
    d.experts.add(e)
    return d


def slot(desk_obj, *, days=3, hour=10):
    start = timezone.localtime() + datetime.timedelta(days=days)
    start = start.replace(hour=hour, minute=0, second=0, microsecond=0)
    return slot_create(
        desk=desk_obj,
        starts=start,
        ends=start + datetime.timedelta(hours=1),
        expert=desk_obj.experts.first(),
        place="合成データ会議室",
        actor="test",
    )


def member(make_user, business, email=None):
    from sangyo.registry.models import Membership

    user = make_user("business", email=email or f"member{business.pk}@example.test")
    Membership.objects.create(user=user, business=business, role=Membership.Role.values[0])
    return user

import datetime
import itertools

from django.utils import timezone

from sangyo.events import services
from sangyo.strategy.models import Program

_seq = itertools.count(1)


def event(*, strategy, code="03-1", **fields):
    n = next(_seq)
    starts = timezone.now() + datetime.timedelta(days=10)
    defaults = {
        "title_ja": f"合成データ セミナー{n}",
        "title_en": f"Synthetic seminar {n}",
        "kind": "seminar",
        "program": Program.objects.get(measure__strategy=strategy, code=code),
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=2),
        "place": "合成データ会場",
        "capacity": 10,
        "is_synthetic": True,
    }
    return services.event_create(actor="test", **(defaults | fields))

"""Synthetic demo events on programs 03-1, 09-2 and 14-1, with registrations from synthetic
businesses. Idempotent: an event with the same title is not created twice."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from sangyo.strategy.models import Program

from . import services
from .models import Event

EVENTS = [
    (
        "03-1",
        "seminar",
        "合成データ 創業セミナー「はじめての事業計画」",
        "Synthetic: Business planning seminar",
        14,
        40,
        12,
    ),
    (
        "09-2",
        "exchange",
        "合成データ 研究者と地域企業の交流会",
        "Synthetic: Researchers meet local firms",
        21,
        30,
        34,
    ),
    (
        "14-1",
        "fair",
        "合成データ つくば産品商談会",
        "Synthetic: Tsukuba products trade fair",
        -30,
        20,
        15,
    ),
    # Needs approval (a company tour for job seekers): registrations wait for staff.
    (
        "15-1",
        "tour",
        "合成データ 市内企業見学会（承認制）",
        "Synthetic: Company tour (approval required)",
        28,
        15,
        4,
    ),
]


@transaction.atomic
def load_demo(*, strategy) -> int:
    """Returns the number of events created (0 when they already exist)."""
    from sangyo.registry.models import Business

    businesses = list(Business.objects.filter(is_synthetic=True).order_by("pk")[:40])
    created = 0
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for code, kind, title_ja, title_en, days, capacity, wanted in EVENTS:
        program = Program.objects.filter(measure__strategy=strategy, code=code).first()
        if program is None or Event.objects.filter(title_ja=title_ja, is_synthetic=True).exists():
            continue
        starts = (now + datetime.timedelta(days=days)).replace(hour=5)  # 14:00 JST
        event = services.event_create(
            actor="demo",
            title_ja=title_ja,
            title_en=title_en,
            kind=kind,
            program=program,
            description_ja="デモ用の合成データです。実在のイベントではありません。",
            description_en="Synthetic demo data; not a real event.",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            place="合成データ つくば市産業振興センター",
            address="茨城県つくば市（架空）",
            capacity=capacity,
            approval_required=kind == "tour",
            target_ja="市内の事業者・創業希望者",
            questions=[
                {"key": "org", "label_ja": "所属", "label_en": "Organisation", "type": "text"},
            ],
            is_synthetic=True,
        )
        created += 1
        for i in range(wanted):
            company = businesses[i % len(businesses)] if businesses else None
            registration = services.registration_create(
                event=event,
                name=f"合成 参加者{i + 1:02d}",
                answers={"org": company.name if company else ""},
                business=company,
                actor="demo",
                is_synthetic=True,
                check_window=False,
            )
            if days < 0 and i % 3 != 2 and registration.status == "confirmed":
                services.registration_attend(registration=registration, actor="demo")
                services.survey_submit(
                    registration=registration, rating=3 + i % 3, comment="", actor="demo"
                )
    return created

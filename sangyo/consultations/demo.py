"""Synthetic demo data for consultations: desks on four programs, experts (names marked
（デモ）), slots on weekdays over the next four weeks, and a few bookings, cases, sessions,
follow-ups and referrals for synthetic businesses.

Everything goes through the services and is marked synthetic. Running it again changes
nothing (records are found by name, slots by desk and start). No mail leaves while it loads.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.test.utils import override_settings
from django.utils import timezone

from sangyo.registry.models import Business, PartnerOrganisation
from sangyo.strategy.models import Program

from . import services
from .models import Booking, Case, Desk, Expert, Slot

TOKYO = ZoneInfo("Asia/Tokyo")

DESKS = [
    ("01-1", "デジタルマーケティング相談窓口", "Digital marketing desk"),
    ("01-2", "経営相談窓口", "Business consultation desk"),
    ("10-1", "創業相談", "Start-up consultation"),
    ("04-1", "事業承継相談", "Business succession consultation"),
]
EXPERTS = [
    ("合成 一郎（デモ）", ["ウェブ解析士", "中小企業診断士"], ["01-1"]),
    ("合成 花子（デモ）", ["中小企業診断士"], ["01-2", "10-1"]),
    ("合成 次郎（デモ）", ["社会保険労務士"], ["01-2"]),
    ("合成 三恵（デモ）", ["税理士"], ["04-1", "10-1"]),
]
HOURS = (10, 14)
WEEKDAYS = (1, 3)  # Tuesday, Thursday
CASES = [
    # (business name, corporate type, desk code, title, categories, areas, referral partner)
    ("合成デモ相談商事株式会社", "301", "01-1", "ECサイトでの販路開拓", ["sales", "dx"], [], None),
    (
        "合成デモ相談（創業予定）",
        "pre_founding",
        "10-1",
        "飲食店の創業計画",
        ["founding", "funding"],
        ["management", "finance"],
        None,
    ),
    (
        "合成デモ承継工業株式会社",
        "301",
        "04-1",
        "後継者への事業承継",
        ["succession"],
        [],
        "合成デモ事業承継・引継ぎ支援センター",
    ),
]


def load_demo(*, strategy) -> dict:
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        return _load(strategy)


def _load(strategy) -> dict:
    programs = {
        p.code: p
        for p in Program.objects.filter(measure__strategy=strategy, code__in=[d[0] for d in DESKS])
    }
    desks = {}
    for code, ja, en in DESKS:
        if code not in programs:
            continue
        desk, _ = Desk.objects.get_or_create(
            name_ja=ja, program=programs[code], defaults={"name_en": en, "is_synthetic": True}
        )
        desks[code] = desk
    experts = {}
    for name, quals, codes in EXPERTS:
        expert, _ = Expert.objects.get_or_create(
            name=name, defaults={"qualifications": quals, "is_synthetic": True}
        )
        experts[name] = expert
        for code in codes:
            if code in desks:
                desks[code].experts.add(expert)
    slots = _slots(desks)
    cases = _cases(desks, slots)
    return {"desks": len(desks), "experts": len(experts), "slots": slots, "cases": cases}


def _slots(desks) -> int:
    today = timezone.localdate()
    made = 0
    for desk in desks.values():
        expert = desk.experts.order_by("id").first()
        existing = set(Slot.objects.filter(desk=desk).values_list("starts", flat=True))
        for offset in range(1, 29):
            day = today + datetime.timedelta(days=offset)
            if day.weekday() not in WEEKDAYS:
                continue
            for hour in HOURS:
                starts = datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TOKYO)
                if starts in existing:
                    continue
                services.slot_create(
                    desk=desk,
                    starts=starts,
                    ends=starts + datetime.timedelta(hours=1),
                    expert=expert,
                    online=hour == 14,
                    place="" if hour == 14 else "つくば市役所 会議室（デモ）",
                    actor="demo",
                )
                made += 1
    return made


def _business(name: str, corporate_type: str) -> Business:
    from sangyo.registry import services as registry

    found = Business.objects.filter(name=name, is_synthetic=True).first()
    if found:
        return found
    founder = corporate_type == "pre_founding"
    return registry.business_create(
        actor="demo",
        name=name,
        corporate_type=corporate_type,
        location="茨城県つくば市研究学園一丁目1番地（デモ）",
        city_code="082201",
        jsic_code="5611" if founder else "3911",
        capital_stock=None if founder else 10_000_000,
        employee_number=0 if founder else 8,
        date_of_establishment=None if founder else datetime.date(1985, 4, 1),
        representative_name="合成 代表（デモ）",
        is_synthetic=True,
    )


def _cases(desks, slots_made) -> int:
    today = timezone.localdate()
    made = 0
    for name, ctype, code, title, categories, areas, partner_name in CASES:
        desk = desks.get(code)
        if desk is None:
            continue
        company = _business(name, ctype)
        if Case.objects.filter(business=company, title=title).exists():
            continue
        case = services.case_create(
            business=company,
            program=desk.program,
            title=title,
            categories=categories,
            plan=settings.SANGYO_CASE_PLAN,
            actor="demo",
            is_synthetic=True,
        )
        made += 1
        services.session_record(
            case=case,
            date=today - datetime.timedelta(days=45),
            expert=desk.experts.order_by("id").first(),
            notes="合成データ：初回相談（デモ）",
            areas=areas,
            follow_up_days=30,  # already overdue: shows on the dashboard
            actor="demo",
            is_synthetic=True,
        )
        services.follow_up_add(
            case=case,
            due=today + datetime.timedelta(days=14),
            note="合成データ：見積書を2社から取り寄せる（デモ）",
            kind="action",
            assignee="business",
            actor="demo",
        )
        if partner_name:
            partner, _ = PartnerOrganisation.objects.get_or_create(
                name=partner_name,
                defaults={"kind": PartnerOrganisation.Kind.SUCCESSION, "is_synthetic": True},
            )
            services.referral_create(
                case=case, partner=partner, date=today - datetime.timedelta(days=10), actor="demo"
            )
        # The next session is booked on the desk's first open slot.
        slot = desk.slots.filter(status=Slot.Status.OPEN, starts__gt=timezone.now()).first()
        if slot and not Booking.objects.filter(business=company, status="booked").exists():
            services.booking_create(
                slot=slot,
                business=company,
                actor="demo",
                name="合成 代表（デモ）",
                email="consult-demo@example.jp",
                topic="合成データ：2回目の相談（デモ）",
            )
    return made

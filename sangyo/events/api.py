"""Read-only public API of events: what the public event pages show, with capacity and the
seats left. No personal data: registrations are only counted."""

from __future__ import annotations

import datetime
from typing import Literal

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from sangyo.api_common import Input, PageParams, Text, as_utc, page_schema, paginate, responses

from . import selectors, services
from .models import Event

router = Router(tags=["events"])


class EventOut(Schema):
    id: int
    kind: str = Field(..., description="seminar, fair, exchange, tour, internship")
    title: Text
    description: Text
    target: Text
    program: str = Field(..., description="事業コード / program code")
    measure: str = Field(..., description="施策番号 / measure number")
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    address: str
    is_online: bool
    capacity: int = Field(..., description="定員 / seats")
    seats_left: int = Field(..., description="残席 / seats not yet taken")
    waitlisted: int = Field(..., description="キャンセル待ちの人数 / people on the waiting list")
    registration_opens_at: datetime.datetime | None = None
    registration_closes_at: datetime.datetime = Field(
        ..., description="申込締切（未設定なら開始時刻） / closes (the start when not set)"
    )
    registration_open: bool
    approval_required: bool
    url: str
    ics_url: str
    is_synthetic: bool = Field(..., description="合成データ / synthetic demo data")
    updated_at: datetime.datetime


EventPage = page_schema("EventPage", EventOut)


def _text(event, name: str) -> dict:
    ja = getattr(event, f"{name}_ja")
    return {"ja": ja, "en": getattr(event, f"{name}_en") or ja}


def _event(request, e, now) -> dict:
    return {
        "id": e.pk,
        "kind": e.kind,
        "title": _text(e, "title"),
        "description": _text(e, "description"),
        "target": _text(e, "target"),
        "program": e.program.code,
        "measure": e.program.measure.number,
        "starts_at": e.starts_at,
        "ends_at": e.ends_at,
        "place": e.place,
        "address": e.address,
        "is_online": e.is_online,
        "capacity": e.capacity,
        "seats_left": max(e.capacity - e.seated, 0),
        "waitlisted": e.waiting,
        "registration_opens_at": e.registration_opens_at,
        "registration_closes_at": e.registration_closes_at or e.starts_at,
        "registration_open": services.registration_is_open(e, now),
        "approval_required": e.approval_required,
        "url": request.build_absolute_uri(reverse("events:detail", args=[e.pk])),
        "ics_url": request.build_absolute_uri(reverse("events:ics", args=[e.pk])),
        "is_synthetic": e.is_synthetic,
        "updated_at": e.updated_at,
    }


class EventFilters(Input):
    when: Literal["upcoming", "past", "all"] = Field(
        "upcoming",
        description="upcoming: 終了前（開始の早い順） / not yet ended (soonest first); "
        "past: 終了済み（新しい順） / ended (latest first); all: すべて（新しい順）",
    )
    kind: Literal["", "seminar", "fair", "exchange", "tour", "internship"] = ""
    measure: str = Field("", max_length=10, description="施策番号 / measure number, e.g. 05")
    fiscal_year: int | None = Field(
        None, ge=1900, le=2200, description="開催年度 / fiscal year the event starts in"
    )
    updated_since: datetime.datetime | None = Field(
        None, description="更新日時 ≥ / updated at or after"
    )


@router.get(
    "/events",
    response=responses(EventPage),
    summary="イベントの一覧 / Events",
    description=(
        "セミナー・展示会・交流会・見学会・インターンシップ。定員と残席、キャンセル待ちの人数、"
        "申込の受付状況つき。個人情報は含みません。\n\n"
        "Seminars, fairs, exchanges, tours and internships, with capacity, seats left, the "
        "waiting list's length and whether registration is open. No personal data."
    ),
)
def list_events(request, filters: Query[EventFilters], page: Query[PageParams]):
    now = timezone.now()
    qs = selectors.with_counts(Event.objects.all())
    if filters.when == "upcoming":
        qs = qs.filter(ends_at__gte=now).order_by("starts_at", "id")
    elif filters.when == "past":
        qs = qs.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    else:
        qs = qs.order_by("-starts_at", "-id")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.measure:
        qs = qs.filter(program__measure__number=filters.measure)
    if filters.fiscal_year is not None:
        tz = timezone.get_current_timezone()
        start = datetime.datetime(filters.fiscal_year, 4, 1, tzinfo=tz)
        end = datetime.datetime(filters.fiscal_year + 1, 4, 1, tzinfo=tz)
        qs = qs.filter(Q(starts_at__gte=start) & Q(starts_at__lt=end))
    if filters.updated_since:
        qs = qs.filter(updated_at__gte=as_utc(filters.updated_since))
    return paginate(request, qs, page, lambda e: _event(request, e, now))


@router.get(
    "/events/{event_id}",
    response=responses(EventOut, 404),
    summary="イベント1件 / One event",
    description="終了したイベントも返します。 / Past events are returned too.",
)
def get_event(request, event_id: int):
    event = selectors.with_counts(Event.objects.filter(pk=event_id)).first()
    if event is None:
        raise Http404
    return _event(request, event, timezone.now())

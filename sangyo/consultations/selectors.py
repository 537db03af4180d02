"""Reads for consultations pages, each a fixed number of queries."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from sangyo.registry.models import Business

from .models import Booking, Case, Desk, FollowUp, Referral, Slot


def desks_with_open_slots(*, weeks: int = 4) -> list[Desk]:
    now = timezone.now()
    until = now + datetime.timedelta(weeks=weeks)
    open_slots = Slot.objects.filter(
        status=Slot.Status.OPEN, starts__gt=now, starts__lt=until
    ).select_related("expert")
    return list(
        Desk.objects.filter(is_active=True)
        .select_related("program__measure")
        .prefetch_related(Prefetch("slots", queryset=open_slots, to_attr="open_slots"))
    )


def bookable_slot(pk: int) -> Slot | None:
    return Slot.objects.select_related("desk__program", "expert").filter(pk=pk).first()


def businesses_user_acts_for(user) -> list[Business]:
    from sangyo.registry.models import Delegation

    today = timezone.localdate()
    return list(
        Business.objects.filter(
            Q(memberships__user=user)
            | Q(
                Exists(
                    Delegation.objects.filter(
                        business=OuterRef("pk"),
                        proxy=user,
                        revoked_at__isnull=True,
                        valid_until__gte=today,
                    )
                )
            )
        )
        .distinct()
        .order_by("name")
    )


def bookings_for_user(user) -> list[Booking]:
    ids = [b.pk for b in businesses_user_acts_for(user)]
    return list(
        Booking.objects.filter(Q(booked_by=user) | Q(business_id__in=ids))
        .select_related("slot__desk", "slot__expert", "business")
        .order_by("-slot__starts")
    )


def dashboard(*, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    todays = list(
        Booking.objects.filter(slot__starts__gte=start, slot__starts__lt=end)
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("slot__desk", "slot__expert", "business")
        .order_by("slot__starts")
    )
    overdue = list(
        Case.objects.filter(status=Case.Status.OPEN)
        .annotate(
            overdue=Count("follow_ups", filter=Q(follow_ups__done=False, follow_ups__due__lt=today))
        )
        .filter(overdue__gt=0)
        .select_related("business", "owner")
        .order_by("-overdue", "id")
    )
    waiting = list(
        Referral.objects.filter(outcome=Referral.Outcome.PENDING)
        .select_related("case__business", "partner")
        .order_by("date", "id")
    )
    return {"todays": todays, "overdue_cases": overdue, "waiting_referrals": waiting}


def desk_list() -> list[Desk]:
    return list(
        Desk.objects.select_related("program__measure").annotate(
            open_count=Count(
                "slots", filter=Q(slots__status=Slot.Status.OPEN, slots__starts__gt=timezone.now())
            )
        )
    )


def desk_detail(pk: int) -> Desk | None:
    upcoming = (
        Slot.objects.filter(starts__gt=timezone.now() - datetime.timedelta(days=1))
        .select_related("expert")
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=Booking.objects.exclude(status=Booking.Status.CANCELLED).select_related(
                    "business"
                ),
                to_attr="live_bookings",
            )
        )
    )
    return (
        Desk.objects.select_related("program__measure")
        .prefetch_related(Prefetch("slots", queryset=upcoming, to_attr="upcoming"), "experts")
        .filter(pk=pk)
        .first()
    )


def case_list(*, status: str = "open") -> list[Case]:
    qs = Case.objects.select_related("business", "owner", "program")
    if status in Case.Status.values:
        qs = qs.filter(status=status)
    return list(qs.order_by("-created_at", "-id")[:200])


def case_detail(pk: int) -> Case | None:
    return (
        Case.objects.select_related("business", "owner", "program__measure")
        .prefetch_related(
            "sessions__expert",
            "sessions__booking__slot__desk",
            Prefetch("follow_ups", queryset=FollowUp.objects.order_by("due", "id")),
            Prefetch("referrals", queryset=Referral.objects.select_related("partner")),
        )
        .filter(pk=pk)
        .first()
    )


def case_detail_qs():
    return Case.objects.select_related("business", "program")

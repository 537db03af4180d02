"""Reads for event pages, each a fixed number of queries."""

from __future__ import annotations

from django.db.models import Avg, Count, Q
from django.utils import timezone

from .models import Event, Registration, SurveyResponse

SEATED_Q = Q(registrations__status__in=("confirmed", "attended"))


def _with_counts(qs):
    return qs.select_related("program", "program__measure").annotate(
        seated=Count("registrations", filter=SEATED_Q),
        waiting=Count("registrations", filter=Q(registrations__status="waitlisted")),
        pending=Count("registrations", filter=Q(registrations__status="pending")),
    )


def with_counts(qs):
    """Events with `seated`, `waiting` and `pending` counted in the same query (the API)."""
    return _with_counts(qs)


def upcoming_events(now=None):
    now = now or timezone.now()
    events = list(_with_counts(Event.objects.filter(ends_at__gte=now)).order_by("starts_at"))
    for e in events:
        e.seats_left = max(e.capacity - e.seated, 0)
    return events


def all_events():
    events = list(_with_counts(Event.objects.all()).order_by("-starts_at"))
    for e in events:
        e.seats_left = max(e.capacity - e.seated, 0)
    return events


def event_with_counts(pk: int) -> Event:
    event = _with_counts(Event.objects.filter(pk=pk)).get()
    event.seats_left = max(event.capacity - event.seated, 0)
    return event


def registrations_for(event: Event, *, search: str = ""):
    qs = event.registrations.select_related("business").order_by("created_at", "id")
    if search:
        term = search.strip()
        qs = qs.filter(Q(name__icontains=term) | Q(code__iexact=term.upper()))
    return qs


def registration_by_token(token: str) -> Registration | None:
    return Registration.objects.select_related("event").filter(token=token).first()


def survey_summary(event: Event) -> dict:
    responses = SurveyResponse.objects.filter(registration__event=event)
    agg = responses.aggregate(count=Count("id"), average=Avg("rating"))
    by_rating = dict(
        responses.values_list("rating").annotate(n=Count("id")).values_list("rating", "n")
    )
    distribution = [(r, by_rating.get(r, 0)) for r in range(5, 0, -1)]
    comments = list(
        responses.exclude(comment="").order_by("-created_at").values_list("comment", flat=True)[:50]
    )
    return {
        "count": agg["count"],
        "average": agg["average"],
        "distribution": distribution,
        "comments": comments,
    }

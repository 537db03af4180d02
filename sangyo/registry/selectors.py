"""Reads of the registry: search with filters and a bounded number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sangyo.core.text import normalize_for_match

from .models import Business, CorporateType, SupportRecord

SORTS = {
    "kana": ("search_kana", "id"),
    "-kana": ("-search_kana", "-id"),
    "established": ("date_of_establishment", "id"),
    "-established": ("-date_of_establishment", "-id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
    "employees": ("employee_number", "id"),
    "-employees": ("-employee_number", "-id"),
}


@dataclass
class BusinessFilter:
    q: str = ""
    corporate_number: str = ""
    district: int | None = None
    jsic: str = ""
    size: str = ""
    stage: str = ""
    tag: str = ""
    status: str = ""
    in_city: str = ""  # "", "1", "0"
    sort: str = "kana"
    extra: dict = field(default_factory=dict)


def five_years_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 5)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 5, day=28)


def search_businesses(
    base: QuerySet[Business], f: BusinessFilter, *, today=None
) -> QuerySet[Business]:
    qs = base
    if f.q:
        key = normalize_for_match(f.q)
        qs = qs.filter(Q(search_name__contains=key) | Q(search_kana__contains=key))
    if f.corporate_number:
        digits = normalize_for_match(f.corporate_number).replace("-", "")
        qs = qs.filter(corporate_number__startswith=digits)
    if f.district:
        qs = qs.filter(district_id=f.district)
    if f.jsic:
        qs = qs.filter(jsic_code__startswith=f.jsic.strip().upper())
    if f.size:
        qs = qs.filter(size_class=f.size)
    if f.stage:
        today = today or timezone.localdate()
        cutoff = five_years_before(today)
        if f.stage == "pre_founding":
            qs = qs.filter(corporate_type=CorporateType.PRE_FOUNDING)
        elif f.stage == "young":
            qs = qs.exclude(corporate_type=CorporateType.PRE_FOUNDING).filter(
                date_of_establishment__gt=cutoff
            )
        elif f.stage == "established":
            qs = qs.exclude(corporate_type=CorporateType.PRE_FOUNDING).filter(
                date_of_establishment__lte=cutoff
            )
        elif f.stage == "unknown":
            qs = qs.exclude(corporate_type=CorporateType.PRE_FOUNDING).filter(
                date_of_establishment__isnull=True
            )
    if f.tag:
        qs = qs.filter(tags__name=f.tag)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.in_city in ("0", "1"):
        qs = qs.filter(in_city=f.in_city == "1")
    return qs.order_by(*SORTS.get(f.sort, SORTS["kana"]))


@dataclass
class Page:
    items: list
    number: int
    has_next: bool
    has_previous: bool
    per_page: int

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.items else 0


def page_of(qs: QuerySet, number: int, per_page: int = 50) -> Page:
    """One page without counting the whole result (a COUNT over millions of rows costs more
    than the page itself); one extra row tells whether there is a next page."""
    number = max(1, number)
    start = (number - 1) * per_page
    rows = list(qs.select_related("district")[start : start + per_page + 1])
    return Page(rows[:per_page], number, len(rows) > per_page, number > 1, per_page)


def business_timeline(business: Business) -> list[SupportRecord]:
    return list(
        SupportRecord.objects.filter(business=business)
        .select_related("program__measure", "partner", "staff")
        .order_by("-date", "-id")
    )


def support_counts_for_measure(measure) -> list[dict]:
    """Support records of a measure by fiscal year: records and distinct businesses."""
    return list(
        SupportRecord.objects.filter(program__measure=measure)
        .values("fiscal_year")
        .annotate(records=Count("id"), businesses=Count("business", distinct=True))
        .order_by("fiscal_year")
    )


def duplicate_candidates(limit: int = 100) -> list[tuple[Business, Business]]:
    """Pairs that look like the same business: same normalised name and address."""
    from sangyo.core.text import normalize_for_match as norm

    dupes = (
        Business.objects.values("search_name")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("search_name")[:limit]
    )
    names = [d["search_name"] for d in dupes]
    by_key: dict[tuple[str, str], list[Business]] = {}
    for b in Business.objects.filter(search_name__in=names).order_by("id"):
        by_key.setdefault((b.search_name, norm(b.location)), []).append(b)
    return [(group[0], other) for group in by_key.values() if len(group) > 1 for other in group[1:]]

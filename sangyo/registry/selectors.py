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
        # "<> ''" (always true of a match) lets PostgreSQL use the partial JSIC index.
        qs = qs.filter(jsic_code__startswith=f.jsic.strip().upper()).exclude(jsic_code="")
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


# --- staff screens (registry views, exports) ------------------------------------------------


def filter_jsic_major(qs: QuerySet[Business], letter: str) -> QuerySet[Business]:
    """Businesses whose JSIC code lies under a 大分類 ('E' → the code 'E' itself or any code
    starting with one of its 中分類 09–32). Codes are stored as digits below the 大分類, so a
    plain prefix match on the letter would find nothing."""
    from .jsic import load_jsic

    letter = letter.strip().upper()
    middles = [e.code for e in load_jsic().entries("middle") if e.parent == letter]
    condition = Q(jsic_code=letter)
    for code in middles:
        condition |= Q(jsic_code__startswith=code)
    # "<> ''" (always true of a match) lets PostgreSQL use the partial JSIC index.
    return qs.filter(condition).exclude(jsic_code="")


# Registration order (the primary key), beside the SORTS of `search_businesses`.
REGISTERED_SORTS = {"registered": ("id",), "-registered": ("-id",)}
# What the staff list shows when nobody chose an order: a search (any filter) newest first,
# the whole registry in kana order.
DEFAULT_SEARCH_SORT = "-registered"
DEFAULT_BROWSE_SORT = "kana"


def staff_search(f: BusinessFilter, *, today=None) -> QuerySet[Business]:
    """`search_businesses` over every business, plus what only the staff list has: the
    大分類 filter (`f.extra["jsic_major"]`) and registration order ("registered").

    Why a search is shown newest first unless another order is chosen: the first page of a
    filtered list in kana order makes PostgreSQL walk the kana index and fetch rows from all
    over the table until 50 match, and when the matches sit late in kana order (names sharing a
    word) that walk covers most of a million rows (seconds, see bench/bench_search.py). In
    primary-key order the walk reads the table in its physical order and stops after 50
    matches, and a rare match is found through the trigram or B-tree index instead."""
    qs = search_businesses(Business.objects.all(), f, today=today)
    major = f.extra.get("jsic_major")
    if major:
        qs = filter_jsic_major(qs, major)
    if f.sort in REGISTERED_SORTS:
        qs = qs.order_by(*REGISTERED_SORTS[f.sort])
    return qs


def district_options(municipality_code: str | None = None) -> list:
    from .models import District

    qs = District.objects.all()
    if municipality_code:
        qs = qs.filter(municipality_code=municipality_code)
    return list(qs)


def tag_names() -> list[str]:
    from .models import Tag

    return list(Tag.objects.order_by("name").values_list("name", flat=True))


def business_for_page(pk: int) -> Business | None:
    return (
        Business.objects.select_related("district").prefetch_related("tags").filter(pk=pk).first()
    )


def business_support_timeline(business: Business) -> list[SupportRecord]:
    """`business_timeline` with each program's strategy, so a page can link every record to
    its measure without a query per row."""
    return list(
        SupportRecord.objects.filter(business=business)
        .select_related("program__measure__strategy", "partner", "staff")
        .order_by("-date", "-id")
    )


def business_contacts(business: Business) -> list:
    from .models import Contact

    return list(Contact.objects.filter(business=business).order_by("anonymized_at", "id"))


def business_memberships(business: Business) -> list:
    from .models import Membership

    return list(
        Membership.objects.filter(business=business).select_related("user").order_by("role", "id")
    )


def business_delegations(business: Business) -> list:
    from .models import Delegation

    return list(
        Delegation.objects.filter(business=business)
        .select_related("proxy", "granted_by")
        .order_by("revoked_at", "-valid_until", "-id")
    )


def businesses_of_user(user, *, today=None) -> list[dict]:
    """What a business user may act for: businesses they are a member of, and businesses that
    delegated to them until today or later. One row per business: {business, role, until}."""
    from .models import Delegation, Membership

    today = today or timezone.localdate()
    rows: dict[int, dict] = {}
    for m in Membership.objects.filter(user=user).select_related("business__district"):
        rows[m.business_id] = {"business": m.business, "role": m.role, "until": None}
    delegations = (
        Delegation.objects.filter(proxy=user, revoked_at__isnull=True, valid_until__gte=today)
        .select_related("business__district")
        .order_by("valid_until")
    )
    for d in delegations:
        rows.setdefault(
            d.business_id, {"business": d.business, "role": "proxy", "until": d.valid_until}
        )
    return sorted(rows.values(), key=lambda r: (r["business"].search_kana, r["business"].pk))


def merge_preview(duplicate: Business) -> dict[str, int]:
    """How many records a merge would move from `duplicate` to the kept business."""
    from .models import Contact, Delegation, Membership

    return {
        "support_records": SupportRecord.objects.filter(business=duplicate).count(),
        "contacts": Contact.objects.filter(business=duplicate).count(),
        "memberships": Membership.objects.filter(business=duplicate).count(),
        "delegations": Delegation.objects.filter(business=duplicate).count(),
    }


def partners_by_kind() -> list[tuple[str, list]]:
    """Partner organisations grouped by kind, in the order of `PartnerOrganisation.Kind`."""
    from .models import PartnerOrganisation

    groups: dict[str, list] = {}
    for partner in PartnerOrganisation.objects.order_by("kind", "name"):
        groups.setdefault(partner.kind, []).append(partner)
    labels = dict(PartnerOrganisation.Kind.choices)
    return [(labels[k], groups[k]) for k in PartnerOrganisation.Kind.values if k in groups]

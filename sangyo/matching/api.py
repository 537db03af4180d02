"""Read-only public API of matching: published, unexpired needs/seeds, published business
properties and published, unexpired jobs. No personal data: no people, no e-mail addresses,
no applications, enquiries or messages — only what the public pages show."""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from . import selectors
from .models import Property

router = Router(tags=["matching"])
MAX_LIMIT = 100


class Text(Schema):
    ja: str
    en: str


class PostingOut(Schema):
    id: int
    kind: str
    purpose: str
    category: str
    jsic_code: str
    title: Text
    body: Text
    keywords: str
    region: str
    starts_on: datetime.date
    ends_on: datetime.date
    business_name: str


class PropertyOut(Schema):
    id: int
    title: Text
    use: str
    is_challenge_shop: bool
    area_m2: float
    rent_yen: int | None
    address: str
    district: str
    available_from: datetime.date
    partner: str


class JobOut(Schema):
    id: int
    kind: str
    employment_type: str
    target: str
    title: Text
    description: Text
    place: str
    pay_unit: str
    pay_min: int
    pay_max: int
    hours: str
    paternity_leave_takers: int | None
    paternity_leave_rate: int | None
    languages: str
    english_ok: bool
    visa_support: bool
    disability_support: str
    starts_on: datetime.date
    ends_on: datetime.date
    business_name: str


class Page(Schema):
    count: int
    offset: int
    limit: int


class PostingPage(Page):
    results: list[PostingOut]


class PropertyPage(Page):
    results: list[PropertyOut]


class JobPage(Page):
    results: list[JobOut]


def _posting(p) -> dict:
    return {
        "id": p.pk,
        "kind": p.kind,
        "purpose": p.purpose,
        "category": p.category,
        "jsic_code": p.jsic_code,
        "title": {"ja": p.title_ja, "en": p.title_en},
        "body": {"ja": p.body_ja, "en": p.body_en},
        "keywords": p.keywords,
        "region": p.region,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "business_name": p.business.name,
    }


def _property(p) -> dict:
    return {
        "id": p.pk,
        "title": {"ja": p.title_ja, "en": p.title_en},
        "use": p.use,
        "is_challenge_shop": p.is_challenge_shop,
        "area_m2": float(p.area_m2),
        "rent_yen": p.rent_yen,
        "address": p.address,
        "district": p.district.name_ja if p.district else "",
        "available_from": p.available_from,
        "partner": p.partner.name,
    }


def _job(j) -> dict:
    return {
        "id": j.pk,
        "kind": j.kind,
        "employment_type": j.employment_type,
        "target": j.target,
        "title": {"ja": j.title_ja, "en": j.title_en},
        "description": {"ja": j.description_ja, "en": j.description_en},
        "place": j.place,
        "pay_unit": j.pay_unit,
        "pay_min": j.pay_min,
        "pay_max": j.pay_max,
        "hours": j.hours,
        "paternity_leave_takers": j.paternity_leave_takers,
        "paternity_leave_rate": j.paternity_leave_rate,
        "languages": j.languages,
        "english_ok": j.english_ok,
        "visa_support": j.visa_support,
        "disability_support": j.disability_support,
        "starts_on": j.starts_on,
        "ends_on": j.ends_on,
        "business_name": j.business.name,
    }


def _slice(qs, offset: int, limit: int):
    offset = max(0, offset)
    limit = max(1, min(limit, MAX_LIMIT))
    return qs.count(), offset, limit, list(qs[offset : offset + limit])


@router.get("/matching/postings", response=PostingPage, url_name="matching_postings")
def postings(
    request,
    q: str = "",
    kind: str = "",
    category: str = "",
    region: str = "",
    offset: int = 0,
    limit: int = 20,
):
    count, offset, limit, rows = _slice(
        selectors.search_postings(q=q, kind=kind, category=category, region=region),
        offset,
        limit,
    )
    return {
        "count": count,
        "offset": offset,
        "limit": limit,
        "results": [_posting(p) for p in rows],
    }


@router.get("/matching/postings/{pk}", response=PostingOut, url_name="matching_posting")
def posting(request, pk: int):
    return _posting(get_object_or_404(selectors.public_postings(), pk=pk))


@router.get("/matching/properties", response=PropertyPage, url_name="matching_properties")
def properties(
    request,
    use: str = "",
    district: int | None = None,
    rent_max: int | None = None,
    area_min: float | None = None,
    offset: int = 0,
    limit: int = 20,
):
    count, offset, limit, rows = _slice(
        selectors.search_properties(
            use=use, district=str(district or ""), rent_max=rent_max, area_min=area_min
        ),
        offset,
        limit,
    )
    return {
        "count": count,
        "offset": offset,
        "limit": limit,
        "results": [_property(p) for p in rows],
    }


@router.get("/matching/properties/{pk}", response=PropertyOut, url_name="matching_property")
def property_detail(request, pk: int):
    return _property(
        get_object_or_404(
            Property.objects.select_related("district", "partner").filter(is_published=True),
            pk=pk,
        )
    )


@router.get("/matching/jobs", response=JobPage, url_name="matching_jobs")
def jobs(
    request,
    q: str = "",
    kind: str = "",
    english: bool = False,
    target: str = "",
    offset: int = 0,
    limit: int = 20,
):
    count, offset, limit, rows = _slice(
        selectors.search_jobs(q=q, kind=kind, english=english, target=target), offset, limit
    )
    return {"count": count, "offset": offset, "limit": limit, "results": [_job(j) for j in rows]}


@router.get("/matching/jobs/{pk}", response=JobOut, url_name="matching_job")
def job(request, pk: int):
    return _job(get_object_or_404(selectors.public_jobs(), pk=pk))

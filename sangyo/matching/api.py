"""Read-only public API of matching: published, unexpired needs/seeds, published business
properties and published, unexpired jobs. No personal data: no people, no e-mail addresses,
no applications, enquiries or messages — only what the public pages show."""

from __future__ import annotations

import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from sangyo.api_common import Input, PageParams, Text, page_schema, paginate, responses

from . import selectors
from .models import Property

router = Router(tags=["matching"])


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


PostingPage = page_schema("PostingPage", PostingOut)
PropertyPage = page_schema("PropertyPage", PropertyOut)
JobPage = page_schema("JobPage", JobOut)


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


class PostingFilters(Input):
    q: str = Field("", max_length=200, description="キーワード / keywords")
    kind: Literal["", "need", "seed"] = Field("", description="need: ニーズ, seed: シーズ")
    category: str = Field("", max_length=40)
    region: str = Field("", max_length=40)


@router.get(
    "/matching/postings",
    response=responses(PostingPage),
    url_name="matching_postings",
    summary="ニーズ・シーズの一覧 / Needs and seeds",
    description=(
        "公開中で期限内のニーズ・シーズ（モデレーション済み）。人や連絡先は含みません。\n\n"
        "Published, unexpired needs and seeds (moderated). No people or contact details."
    ),
)
def postings(request, filters: Query[PostingFilters], page: Query[PageParams]):
    qs = selectors.search_postings(
        q=filters.q, kind=filters.kind, category=filters.category, region=filters.region
    )
    return paginate(request, qs, page, _posting)


@router.get(
    "/matching/postings/{pk}",
    response=responses(PostingOut, 404),
    url_name="matching_posting",
    summary="ニーズ・シーズ1件 / One need or seed",
    description="非公開・期限切れは404。 / Unpublished or expired → 404.",
)
def posting(request, pk: int):
    return _posting(get_object_or_404(selectors.public_postings(), pk=pk))


class PropertyFilters(Input):
    use: str = Field("", max_length=40, description="用途 / use")
    district: int | None = Field(None, description="地区ID / district id")
    rent_max: int | None = Field(None, ge=0, description="賃料の上限（円） / max rent (yen)")
    area_min: float | None = Field(None, ge=0, le=1e9, description="面積の下限（㎡） / min area")


@router.get(
    "/matching/properties",
    response=responses(PropertyPage),
    url_name="matching_properties",
    summary="空き物件の一覧 / Business properties",
    description=(
        "公開中の事業用物件（チャレンジショップを含む）。\n\n"
        "Published business properties for founders (challenge shops included)."
    ),
)
def properties(request, filters: Query[PropertyFilters], page: Query[PageParams]):
    qs = selectors.search_properties(
        use=filters.use,
        district=str(filters.district or ""),
        rent_max=filters.rent_max,
        area_min=filters.area_min,
    )
    return paginate(request, qs, page, _property)


@router.get(
    "/matching/properties/{pk}",
    response=responses(PropertyOut, 404),
    url_name="matching_property",
    summary="物件1件 / One property",
    description="非公開は404。 / Unpublished → 404.",
)
def property_detail(request, pk: int):
    return _property(
        get_object_or_404(
            Property.objects.select_related("district", "partner").filter(is_published=True),
            pk=pk,
        )
    )


class JobFilters(Input):
    q: str = Field("", max_length=200, description="キーワード / keywords")
    kind: str = Field("", max_length=40, description="job, internship, …")
    english: bool = Field(False, description="英語で働ける求人だけ / English-friendly only")
    target: str = Field("", max_length=40)


@router.get(
    "/matching/jobs",
    response=responses(JobPage),
    url_name="matching_jobs",
    summary="求人・インターンシップの一覧 / Jobs and internships",
    description=(
        "公開中で期限内の求人・インターンシップ。応募者の情報は含みません。\n\n"
        "Published, unexpired jobs and internships. No applicants' data."
    ),
)
def jobs(request, filters: Query[JobFilters], page: Query[PageParams]):
    qs = selectors.search_jobs(
        q=filters.q, kind=filters.kind, english=filters.english, target=filters.target
    )
    return paginate(request, qs, page, _job)


@router.get(
    "/matching/jobs/{pk}",
    response=responses(JobOut, 404),
    url_name="matching_job",
    summary="求人1件 / One job",
    description="非公開・期限切れは404。 / Unpublished or expired → 404.",
)
def job(request, pk: int):
    return _job(get_object_or_404(selectors.public_jobs(), pk=pk))

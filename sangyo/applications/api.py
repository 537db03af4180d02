"""Read-only API of programs: what each program offers and its open calls, in the jGrants
vocabulary (digital-go-jp/jgrants-mcp-server) so a program can be exported in that shape.

Field names follow jGrants: title, catch_phrase, detail, target_area, industry (" / "-joined
JSIC 大分類 names), target_number_of_employees (employee band), use_purpose, subsidy_rate
(free text; 「要確認」 while the city has not confirmed it, "" for programs that pay nothing),
subsidy_max_limit (yen; 0 = not set), acceptance_start_datetime / acceptance_end_datetime (UTC
ISO-8601, of the open calls; null when none is open), institution_name, detail_url. Amounts
are JSON numbers. Each call runs a fixed number of queries.
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from sangyo.api_common import Input, PageParams, Text, page_schema, paginate, responses

from . import catalogue
from .models import Call

router = Router(tags=["programs"])


class CallOut(Schema):
    id: int
    title: Text
    fiscal_year: int
    acceptance_start_datetime: str
    acceptance_end_datetime: str
    budget: int | None = None
    apply_url: str


class CallDetailOut(CallOut):
    program_id: int
    program: str = Field(..., description="事業コード / program code")
    measure: str = Field(..., description="施策番号 / measure number")
    status: str = Field(..., description="open: 受付中 / receiving, upcoming: 受付前, closed: 終了")


class ProgramSummary(Schema):
    id: int
    code: str
    measure: str
    kind: str
    title: str
    catch_phrase: str
    target_area: str
    target_number_of_employees: str
    subsidy_rate: str
    subsidy_max_limit: int
    acceptance_start_datetime: str | None = None
    acceptance_end_datetime: str | None = None
    calls: list[CallOut]


class EnglishTexts(Schema):
    title: str
    catch_phrase: str
    detail: str
    target: str


class ProgramOut(Schema):
    id: int
    code: str
    measure: str
    kind: str
    title: str
    catch_phrase: str
    detail: str
    target: str
    target_area: str
    industry: str
    target_number_of_employees: str
    use_purpose: list[str]
    subsidy_rate: str
    subsidy_max_limit: int
    acceptance_start_datetime: str | None = None
    acceptance_end_datetime: str | None = None
    institution_name: str
    detail_url: str
    eligibility: list[Text]
    calls: list[CallOut]
    en: EnglishTexts


def utc_iso(value: datetime.datetime) -> str:
    """2025-04-01T00:00:00.000Z: UTC with milliseconds, as jGrants writes it."""
    value = value.astimezone(datetime.UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _call(call, request) -> dict:
    return {
        "id": call.pk,
        "title": {"ja": call.title_ja, "en": call.title_en or call.title_ja},
        "fiscal_year": call.fiscal_year,
        "acceptance_start_datetime": utc_iso(call.opens_at),
        "acceptance_end_datetime": utc_iso(call.closes_at),
        "budget": call.budget_yen,
        "apply_url": request.build_absolute_uri(catalogue.apply_url(call)),
    }


def _common(detail, request) -> dict:
    program = detail.program
    calls = program.open_calls
    return {
        "id": program.pk,
        "code": program.code,
        "measure": program.measure.number,
        "kind": detail.kind,
        "title": detail.title_ja,
        "catch_phrase": detail.catch_phrase_ja,
        "target_area": detail.target_area,
        "target_number_of_employees": detail.employee_band,
        "subsidy_rate": catalogue.rate_text(detail),
        "subsidy_max_limit": catalogue.cap_yen(detail) or 0,
        "acceptance_start_datetime": utc_iso(min(c.opens_at for c in calls)) if calls else None,
        "acceptance_end_datetime": utc_iso(max(c.closes_at for c in calls)) if calls else None,
        "calls": [_call(c, request) for c in calls],
    }


ProgramPage = page_schema("ProgramPage", ProgramSummary)


class ProgramFilters(Input):
    measure: str = Field("", max_length=10, description="施策番号 / measure number, e.g. 05")
    kind: str = Field(
        "", max_length=30, description="subsidy, certification, … (ProgramDetail.kind)"
    )
    open: bool | None = Field(
        None, description="true: 受付中の募集がある事業だけ / with an open call"
    )


@router.get(
    "/programs",
    response=responses(ProgramPage),
    summary="支援事業の一覧 / Programs",
    description=(
        "現行戦略の支援事業（詳細のあるもの）と受付中の募集。jGrantsの語彙で書きます。\n\n"
        "Programs of the current strategy that have details, with their open calls, in the "
        "jGrants vocabulary."
    ),
)
def list_programs(request, filters: Query[ProgramFilters], page: Query[PageParams]):
    details = catalogue.program_details()
    if filters.measure:
        details = [d for d in details if d.program.measure.number == filters.measure]
    if filters.kind:
        details = [d for d in details if d.kind == filters.kind]
    if filters.open is not None:
        details = [d for d in details if bool(d.program.open_calls) == filters.open]
    return paginate(request, details, page, lambda d: _common(d, request))


@router.get(
    "/programs/{program_id}",
    response=responses(ProgramOut, 404),
    summary="支援事業1件 / One program",
    description=(
        "対象・補助率・上限額・資格要件（日英）と受付中の募集。\n\n"
        "One program in the jGrants vocabulary: target, rate, cap, eligibility (ja/en) and "
        "its open calls."
    ),
)
def get_program(request, program_id: int):
    detail = catalogue.program_detail(program_id)
    page = request.build_absolute_uri(reverse("programs:detail", args=[detail.program_id]))
    strategy = detail.program.measure.strategy
    return {
        **_common(detail, request),
        "detail": detail.description_ja,
        "target": detail.target_ja,
        "industry": " / ".join(catalogue.industry_names(detail)),
        "use_purpose": [str(p) for p in detail.use_purposes or []],
        "institution_name": detail.institution or strategy.municipality_name_ja,
        "detail_url": detail.detail_url or page,
        "eligibility": [
            {"ja": ja.label, "en": en.label}
            for ja, en in zip(
                catalogue.eligibility_texts(detail, "ja"),
                catalogue.eligibility_texts(detail, "en"),
                strict=True,
            )
        ],
        "en": {
            "title": detail.title_en,
            "catch_phrase": detail.catch_phrase_en,
            "detail": detail.description_en,
            "target": detail.target_en,
        },
    }


# --- calls ----------------------------------------------------------------------------------


def _call_status(call, now) -> str:
    if call.status == Call.Status.OPEN and call.opens_at <= now <= call.closes_at:
        return "open"
    if call.status == Call.Status.OPEN and now < call.opens_at:
        return "upcoming"
    return "closed"


def _call_detail(call, request, now) -> dict:
    return {
        **_call(call, request),
        "program_id": call.program_id,
        "program": call.program.code,
        "measure": call.program.measure.number,
        "status": _call_status(call, now),
    }


def _public_calls():
    # Drafts are the city's work in progress; everything announced is public.
    return (
        Call.objects.exclude(status=Call.Status.DRAFT)
        .filter(program__measure__strategy__is_current=True)
        .select_related("program__measure")
    )


CallPage = page_schema("CallPage", CallDetailOut)


class CallFilters(Input):
    status: Literal["", "open", "upcoming", "closed"] = Field(
        "",
        description="open: 受付中, upcoming: 受付前, closed: 終了（空欄ならすべて） / all when empty",
    )
    fiscal_year: int | None = Field(None, ge=1900, le=2200, description="年度 / fiscal year")
    measure: str = Field("", max_length=10, description="施策番号 / measure number")
    program: str = Field("", max_length=40, description="事業コード / program code")


@router.get(
    "/calls",
    response=responses(CallPage),
    summary="募集の一覧 / Calls for applications",
    description=(
        "公表済みの募集（準備中を除く）。締切の遅い順。状態・年度・施策・事業で絞り込めます。\n\n"
        "Announced calls (drafts excluded), latest deadline first; filter by status, fiscal "
        "year, measure or program."
    ),
)
def list_calls(request, filters: Query[CallFilters], page: Query[PageParams]):
    now = timezone.now()
    qs = _public_calls().order_by("-closes_at", "-id")
    if filters.status == "open":
        qs = qs.filter(status=Call.Status.OPEN, opens_at__lte=now, closes_at__gte=now)
    elif filters.status == "upcoming":
        qs = qs.filter(status=Call.Status.OPEN, opens_at__gt=now)
    elif filters.status == "closed":
        qs = qs.filter(Q(status=Call.Status.CLOSED) | Q(closes_at__lt=now))
    if filters.fiscal_year is not None:
        qs = qs.filter(fiscal_year=filters.fiscal_year)
    if filters.measure:
        qs = qs.filter(program__measure__number=filters.measure)
    if filters.program:
        qs = qs.filter(program__code=filters.program)
    return paginate(request, qs, page, lambda c: _call_detail(c, request, now))


@router.get(
    "/calls/{call_id}",
    response=responses(CallDetailOut, 404),
    summary="募集1件 / One call",
    description="準備中の募集は404。 / Draft calls answer 404.",
)
def get_call(request, call_id: int):
    call = _public_calls().filter(pk=call_id).first()
    if call is None:
        raise Http404
    return _call_detail(call, request, timezone.now())


# --- certified products ---------------------------------------------------------------------


class CertifiedProductOut(Schema):
    id: int
    name: Text
    description: Text
    scheme: str = Field(..., description="認定制度（つくばクオリティ等） / certification scheme")
    program: str = Field(..., description="事業コード / program code")
    business_name: str
    business_name_en: str
    certified_on: datetime.date
    valid_until: datetime.date


CertifiedProductPage = page_schema("CertifiedProductPage", CertifiedProductOut)


def _product(p) -> dict:
    business = p.application.business
    return {
        "id": p.pk,
        "name": {"ja": p.name_ja, "en": p.name_en or p.name_ja},
        "description": {"ja": p.description_ja, "en": p.description_en or p.description_ja},
        "scheme": catalogue.scheme_name(p),
        "program": p.application.call.program.code,
        "business_name": business.name,
        "business_name_en": business.name_en,
        "certified_on": p.certified_on,
        "valid_until": p.valid_until,
    }


class ProductFilters(Input):
    program: str = Field("", max_length=40, description="認定制度の事業コード / program code")


@router.get(
    "/certified-products",
    response=responses(CertifiedProductPage),
    summary="認定品の一覧 / Certified products",
    description=(
        "つくばクオリティ・つくばコレクションなどに認定され、本日時点で認定期間中の公開された"
        "商品・サービス（/programs/catalogue/ と同じ）。\n\n"
        "Published products and services whose certification is valid today (the same as "
        "the catalogue page)."
    ),
)
def list_certified_products(request, filters: Query[ProductFilters], page: Query[PageParams]):
    products = catalogue.certified_products()
    if filters.program:
        products = [p for p in products if p.application.call.program.code == filters.program]
    return paginate(request, products, page, _product)


@router.get(
    "/certified-products/{product_id}",
    response=responses(CertifiedProductOut, 404),
    summary="認定品1件 / One certified product",
    description="認定期間外・非公開は404。 / Expired or unpublished → 404.",
)
def get_certified_product(request, product_id: int):
    for p in catalogue.certified_products():
        if p.pk == product_id:
            return _product(p)
    raise Http404

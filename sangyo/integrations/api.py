"""Staff API under /api/v1/staff/…, for the city's other systems: bearer tokens only
(`Authorization: Bearer sgy_…`), each operation needing one scope (see docs/api.md).

Reads page like every list of the API; writes go through the owning app's services, so they
are checked by the same rules and audited the same way as on the staff pages."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from sangyo.api_common import (
    Input,
    PageParams,
    Text,
    as_utc,
    page_schema,
    paginate,
    responses,
)
from sangyo.core.audit import audit
from sangyo.registry.models import SupportRecord

from .auth import has_scope, require_scope
from .models import Scope

# The kinds as a plain enum of strings in the document (not a component named "Kind").
SupportKind = Literal[tuple(SupportRecord.Kind.values)]

router = Router(tags=["staff"])

TOKEN_ERRORS = (401, 403)


# --- registry -----------------------------------------------------------------------------


class ContactOut(Schema):
    name: str
    kana: str
    role: str
    email: str
    phone: str
    consent_at: datetime.date | None = None
    consent_scope: str


class PersonalOut(Schema):
    representative_name: str
    representative_position: str
    notes: str
    contacts: list[ContactOut]


class BusinessOut(Schema):
    id: int
    corporate_number: str | None = Field(None, description="法人番号 (13 digits)")
    name: str
    kana: str
    name_en: str
    corporate_type: str
    postal_code: str
    location: str = Field(..., description="所在地 (個人事業主・創業予定者は personal のみ)")
    city_code: str
    in_city: bool
    district: str | None = None
    jsic_code: str
    capital_stock: int | None = None
    employee_number: int | None = None
    date_of_establishment: datetime.date | None = None
    company_url: str
    status: str
    close_date: datetime.date | None = None
    size_class: str
    tags: list[str]
    is_synthetic: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    personal: PersonalOut | None = Field(
        None, description="代表者・連絡先（スコープ registry:personal のときのみ）"
    )


BusinessPage = page_schema("BusinessPage", BusinessOut)

# A sole proprietor's or a founder's address is where a person lives.
_PERSON_TYPES = {"sole", "pre_founding"}


def _business(b, *, personal: bool) -> dict:
    is_person = b.corporate_type in _PERSON_TYPES
    data = {
        "id": b.pk,
        "corporate_number": b.corporate_number,
        "name": b.name,
        "kana": b.kana,
        "name_en": b.name_en,
        "corporate_type": b.corporate_type,
        "postal_code": b.postal_code if personal or not is_person else "",
        "location": b.location if personal or not is_person else "",
        "city_code": b.city_code,
        "in_city": b.in_city,
        "district": b.district.code if b.district_id else None,
        "jsic_code": b.jsic_code,
        "capital_stock": b.capital_stock,
        "employee_number": b.employee_number,
        "date_of_establishment": b.date_of_establishment,
        "company_url": b.company_url,
        "status": b.status,
        "close_date": b.close_date,
        "size_class": b.size_class,
        "tags": [t.name for t in b.tags.all()],
        "is_synthetic": b.is_synthetic,
        "created_at": b.created_at,
        "updated_at": b.updated_at,
        "personal": None,
    }
    if personal:
        data["personal"] = {
            "representative_name": b.representative_name,
            "representative_position": b.representative_position,
            "notes": b.notes,
            "contacts": [
                {
                    "name": c.name,
                    "kana": c.kana,
                    "role": c.role,
                    "email": c.email,
                    "phone": c.phone,
                    "consent_at": c.consent_at,
                    "consent_scope": c.consent_scope,
                }
                for c in b.contacts.all()
                if c.anonymized_at is None
            ],
        }
    return data


def _businesses(personal: bool):
    from sangyo.registry.models import Business

    qs = Business.objects.select_related("district").prefetch_related("tags")
    if personal:
        qs = qs.prefetch_related("contacts")
    return qs


def _audit_personal(request, rows: int, query: dict) -> None:
    if rows:
        audit(
            "integrations.personal_data.read",
            actor=request.auth.owner,
            target=request.auth,
            data={"path": request.path, "rows": rows, "query": query},
        )


class BusinessFilters(Input):
    updated_since: datetime.datetime | None = Field(
        None, description="この日時以降に更新された事業者 / updated at or after (ISO 8601)"
    )
    status: Literal["", "active", "closed"] = Field("", description="active | closed")
    in_city: bool | None = Field(None, description="市内のみ / in the city only")


@router.get(
    "/staff/businesses",
    response=responses(BusinessPage, *TOKEN_ERRORS),
    auth=require_scope(Scope.REGISTRY_READ),
    summary="事業者台帳の一覧 / Businesses in the registry",
    description=(
        "更新日時の古い順（同時刻はID順）。`updated_since` で差分を取得できます。代表者名・"
        "連絡先などの個人情報は、トークンにスコープ `registry:personal` があるときだけ "
        "`personal` に入り、その読み出しは監査ログに残ります。\n\n"
        "Oldest update first (then id). Use `updated_since` to fetch changes. Personal data "
        "(representative, contacts) is filled in `personal` only for tokens with the "
        "`registry:personal` scope, and such reads are audited. Scope: `registry:read`."
    ),
)
def staff_businesses(request, filters: Query[BusinessFilters], page: Query[PageParams]):
    personal = has_scope(request, Scope.REGISTRY_PERSONAL)
    qs = _businesses(personal).order_by("updated_at", "id")
    if filters.updated_since:
        qs = qs.filter(updated_at__gte=as_utc(filters.updated_since))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.in_city is not None:
        qs = qs.filter(in_city=filters.in_city)
    data = paginate(request, qs, page, lambda b: _business(b, personal=personal))
    if personal:
        _audit_personal(request, len(data["results"]), dict(request.GET.items()))
    return data


@router.get(
    "/staff/businesses/{business_id}",
    response=responses(BusinessOut, 404, *TOKEN_ERRORS),
    auth=require_scope(Scope.REGISTRY_READ),
    summary="事業者1件 / One business",
    description="スコープ / scope: `registry:read` (+ `registry:personal` for `personal`).",
)
def staff_business(request, business_id: int):
    personal = has_scope(request, Scope.REGISTRY_PERSONAL)
    business = _businesses(personal).filter(pk=business_id).first()
    if business is None:
        raise Http404
    if personal:
        _audit_personal(request, 1, {"id": business_id})
    return _business(business, personal=personal)


# --- support records ------------------------------------------------------------------------


class SupportRecordOut(Schema):
    id: int
    business_id: int
    business_name: str
    program: str = Field(..., description="事業コード / program code")
    measure: str = Field(..., description="施策番号 / measure number")
    date: datetime.date
    fiscal_year: int
    kind: str
    summary: str
    outcome: str
    amount: int | None = None
    source: str
    partner: str | None = None
    is_synthetic: bool
    created_at: datetime.datetime


SupportRecordPage = page_schema("SupportRecordPage", SupportRecordOut)


def _record(r) -> dict:
    return {
        "id": r.pk,
        "business_id": r.business_id,
        "business_name": r.business.name,
        "program": r.program.code,
        "measure": r.program.measure.number,
        "date": r.date,
        "fiscal_year": r.fiscal_year,
        "kind": r.kind,
        "summary": r.summary,
        "outcome": r.outcome,
        "amount": r.amount,
        "source": r.source,
        "partner": r.partner.name if r.partner_id else None,
        "is_synthetic": r.is_synthetic,
        "created_at": r.created_at,
    }


class SupportRecordFilters(Input):
    fiscal_year: int | None = Field(None, ge=1900, le=2200, description="年度 / fiscal year")
    measure: str = Field("", description="施策番号 / measure number, e.g. 01")
    program: str = Field("", description="事業コード / program code")
    business_id: int | None = None
    kind: SupportKind | Literal[""] = ""
    created_since: datetime.datetime | None = Field(
        None, description="この日時以降に登録 / created at or after"
    )


def _records():
    return SupportRecord.objects.select_related("business", "program__measure", "partner").order_by(
        "created_at", "id"
    )


@router.get(
    "/staff/support-records",
    response=responses(SupportRecordPage, *TOKEN_ERRORS),
    auth=require_scope(Scope.SUPPORT_RECORDS_READ),
    summary="支援実績の一覧 / Support records",
    description=(
        "登録の古い順。年度・施策・事業・事業者・種類・登録日時で絞り込めます。"
        "\n\nOldest first; filter by fiscal year, measure, program, business, kind, or "
        "`created_since`. Scope: `support_records:read`."
    ),
)
def staff_support_records(request, filters: Query[SupportRecordFilters], page: Query[PageParams]):
    qs = _records()
    if filters.fiscal_year is not None:
        qs = qs.filter(fiscal_year=filters.fiscal_year)
    if filters.measure:
        qs = qs.filter(program__measure__number=filters.measure)
    if filters.program:
        qs = qs.filter(program__code=filters.program)
    if filters.business_id is not None:
        qs = qs.filter(business_id=filters.business_id)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.created_since:
        qs = qs.filter(created_at__gte=as_utc(filters.created_since))
    return paginate(request, qs, page, _record)


class SupportRecordIn(Input):
    business_id: int = Field(..., description="事業者ID / business id")
    program: str = Field(..., min_length=1, max_length=40, description="事業コード / program code")
    date: datetime.date = Field(..., description="支援日 / day the support was given")
    kind: SupportKind = Field(..., description="支援の種類 / kind of support")
    summary: str = Field("", max_length=300)
    outcome: str = Field("", max_length=300)
    amount: int | None = Field(None, ge=0, le=10**15, description="金額（円） / yen")
    external_id: str = Field(
        "",
        max_length=80,
        description=(
            "送信側のID。同じIDの再送は同じ実績を返し、二重に数えません。"
            " / Your id: a retry with the same id returns the same record (201 → 200)."
        ),
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "business_id": 1,
                    "program": "01-1",
                    "date": "2025-06-30",
                    "kind": "consultation",
                    "summary": "販路開拓の相談",
                    "external_id": "crm-4711",
                }
            ]
        }
    }


@router.post(
    "/staff/support-records",
    response=responses(SupportRecordOut, 200, 404, *TOKEN_ERRORS, status=201, read=False),
    auth=require_scope(Scope.SUPPORT_RECORDS_WRITE),
    summary="支援実績の登録 / Record support given to a business",
    description=(
        "`registry.services.support_record_create` を通して登録し、監査ログに残ります。"
        "`external_id` を付けると再送しても二重に数えません（既存なら200）。"
        "事業者・事業が見つからないときは404、種類が不正なら422。\n\n"
        "Goes through the registry's service (audited). With `external_id`, retries are "
        "safe (existing record → 200). Unknown business or program → 404; unknown kind → "
        "422. Scope: `support_records:write`."
    ),
)
def staff_support_record_create(request, payload: SupportRecordIn):
    from sangyo.registry.models import Business
    from sangyo.registry.services import support_record_ensure
    from sangyo.strategy.models import Program

    business = Business.objects.filter(pk=payload.business_id).first()
    program = (
        Program.objects.filter(code=payload.program, measure__strategy__is_current=True)
        .select_related("measure")
        .first()
    )
    if business is None or program is None:
        raise Http404
    record, created = support_record_ensure(
        business=business,
        program=program,
        date=payload.date,
        kind=payload.kind,
        actor=request.auth.owner,
        summary=payload.summary,
        outcome=payload.outcome,
        amount=payload.amount,
        source=f"api:{payload.external_id}" if payload.external_id else "",
    )
    record = _records().get(pk=record.pk)
    return Status(201 if created else 200, _record(record))


# --- indicators -----------------------------------------------------------------------------


class ObservationBody(Input):
    value: float = Field(..., ge=-1e15, le=1e15, description="値 / value")
    status: Literal["final", "preliminary"] = Field(
        "final", description="確報・速報 / final or preliminary"
    )
    source: str = Field("", max_length=300, description="出典 / source")
    published_on: datetime.date | None = Field(None, description="公表日 / published on")
    note: str = Field("", max_length=300)

    model_config = {
        "json_schema_extra": {
            "examples": [{"value": 14383, "status": "preliminary", "source": "市調べ"}]
        }
    }


class ObservationResult(Schema):
    indicator_id: int
    indicator: str = Field(..., description="指標コード / indicator code")
    name: Text
    fiscal_year: int
    value: float
    status: str
    change: str = Field(..., description="added | revised | unchanged")
    updated_at: datetime.datetime | None = None


@router.put(
    "/staff/indicators/{indicator_id}/observations/{fiscal_year}",
    response=responses(ObservationResult, 404, *TOKEN_ERRORS, read=False),
    auth=require_scope(Scope.INDICATORS_WRITE),
    summary="指標の実績値の登録・改定 / Record or revise an indicator's figure",
    description=(
        "その年度の値を登録（なければ追加、あれば改定して以前の値を履歴に保存）。"
        "`indicators.services.observation_record` を通り、監査ログに残ります。"
        "自動集計の指標や計画期間外の年度は422。\n\n"
        "Adds the figure for the year, or revises it keeping the old one in the history "
        "(idempotent: the same figure again → `unchanged`). Computed indicators and years "
        "outside the plan period ±10 → 422. Scope: `indicators:write`."
    ),
)
def staff_observation_put(request, indicator_id: int, fiscal_year: int, payload: ObservationBody):
    from sangyo.indicators.imports import fiscal_year_bounds
    from sangyo.indicators.models import Indicator
    from sangyo.indicators.services import IndicatorError, ObservationInput, observation_record

    indicator = Indicator.objects.select_related("strategy").filter(pk=indicator_id).first()
    if indicator is None:
        raise Http404
    low, high = fiscal_year_bounds(indicator.strategy)
    if not low <= fiscal_year <= high:
        raise IndicatorError(
            f"対象年度は{low}〜{high}年度の範囲で指定してください。"
            f" / The fiscal year must be within {low}–{high}."
        )
    obs, change = observation_record(
        indicator=indicator,
        data=ObservationInput(
            fiscal_year=fiscal_year,
            value=Decimal(str(round(payload.value, 4))),
            status=payload.status,
            source=payload.source.strip(),
            published_on=payload.published_on,
            note=payload.note.strip(),
        ),
        actor=request.auth.owner,
    )
    return {
        "indicator_id": indicator.pk,
        "indicator": indicator.code,
        "name": {"ja": indicator.name_ja, "en": indicator.name_en or indicator.name_ja},
        "fiscal_year": fiscal_year,
        "value": float(obs.value),
        "status": obs.status,
        "change": change,
        "updated_at": obs.updated_at,
    }


# --- applications ---------------------------------------------------------------------------


class ApplicationOut(Schema):
    id: int
    number: str = Field(..., description="申請番号 / application number")
    call_id: int
    call: Text
    program: str = Field(..., description="事業コード / program code")
    fiscal_year: int
    business_id: int
    business_name: str
    status: str = Field(..., description="手続の状態 / workflow status")
    requested_yen: int | None = None
    decided_yen: int | None = None
    fixed_yen: int | None = None
    paid_yen: int
    certified_from: datetime.date | None = None
    certified_until: datetime.date | None = None
    submitted_at: datetime.datetime | None = None
    decided_at: datetime.datetime | None = None
    is_synthetic: bool
    updated_at: datetime.datetime


ApplicationPage = page_schema("ApplicationPage", ApplicationOut)


class ApplicationFilters(Input):
    call_id: int | None = None
    status: str = Field("", max_length=20, description="手続の状態 / workflow status")
    fiscal_year: int | None = Field(None, ge=1900, le=2200, description="募集の年度")
    program: str = Field("", max_length=40, description="事業コード / program code")
    updated_since: datetime.datetime | None = Field(None, description="更新日時 ≥")


def _application(a) -> dict:
    return {
        "id": a.pk,
        "number": a.number,
        "call_id": a.call_id,
        "call": {"ja": a.call.title_ja, "en": a.call.title_en or a.call.title_ja},
        "program": a.call.program.code,
        "fiscal_year": a.call.fiscal_year,
        "business_id": a.business_id,
        "business_name": a.business.name,
        "status": a.status,
        "requested_yen": a.requested_yen,
        "decided_yen": a.decided_yen,
        "fixed_yen": a.fixed_yen,
        "paid_yen": a.paid_yen,
        "certified_from": a.certified_from,
        "certified_until": a.certified_until,
        "submitted_at": a.submitted_at,
        "decided_at": a.decided_at,
        "is_synthetic": a.is_synthetic,
        "updated_at": a.updated_at,
    }


@router.get(
    "/staff/applications",
    response=responses(ApplicationPage, *TOKEN_ERRORS),
    auth=require_scope(Scope.APPLICATIONS_READ),
    summary="申請の一覧 / Applications",
    description=(
        "下書きを除く申請の状態と金額（申請・交付決定・確定・支払）。申請者個人・回答・書類は"
        "含みません。更新の古い順。\n\n"
        "Applications other than drafts, with their status and amounts (requested, decided, "
        "fixed, paid); no applicant person, answers or documents. Oldest update first. "
        "Scope: `applications:read`."
    ),
)
def staff_applications(request, filters: Query[ApplicationFilters], page: Query[PageParams]):
    from sangyo.applications.models import Application

    qs = (
        Application.objects.exclude(status="draft")
        .select_related("call__program", "business")
        .order_by("updated_at", "id")
    )
    if filters.call_id is not None:
        qs = qs.filter(call_id=filters.call_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.fiscal_year is not None:
        qs = qs.filter(call__fiscal_year=filters.fiscal_year)
    if filters.program:
        qs = qs.filter(call__program__code=filters.program)
    if filters.updated_since:
        qs = qs.filter(updated_at__gte=as_utc(filters.updated_since))
    return paginate(request, qs, page, _application)

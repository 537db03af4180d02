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

from django.urls import reverse
from ninja import Router, Schema

from . import catalogue

router = Router(tags=["programs"])


class Text(Schema):
    ja: str
    en: str


class CallOut(Schema):
    id: int
    title: Text
    fiscal_year: int
    acceptance_start_datetime: str
    acceptance_end_datetime: str
    budget: int | None = None
    apply_url: str


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


@router.get(
    "/programs",
    response=list[ProgramSummary],
    summary="Programs of the current strategy that have details, with their open calls",
)
def list_programs(request):
    return [_common(d, request) for d in catalogue.program_details()]


@router.get(
    "/programs/{program_id}",
    response=ProgramOut,
    summary="One program in the jGrants vocabulary, with its open calls",
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

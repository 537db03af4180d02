"""Public reads: programs with their details and open calls, and the certified product
catalogue (つくばクオリティ / つくばコレクション). Each read runs a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sangyo.core.i18n import pick

from . import eligibility
from .models import Call, CertifiedProduct, ProgramDetail

UNCONFIRMED_JA = "要確認"


def open_calls(now: datetime.datetime | None = None) -> QuerySet[Call]:
    """Calls receiving applications at `now`: status open and inside their period (the same
    test `services.application_start` applies)."""
    now = now or timezone.now()
    return Call.objects.filter(
        status=Call.Status.OPEN, opens_at__lte=now, closes_at__gte=now
    ).order_by("closes_at", "id")


def _details(now=None) -> QuerySet[ProgramDetail]:
    return ProgramDetail.objects.select_related("program__measure__strategy").prefetch_related(
        Prefetch("program__calls", queryset=open_calls(now), to_attr="open_calls")
    )


def program_details(now=None) -> list[ProgramDetail]:
    """Details of the current strategy's programs, in measure and program order, each with
    `program.open_calls`: two queries."""
    return list(
        _details(now)
        .filter(program__measure__strategy__is_current=True)
        .order_by("program__measure__number", "program__order", "program__code")
    )


def program_detail(program_id: int, now=None) -> ProgramDetail:
    """One program's detail by the program's id (404 when it has none): two queries."""
    detail = _details(now).filter(program_id=program_id).first()
    if detail is None:
        raise Http404("program not found")
    return detail


def grouped_by_measure(details: list[ProgramDetail]) -> list[tuple[object, list[ProgramDetail]]]:
    groups: list[tuple[object, list[ProgramDetail]]] = []
    for detail in details:
        measure = detail.program.measure
        if not groups or groups[-1][0].pk != measure.pk:
            groups.append((measure, []))
        groups[-1][1].append(detail)
    return groups


# -- what a program offers, in words ---------------------------------------------------------


def rate_text(detail: ProgramDetail) -> str:
    """The subsidy rate as printed ("10/10", "2/3以内"), 「要確認」 while the city has not
    confirmed it, "" for programs that pay nothing (certificates, certifications)."""
    has_rate = bool(detail.rate_text or (detail.rate_numerator and detail.rate_denominator))
    if not detail.rate_confirmed:
        return UNCONFIRMED_JA if has_rate or detail.kind == ProgramDetail.Kind.SUBSIDY else ""
    if detail.rate_text:
        return detail.rate_text
    if detail.rate_numerator and detail.rate_denominator:
        return f"{detail.rate_numerator}/{detail.rate_denominator}"
    return ""


def cap_yen(detail: ProgramDetail) -> int | None:
    """The confirmed cap in yen, or None (unknown or none)."""
    return detail.cap_yen if detail.rate_confirmed and detail.cap_yen else None


@dataclass(frozen=True)
class RuleText:
    code: str
    label: str


def eligibility_texts(detail: ProgramDetail, lang: str = "ja") -> list[RuleText]:
    """The program's eligibility rules as sentences in `lang` (Japanese as fallback)."""
    known = {r.code: r for r in eligibility.rules()}
    out = []
    for spec in detail.eligibility or []:
        code = spec.get("rule", "")
        rule = known.get(code)
        if rule is None:
            label = (
                f"{code} (please ask the office)"
                if lang == "en"
                else f"{code}（詳細は担当課にお問い合わせください）"
            )
        else:
            label = rule.label_en if lang == "en" and rule.label_en else rule.label_ja
        out.append(RuleText(code, label))
    return out


def industry_names(detail: ProgramDetail) -> list[str]:
    """JSIC 大分類 names of the program's industries. Entries may be codes of any level (the
    大分類 is taken) or names already; unknown entries are kept as written."""
    from sangyo.registry.jsic import JsicCodeError
    from sangyo.registry.services import jsic_table

    table = jsic_table()
    names: list[str] = []
    for raw in detail.industries or []:
        value = str(raw).strip()
        try:
            major = table.get(table.major_of(value))
        except (JsicCodeError, KeyError):
            major = None
        if major is not None:
            value = major.name_ja
        if value and value not in names:
            names.append(value)
    return names


def apply_url(call: Call) -> str:
    return f"/apply/calls/{call.pk}/"


# -- certified products ----------------------------------------------------------------------


def certified_products(on: datetime.date | None = None) -> list[CertifiedProduct]:
    """Published products whose certification is valid on `on` (default today): certified on
    or before it, valid until it or later, and not marked expired by staff. One query."""
    on = on or timezone.localdate()
    return list(
        CertifiedProduct.objects.filter(published=True, certified_on__lte=on, valid_until__gte=on)
        .filter(~Q(application__status__in=("expired", "withdrawn")))
        .select_related(
            "application__business",
            "application__call__program__detail",
        )
        .order_by("application__call__program__code", "-certified_on", "id")
    )


def scheme_name(product: CertifiedProduct) -> str:
    """The certification scheme: the program's detail title (つくばクオリティ …), or the
    program's name."""
    program = product.application.call.program
    detail = getattr(program, "detail", None)
    return pick(detail, "title") if detail else pick(program, "name")

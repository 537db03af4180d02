"""Writes for diagnostics. Saving a diagnosis counts as support: it writes a SupportRecord
(kind "consultation") on program 01-2 (ローカルベンチマーク) or 04-1 (事業承継)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangyo.core.audit import audit
from sangyo.core.errors import DomainError
from sangyo.registry.models import Business
from sangyo.registry.services import support_record_create

from . import locaben, succession
from .models import Diagnosis

PROGRAM_FOR_KIND = {Diagnosis.Kind.LOCABEN: "01-2", Diagnosis.Kind.SUCCESSION: "04-1"}
NOTE_FIELDS = ("note_owner", "note_business", "note_environment", "note_internal", "note_flow")


class DiagnosticsError(DomainError):
    pass


def _program(code: str):
    from sangyo.strategy.models import Program

    program = (
        Program.objects.filter(measure__strategy__is_current=True, code=code)
        .select_related("measure")
        .first()
    )
    if program is None:
        raise DiagnosticsError(
            _("現行の戦略に事業「%(code)s」がないため、診断を記録できません。") % {"code": code}
        )
    return program


def _clean_periods(periods: list[dict]) -> list[dict]:
    cleaned = []
    for period in periods:
        end = period.get("end") if isinstance(period, dict) else None
        if not isinstance(end, datetime.date):
            raise DiagnosticsError(_("決算期末日が正しくありません。"))
        figures = {}
        for key in locaben.FIGURE_KEYS:
            value = locaben.to_decimal(period.get("figures", {}).get(key))
            if value is not None:
                figures[key] = str(value)
        cleaned.append({"end": end.isoformat(), "figures": figures})
    cleaned.sort(key=lambda p: p["end"])
    ends = [p["end"] for p in cleaned]
    if len(set(ends)) != len(ends):
        raise DiagnosticsError(_("同じ決算期末日が2回入力されています。"))
    if not 2 <= len(cleaned) <= 3:
        raise DiagnosticsError(_("2期または3期分の決算を入力してください。"))
    return cleaned


@transaction.atomic
def diagnosis_create(
    *,
    business: Business,
    kind: str,
    actor: Any,
    periods: list[dict] | None = None,
    answers: dict | None = None,
    notes: dict | None = None,
    date: datetime.date | None = None,
) -> Diagnosis:
    """Save a diagnosis and count it as a consultation on the business's record.

    locaben: `periods` is a list of {"end": date, "figures": {key: number}} (2 or 3).
    succession: `answers` holds owner_age and the yes/no answers of `succession.QUESTIONS`."""
    if kind not in Diagnosis.Kind.values:
        raise DiagnosticsError(_("診断の種類が正しくありません。"))
    program = _program(PROGRAM_FOR_KIND[kind])
    date = date or timezone.localdate()
    fields: dict[str, Any] = {}
    if kind == Diagnosis.Kind.LOCABEN:
        fields["periods"] = _clean_periods(periods or [])
        for name in NOTE_FIELDS:
            fields[name] = str((notes or {}).get(name, "")).strip()
    else:
        answers = answers or {}
        age = answers.get("owner_age")
        fields["answers"] = {
            "owner_age": age if isinstance(age, int) and not isinstance(age, bool) else None,
            **{key: answers.get(key) is True for key in succession.QUESTION_KEYS},
        }
        fields["note_owner"] = str((notes or {}).get("note_owner", "")).strip()
    diagnosis = Diagnosis.objects.create(
        business=business,
        kind=kind,
        date=date,
        created_by=actor if getattr(actor, "pk", None) else None,
        **fields,
    )
    if kind == Diagnosis.Kind.LOCABEN:
        summary = _("ローカルベンチマーク（%(n)s期分）") % {"n": len(fields["periods"])}
    else:
        result = succession.assess(fields["answers"])
        summary = _("事業承継診断：%(level)s") % {"level": result.level}
    support_record_create(
        business=business,
        program=program,
        date=date,
        kind="consultation",
        actor=actor,
        summary=summary,
        source=diagnosis.source,
        is_synthetic=business.is_synthetic,
    )
    audit(
        "diagnostics.diagnosis.created",
        actor=actor,
        target=diagnosis,
        data={"kind": kind, "business": business.pk, "program": program.code},
    )
    return diagnosis

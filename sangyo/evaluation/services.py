"""Every change to evaluation data. Published sheets are frozen: each service that writes
a sheet refuses a published one; a correction makes a new version instead."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangyo.core.audit import audit
from sangyo.core.errors import DomainError

from . import policies
from .models import (
    CommitteeMember,
    FollowUp,
    Improvement,
    Opinion,
    Sheet,
    YearSetting,
)

REPORT_JOB = "evaluation.annual_report"


class EvaluationError(DomainError):
    pass


# --- year settings -----------------------------------------------------------------------


@transaction.atomic
def year_setting_save(
    *, strategy, fiscal_year: int, hourly_cost: int, suppression_threshold: int = 3, actor
) -> YearSetting:
    if hourly_cost < 0:
        raise EvaluationError(_("人件費単価は0円以上で入力してください。"))
    if suppression_threshold < 1:
        raise EvaluationError(_("秘匿の基準は1以上で入力してください。"))
    setting, created = YearSetting.objects.update_or_create(
        strategy=strategy,
        fiscal_year=fiscal_year,
        defaults={"hourly_cost": hourly_cost, "suppression_threshold": suppression_threshold},
    )
    audit(
        "evaluation.year_setting.saved",
        actor=actor,
        target=setting,
        data={
            "fiscal_year": fiscal_year,
            "hourly_cost": hourly_cost,
            "suppression_threshold": suppression_threshold,
            "created": created,
        },
    )
    return setting


# --- sheets ------------------------------------------------------------------------------


def _user(actor):
    """The user behind an actor, or None for a non-human actor ("cli", the demo)."""
    return actor if getattr(actor, "pk", None) else None


def _refuse_frozen(sheet: Sheet) -> None:
    if sheet.is_frozen:
        raise EvaluationError(
            _(
                "公表済みの評価シートは変更できません。訂正する場合は、理由を添えて新しい版を作成してください。"
            )
        )


@transaction.atomic
def sheets_prepare(*, strategy, fiscal_year: int, actor, is_synthetic: bool = False) -> list[Sheet]:
    """A draft sheet for every measure that has none for the year; the aim (対象・手段・意図)
    is carried over from the measure's latest earlier sheet."""
    from sangyo.strategy.models import Measure

    have = set(
        Sheet.objects.filter(strategy=strategy, fiscal_year=fiscal_year).values_list(
            "measure_id", flat=True
        )
    )
    earlier: dict[int, Sheet] = {}
    for s in Sheet.objects.filter(strategy=strategy, fiscal_year__lt=fiscal_year).order_by(
        "fiscal_year", "version"
    ):
        earlier[s.measure_id] = s
    created = []
    for measure in Measure.objects.filter(strategy=strategy).order_by("number"):
        if measure.pk in have:
            continue
        before = earlier.get(measure.pk)
        sheet = Sheet.objects.create(
            strategy=strategy,
            measure=measure,
            fiscal_year=fiscal_year,
            aim_target=before.aim_target if before else "",
            aim_means=before.aim_means if before else "",
            aim_intent=before.aim_intent if before else "",
            officer=actor if getattr(actor, "pk", None) else None,
            is_synthetic=is_synthetic,
        )
        audit("evaluation.sheet.created", actor=actor, target=sheet, data={"fy": fiscal_year})
        created.append(sheet)
    return created


EDITABLE_FIELDS = (
    "aim_target",
    "aim_means",
    "aim_intent",
    *Sheet.COST_FIELDS,
    "staff_hours",
    "relevance",
    "relevance_reason",
    "effectiveness",
    "effectiveness_reason",
    "efficiency",
    "efficiency_reason",
    "direction",
    "direction_reason",
)


@transaction.atomic
def sheet_update(
    *, sheet: Sheet, data: dict[str, Any], improvements: list[str] | None = None, actor
) -> Sheet:
    sheet = Sheet.objects.select_for_update().get(pk=sheet.pk)
    _refuse_frozen(sheet)
    for f in Sheet.COST_FIELDS:
        if f in data and (data[f] is None or int(data[f]) < 0):
            raise EvaluationError(_("事業費は0円以上の整数で入力してください。"))
    if "staff_hours" in data and Decimal(data["staff_hours"] or 0) < 0:
        raise EvaluationError(_("従事時間は0時間以上で入力してください。"))
    changes = {}
    for name in EDITABLE_FIELDS:
        if name in data and getattr(sheet, name) != data[name]:
            changes[name] = str(data[name])
            setattr(sheet, name, data[name])
    sheet.save()
    if improvements is not None:
        lines = [t.strip() for t in improvements if t.strip()]
        if lines != [i.text for i in sheet.improvements.all()]:
            sheet.improvements.all().delete()
            Improvement.objects.bulk_create(
                Improvement(sheet=sheet, order=n, text=t) for n, t in enumerate(lines)
            )
            changes["improvements"] = lines
    audit("evaluation.sheet.updated", actor=actor, target=sheet, data={"changes": changes})
    return sheet


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    label: Any  # lazy
    policy: Any
    verb: str


S = Sheet.Status
TRANSITIONS = (
    Transition(
        S.DRAFT, S.SUBMITTED, gettext_lazy("課長の確認に回す"), policies.can_draft, "submitted"
    ),
    Transition(S.SUBMITTED, S.DRAFT, gettext_lazy("差し戻す"), policies.can_review, "returned"),
    Transition(
        S.SUBMITTED,
        S.REVIEWED,
        gettext_lazy("確認済みにする（委員会へ）"),
        policies.can_review,
        "reviewed",
    ),
    Transition(S.REVIEWED, S.DRAFT, gettext_lazy("差し戻す"), policies.can_review, "returned"),
    Transition(S.REVIEWED, S.PUBLISHED, gettext_lazy("公表する"), policies.can_review, "published"),
)


def transitions_for(sheet: Sheet, user) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == sheet.status and t.policy(user)]


def _missing_judgement(sheet: Sheet) -> list[str]:
    missing = []
    for field in ("relevance", "effectiveness", "efficiency", "direction"):
        if not getattr(sheet, field):
            missing.append(str(Sheet._meta.get_field(field).verbose_name))
    return missing


@transaction.atomic
def sheet_transition(*, sheet: Sheet, target: str, actor) -> Sheet:
    sheet = Sheet.objects.select_for_update().get(pk=sheet.pk)
    _refuse_frozen(sheet)
    step = next((t for t in TRANSITIONS if t.source == sheet.status and t.target == target), None)
    if step is None:
        raise EvaluationError(_("この状態からは、その操作はできません。"))
    if not step.policy(actor):
        raise EvaluationError(_("この操作を行う権限がありません。"))
    if target in (S.SUBMITTED, S.PUBLISHED):
        missing = _missing_judgement(sheet)
        if missing:
            raise EvaluationError(
                _("次の項目を入力してください：%(fields)s") % {"fields": "、".join(missing)}
            )
    if target == S.PUBLISHED and sheet.previous_id and not sheet.correction_reason.strip():
        raise EvaluationError(_("訂正の理由を入力してください。"))
    now = timezone.now()
    if target == S.REVIEWED:
        sheet.reviewed_by, sheet.reviewed_at = _user(actor), now
    if target == S.PUBLISHED:
        sheet.published_at = now
    sheet.status = target
    sheet.save()
    audit(
        f"evaluation.sheet.{step.verb}",
        actor=actor,
        target=sheet,
        data={"from": step.source, "to": target, "version": sheet.version},
    )
    return sheet


@transaction.atomic
def sheet_correct(*, sheet: Sheet, reason: str, actor) -> Sheet:
    """A new draft version of a published sheet; the published one stays as it is."""
    sheet = Sheet.objects.select_for_update().get(pk=sheet.pk)
    if not policies.can_draft(actor):
        raise EvaluationError(_("この操作を行う権限がありません。"))
    if sheet.status != S.PUBLISHED:
        raise EvaluationError(_("訂正版を作成できるのは公表済みの評価シートだけです。"))
    if not reason.strip():
        raise EvaluationError(_("訂正の理由を入力してください。"))
    latest = Sheet.objects.filter(measure=sheet.measure, fiscal_year=sheet.fiscal_year).aggregate(
        v=Max("version")
    )["v"]
    if latest != sheet.version:
        raise EvaluationError(_("この評価シートにはすでに新しい版があります。"))
    new = Sheet.objects.get(pk=sheet.pk)
    new.pk = None
    new.id = None
    new.version = sheet.version + 1
    new.previous = sheet
    new.correction_reason = reason.strip()
    new.status = S.DRAFT
    new.reviewed_by = new.reviewed_at = new.published_at = None
    new.officer = actor if getattr(actor, "pk", None) else sheet.officer
    new.save()
    Improvement.objects.bulk_create(
        Improvement(sheet=new, order=i.order, text=i.text) for i in sheet.improvements.all()
    )
    FollowUp.objects.bulk_create(
        FollowUp(sheet=new, improvement_id=f.improvement_id, status=f.status, note=f.note)
        for f in sheet.follow_ups.all()
    )
    Opinion.objects.bulk_create(
        Opinion(sheet=new, member_id=o.member_id, text=o.text, recorded_by=o.recorded_by)
        for o in sheet.opinions.all()
    )
    audit(
        "evaluation.sheet.corrected",
        actor=actor,
        target=new,
        data={"previous": sheet.pk, "version": new.version, "reason": new.correction_reason},
    )
    return new


@transaction.atomic
def follow_up_save(*, sheet: Sheet, improvement: Improvement, status: str, note: str, actor):
    sheet = Sheet.objects.select_for_update().get(pk=sheet.pk)
    _refuse_frozen(sheet)
    if improvement.sheet.measure_id != sheet.measure_id or improvement.sheet.fiscal_year != (
        sheet.fiscal_year - 1
    ):
        raise EvaluationError(_("前年度の同じ施策の改善内容だけに対応状況を記録できます。"))
    row, _created = FollowUp.objects.update_or_create(
        sheet=sheet, improvement=improvement, defaults={"status": status, "note": note}
    )
    audit(
        "evaluation.follow_up.saved",
        actor=actor,
        target=sheet,
        data={"improvement": improvement.pk, "status": status},
    )
    return row


# --- committee ---------------------------------------------------------------------------


@transaction.atomic
def member_save(*, member: CommitteeMember | None, data: dict[str, Any], actor) -> CommitteeMember:
    created = member is None
    member = member or CommitteeMember()
    for k, v in data.items():
        setattr(member, k, v)
    member.save()
    audit(
        "evaluation.committee_member.created" if created else "evaluation.committee_member.updated",
        actor=actor,
        target=member,
        data={"affiliation": member.affiliation, "sector": member.sector},
    )
    return member


@transaction.atomic
def opinion_save(*, sheet: Sheet, member: CommitteeMember, text: str, actor) -> Opinion:
    sheet = Sheet.objects.select_for_update().get(pk=sheet.pk)
    _refuse_frozen(sheet)
    if sheet.status != S.REVIEWED:
        raise EvaluationError(
            _("委員の意見は、課長の確認が済んだ評価シート（外部委員会の意見聴取中）に記録します。")
        )
    if not text.strip():
        raise EvaluationError(_("意見を入力してください。"))
    opinion, created = Opinion.objects.update_or_create(
        sheet=sheet, member=member, defaults={"text": text.strip(), "recorded_by": _user(actor)}
    )
    audit(
        "evaluation.opinion.recorded",
        actor=actor,
        target=sheet,
        data={"member": member.pk, "created": created},
    )
    return opinion


# --- reports -----------------------------------------------------------------------------


def report_generate(*, strategy, fiscal_year: int, actor):
    """Queue the annual report (PDF + Excel) as a background job; returns the job."""
    from sangyo.core.jobs import job_start

    with transaction.atomic():
        return job_start(
            kind=REPORT_JOB,
            actor=actor,
            params={"strategy": strategy.pk, "fiscal_year": fiscal_year},
            filename=f"annual-report-FY{fiscal_year}",
        )


def evaluation_guard(programs) -> list[str]:
    """Refuse a strategy load that would delete a measure that has evaluation sheets (a
    measure goes when all its programs go)."""
    from django.db.models import Count

    from sangyo.strategy.models import Program

    doomed = list(programs.values_list("pk", "measure_id"))
    measure_ids = {m for _p, m in doomed}
    kept = set(
        Program.objects.filter(measure_id__in=measure_ids)
        .exclude(pk__in=[p for p, _m in doomed])
        .values_list("measure_id", flat=True)
    )
    rows = (
        Sheet.objects.filter(measure_id__in=measure_ids - kept)
        .values("measure__number")
        .annotate(n=Count("id"))
        .order_by("measure__number")
    )
    return [
        _("施策%(number)sには評価シートが%(n)s件あります")
        % {"number": r["measure__number"], "n": r["n"]}
        for r in rows
    ]

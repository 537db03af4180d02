"""Writes to applications: start, save, the one `application_transition` service that
walks the workflow table, money (budget commitments under a row lock), and payments."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sangyo.accounts.models import Role
from sangyo.core.audit import audit
from sangyo.core.errors import DomainError, PermissionDenied

from . import eligibility, money
from .models import Application, Call, Payment, ProgramDetail, StatusChange
from .workflows import get_workflow


class ApplicationError(DomainError):
    pass


def program_detail(program) -> ProgramDetail:
    detail = ProgramDetail.objects.filter(program=program).first()
    if detail is None:
        raise ApplicationError(_("この事業には申請の仕組みが設定されていません"))
    return detail


def money_rule(detail: ProgramDetail) -> money.Rule:
    return money.Rule(
        rate_numerator=detail.rate_numerator,
        rate_denominator=detail.rate_denominator,
        cap_yen=detail.cap_yen,
        rounding_unit=detail.rounding_unit or 1,
        confirmed=detail.rate_confirmed,
    )


def calculate(application: Application) -> money.Calculation:
    detail = program_detail(application.call.program)
    caps = {
        c["code"]: (int(c["max_yen"]), c.get("ja", c["code"]), c.get("en", c["code"]))
        for c in detail.eligible_cost_types or []
        if isinstance(c, dict) and c.get("max_yen") is not None
    }
    return money.calculate(
        money_rule(detail),
        [int(c.get("amount") or 0) for c in application.costs],
        types=[c.get("type", "") for c in application.costs],
        type_caps=caps,
    )


def actor_role(actor, application: Application) -> str | None:
    """The part `actor` plays for this application: applicant, officer, admin, or none."""
    from sangyo.registry.policies import can_act_for

    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return None
    if actor.role == Role.ADMIN:
        return "admin"
    if actor.role == Role.OFFICER:
        return "officer"
    if actor.role == Role.BUSINESS and can_act_for(actor, application.business):
        return "applicant"
    return None


def _next_number(call: Call) -> str:
    # Numbers are per call's program and year; lock the call row so parallel starts queue
    # here instead of computing the same number.
    Call.objects.select_for_update().get(pk=call.pk)
    prefix = f"{call.fiscal_year}-{call.program.code}-"
    last = (
        Application.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{n:04d}"


@transaction.atomic
def application_start(*, call: Call, business, actor, language: str = "ja") -> Application:
    """Open a draft for `business` in `call` (the applicant or a proxy does this)."""
    from sangyo.registry.policies import can_act_for

    if not can_act_for(actor, business):
        raise PermissionDenied(_("この事業者として申請する権限がありません"))
    now = timezone.now()
    if call.status != Call.Status.OPEN or not (call.opens_at <= now <= call.closes_at):
        raise ApplicationError(_("この募集は現在受け付けていません"))
    detail = program_detail(call.program)
    workflow = get_workflow(detail.workflow)
    application = Application.objects.create(
        call=call,
        business=business,
        applicant=actor,
        number=_next_number(call),
        form=call.form,
        workflow=workflow.code,
        workflow_version=workflow.version,
        status=workflow.initial,
        language=language if language in ("ja", "en") else "ja",
    )
    StatusChange.objects.create(
        application=application, action="start", source="", target=application.status, actor=actor
    )
    audit("applications.application.started", actor=actor, target=application)
    return application


@transaction.atomic
def application_save(
    *, application: Application, actor, answers: dict | None = None, costs: list | None = None
) -> Application:
    """Save the applicant's answers and costs while the application is theirs to edit."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if actor_role(actor, application) != "applicant":
        raise PermissionDenied(_("この申請を編集する権限がありません"))
    if application.status not in ("draft", "returned"):
        raise ApplicationError(
            _("提出済みの申請は編集できません（差し戻された場合は編集できます）")
        )
    if answers is not None:
        application.answers = answers
    if costs is not None:
        detail = program_detail(application.call.program)
        known = {
            c["code"]
            for c in detail.eligible_cost_types or []
            if isinstance(c, dict) and "code" in c
        }
        clean = []
        for i, cost in enumerate(costs, 1):
            if known and cost.get("type", "") not in known:
                raise ApplicationError(
                    _("経費%(n)s行目: この制度の対象経費ではありません（%(type)s）")
                    % {"n": i, "type": cost.get("type", "")}
                )
            try:
                amount = int(str(cost.get("amount", "0")).replace(",", ""))
            except ValueError as exc:
                raise ApplicationError(
                    _("経費%(n)s行目: 金額は整数（円）で入力してください") % {"n": i}
                ) from exc
            if amount < 0:
                raise ApplicationError(_("経費%(n)s行目: 金額は0円以上にしてください") % {"n": i})
            clean.append(
                {
                    "type": cost.get("type", ""),
                    "description": cost.get("description", ""),
                    "amount": amount,
                }
            )
        application.costs = clean
        application.requested_yen = calculate(application).amount
    application.save()
    audit("applications.application.saved", actor=actor, target=application)
    return application


def missing_answers(application: Application) -> list[str]:
    """Labels of required form fields that are empty (respecting "show when" conditions)."""
    missing = []
    answers = application.answers or {}
    for field in application.form.fields:
        cond = field.get("show_when")
        if cond and answers.get(cond.get("field")) != cond.get("equals"):
            continue
        if field.get("required") and answers.get(field["name"]) in (None, "", [], False):
            missing.append(field.get("label", {}).get("ja", field["name"]))
    return missing


def eligibility_results(application: Application) -> list[eligibility.RuleResult]:
    detail = program_detail(application.call.program)
    ctx = eligibility.Context(
        business=application.business,
        call=application.call,
        answers=application.answers or {},
        application=application,
    )
    return eligibility.evaluate(detail.eligibility, ctx)


def _notify(application: Application, action: str) -> None:
    from .notifications import send_status_mail

    transaction.on_commit(lambda: send_status_mail(application_id=application.pk, action=action))


@transaction.atomic
def application_transition(
    *,
    application: Application,
    action: str,
    actor,
    note: str = "",
    decided_yen: int | None = None,
    fixed_yen: int | None = None,
    paid_on: datetime.date | None = None,
    report: dict | None = None,
) -> Application:
    """Move an application along its workflow, if the table allows `actor` to do `action`.

    The application row is locked, so two simultaneous decisions cannot both apply; money
    moves under a lock on the call's budget row, so parallel grants cannot overspend it."""
    application = (
        Application.objects.select_for_update()
        .select_related("call__program")
        .get(pk=application.pk)
    )
    workflow = get_workflow(application.workflow, application.workflow_version)
    role = actor_role(actor, application)
    transition = workflow.find(application.status, action)
    if role is None or transition is None or role not in transition.who:
        state = workflow.states.get(application.status)
        label = application.status
        if state:
            label = state.applicant_ja if role == "applicant" else state.staff_ja
        raise ApplicationError(
            _("「%(state)s」の申請に「%(action)s」はできません")
            % {"state": label, "action": action}
        )
    source = application.status
    detail = program_detail(application.call.program)
    today = timezone.localdate()
    for effect in transition.effects:
        if effect == "validate":
            missing = missing_answers(application)
            if missing:
                raise ApplicationError(
                    _("未入力の必須項目があります: %(fields)s") % {"fields": "、".join(missing)}
                )
        elif effect == "eligibility":
            blockers = eligibility.blocking(eligibility_results(application), detail.eligibility)
            if blockers:
                raise ApplicationError(
                    _("要件を満たしていません: %(rules)s")
                    % {"rules": "；".join(f"{r.label_ja}（{r.reason_ja}）" for r in blockers)}
                )
        elif effect == "decision":
            application.decision_reason = note
            application.decided_at = timezone.now()
        elif effect == "commit_budget":
            amount = decided_yen if decided_yen is not None else application.requested_yen
            if amount is None or amount < 0:
                raise ApplicationError(_("交付決定額を入力してください"))
            _commit(application.call_id, amount)
            application.decided_yen = amount
        elif effect == "validate_report":
            application.report = report or application.report
            if not application.report:
                raise ApplicationError(_("実績報告の内容を入力してください"))
        elif effect == "fix_amount":
            amount = fixed_yen if fixed_yen is not None else application.decided_yen
            if amount is None or amount < 0 or amount > (application.decided_yen or 0):
                raise ApplicationError(_("確定額は交付決定額以下にしてください"))
            _release(application.call_id, (application.decided_yen or 0) - amount)
            application.fixed_yen = amount
        elif effect == "payment":
            amount = application.fixed_yen or 0
            Payment.objects.create(
                application=application,
                amount_yen=amount,
                paid_on=paid_on or today,
                recorded_by=actor,
            )
            Call.objects.filter(pk=application.call_id).update(paid_yen=F("paid_yen") + amount)
            application.paid_yen += amount
        elif effect == "validity":
            application.certified_from = today
            years = detail.validity_years or 3
            try:
                application.certified_until = today.replace(
                    year=today.year + years
                ) - datetime.timedelta(days=1)
            except ValueError:  # 29 February
                application.certified_until = today.replace(year=today.year + years, day=28)
        elif effect == "certificate_number":
            application.certificate_number = application.number
        elif effect == "count_application":
            if application.submitted_at is None:
                application.submitted_at = timezone.now()
            _count_application(application, actor)
        elif effect == "certified_product":
            _certified_product(application)
        elif effect == "support_record":
            _support_record(application, transition.target, actor)
        elif effect == "notify":
            _notify(application, action)
    application.status = transition.target
    application.save()
    StatusChange.objects.create(
        application=application,
        action=action,
        source=source,
        target=transition.target,
        actor=actor,
        note=note,
    )
    audit(
        f"applications.application.{action}",
        actor=actor,
        target=application,
        data={
            "from": source,
            "to": transition.target,
            "note": note,
            "decided_yen": application.decided_yen,
        },
    )
    return application


def _commit(call_id: int, amount: int) -> None:
    call = Call.objects.select_for_update().get(pk=call_id)
    if call.budget_yen is not None and call.committed_yen + amount > call.budget_yen:
        raise ApplicationError(
            _("予算が不足しています（残額 %(left)s円、必要額 %(need)s円）")
            % {"left": f"{call.budget_yen - call.committed_yen:,}", "need": f"{amount:,}"}
        )
    Call.objects.filter(pk=call_id).update(committed_yen=F("committed_yen") + amount)


def _release(call_id: int, amount: int) -> None:
    if amount:
        Call.objects.select_for_update().get(pk=call_id)
        Call.objects.filter(pk=call_id).update(committed_yen=F("committed_yen") - amount)


def _support_record(application: Application, target: str, actor) -> None:
    from sangyo.registry.services import support_record_create

    kind = {"adopted": "subsidy", "certified": "certification", "issued": "certificate"}.get(
        target, "application"
    )
    support_record_create(
        business=application.business,
        program=application.call.program,
        date=timezone.localdate(),
        kind=kind,
        actor=actor,
        summary=f"{application.call.title_ja}（{application.number}）",
        outcome=target,
        amount=application.requested_yen if kind == "subsidy" else None,
        source=f"applications.application:{application.pk}:{target}",
    )


def _certified_product(application: Application) -> None:
    """Publish the certified product in the catalogue for the validity period."""
    from .models import CertifiedProduct

    answers = application.answers or {}
    CertifiedProduct.objects.update_or_create(
        application=application,
        defaults={
            "name_ja": str(answers.get("product_name") or application.call.title_ja)[:200],
            "name_en": str(answers.get("product_name_en") or "")[:200],
            "description_ja": str(answers.get("product_description") or ""),
            "certified_on": application.certified_from,
            "valid_until": application.certified_until,
            "published": True,
        },
    )


def _count_application(application: Application, actor) -> None:
    """Count the application itself: the KPI "applications to city certification schemes"
    and each measure's output indicators read these records."""
    from sangyo.registry.services import support_record_create

    support_record_create(
        business=application.business,
        program=application.call.program,
        date=timezone.localdate(),
        kind="application",
        actor=actor,
        summary=f"{application.call.title_ja}（{application.number}）",
        source=f"applications.application:{application.pk}:submitted",
    )

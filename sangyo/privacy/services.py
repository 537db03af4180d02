"""Every write of the privacy app: filing and handling requests, the export download and
carrying out a deletion (anonymisation)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangyo.accounts.models import Role
from sangyo.core.audit import audit
from sangyo.core.errors import DomainError, PermissionDenied

from . import anonymise, export, policies
from .models import PersonalDataRequest as Req
from .person import Person, is_anonymised_email


class PrivacyError(DomainError):
    pass


def response_days() -> int:
    return int(getattr(settings, "SANGYO_PRIVACY_RESPONSE_DAYS", 14))


def person_of(req: Req) -> Person:
    return Person.of(user=req.requester, email=req.subject_email, name=req.subject_name)


def _new(**fields) -> Req:
    today = timezone.localdate()
    req = Req(received_on=today, due_on=today + datetime.timedelta(days=response_days()), **fields)
    req.full_clean()
    req.save()
    return req


@transaction.atomic
def request_file_own(*, user, kind: str, reason: str = "") -> Req:
    """The person files a request on the site (開示 or 削除). An export is answered at once
    (its download is ready); a deletion waits for staff."""
    if not policies.can_file_own_requests(user):
        raise PermissionDenied(_("ログインしてください"))
    if kind not in {Req.Kind.EXPORT, Req.Kind.DELETION}:
        raise PrivacyError(_("この種類の請求はここでは受け付けていません"))
    if (
        kind == Req.Kind.DELETION
        and Req.objects.filter(
            requester=user, kind=kind, status__in=["received", "in_progress"]
        ).exists()
    ):
        raise PrivacyError(_("削除の請求は受付済みです。対応が終わるまでお待ちください"))
    req = _new(
        kind=kind,
        channel=Req.Channel.WEB,
        requester=user,
        reason=reason.strip()[:2000],
    )
    if kind == Req.Kind.EXPORT:
        req.status, req.completed_at = Req.Status.DONE, timezone.now()
        req.save(update_fields=["status", "completed_at"])
    audit("privacy.request.created", actor=user, target=req, data={"kind": kind, "channel": "web"})
    return req


@transaction.atomic
def request_file_for(
    *, actor, kind: str, channel: str, subject_email: str, subject_name: str = "", reason: str = ""
) -> Req:
    """Staff file a request someone made by telephone, letter or at the counter. The person
    is found by e-mail address (an account with that address is linked)."""
    from sangyo.accounts.models import User

    if not policies.can_handle_requests(actor):
        raise PermissionDenied(_("この操作はできません"))
    email = subject_email.strip().lower()
    if not email:
        raise PrivacyError(_("本人のメールアドレスを入力してください"))
    user = User.objects.filter(email__iexact=email).first()
    req = _new(
        kind=kind,
        channel=channel,
        requester=user,
        subject_email=email,
        subject_name=subject_name.strip()[:100],
        reason=reason.strip()[:2000],
        filed_by=actor,
    )
    audit(
        "privacy.request.created", actor=actor, target=req, data={"kind": kind, "channel": channel}
    )
    return req


# Status changes staff make by hand; a deletion is completed only by `request_apply`.
MOVES = {
    Req.Status.RECEIVED: {Req.Status.IN_PROGRESS, Req.Status.REJECTED, Req.Status.DONE},
    Req.Status.IN_PROGRESS: {Req.Status.REJECTED, Req.Status.DONE, Req.Status.RECEIVED},
}


@transaction.atomic
def request_update(*, req: Req, actor, status: str, staff_notes: str) -> Req:
    if not policies.can_handle_requests(actor):
        raise PermissionDenied(_("この操作はできません"))
    req = Req.objects.select_for_update().get(pk=req.pk)
    changed = []
    if status != req.status:
        if status not in MOVES.get(req.status, set()):
            raise PrivacyError(_("この請求は完了しているため、状態を変えられません"))
        if status == Req.Status.DONE and req.kind == Req.Kind.DELETION:
            raise PrivacyError(_("削除の請求は「匿名化を実行する」で完了します"))
        if status == Req.Status.REJECTED and not staff_notes.strip():
            raise PrivacyError(_("対応しない理由を職員メモに書いてください"))
        req.status = status
        changed.append("status")
        if status in {Req.Status.DONE, Req.Status.REJECTED}:
            req.completed_at, req.handled_by = timezone.now(), actor
    if staff_notes.strip() != req.staff_notes:
        req.staff_notes = staff_notes.strip()[:4000]
        changed.append("staff_notes")
    if changed:
        req.save()
        audit(
            "privacy.request.updated",
            actor=actor,
            target=req,
            data={"fields": changed, "status": req.status},
        )
    return req


def preview(req: Req) -> anonymise.Plan:
    """What carrying out the request would change (no writes)."""
    return anonymise.run(person_of(req), apply=False)


@transaction.atomic
def request_apply(*, req: Req, actor) -> anonymise.Plan:
    """Carry out a deletion request: anonymise the person everywhere in one transaction,
    record what was kept and why, and close the request."""
    if not policies.can_handle_requests(actor):
        raise PermissionDenied(_("この操作はできません"))
    req = Req.objects.select_for_update().get(pk=req.pk)
    if req.kind != Req.Kind.DELETION:
        raise PrivacyError(_("匿名化できるのは削除の請求だけです"))
    if not req.is_open:
        raise PrivacyError(_("この請求は完了しています"))
    if req.requester is not None and req.requester.role != Role.BUSINESS:
        raise PrivacyError(
            _("職員のアカウントは匿名化できません。役割を変えてから、管理者が対応してください")
        )
    if req.requester_id == getattr(actor, "pk", None):
        raise PrivacyError(_("自分自身の請求は別の職員が対応してください"))
    person = person_of(req)
    if person.empty:
        raise PrivacyError(_("本人を特定できません（アカウントもメールアドレスもありません）"))
    plan = anonymise.run(person, apply=True, actor=actor, reason=req.number)
    req.refresh_from_db()
    req.status, req.completed_at, req.handled_by = Req.Status.DONE, timezone.now(), actor
    req.result = {"counts": plan.counts, "files_deleted": plan.files_deleted}
    req.retained_note = plan.retained_note()
    req.save()
    audit(
        "privacy.person.anonymised",
        actor=actor,
        target=req,
        data={
            "counts": plan.counts,
            "files_deleted": plan.files_deleted,
            "kept": {str(k.label): k.count for k in plan.kept},
        },
    )
    return plan


@transaction.atomic
def export_download(*, req: Req, actor) -> tuple[bytes, str]:
    """The ZIP of the person's data for an export request, audited with counts only."""
    own = policies.can_view_own_request(actor, req)
    if not (own or policies.can_handle_requests(actor)):
        raise PermissionDenied(_("この操作はできません"))
    if req.kind != Req.Kind.EXPORT:
        raise PrivacyError(_("データの写しは開示の請求についてだけ作成できます"))
    if own and req.requester is not None and is_anonymised_email(req.requester.email):
        raise PrivacyError(_("このアカウントは匿名化されています"))
    person = person_of(req)
    if person.empty:
        raise PrivacyError(_("本人を特定できません（アカウントもメールアドレスもありません）"))
    from sangyo.strategy.models import Strategy

    current = Strategy.objects.filter(is_current=True).first()
    city = current.municipality_name_ja if current else ""
    data, counts = export.build_zip(person, city=city)
    Req.objects.filter(pk=req.pk).update(result={"counts": counts})
    audit(
        "privacy.export.downloaded",
        actor=actor,
        target=req,
        data={"counts": counts, "bytes": len(data), "by_staff": not own},
    )
    name = f"personal-data-{req.number}-{timezone.localdate():%Y%m%d}.zip"
    return data, name


@transaction.atomic
def retention_rule_save(*, rule, actor, fields: list[str]) -> Any:
    """An administrator changed a retention period (from the admin)."""
    if getattr(actor, "role", None) != "admin":
        raise PermissionDenied(_("この操作はできません"))
    rule.full_clean()
    rule.save()
    audit(
        "privacy.retention_rule.updated",
        actor=actor,
        target=rule,
        data={"kind": rule.kind, "days": rule.days, "action": rule.action, "fields": fields},
    )
    return rule

"""Every write in matching: postings and their moderation, interest and messages, staff
introductions and reported deals, properties (enquiries, proposals), jobs (applications,
placements), abuse reports, and expiry.

Support reaches the SupportRecord spine only here, through
`registry.services.support_record_create`, with one `source` per matching object, so
counting twice is impossible; the program comes from `program_for` (CountingRule rows, or the
defaults)."""

from __future__ import annotations

import datetime
import logging
import uuid
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sangyo.core.audit import audit
from sangyo.core.errors import DomainError

from . import similarity
from .models import (
    DEFAULT_PROGRAMS,
    AbuseReport,
    CountingRule,
    Deal,
    Interest,
    Introduction,
    Job,
    JobApplication,
    Message,
    Moderation,
    Posting,
    Property,
    PropertyEnquiry,
    PropertyProposal,
)

INDEX_VERSION_KEY = "matching:index-version"
log = logging.getLogger(__name__)


class MatchingError(DomainError):
    pass


def _today() -> datetime.date:
    return timezone.localdate()


def _after_commit(send, **kwargs) -> None:
    """Mail after the change is committed; a mail server failure is logged, never undoes or
    breaks the change."""

    def run():
        try:
            send(**kwargs)
        except Exception:
            log.exception("matching notification failed: %s %s", send.__name__, kwargs)

    transaction.on_commit(run)


def _tell_business(business_id: int, what: str, title: str, path: str) -> None:
    from .notifications import notify_business

    _after_commit(notify_business, business_id=business_id, what=what, title=title, path=path)


def _tell_seeker(application_id: int) -> None:
    from .notifications import notify_seeker

    _after_commit(notify_seeker, application_id=application_id)


def bump_index_version() -> None:
    cache.set(INDEX_VERSION_KEY, uuid.uuid4().hex, None)


# --- counting ---------------------------------------------------------------------------


def program_for(event: str, *, strategy=None):
    """The Program support of kind `event` is counted on, in `strategy` (default: the
    current one): the strategy's CountingRule, else DEFAULT_PROGRAMS. None when the strategy
    has no such program (nothing is counted then, and the reason is logged in the audit)."""
    from sangyo.strategy.models import Program, Strategy

    strategy = strategy or Strategy.objects.filter(is_current=True).first()
    if strategy is None:
        return None
    rule = CountingRule.objects.filter(strategy=strategy, event=event).first()
    code = rule.program_code if rule else DEFAULT_PROGRAMS.get(event)
    if not code:
        return None
    return (
        Program.objects.select_related("measure")
        .filter(measure__strategy=strategy, code=code)
        .first()
    )


def _count(
    *,
    event: str,
    business,
    date,
    actor,
    summary: str,
    source: str,
    partner=None,
    is_synthetic: bool = False,
):
    from sangyo.registry.services import support_record_create

    program = program_for(event)
    if program is None:
        audit(
            "matching.support.not_counted",
            actor=actor,
            target=business,
            data={"event": event, "source": source},
        )
        return None
    return support_record_create(
        business=business,
        program=program,
        date=date,
        kind="matching",
        actor=actor,
        summary=summary,
        source=source,
        partner=partner,
        is_synthetic=is_synthetic,
    )


@transaction.atomic
def counting_rule_set(*, strategy, event: str, program_code: str, actor: Any) -> CountingRule:
    from sangyo.strategy.models import Program

    if event not in CountingRule.Event.values:
        raise MatchingError(_("支援の種類が正しくありません"))
    if not Program.objects.filter(measure__strategy=strategy, code=program_code).exists():
        raise MatchingError(
            _("事業コード「%(code)s」はこの戦略にありません") % {"code": program_code}
        )
    rule, _created = CountingRule.objects.update_or_create(
        strategy=strategy, event=event, defaults={"program_code": program_code}
    )
    audit(
        "matching.rule.saved",
        actor=actor,
        target=rule,
        data={"event": event, "program": program_code},
    )
    return rule


# --- checks shared with the forms -------------------------------------------------------


def check_period(starts_on, ends_on) -> dict[str, str]:
    if starts_on and ends_on and ends_on < starts_on:
        return {"ends_on": _("掲載終了日は掲載開始日以降の日付にしてください")}
    return {}


def check_posting(fields: dict[str, Any]) -> dict[str, str]:
    errors = check_period(fields.get("starts_on"), fields.get("ends_on"))
    if not fields.get("contact_consent"):
        errors["contact_consent"] = _(
            "関心を示した事業者とプラットフォーム上で連絡を取ることへの同意が必要です"
        )
    if fields.get("purpose") not in Posting.Purpose.values:
        errors["purpose"] = _("目的を選んでください")
    code = (fields.get("jsic_code") or "").strip()
    if code:
        from sangyo.registry.jsic import JsicCodeError, validate_code

        try:
            validate_code(code)
        except JsicCodeError as exc:
            errors["jsic_code"] = str(exc)
    return errors


def check_property(fields: dict[str, Any]) -> dict[str, str]:
    errors = {}
    rent = fields.get("rent_yen")
    if rent is not None and rent < 0:
        errors["rent_yen"] = _("賃料は0円以上で入力してください")
    area = fields.get("area_m2")
    if area is not None and Decimal(area) <= 0:
        errors["area_m2"] = _("面積は0より大きい値で入力してください")
    return errors


def check_job(fields: dict[str, Any]) -> dict[str, str]:
    errors = check_period(fields.get("starts_on"), fields.get("ends_on"))
    lo, hi = fields.get("pay_min"), fields.get("pay_max")
    if lo is not None and lo < 0:
        errors["pay_min"] = _("給与は0円以上で入力してください")
    if lo is not None and hi is not None and lo > hi:
        errors["pay_max"] = _("給与の上限は下限以上にしてください")
    rate = fields.get("paternity_leave_rate")
    if rate is not None and not 0 <= rate <= 100:
        errors["paternity_leave_rate"] = _("取得率は0から100の間で入力してください")
    return errors


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise MatchingError(" ".join(errors.values()))


# --- postings ---------------------------------------------------------------------------

POSTING_FIELDS = {
    "purpose",
    "category",
    "jsic_code",
    "title_ja",
    "title_en",
    "body_ja",
    "body_en",
    "keywords",
    "region",
    "starts_on",
    "ends_on",
    "contact_consent",
    "is_synthetic",
}


def _vector(posting: Posting) -> dict[str, int]:
    return similarity.vector_of(
        posting.title_ja, posting.title_en, posting.body_ja, posting.body_en, posting.keywords
    )


@transaction.atomic
def posting_create(*, business, actor: Any, **fields: Any) -> Posting:
    unknown = set(fields) - POSTING_FIELDS
    if unknown:
        raise TypeError(f"unknown posting fields: {sorted(unknown)}")
    _raise(check_posting(fields))
    posting = Posting(business=business, **fields)
    posting.kind = (
        Posting.Kind.NEED if posting.purpose in Posting.NEED_PURPOSES else Posting.Kind.SEED
    )
    if getattr(actor, "pk", None):
        posting.created_by = actor
    posting.vector = _vector(posting)
    posting.save()
    audit(
        "matching.posting.created",
        actor=actor,
        target=posting,
        data={"business": business.pk, "purpose": posting.purpose},
    )
    bump_index_version()
    return posting


# (from, action) → to. Publishing checks the end date; rejecting needs a reason.
TRANSITIONS = {
    (Moderation.PENDING, "publish"): Moderation.PUBLISHED,
    (Moderation.PENDING, "reject"): Moderation.REJECTED,
    (Moderation.PENDING, "hide"): Moderation.HIDDEN,
    (Moderation.PUBLISHED, "hide"): Moderation.HIDDEN,
    (Moderation.HIDDEN, "publish"): Moderation.PUBLISHED,
    (Moderation.REJECTED, "publish"): Moderation.PUBLISHED,
}


def _moderate(obj, *, action: str, actor: Any, reason: str, code: str):
    key = (obj.status, action)
    if key not in TRANSITIONS:
        raise MatchingError(
            _("「%(status)s」の掲載にはこの操作はできません") % {"status": obj.get_status_display()}
        )
    reason = (reason or "").strip()
    if action == "reject" and not reason:
        raise MatchingError(_("差戻しの理由を入力してください"))
    if action == "publish" and obj.ends_on < _today():
        raise MatchingError(_("掲載終了日を過ぎているため公開できません"))
    before = obj.status
    obj.status = TRANSITIONS[key]
    obj.reject_reason = reason[:300] if action in ("reject", "hide") else ""
    obj.moderated_at = timezone.now()
    obj.save(update_fields=["status", "reject_reason", "moderated_at", "updated_at"])
    audit(code, actor=actor, target=obj, data={"from": before, "to": obj.status, "reason": reason})
    return obj


@transaction.atomic
def posting_moderate(*, posting: Posting, action: str, actor: Any, reason: str = "") -> Posting:
    posting = Posting.objects.select_for_update().get(pk=posting.pk)
    posting = _moderate(
        posting, action=action, actor=actor, reason=reason, code=f"matching.posting.{action}"
    )
    bump_index_version()
    if action in ("publish", "reject"):
        _tell_business(
            posting.business_id,
            "published" if action == "publish" else "rejected",
            posting.title_ja,
            reverse("matching:posting_manage", args=[posting.pk]),
        )
    return posting


def posting_is_public(posting: Posting, today=None) -> bool:
    today = today or _today()
    return posting.status == Moderation.PUBLISHED and posting.starts_on <= today <= posting.ends_on


# --- interest, messages, introductions, deals ------------------------------------------


@transaction.atomic
def interest_create(*, posting: Posting, business, actor: Any, message: str) -> Interest:
    if not posting_is_public(posting):
        raise MatchingError(_("この掲載は現在受け付けていません"))
    if business.pk == posting.business_id:
        raise MatchingError(_("自社の掲載には関心を示せません"))
    message = (message or "").strip()
    if not message:
        raise MatchingError(_("メッセージを入力してください"))
    if Interest.objects.filter(posting=posting, business=business).exists():
        raise MatchingError(_("この掲載にはすでに関心を示しています"))
    interest = Interest.objects.create(
        posting=posting,
        business=business,
        created_by=actor if getattr(actor, "pk", None) else None,
        message=message[:4000],
    )
    Message.objects.create(
        interest=interest,
        sender_business=business,
        sender=interest.created_by,
        body=interest.message,
    )
    audit(
        "matching.interest.created",
        actor=actor,
        target=interest,
        data={"posting": posting.pk, "business": business.pk},
    )
    _tell_business(
        posting.business_id,
        "interest",
        posting.title_ja,
        reverse("matching:interest", args=[interest.pk]),
    )
    return interest


@transaction.atomic
def message_send(*, interest: Interest, actor: Any, body: str, business=None) -> Message:
    """`business` is the side the actor writes for; None for city staff."""
    body = (body or "").strip()
    if not body:
        raise MatchingError(_("メッセージを入力してください"))
    if business is not None and business.pk not in (
        interest.business_id,
        interest.posting.business_id,
    ):
        raise MatchingError(_("このやり取りの当事者ではありません"))
    msg = Message.objects.create(
        interest=interest,
        sender_business=business,
        sender=actor if getattr(actor, "pk", None) else None,
        body=body[:4000],
    )
    audit("matching.message.sent", actor=actor, target=interest, data={"message": msg.pk})
    sides = {interest.business_id, interest.posting.business_id}
    for business_id in sides - {business.pk if business is not None else None}:
        _tell_business(
            business_id,
            "message",
            interest.posting.title_ja,
            reverse("matching:interest", args=[interest.pk]),
        )
    return msg


@transaction.atomic
def contact_share(*, interest: Interest, business, actor: Any) -> Interest:
    """One side agrees to show its contact details; they are shown once both agree."""
    interest = Interest.objects.select_for_update().select_related("posting").get(pk=interest.pk)
    if business.pk == interest.posting.business_id:
        interest.owner_shares_contact = True
    elif business.pk == interest.business_id:
        interest.interested_shares_contact = True
    else:
        raise MatchingError(_("このやり取りの当事者ではありません"))
    interest.save(update_fields=["owner_shares_contact", "interested_shares_contact"])
    audit(
        "matching.interest.contact_shared", actor=actor, target=interest, data={"by": business.pk}
    )
    return interest


@transaction.atomic
def introduction_create(
    *, interest: Interest, actor: Any, note: str = "", date=None, is_synthetic: bool = False
) -> Introduction:
    interest = (
        Interest.objects.select_for_update().select_related("posting__business").get(pk=interest.pk)
    )
    if hasattr(interest, "introduction"):
        raise MatchingError(_("この組み合わせはすでに紹介済みです"))
    date = date or _today()
    intro = Introduction.objects.create(
        interest=interest,
        staff=actor if getattr(actor, "pk", None) else None,
        note=(note or "")[:300],
        date=date,
        is_synthetic=is_synthetic,
    )
    if interest.status == Interest.Status.OPEN:
        interest.status = Interest.Status.INTRODUCED
        interest.save(update_fields=["status"])
    _count(
        event=CountingRule.Event.INTRODUCTION,
        business=interest.posting.business,
        date=date,
        actor=actor,
        summary=_("企業間の紹介：%(title)s") % {"title": interest.posting.title_ja},
        source=f"matching.introduction:{intro.pk}",
        is_synthetic=is_synthetic,
    )
    audit(
        "matching.introduction.created",
        actor=actor,
        target=interest,
        data={"introduction": intro.pk},
    )
    if not is_synthetic:
        for business_id in (interest.business_id, interest.posting.business_id):
            _tell_business(
                business_id,
                "introduced",
                interest.posting.title_ja,
                reverse("matching:interest", args=[interest.pk]),
            )
    return intro


@transaction.atomic
def deal_report(
    *, interest: Interest, actor: Any, summary: str, date=None, is_synthetic: bool = False
) -> Deal:
    interest = (
        Interest.objects.select_for_update().select_related("posting__business").get(pk=interest.pk)
    )
    if hasattr(interest, "deal"):
        raise MatchingError(_("この組み合わせの成約はすでに報告されています"))
    summary = (summary or "").strip()
    if not summary:
        raise MatchingError(_("成約の内容を入力してください"))
    date = date or _today()
    if date > _today():
        raise MatchingError(_("成約日に未来の日付は指定できません"))
    deal = Deal.objects.create(
        interest=interest,
        reported_by=actor if getattr(actor, "pk", None) else None,
        summary=summary[:300],
        date=date,
        is_synthetic=is_synthetic,
    )
    interest.status = Interest.Status.DEAL
    interest.save(update_fields=["status"])
    _count(
        event=CountingRule.Event.DEAL,
        business=interest.posting.business,
        date=date,
        actor=actor,
        summary=_("企業間の成約：%(summary)s") % {"summary": deal.summary},
        source=f"matching.deal:{deal.pk}",
        is_synthetic=is_synthetic,
    )
    audit("matching.deal.reported", actor=actor, target=interest, data={"deal": deal.pk})
    if not is_synthetic:
        for business_id in (interest.business_id, interest.posting.business_id):
            _tell_business(
                business_id,
                "deal",
                interest.posting.title_ja,
                reverse("matching:interest", args=[interest.pk]),
            )
    return deal


# --- properties -------------------------------------------------------------------------

PROPERTY_FIELDS = {
    "partner",
    "title_ja",
    "title_en",
    "use",
    "is_challenge_shop",
    "area_m2",
    "rent_yen",
    "address",
    "district",
    "available_from",
    "description_ja",
    "description_en",
    "is_published",
    "is_synthetic",
}


@transaction.atomic
def property_save(*, actor: Any, property: Property | None = None, **fields: Any) -> Property:
    unknown = set(fields) - PROPERTY_FIELDS
    if unknown:
        raise TypeError(f"unknown property fields: {sorted(unknown)}")
    _raise(check_property(fields))
    created = property is None
    prop = property or Property()
    for name, value in fields.items():
        setattr(prop, name, value)
    prop.save()
    audit(
        "matching.property.created" if created else "matching.property.updated",
        actor=actor,
        target=prop,
        data={"fields": sorted(fields)},
    )
    return prop


@transaction.atomic
def property_enquire(
    *,
    property: Property,
    name: str,
    email: str,
    message: str,
    phone: str = "",
    consent: bool,
    is_synthetic: bool = False,
) -> PropertyEnquiry:
    if not property.is_published:
        raise MatchingError(_("この物件は現在公開されていません"))
    if not consent:
        raise MatchingError(_("個人情報の取扱いへの同意が必要です"))
    enquiry = PropertyEnquiry.objects.create(
        property=property,
        name=name.strip()[:100],
        email=email.strip(),
        phone=phone.strip()[:30],
        message=message.strip()[:4000],
        is_synthetic=is_synthetic,
    )
    audit(
        "matching.property.enquired", actor="public", target=property, data={"enquiry": enquiry.pk}
    )
    return enquiry


@transaction.atomic
def property_propose(
    *,
    property: Property,
    business,
    actor: Any,
    note: str = "",
    date=None,
    is_synthetic: bool = False,
) -> PropertyProposal:
    date = date or _today()
    proposal = PropertyProposal.objects.create(
        property=property,
        business=business,
        staff=actor if getattr(actor, "pk", None) else None,
        note=(note or "")[:300],
        date=date,
        is_synthetic=is_synthetic,
    )
    event = (
        CountingRule.Event.CHALLENGE_SHOP
        if property.is_challenge_shop
        else CountingRule.Event.PROPERTY_PROPOSAL
    )
    _count(
        event=event,
        business=business,
        date=date,
        actor=actor,
        summary=_("物件の提案：%(title)s") % {"title": property.title_ja},
        source=f"matching.proposal:{proposal.pk}",
        partner=property.partner,
        is_synthetic=is_synthetic,
    )
    audit(
        "matching.property.proposed",
        actor=actor,
        target=property,
        data={"business": business.pk, "proposal": proposal.pk},
    )
    return proposal


# --- jobs -------------------------------------------------------------------------------

JOB_FIELDS = {
    "kind",
    "employment_type",
    "target",
    "title_ja",
    "title_en",
    "description_ja",
    "description_en",
    "place",
    "pay_unit",
    "pay_min",
    "pay_max",
    "hours",
    "paternity_leave_takers",
    "paternity_leave_rate",
    "languages",
    "english_ok",
    "visa_support",
    "disability_support",
    "starts_on",
    "ends_on",
    "is_synthetic",
}


@transaction.atomic
def job_create(*, business, actor: Any, **fields: Any) -> Job:
    unknown = set(fields) - JOB_FIELDS
    if unknown:
        raise TypeError(f"unknown job fields: {sorted(unknown)}")
    _raise(check_job(fields))
    job = Job(business=business, **fields)
    if getattr(actor, "pk", None):
        job.created_by = actor
    job.save()
    audit("matching.job.created", actor=actor, target=job, data={"business": business.pk})
    return job


@transaction.atomic
def job_moderate(*, job: Job, action: str, actor: Any, reason: str = "") -> Job:
    job = Job.objects.select_for_update().get(pk=job.pk)
    return _moderate(job, action=action, actor=actor, reason=reason, code=f"matching.job.{action}")


def job_is_public(job: Job, today=None) -> bool:
    today = today or _today()
    return job.status == Moderation.PUBLISHED and job.starts_on <= today <= job.ends_on


@transaction.atomic
def job_apply(
    *,
    job: Job,
    name: str,
    email: str,
    message: str,
    consent: bool,
    seeker_type: str = "other",
    language: str = "ja",
    is_synthetic: bool = False,
) -> JobApplication:
    if not job_is_public(job):
        raise MatchingError(_("この求人は現在応募を受け付けていません"))
    if not consent:
        raise MatchingError(_("個人情報の取扱いへの同意が必要です"))
    application = JobApplication.objects.create(
        job=job,
        name=name.strip()[:100],
        email=email.strip(),
        message=message.strip()[:4000],
        seeker_type=seeker_type if seeker_type in JobApplication.Seeker.values else "other",
        language=language[:8],
        is_synthetic=is_synthetic,
    )
    # No personal data in the audit event: the log is read by more people than the business.
    audit("matching.application.created", actor="public", target=application, data={"job": job.pk})
    if not is_synthetic:
        _tell_seeker(application.pk)
        _tell_business(
            job.business_id,
            "application",
            job.title_ja,
            reverse("matching:job_applications", args=[job.pk]),
        )
    return application


def placement_event(job: Job) -> str:
    """Which counting rule a placement follows, decided by the job's own data."""
    if job.target == Job.Target.DISABLED:
        return CountingRule.Event.PLACEMENT_DISABLED
    if job.target == Job.Target.FOREIGN:
        return CountingRule.Event.PLACEMENT_FOREIGN
    if job.kind == Job.Kind.INTERNSHIP:
        return CountingRule.Event.PLACEMENT_INTERNSHIP
    return CountingRule.Event.PLACEMENT_JOB


@transaction.atomic
def application_set_status(
    *,
    application: JobApplication,
    status: str,
    actor: Any,
    date=None,
    is_synthetic: bool = False,
) -> JobApplication:
    if status not in JobApplication.Status.values:
        raise MatchingError(_("状態が正しくありません"))
    application = (
        JobApplication.objects.select_for_update()
        .select_related("job__business")
        .get(pk=application.pk)
    )
    before = application.status
    if before == status:
        return application
    if before == JobApplication.Status.HIRED:
        raise MatchingError(_("採用・受入決定の後は状態を変えられません"))
    application.status = status
    if status == JobApplication.Status.HIRED:
        application.placed_at = date or _today()
    application.save(update_fields=["status", "placed_at", "updated_at"])
    if status == JobApplication.Status.HIRED:
        job = application.job
        _count(
            event=placement_event(job),
            business=job.business,
            date=application.placed_at,
            actor=actor,
            summary=_("%(kind)sの採用・受入：%(title)s")
            % {"kind": job.get_kind_display(), "title": job.title_ja},
            source=f"matching.placement:{application.pk}",
            is_synthetic=is_synthetic or application.is_synthetic,
        )
    audit(
        "matching.application.status_changed",
        actor=actor,
        target=application,
        data={"from": before, "to": status},
    )
    if not (is_synthetic or application.is_synthetic):
        _tell_seeker(application.pk)
    return application


# --- safety -----------------------------------------------------------------------------


@transaction.atomic
def report_create(*, target_type: str, target_id: int, reason: str, actor: Any) -> AbuseReport:
    reason = (reason or "").strip()
    if not reason:
        raise MatchingError(_("報告の理由を入力してください"))
    if target_type not in AbuseReport.Target.values:
        raise MatchingError(_("報告の対象が正しくありません"))
    report = AbuseReport.objects.create(
        target_type=target_type,
        target_id=target_id,
        reason=reason[:2000],
        reporter=actor if getattr(actor, "pk", None) else None,
    )
    audit(
        "matching.report.created",
        actor=actor if getattr(actor, "pk", None) else "public",
        target=report,
        data={"target": f"{target_type}:{target_id}"},
    )
    return report


@transaction.atomic
def report_resolve(
    *, report: AbuseReport, actor: Any, resolution: str = "", hide: bool = False
) -> AbuseReport:
    report = AbuseReport.objects.select_for_update().get(pk=report.pk)
    if report.status == AbuseReport.Status.RESOLVED:
        raise MatchingError(_("この報告は対応済みです"))
    if hide:
        model = {"posting": Posting, "job": Job, "property": Property}[report.target_type]
        target = model.objects.filter(pk=report.target_id).first()
        if isinstance(target, Posting) and target.status != Moderation.HIDDEN:
            posting_moderate(posting=target, action="hide", actor=actor, reason=resolution)
        elif isinstance(target, Job) and target.status != Moderation.HIDDEN:
            job_moderate(job=target, action="hide", actor=actor, reason=resolution)
        elif isinstance(target, Property) and target.is_published:
            property_save(property=target, actor=actor, is_published=False)
    report.status = AbuseReport.Status.RESOLVED
    report.resolution = (resolution or "")[:300]
    report.resolved_at = timezone.now()
    report.save(update_fields=["status", "resolution", "resolved_at"])
    audit("matching.report.resolved", actor=actor, target=report, data={"hidden": hide})
    return report


# --- expiry -----------------------------------------------------------------------------


@transaction.atomic
def expire_postings(*, actor: Any = "system", today=None) -> dict[str, int]:
    """Mark published or pending postings and jobs whose end date has passed as expired.
    Pages never show them anyway (they filter by date); this keeps the staff queue and the
    statuses true. Running it twice changes nothing."""
    today = today or _today()
    counts = {}
    for label, model in (("postings", Posting), ("jobs", Job)):
        qs = model.objects.filter(
            status__in=(Moderation.PUBLISHED, Moderation.PENDING), ends_on__lt=today
        )
        ids = list(qs.values_list("pk", flat=True))
        if ids:
            model.objects.filter(pk__in=ids).update(
                status=Moderation.EXPIRED, updated_at=timezone.now()
            )
            audit(
                f"matching.{label[:-1]}.expired",
                actor=actor,
                data={"ids": ids[:1000], "count": len(ids), "today": today.isoformat()},
            )
        counts[label] = len(ids)
    if counts["postings"]:
        bump_index_version()
    return counts

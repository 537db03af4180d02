"""Every write to events and registrations."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sangyo.core.audit import audit
from sangyo.core.errors import DomainError
from sangyo.core.once import send_once

from .models import Event, Registration, SurveyResponse

EVENT_FIELDS = {
    "title_ja",
    "title_en",
    "kind",
    "program",
    "description_ja",
    "description_en",
    "starts_at",
    "ends_at",
    "place",
    "address",
    "is_online",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "target_ja",
    "target_en",
    "approval_required",
    "questions",
    "is_synthetic",
}
SEATED = (Registration.Status.CONFIRMED, Registration.Status.ATTENDED)
ANONYMIZED_NAME = "（削除済み）"


class EventError(DomainError):
    pass


def _check_event(fields: dict[str, Any]) -> None:
    if fields["ends_at"] < fields["starts_at"]:
        raise EventError(_("終了日時は開始日時より後にしてください"))
    opens, closes = fields.get("registration_opens_at"), fields.get("registration_closes_at")
    if opens and closes and closes < opens:
        raise EventError(_("申込締切日時は申込開始日時より後にしてください"))
    for q in fields.get("questions") or []:
        if not q.get("key") or not q.get("label_ja"):
            raise EventError(_("質問には key と label_ja が必要です"))


@transaction.atomic
def event_create(*, actor: Any, **fields: Any) -> Event:
    unknown = set(fields) - EVENT_FIELDS
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    _check_event(fields)
    event = Event.objects.create(**fields)
    audit("events.event.created", actor=actor, target=event, data={"title": event.title_ja})
    return event


@transaction.atomic
def event_update(*, event: Event, actor: Any, **fields: Any) -> Event:
    unknown = set(fields) - EVENT_FIELDS
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    event = Event.objects.select_for_update().get(pk=event.pk)
    current = {f: getattr(event, f) for f in EVENT_FIELDS}
    _check_event(current | fields)
    changed = {}
    for name, value in fields.items():
        if current[name] != value:
            changed[name] = str(value)
            setattr(event, name, value)
    if changed:
        event.save()
        audit("events.event.updated", actor=actor, target=event, data={"changes": changed})
    return event


def _clean_answers(event: Event, answers: dict[str, Any]) -> dict[str, str]:
    clean = {}
    for q in event.questions or []:
        value = str(answers.get(q["key"], "") or "").strip()
        if q.get("type") == "choice" and value and value not in q.get("choices", []):
            raise EventError(_("「%(q)s」の回答を選択肢から選んでください") % {"q": q["label_ja"]})
        if q.get("required") and not value:
            raise EventError(_("「%(q)s」に回答してください") % {"q": q["label_ja"]})
        clean[q["key"]] = value[:1000]
    return clean


def registration_is_open(event: Event, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    if event.registration_opens_at and now < event.registration_opens_at:
        return False
    closes = event.registration_closes_at or event.starts_at
    return now < closes


@transaction.atomic
def registration_create(
    *,
    event: Event,
    name: str,
    email: str = "",
    phone: str = "",
    answers: dict[str, Any] | None = None,
    business=None,
    language: str = "ja",
    actor: Any = "public",
    is_synthetic: bool = False,
    check_window: bool = True,
) -> Registration:
    """Register one person. Safe under concurrency: the event row is locked, so the confirmed
    count read here cannot change until this transaction ends; over capacity → waitlisted."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if check_window and not registration_is_open(event):
        raise EventError(_("このイベントは申込を受け付けていません"))
    name = name.strip()
    if not name:
        raise EventError(_("氏名を入力してください"))
    clean = _clean_answers(event, answers or {})
    # With approval required, staff decide first; the seat (or the waitlist place) comes
    # with the approval.
    status = Registration.Status.PENDING if event.approval_required else _seat_or_wait(event)
    registration = Registration.objects.create(
        event=event,
        business=business,
        name=name[:100],
        email=email.strip(),
        phone=phone.strip()[:30],
        answers=clean,
        status=status,
        language="en" if language.startswith("en") else "ja",
        is_synthetic=is_synthetic,
    )
    audit(
        "events.registration.created",
        actor=actor,
        target=registration,
        data={"event": event.pk, "status": status},
    )
    if registration.email:
        pk = registration.pk
        transaction.on_commit(lambda: _mail(pk, "registered"))
    return registration


def _seat_or_wait(event: Event) -> str:
    """Confirmed while seats remain, else waitlisted. The caller holds the event's lock."""
    seated = event.registrations.filter(status__in=SEATED).count()
    if seated < event.capacity:
        return Registration.Status.CONFIRMED
    return Registration.Status.WAITLISTED


@transaction.atomic
def registration_approve(*, registration: Registration, actor: Any) -> Registration:
    """Approve a registration waiting for approval: a seat if one is free, else the end of
    the waitlist (in order of approval). The registrant is told either way."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status != Registration.Status.PENDING:
        raise EventError(_("承認待ちの申込だけ承認できます"))
    registration.status = _seat_or_wait(event)
    registration.decided_at = timezone.now()
    if registration.status == Registration.Status.WAITLISTED:
        # The waitlist is first come, first served from the moment of approval.
        registration.created_at = registration.decided_at
    registration.save(update_fields=["status", "decided_at", "created_at"])
    audit(
        "events.registration.approved",
        actor=actor,
        target=registration,
        data={"event": event.pk, "status": registration.status},
    )
    if registration.email:
        pk = registration.pk
        transaction.on_commit(lambda: _mail(pk, "approved"))
    return registration


@transaction.atomic
def registration_decline(
    *, registration: Registration, actor: Any, reason: str = ""
) -> Registration:
    """Decline a registration waiting for approval (e.g. outside the event's target)."""
    Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status != Registration.Status.PENDING:
        raise EventError(_("承認待ちの申込だけお断りにできます"))
    registration.status = Registration.Status.DECLINED
    registration.decided_at = timezone.now()
    registration.save(update_fields=["status", "decided_at"])
    audit(
        "events.registration.declined",
        actor=actor,
        target=registration,
        data={"event": registration.event_id, "reason": (reason or "").strip()[:300]},
    )
    if registration.email:
        pk = registration.pk
        transaction.on_commit(lambda: _mail(pk, "declined"))
    return registration


def registrations_remind(
    *, actor: Any, hours: int = 24, now: datetime.datetime | None = None
) -> int:
    """Send the reminder mail to confirmed registrants of events starting within `hours`.

    Each registration is claimed (reminder_sent_at set) in its own short transaction with
    SKIP LOCKED on PostgreSQL, so two workers running the job at once never mail anyone
    twice, and a failed mail is retried by the next run."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        anonymized_at__isnull=True,
        event__starts_at__gt=now,
        event__starts_at__lte=now + datetime.timedelta(hours=hours),
    ).exclude(email="")
    sent = send_once(
        Registration,
        due.values_list("pk", flat=True),
        stamp="reminder_sent_at",
        send=lambda pk: _mail(pk, "reminder"),
    )
    if sent:
        audit("events.registration.reminded", actor=actor, data={"count": sent, "hours": hours})
    return sent


def waiting_position(registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, status=Registration.Status.WAITLISTED
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, id__lt=registration.id)
    )
    return ahead.count() + 1


@transaction.atomic
def registration_cancel(*, token: str, actor: Any = "public") -> Registration:
    """Cancel by the registrant's token; a freed seat goes to the first person waiting."""
    found = Registration.objects.filter(token=token).only("event_id").first()
    if found is None:
        raise EventError(_("申込が見つかりません"))
    event = Event.objects.select_for_update().get(pk=found.event_id)
    registration = Registration.objects.get(pk=found.pk)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    if registration.status == Registration.Status.ATTENDED:
        raise EventError(_("出席済みの申込は取り消せません"))
    if registration.status == Registration.Status.DECLINED:
        raise EventError(_("お断りした申込は取り消せません"))
    was_seated = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    audit("events.registration.cancelled", actor=actor, target=registration, data={})
    if was_seated:
        _promote(event, actor=actor)
    return registration


def _promote(event: Event, *, actor: Any) -> Registration | None:
    seated = event.registrations.filter(status__in=SEATED).count()
    if seated >= event.capacity:
        return None
    first = (
        event.registrations.filter(status=Registration.Status.WAITLISTED)
        .order_by("created_at", "id")
        .first()
    )
    if first is None:
        return None
    first.status = Registration.Status.CONFIRMED
    first.save(update_fields=["status"])
    audit("events.registration.promoted", actor=actor, target=first, data={"event": event.pk})
    if first.email:
        pk = first.pk
        transaction.on_commit(lambda: _mail(pk, "promoted"))
    return first


@transaction.atomic
def registration_attend(*, registration: Registration, actor: Any) -> Registration:
    """Mark as attended; a registration for a business becomes a support record."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_related("business").get(pk=registration.pk)
    if registration.status == Registration.Status.ATTENDED:
        return registration
    if registration.status != Registration.Status.CONFIRMED:
        raise EventError(_("参加確定の申込だけ出席にできます"))
    registration.status = Registration.Status.ATTENDED
    registration.attended_at = timezone.now()
    registration.save(update_fields=["status", "attended_at"])
    audit("events.registration.attended", actor=actor, target=registration, data={})
    if registration.business_id:
        from sangyo.registry.services import support_record_create

        support_record_create(
            business=registration.business,
            program=event.program,
            date=timezone.localdate(event.starts_at),
            kind="event",
            actor=actor,
            summary=event.title_ja,
            source=f"events.registration:{registration.pk}",
            is_synthetic=event.is_synthetic,
        )
    return registration


@transaction.atomic
def survey_submit(
    *, registration: Registration, rating: int, comment: str = "", actor: Any = "public"
) -> SurveyResponse:
    if registration.status == Registration.Status.CANCELLED:
        raise EventError(_("取り消した申込ではアンケートに回答できません"))
    if registration.status not in SEATED:
        raise EventError(_("アンケートは参加が確定した方にお願いしています"))
    if timezone.now() < registration.event.starts_at:
        raise EventError(_("アンケートはイベントの開始後に回答できます"))
    if not 1 <= int(rating) <= 5:
        raise EventError(_("満足度は1から5で選んでください"))
    if SurveyResponse.objects.filter(registration=registration).exists():
        raise EventError(_("アンケートには回答済みです"))
    response = SurveyResponse.objects.create(
        registration=registration, rating=int(rating), comment=comment.strip()[:2000]
    )
    audit(
        "events.survey.submitted",
        actor=actor,
        target=registration,
        data={"rating": response.rating},
    )
    return response


@transaction.atomic
def registrations_purge(
    *, days: int = 365, actor: Any, now: datetime.datetime | None = None
) -> int:
    """Anonymise personal fields of registrations whose event ended more than `days` ago.
    Counts, statuses and ratings stay; running it again changes nothing."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    rows = Registration.objects.filter(event__ends_at__lt=cutoff, anonymized_at__isnull=True)
    ids = list(rows.values_list("id", flat=True))
    if not ids:
        return 0
    stamp = timezone.now()
    Registration.objects.filter(id__in=ids).update(
        name=ANONYMIZED_NAME, email="", phone="", answers={}, anonymized_at=stamp
    )
    SurveyResponse.objects.filter(registration_id__in=ids).update(comment="")
    audit(
        "events.registration.purged",
        actor=actor,
        data={"count": len(ids), "days": days, "cutoff": cutoff.isoformat()},
    )
    return len(ids)


def _mail(registration_id: int, what: str) -> None:
    from .notifications import send_registration_mail

    send_registration_mail(registration_id=registration_id, what=what)


def events_guard(programs) -> list[str]:
    """Refuse a strategy load that would delete programs events point to."""
    from django.db.models import Count

    rows = (
        Event.objects.filter(program__in=programs)
        .values("program__code", "program__name_ja")
        .annotate(n=Count("id"))
        .order_by("program__code")
    )
    return [
        _("事業「%(code)s %(name)s」にはイベントが%(n)s件あります")
        % {"code": r["program__code"], "name": r["program__name_ja"], "n": r["n"]}
        for r in rows
    ]

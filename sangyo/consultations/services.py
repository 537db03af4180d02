"""Every write to consultations. Keyword-only, atomic, audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangyo.core.audit import audit
from sangyo.core.errors import DomainError
from sangyo.core.once import send_once

from .models import AREAS, CATEGORY_CODES, Booking, Case, FollowUp, Referral, Session, Slot

AREA_CODES = [c for c, _label in AREAS]
# A business founded less than this many years before a session counts as a founder.
FOUNDER_YEARS = 5


class ConsultationError(DomainError):
    pass


@transaction.atomic
def slot_create(
    *,
    desk,
    starts: datetime.datetime,
    ends: datetime.datetime,
    actor: Any,
    expert=None,
    online: bool = False,
    place: str = "",
) -> Slot:
    if ends <= starts:
        raise ConsultationError(_("終了は開始より後にしてください"))
    slot = Slot.objects.create(
        desk=desk, expert=expert, starts=starts, ends=ends, online=online, place=place[:200]
    )
    audit("consultations.slot.created", actor=actor, target=slot, data={"desk": desk.pk})
    return slot


def booking_create(
    *,
    slot: Slot,
    business,
    actor: Any,
    name: str,
    email: str = "",
    topic: str = "",
    language: str = "ja",
) -> Booking:
    """Book an open slot. The slot row is locked, so parallel requests queue; the partial
    unique constraint refuses a second live booking even if a caller skips the lock."""
    try:
        with transaction.atomic():
            locked = Slot.objects.select_for_update().get(pk=slot.pk)
            if locked.status != Slot.Status.OPEN:
                raise ConsultationError(
                    _("この相談枠はすでに予約されているか、受付を終了しています")
                )
            if locked.starts <= timezone.now():
                raise ConsultationError(_("開始時刻を過ぎた相談枠は予約できません"))
            booking = Booking.objects.create(
                slot=locked,
                business=business,
                booked_by=actor if getattr(actor, "pk", None) else None,
                name=name.strip()[:100],
                email=email.strip(),
                topic=topic.strip()[:1000],
                language="en" if language == "en" else "ja",
            )
            locked.status = Slot.Status.BOOKED
            locked.save(update_fields=["status"])
            audit(
                "consultations.booking.created",
                actor=actor,
                target=booking,
                data={"slot": locked.pk, "business": business.pk},
            )
            from .notifications import send_booking_mail

            booking_id = booking.pk
            transaction.on_commit(lambda: send_booking_mail(booking_id=booking_id, action="booked"))
    except IntegrityError as exc:
        raise ConsultationError(_("この相談枠はすでに予約されています")) from exc
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, actor: Any) -> Booking:
    """Cancel a booking and free its slot (if the slot has not started)."""
    booking = Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
    if booking.status != Booking.Status.BOOKED:
        raise ConsultationError(_("この予約は取り消せません"))
    slot = Slot.objects.select_for_update().get(pk=booking.slot_id)
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    if slot.status == Slot.Status.BOOKED:
        slot.status = Slot.Status.OPEN
        slot.save(update_fields=["status"])
    audit("consultations.booking.cancelled", actor=actor, target=booking, data={"slot": slot.pk})
    from .notifications import send_booking_mail

    transaction.on_commit(lambda: send_booking_mail(booking_id=booking.pk, action="cancelled"))
    return booking


@transaction.atomic
def case_create(
    *,
    business,
    program,
    title: str,
    actor: Any,
    categories: list[str] | None = None,
    owner=None,
    plan: list[dict] | None = None,
    is_synthetic: bool = False,
) -> Case:
    title = (title or "").strip()
    if not title:
        raise ConsultationError(_("件名を入力してください"))
    unknown = set(categories or []) - set(CATEGORY_CODES)
    if unknown:
        raise ConsultationError(_("課題の分類が正しくありません"))
    case = Case.objects.create(
        business=business,
        program=program,
        title=title[:200],
        owner=owner,
        categories=[c for c in CATEGORY_CODES if c in set(categories or [])],
        plan=clean_plan(plan or []),
        is_synthetic=is_synthetic,
    )
    audit("consultations.case.created", actor=actor, target=case, data={"business": business.pk})
    return case


PLAN_MAX_DAYS = 730


def clean_plan(plan: list[dict]) -> list[dict]:
    """Validate a follow-up plan: offsets of 1–730 days after the first session, each once,
    in order, with an optional note of up to 300 characters."""
    seen: set[int] = set()
    out = []
    for step in plan:
        try:
            days = int(step.get("days"))
        except (TypeError, ValueError, OverflowError, AttributeError):
            raise ConsultationError(_("フォローアップ計画の日数は整数で入力してください")) from None
        if not 1 <= days <= PLAN_MAX_DAYS:
            raise ConsultationError(
                _("フォローアップ計画の日数は1から%(max)s日の間で入力してください")
                % {"max": PLAN_MAX_DAYS}
            )
        if days in seen:
            raise ConsultationError(
                _("フォローアップ計画に同じ日数（%(days)s日後）が重複しています") % {"days": days}
            )
        seen.add(days)
        out.append({"days": days, "note": str(step.get("note") or "").strip()[:300]})
    return sorted(out, key=lambda s: s["days"])


def _plan_follow_ups(case: Case, first: Session) -> list[FollowUp]:
    """Create the follow-ups of the case plan that do not exist yet, counted from the first
    session's date."""
    existing = set(
        case.follow_ups.filter(plan_days__isnull=False).values_list("plan_days", flat=True)
    )
    made = []
    for step in case.plan:
        if step["days"] in existing:
            continue
        made.append(
            FollowUp.objects.create(
                case=case,
                session=first,
                kind=FollowUp.Kind.FOLLOW_UP,
                due=first.date + datetime.timedelta(days=step["days"]),
                note=step["note"]
                or _("初回相談から%(n)s日後のフォローアップ") % {"n": step["days"]},
                plan_days=step["days"],
            )
        )
    return made


@transaction.atomic
def case_plan_set(*, case: Case, plan: list[dict], actor: Any) -> Case:
    """Change a case's follow-up plan. Steps already scheduled stay (mark them done or not as
    they happen); new offsets are scheduled at once when the first session exists."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == Case.Status.CLOSED:
        raise ConsultationError(_("終了した案件の計画は変更できません"))
    case.plan = clean_plan(plan)
    case.save(update_fields=["plan"])
    first = case.sessions.order_by("date", "id").first()
    made = _plan_follow_ups(case, first) if first else []
    audit(
        "consultations.case.plan_set",
        actor=actor,
        target=case,
        data={"plan": [s["days"] for s in case.plan], "scheduled": len(made)},
    )
    return case


@transaction.atomic
def case_close(*, case: Case, outcome: str, actor: Any, on: datetime.date | None = None) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == Case.Status.CLOSED:
        raise ConsultationError(_("この案件はすでに終了しています"))
    outcome = (outcome or "").strip()
    if not outcome:
        raise ConsultationError(_("終了時の成果を入力してください"))
    case.status = Case.Status.CLOSED
    case.outcome = outcome[:1000]
    case.closed_on = on or timezone.localdate()
    case.save(update_fields=["status", "outcome", "closed_on"])
    audit("consultations.case.closed", actor=actor, target=case, data={})
    return case


def is_founder(business, on: datetime.date) -> bool:
    """Pre-founding, or founded less than FOUNDER_YEARS years before `on`."""
    if business.corporate_type == "pre_founding":
        return True
    founded = business.date_of_establishment
    if founded is None:
        return False
    try:
        limit = founded.replace(year=founded.year + FOUNDER_YEARS)
    except ValueError:  # 29 February
        limit = founded.replace(year=founded.year + FOUNDER_YEARS, day=28)
    return on < limit


@transaction.atomic
def session_record(
    *,
    case: Case,
    date: datetime.date,
    actor: Any,
    booking: Booking | None = None,
    expert=None,
    notes: str = "",
    areas: list[str] | None = None,
    follow_up_days: int | None = None,
    is_synthetic: bool = False,
) -> Session:
    """Record a session: a SupportRecord (kind consultation) on the desk's or case's program,
    a founder session when the business is a founder and areas are given, the booking marked
    done, and an optional follow-up `follow_up_days` after the session."""
    from sangyo.registry.services import support_record_create

    case = Case.objects.select_for_update().select_related("business", "program").get(pk=case.pk)
    if case.status == Case.Status.CLOSED:
        raise ConsultationError(_("終了した案件には記録できません"))
    if date is None:
        raise ConsultationError(_("相談日を入力してください"))
    if date > timezone.localdate():
        raise ConsultationError(_("相談日に未来の日付は入力できません"))
    unknown = set(areas or []) - set(AREA_CODES)
    if unknown:
        raise ConsultationError(_("創業支援の分野が正しくありません"))
    areas = [a for a in AREA_CODES if a in set(areas or [])]
    program = case.program
    if booking is not None:
        booking = (
            Booking.objects.select_for_update().select_related("slot__desk").get(pk=booking.pk)
        )
        if booking.business_id != case.business_id:
            raise ConsultationError(_("予約の事業者と案件の事業者が異なります"))
        if booking.status == Booking.Status.CANCELLED:
            raise ConsultationError(_("取り消された予約には記録できません"))
        program = booking.slot.desk.program
        expert = expert or booking.slot.expert
    session = Session.objects.create(
        case=case,
        booking=booking,
        date=date,
        expert=expert,
        notes=(notes or "").strip()[:2000],
        areas=areas,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    if booking is not None and booking.status == Booking.Status.BOOKED:
        booking.status = Booking.Status.DONE
        booking.save(update_fields=["status"])
    source = f"consultations.session:{session.pk}"
    support_record_create(
        business=case.business,
        program=program,
        date=date,
        kind="consultation",
        actor=actor,
        summary=case.title,
        source=source,
        partner=expert.partner if expert else None,
        is_synthetic=is_synthetic or case.is_synthetic,
    )
    if areas and is_founder(case.business, date):
        from sangyo.applications.founders import founder_session_record

        founder_session_record(
            business=case.business,
            date=date,
            areas=areas,
            provider=expert.partner if expert else None,
            note=case.title[:300],
            source=source,
            actor=actor,
            is_synthetic=is_synthetic or case.is_synthetic,
        )
    if case.plan and not case.sessions.exclude(pk=session.pk).exists():
        _plan_follow_ups(case, session)
    if follow_up_days:
        FollowUp.objects.create(
            case=case,
            session=session,
            due=date + datetime.timedelta(days=follow_up_days),
            note=_("相談から%(n)s日後のフォローアップ") % {"n": follow_up_days},
        )
    audit(
        "consultations.session.recorded",
        actor=actor,
        target=session,
        data={"case": case.pk, "areas": areas, "booking": booking.pk if booking else None},
    )
    return session


@transaction.atomic
def follow_up_add(
    *,
    case: Case,
    due: datetime.date,
    note: str,
    actor: Any,
    kind: str = FollowUp.Kind.FOLLOW_UP,
    assignee: str = FollowUp.Assignee.CITY,
) -> FollowUp:
    """Add a follow-up or an action (what someone agreed to do, by when)."""
    if due is None:
        raise ConsultationError(_("期日を入力してください"))
    if kind not in FollowUp.Kind.values:
        raise ConsultationError(_("種類を選んでください"))
    if assignee not in FollowUp.Assignee.values:
        raise ConsultationError(_("実施者を選んでください"))
    note = (note or "").strip()
    if kind == FollowUp.Kind.ACTION and not note:
        raise ConsultationError(_("アクションの内容を入力してください"))
    if case.status == Case.Status.CLOSED:
        raise ConsultationError(_("終了した案件には追加できません"))
    fu = FollowUp.objects.create(case=case, due=due, note=note[:300], kind=kind, assignee=assignee)
    audit(
        "consultations.follow_up.created",
        actor=actor,
        target=fu,
        data={"case": case.pk, "kind": kind, "assignee": assignee},
    )
    return fu


@transaction.atomic
def follow_up_done(*, follow_up: FollowUp, actor: Any, on: datetime.date | None = None) -> FollowUp:
    fu = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if not fu.done:
        fu.done = True
        fu.done_on = on or timezone.localdate()
        fu.save(update_fields=["done", "done_on"])
        audit("consultations.follow_up.done", actor=actor, target=fu, data={"case": fu.case_id})
    return fu


@transaction.atomic
def referral_create(
    *, case: Case, partner, date: datetime.date, actor: Any, note: str = ""
) -> Referral:
    """Refer the case's business to a partner organisation; counted as support (referral)."""
    from sangyo.registry.services import support_record_create

    if date is None:
        raise ConsultationError(_("紹介日を入力してください"))
    if date > timezone.localdate():
        raise ConsultationError(_("紹介日に未来の日付は入力できません"))
    referral = Referral.objects.create(
        case=case, partner=partner, date=date, note=(note or "").strip()[:300]
    )
    support_record_create(
        business=case.business,
        program=case.program,
        date=date,
        kind="referral",
        actor=actor,
        summary=f"{partner.name}: {case.title}",
        source=f"consultations.referral:{referral.pk}",
        partner=partner,
        is_synthetic=case.is_synthetic,
    )
    audit("consultations.referral.created", actor=actor, target=referral, data={"case": case.pk})
    return referral


@transaction.atomic
def referral_outcome(
    *, referral: Referral, outcome: str, actor: Any, on: datetime.date | None = None
) -> Referral:
    if outcome not in Referral.Outcome.values or outcome == Referral.Outcome.PENDING:
        raise ConsultationError(_("結果を選んでください"))
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    referral.outcome = outcome
    referral.outcome_date = on or timezone.localdate()
    referral.save(update_fields=["outcome", "outcome_date"])
    audit(
        "consultations.referral.outcome",
        actor=actor,
        target=referral,
        data={"outcome": outcome},
    )
    return referral


def bookings_remind(*, actor: Any, hours: int = 24, now: datetime.datetime | None = None) -> int:
    """Send the reminder mail for live bookings whose slot starts within `hours`.

    Each booking is claimed (reminder_sent_at set) in its own short transaction with SKIP
    LOCKED on PostgreSQL, so two workers running the job at once never mail anyone twice;
    a mail that fails rolls its claim back and the next run retries it."""
    from .notifications import send_booking_mail

    now = now or timezone.now()
    due = Booking.objects.filter(
        status=Booking.Status.BOOKED,
        reminder_sent_at__isnull=True,
        slot__starts__gt=now,
        slot__starts__lte=now + datetime.timedelta(hours=hours),
    ).exclude(email="")
    sent = send_once(
        Booking,
        due.values_list("pk", flat=True),
        stamp="reminder_sent_at",
        send=lambda pk: send_booking_mail(booking_id=pk, action="reminder"),
    )
    if sent:
        audit("consultations.booking.reminded", actor=actor, data={"count": sent, "hours": hours})
    return sent

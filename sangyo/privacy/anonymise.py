"""Carrying out a deletion request: anonymisation that keeps every statistic.

Rows stay, with their business links, dates, amounts and statuses, so every count and sum
the platform reports (support records, evaluation outputs, attendance, the registry's
counts) is the same before and after. What goes: names, e-mail addresses, telephone numbers
and free text the person wrote or that names them.

`run(person, apply=False)` is the preview (a dry run that counts what would change);
`run(person, apply=True)` does the same steps for real. Both walk one list of steps, so the
preview cannot drift from what is applied. Call `apply=True` only inside a transaction
(`services.request_apply` does).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import person as where
from .person import Person, anonymised_email, is_anonymised_email, placeholder

# Application states after a decision: their documents are public-money records and are kept
# for the retention period of rule "applications.document" (補助金等の交付に関する書類).
DECIDED_STATES = frozenset(
    {
        "adopted",
        "grant_decided",
        "reported",
        "amount_fixed",
        "paid",
        "closed",
        "certified",
        "expired",
        "issued",
    }
)
DOCUMENT_RETENTION_DEFAULT_DAYS = 5 * 365

# Free text written about businesses and cases that may name the person: only the
# occurrences of their name, address or telephone number are replaced.
REDACT_FIELDS: list[tuple[str, list[str]]] = [
    ("applications.Application", ["decision_reason"]),
    ("applications.StatusChange", ["note"]),
    ("applications.Review", ["comment", "conflict_note"]),
    ("applications.FounderSession", ["note"]),
    ("consultations.Booking", ["topic"]),
    ("consultations.Case", ["title", "outcome"]),
    ("consultations.Session", ["notes"]),
    ("consultations.FollowUp", ["note"]),
    ("consultations.Referral", ["note"]),
    (
        "diagnostics.Diagnosis",
        ["note_owner", "note_business", "note_environment", "note_internal", "note_flow"],
    ),
    ("events.SurveyResponse", ["comment"]),
    ("matching.Interest", ["message"]),
    ("matching.Message", ["body"]),
    ("matching.Introduction", ["note"]),
    ("matching.Deal", ["summary"]),
    ("matching.PropertyProposal", ["note"]),
    ("matching.AbuseReport", ["reason", "resolution"]),
    ("registry.Business", ["representative_name", "notes"]),
    ("registry.SupportRecord", ["summary", "outcome"]),
    ("privacy.PersonalDataRequest", ["subject_name", "reason", "staff_notes"]),
]


@dataclass
class Step:
    key: str
    label: Any  # lazy text
    count: int
    what: Any = ""


@dataclass
class Kept:
    label: Any
    count: int
    reason: str


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)
    files_deleted: int = 0

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for s in self.steps:
            counts[s.key] = counts.get(s.key, 0) + s.count
        return counts

    @property
    def total(self) -> int:
        return sum(s.count for s in self.steps)

    def retained_note(self) -> str:
        return "\n".join(f"{k.label}: {k.count} — {k.reason}" for k in self.kept)


# --- redaction ----------------------------------------------------------------------------


class Redactor:
    """Replaces the person's names, addresses and telephone numbers inside a text."""

    def __init__(self, p: Person, replacement: str):
        names, phones = where.identifiers(p)
        self.replacement = replacement
        self.needles: set[str] = set(p.emails) | names | phones
        for n in names:
            self.needles.add(re.sub(r"[\s\u3000]+", "", n))
        for ph in phones:
            self.needles.add(re.sub(r"\D", "", ph))
        self.needles = {n for n in self.needles if len(n) >= 2}
        patterns = []
        for email in p.emails:
            patterns.append(re.escape(email))
        for n in names:
            parts = [re.escape(x) for x in re.split(r"[\s\u3000]+", n) if x]
            patterns.append(r"[\s\u3000]*".join(parts))
        for ph in phones:
            digits = re.sub(r"\D", "", ph)
            if len(digits) >= 6:
                patterns.append(r"[-‐ー－\s()（）]?".join(digits))
        patterns.sort(key=len, reverse=True)
        self.regex = re.compile("|".join(patterns), re.IGNORECASE) if patterns else None

    def __bool__(self) -> bool:
        return self.regex is not None

    def text(self, value: str) -> str:
        if not self.regex or not value:
            return value
        return self.regex.sub(self.replacement, value)

    def json(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(v) for v in value]
        if isinstance(value, dict):
            return {k: self.json(v) for k, v in value.items()}
        return value

    def q(self, field_name: str) -> Q:
        return reduce(or_, (Q(**{f"{field_name}__icontains": n}) for n in sorted(self.needles)))


# --- the steps ----------------------------------------------------------------------------


def document_retention_days() -> int:
    from .models import RetentionRule

    rule = RetentionRule.objects.filter(kind="applications.document").first()
    return rule.days if rule else DOCUMENT_RETENTION_DEFAULT_DAYS


def _retained_until(application, days: int) -> datetime.date | None:
    """The last day this application's documents must be kept, or None when they need not."""
    if application.status not in DECIDED_STATES:
        return None
    since = application.decided_at or application.updated_at
    until = timezone.localtime(since).date() + datetime.timedelta(days=days)
    return until if until >= timezone.localdate() else None


def run(p: Person, *, apply: bool, actor: Any = "system", reason: str = "") -> Plan:
    plan = Plan()
    if p.empty:
        return plan
    mark = placeholder(p)
    redactor = Redactor(p, mark)  # built before anything changes: it reads the names given
    now = timezone.now()

    # The account: unusable, its address no longer the person's.
    u = p.user
    if u is not None and not is_anonymised_email(u.email):
        if apply:
            u.name = mark
            u.email = anonymised_email("user", u.pk)
            u.set_unusable_password()
            u.is_active = False
            u.save()
        plan.steps.append(
            Step(
                "accounts.user", _("アカウント"), 1, _("氏名・メールアドレス、無効化・ログイン不可")
            )
        )

    _login_records(p, plan, apply=apply)

    delegations = where.delegations(p).filter(revoked_at__isnull=True)
    n = delegations.count()
    if n:
        if apply:
            delegations.update(revoked_at=now)
        plan.steps.append(Step("registry.delegation", _("代理申請の委任"), n, _("取消")))

    contacts = list(where.contacts(p).filter(anonymized_at__isnull=True))
    if contacts:
        if apply:
            from sangyo.registry.services import contact_anonymize

            for c in contacts:
                contact_anonymize(contact=c, actor=actor, reason=reason or "privacy request")
        plan.steps.append(
            Step(
                "registry.contact",
                _("事業者の連絡先"),
                len(contacts),
                _("氏名・フリガナ・役職・メールアドレス・電話番号"),
            )
        )

    # Bookings given with their address, and those they made without one or in their own
    # name (a booking they made for a colleague is the colleague's data).
    own = p.email_q() | (p.user_q("booked_by") & (Q(email="") | Q(name__in=sorted(p.names))))
    bookings = where.bookings(p).filter(own).exclude(name__startswith=where.PLACEHOLDER)
    n = bookings.count()
    if n:
        if apply:
            from sangyo.consultations.models import Booking

            Booking.objects.filter(pk__in=list(bookings.values_list("pk", flat=True))).update(
                name=mark, email="", topic=""
            )
        plan.steps.append(
            Step("consultations.booking", _("相談予約"), n, _("相談者名・メールアドレス・相談内容"))
        )

    regs = where.registrations(p).filter(anonymized_at__isnull=True)
    ids = list(regs.values_list("pk", flat=True))
    if ids:
        if apply:
            from sangyo.events.models import Registration, SurveyResponse

            Registration.objects.filter(pk__in=ids).update(
                name=mark, email="", phone="", answers={}, anonymized_at=now
            )
            SurveyResponse.objects.filter(registration_id__in=ids).update(comment="")
        plan.steps.append(
            Step(
                "events.registration",
                _("イベントの申込・アンケート"),
                len(ids),
                _("氏名・メールアドレス・電話番号・回答・感想（満足度と出欠は残す）"),
            )
        )

    jobs = list(where.job_applications(p).values_list("pk", flat=True))
    if jobs:
        if apply:
            from sangyo.matching.models import JobApplication

            for pk in jobs:
                JobApplication.objects.filter(pk=pk).update(
                    name=mark, email=anonymised_email("jobapplication", pk), message=mark
                )
        plan.steps.append(
            Step(
                "matching.jobapplication",
                _("求人への応募"),
                len(jobs),
                _("氏名・メールアドレス・メッセージ（状態は残す）"),
            )
        )

    enquiries = list(where.property_enquiries(p).values_list("pk", flat=True))
    if enquiries:
        if apply:
            from sangyo.matching.models import PropertyEnquiry

            for pk in enquiries:
                PropertyEnquiry.objects.filter(pk=pk).update(
                    name=mark, email=anonymised_email("enquiry", pk), phone="", message=mark
                )
        plan.steps.append(
            Step(
                "matching.propertyenquiry",
                _("物件への問い合わせ"),
                len(enquiries),
                _("氏名・メールアドレス・電話番号・内容"),
            )
        )

    reqs = where.requests(p).filter(p.email_q("subject_email"))
    n = reqs.count()
    if n:
        if apply:
            reqs.update(subject_email="")
        plan.steps.append(
            Step("privacy.request", _("個人情報の請求"), n, _("本人のメールアドレス"))
        )

    _applications(p, plan, redactor, apply=apply)
    _redact_free_text(plan, redactor, apply=apply)
    _certificates(p, plan, redactor)
    return plan


def _login_records(p: Person, plan: Plan, *, apply: bool) -> None:
    """Two-factor devices go with the account; the login lock-out logs (django-axes) keep
    their rows for security but no longer name the person."""
    if p.user is not None:
        for label in ("otp_totp.TOTPDevice", "otp_static.StaticDevice"):
            if not apps.is_installed(
                label.split(".")[0].replace("otp_", "django_otp.plugins.otp_")
            ):
                continue
            devices = apps.get_model(label).objects.filter(user=p.user)
            n = devices.count()
            if n:
                if apply:
                    devices.delete()
                plan.steps.append(Step("accounts.device", _("二段階認証の機器"), n, _("削除")))
    if not apps.is_installed("axes") or not p.emails:
        return
    for label in ("axes.AccessLog", "axes.AccessAttempt", "axes.AccessFailureLog"):
        model = apps.get_model(label)
        rows = model.objects.filter(p.email_q("username"))
        n = rows.count()
        if n:
            if apply:
                for pk in list(rows.values_list("pk", flat=True)):
                    model.objects.filter(pk=pk).update(username=anonymised_email("login", pk))
            plan.steps.append(
                Step(
                    "accounts.login_log",
                    _("ログインの記録"),
                    n,
                    _("ログインに使ったメールアドレス"),
                )
            )


def _applications(p: Person, plan: Plan, redactor: Redactor, *, apply: bool) -> None:
    from sangyo.applications.models import Application, Document

    days = document_retention_days()
    answers_changed = 0
    docs_to_delete: list[Document] = []
    kept_docs = 0
    kept_numbers: list[str] = []
    for a in where.applications(p):
        until = _retained_until(a, days)
        documents = list(a.documents.all())
        if until is not None:
            if documents or a.answers:
                kept_docs += len(documents)
                kept_numbers.append(f"{a.number}（{until.isoformat()}まで）")
            continue
        new = redactor.json(a.answers)
        if new != a.answers:
            answers_changed += 1
            if apply:
                Application.objects.filter(pk=a.pk).update(answers=new)
        docs_to_delete.extend(documents)
    if answers_changed:
        plan.steps.append(
            Step(
                "applications.application",
                _("申請の回答"),
                answers_changed,
                _("回答中の氏名・メールアドレス・電話番号"),
            )
        )
    if docs_to_delete:
        if apply:
            for d in docs_to_delete:
                d.file.delete(save=False)
            Document.objects.filter(pk__in=[d.pk for d in docs_to_delete]).delete()
            plan.files_deleted += len(docs_to_delete)
        plan.steps.append(
            Step(
                "applications.document",
                _("提出書類（採択・交付決定のないもの）"),
                len(docs_to_delete),
                _("ファイルと記録を削除"),
            )
        )
    if kept_numbers:
        plan.kept.append(
            Kept(
                _("採択・交付決定・認定を受けた申請の回答と提出書類"),
                kept_docs,
                "補助金等の交付に関する書類の保存期間中のため保存（保存期間は市が定める）: "
                + "、".join(kept_numbers),
            )
        )


def _redact_free_text(plan: Plan, redactor: Redactor, *, apply: bool) -> None:
    if not redactor or not redactor.needles:
        return
    for label, fields in REDACT_FIELDS:
        model = apps.get_model(label)
        q = reduce(or_, (redactor.q(f) for f in fields))
        rows = list(model.objects.filter(q).only("pk", *fields))
        changed = 0
        for row in rows:
            updates = {}
            for f in fields:
                old = getattr(row, f) or ""
                new = redactor.text(old)
                if new != old:
                    limit = model._meta.get_field(f).max_length
                    updates[f] = new[:limit] if limit else new
            if updates:
                changed += 1
                if apply:
                    model.objects.filter(pk=row.pk).update(**updates)
        if changed:
            plan.steps.append(
                Step(
                    label.lower(),
                    model._meta.verbose_name,
                    changed,
                    _("記述中の氏名・メールアドレス・電話番号を置換"),
                )
            )


def _certificates(p: Person, plan: Plan, redactor: Redactor) -> None:
    """Founder certificates are issued documents: they are kept, and the request says so."""
    from sangyo.applications.models import FounderCertificate

    if not redactor or not redactor.needles:
        return
    n = FounderCertificate.objects.filter(redactor.q("holder_name")).count()
    if n:
        plan.kept.append(
            Kept(
                _("特定創業支援等事業の証明書"),
                n,
                "交付した証明書の控えとして保存（保存期間は市が定める）",
            )
        )

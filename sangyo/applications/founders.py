"""特定創業支援等事業 (founder support under 産業競争力強化法): the sessions a founder attends,
the rule for the certificate, and issuing it.

The rule (the city's 創業支援等事業計画; see shared/reference/japan-rules.md):

* all four areas — 経営・財務・人材育成・販路開拓 — covered by the sessions attended;
* at least 4 sessions (records; one record may cover several areas);
* over at least one month, counted by the calendar: the span is complete when the last
  session falls on or after the same day of the following month. The first session's day
  counts as the first day of the month (as `registry.classification.years_completed_on`
  counts years), so a first session on 2025-04-15 makes the founder eligible from a session
  on 2025-05-15; one on 2025-05-14 is not enough. When the following month has no such day
  (31 January → 31 February), the month ends on the last day of that month (民法第143条第2項)
  and a session from the next day counts (2025-01-31 → 2025-03-01);
* the founder is about to found (創業予定者) or has been in business for under 5 years on
  the day of issue (`registry.classification.founder_stage`).

Issuing writes the certificate with the next number of its fiscal year (「つ産振第R7-0001号」),
and a support record of kind "certificate" on program 10-1, which the founders KPI and the
measure's output indicators count. Services follow the project's rules: keyword-only,
atomic, audited.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sangyo.accounts.models import Role
from sangyo.core.audit import audit
from sangyo.core.errors import DomainError
from sangyo.core.fiscal import fiscal_year
from sangyo.core.wareki import era_of, format_date_ja

from .models import FounderCertificate, FounderSession


class FounderError(DomainError):
    pass


# -- data ------------------------------------------------------------------------------------

AREA_CODES: tuple[str, ...] = tuple(code for code, _label in FounderSession.AREAS)
AREA_LABELS: dict[str, object] = dict(FounderSession.AREAS)
REQUIRED_SESSIONS = 4
FOUNDER_YEARS = 5
# The strategy program whose output indicators count certificates (つくば市創業支援等事業計画に
# 基づく支援). A support record of kind "certificate" is written on it for every certificate.
FOUNDER_PROGRAM_CODE = "10-1"


@dataclass(frozen=True)
class Issuer:
    """Who issues the certificate in a municipality, as printed on it."""

    number_prefix: str  # 「つ産振」 in 「つ産振第R7-0001号」
    title: str  # the issuer's title printed above the seal
    plan: str  # the name of the city's 創業支援等事業計画


# Keyed by 全国地方公共団体コード (the 5-digit form; a 6-digit code with its check digit is
# looked up by its first 5 digits). Data, not settings: another city adds a row.
ISSUERS: dict[str, Issuer] = {
    "08220": Issuer(
        # [U] The city's real number prefix is not published. 「つ産振」 (つくば市経済部
        # 産業振興課) is an assumption the city must confirm before certificates are issued.
        number_prefix="つ産振",
        title="つくば市長",
        plan="つくば市創業支援等事業計画",
    ),
}
DEFAULT_ISSUER = Issuer(number_prefix="", title="市長", plan="創業支援等事業計画")


def issuer_for(municipality_code: str | None) -> Issuer:
    return ISSUERS.get((municipality_code or "")[:5], DEFAULT_ISSUER)


def current_issuer() -> Issuer:
    from sangyo.strategy.models import Strategy

    code = (
        Strategy.objects.filter(is_current=True).values_list("municipality_code", flat=True).first()
    )
    return issuer_for(code)


# -- the rule --------------------------------------------------------------------------------


def one_month_after(d: datetime.date) -> datetime.date:
    """The first day on which one calendar month since `d` has passed (see the module's
    docstring): 2025-04-15 → 2025-05-15, 2025-01-31 → 2025-03-01, 2024-01-30 → 2024-03-01,
    2025-12-31 → 2026-01-31."""
    year, month = (d.year, d.month + 1) if d.month < 12 else (d.year + 1, 1)
    try:
        return d.replace(year=year, month=month)
    except ValueError:
        # No such day in the next month (only months shorter than 31 days, so never December).
        return datetime.date(year, month + 1, 1)


@dataclass(frozen=True)
class AreaProgress:
    code: str
    label: str
    sessions: tuple[FounderSession, ...]

    @property
    def covered(self) -> bool:
        return bool(self.sessions)

    @property
    def dates(self) -> list[datetime.date]:
        return sorted({s.date for s in self.sessions})


@dataclass(frozen=True)
class Progress:
    """Where a founder stands against the certificate rule on a given day."""

    on: datetime.date
    areas: tuple[AreaProgress, ...]
    sessions: tuple[FounderSession, ...]
    first_date: datetime.date | None
    last_date: datetime.date | None
    stage: object  # registry.classification.Stage
    certificate: FounderCertificate | None

    @property
    def session_count(self) -> int:
        return len(self.sessions)

    @property
    def covered_areas(self) -> list[str]:
        return [a.code for a in self.areas if a.covered]

    @property
    def missing_areas(self) -> list[str]:
        return [a.code for a in self.areas if not a.covered]

    @property
    def eligible_from(self) -> datetime.date | None:
        """The day from which a session completes the one-month span."""
        return one_month_after(self.first_date) if self.first_date else None

    @property
    def areas_met(self) -> bool:
        return not self.missing_areas

    @property
    def sessions_met(self) -> bool:
        return self.session_count >= REQUIRED_SESSIONS

    @property
    def span_met(self) -> bool:
        return self.last_date is not None and self.last_date >= self.eligible_from

    @property
    def rule_met(self) -> bool:
        return self.areas_met and self.sessions_met and self.span_met

    @property
    def stage_ok(self) -> bool:
        return self.stage.key in ("pre_founding", "young")

    @property
    def rule_reasons(self) -> list[str]:
        """Why the rule (areas, sessions, span) is not met, in words; empty when it is."""
        if not self.sessions:
            return [
                _(
                    "受講記録がありません（4分野すべてを、1か月以上にわたり4回以上受講する必要があります）"
                )
            ]
        reasons = []
        if self.missing_areas:
            reasons.append(
                _(
                    "受講していない分野があります：%(areas)s（経営・財務・人材育成・販路開拓の4分野すべてが必要です）"
                )
                % {"areas": "・".join(str(AREA_LABELS[c]) for c in self.missing_areas)}
            )
        if not self.sessions_met:
            reasons.append(
                _("受講回数が%(n)s回です（%(required)s回以上必要です）")
                % {"n": self.session_count, "required": REQUIRED_SESSIONS}
            )
        if not self.span_met:
            reasons.append(
                _(
                    "支援期間が1か月に達していません（初回 %(first)s、最終 %(last)s："
                    "%(from)s以降の受講が必要です）"
                )
                % {
                    "first": format_date_ja(self.first_date),
                    "last": format_date_ja(self.last_date),
                    "from": format_date_ja(self.eligible_from),
                }
            )
        return reasons

    @property
    def blockers(self) -> list[str]:
        """Every reason a certificate cannot be issued now (rule, founder stage, one already
        issued); empty when staff may issue it."""
        reasons = []
        if self.certificate is not None:
            reasons.append(
                _("証明書（%(number)s、%(date)s交付）を交付済みです（証明書は1人1回です）")
                % {
                    "number": self.certificate.number,
                    "date": format_date_ja(self.certificate.issued_on),
                }
            )
        reasons += self.rule_reasons
        if self.stage.key == "established":
            reasons.append(
                _("創業5年以上のため対象外です（%(reason)s）") % {"reason": self.stage.reason_ja}
            )
        elif self.stage.key == "unknown":
            reasons.append(
                _(
                    "設立・創業日が登録されていないため、創業予定者または創業5年未満であることを"
                    "確認できません（事業者台帳に設立・創業日を登録してください）"
                )
            )
        return reasons

    @property
    def can_issue(self) -> bool:
        return not self.blockers


def founder_progress(business, *, on: datetime.date | None = None) -> Progress:
    """The founder's progress on `on` (default today), from sessions held up to that day.

    Reads `business.founder_sessions.all()` and `business.founder_certificates.all()`, so a
    list that prefetched them (`founders_list`) runs no query per business."""
    from sangyo.registry.classification import founder_stage

    on = on or timezone.localdate()
    sessions = tuple(
        sorted(
            (s for s in business.founder_sessions.all() if s.date <= on),
            key=lambda s: (s.date, s.pk or 0),
        )
    )
    areas = tuple(
        AreaProgress(
            code=code,
            label=str(AREA_LABELS[code]),
            sessions=tuple(s for s in sessions if code in (s.areas or [])),
        )
        for code in AREA_CODES
    )
    certificates = sorted(business.founder_certificates.all(), key=lambda c: (c.issued_on, c.pk))
    stage = founder_stage(
        corporate_type=business.corporate_type,
        date_of_establishment=business.date_of_establishment,
        on=on,
        years=FOUNDER_YEARS,
    )
    return Progress(
        on=on,
        areas=areas,
        sessions=sessions,
        first_date=sessions[0].date if sessions else None,
        last_date=sessions[-1].date if sessions else None,
        stage=stage,
        certificate=certificates[0] if certificates else None,
    )


# -- who may do what -------------------------------------------------------------------------
# The applications app has no policies module of its own yet; these follow the same shape.


def _role(user) -> str | None:
    if not (user and user.is_authenticated and user.is_active):
        return None
    return user.role


def can_view_founders(user) -> bool:
    """The founders list (read-only for viewers: it shows no personal data)."""
    return _role(user) in {Role.ADMIN, Role.OFFICER, Role.VIEWER}


def can_manage_founders(user) -> bool:
    """Progress pages, recording sessions and issuing certificates."""
    return _role(user) in {Role.ADMIN, Role.OFFICER}


def can_download_certificate(user, certificate: FounderCertificate) -> bool:
    """Staff who issue certificates, and the holder business's own members or proxies."""
    from sangyo.registry.policies import can_act_for

    role = _role(user)
    if role in {Role.ADMIN, Role.OFFICER}:
        return True
    return role == Role.BUSINESS and can_act_for(user, certificate.business)


# -- reads -----------------------------------------------------------------------------------


def _five_years_before(on: datetime.date) -> datetime.date:
    try:
        return on.replace(year=on.year - FOUNDER_YEARS)
    except ValueError:  # 29 February
        return datetime.date(on.year - FOUNDER_YEARS, 2, 28)


def founders_list(
    *, query: str = "", with_sessions: bool = False, on: datetime.date | None = None
) -> QuerySet:
    """Businesses that may receive the certificate — 創業予定者, or established after the day
    five years before `on` (founder_stage's "young", and dates in the future) — plus any
    business with sessions or a certificate. Most recent activity first. Sessions (with their
    provider) and certificates are prefetched: a page of the list runs a fixed number of
    queries whatever its length."""
    from sangyo.registry.models import Business

    on = on or timezone.localdate()
    qs = Business.objects.filter(
        Q(corporate_type="pre_founding")
        | Q(date_of_establishment__gt=_five_years_before(on))
        | Q(founder_sessions__isnull=False)
        | Q(founder_certificates__isnull=False)
    )
    if query:
        qs = qs.filter(
            Q(name__icontains=query) | Q(kana__icontains=query) | Q(search_name__icontains=query)
        )
    if with_sessions:
        qs = qs.filter(founder_sessions__isnull=False)
    # The joins above repeat a business once per session: keep one row each.
    ids = qs.values("pk")
    return (
        Business.objects.filter(pk__in=ids)
        .annotate(last_session=Max("founder_sessions__date"))
        .prefetch_related(
            Prefetch(
                "founder_sessions",
                queryset=FounderSession.objects.select_related("provider").order_by("date", "id"),
            ),
            "founder_certificates",
        )
        .order_by(F("last_session").desc(nulls_last=True), "search_kana", "id")
    )


def founder_detail(business_id: int):
    """The business with its sessions (and providers) and certificates: three queries."""
    from django.shortcuts import get_object_or_404

    from sangyo.registry.models import Business

    return get_object_or_404(
        Business.objects.prefetch_related(
            Prefetch(
                "founder_sessions",
                queryset=FounderSession.objects.select_related("provider", "recorded_by").order_by(
                    "date", "id"
                ),
            ),
            "founder_certificates",
        ),
        pk=business_id,
    )


def certificate_for_pdf(pk: int) -> FounderCertificate:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        FounderCertificate.objects.select_related("business").prefetch_related(
            Prefetch(
                "sessions",
                queryset=FounderSession.objects.select_related("provider").order_by("date", "id"),
            )
        ),
        pk=pk,
    )


# -- writes ----------------------------------------------------------------------------------


@transaction.atomic
def founder_session_record(
    *,
    business,
    date: datetime.date,
    areas: list[str],
    actor,
    provider=None,
    note: str = "",
    source: str = "",
    is_synthetic: bool = False,
) -> FounderSession:
    """Record one session counted towards the certificate.

    Idempotent per `source` (e.g. "consultations.session:42"): recording the same source again
    returns the first record unchanged, so a retried job or a double submit never counts a
    session twice. The business row is locked while checking, so two simultaneous calls with
    the same source cannot both insert."""
    from sangyo.registry.models import Business

    Business.objects.select_for_update().filter(pk=business.pk).first()
    if source:
        existing = FounderSession.objects.filter(source=source).first()
        if existing is not None:
            return existing
    clean_areas = [code for code in AREA_CODES if code in set(areas or [])]
    unknown = sorted(set(areas or []) - set(AREA_CODES))
    if unknown:
        raise FounderError(
            _("分野「%(areas)s」は定義されていません") % {"areas": "・".join(unknown)}
        )
    if not clean_areas:
        raise FounderError(_("分野を1つ以上選んでください"))
    if date is None:
        raise FounderError(_("受講・相談日を入力してください"))
    if date > timezone.localdate():
        raise FounderError(_("受講・相談日に未来の日付は入力できません"))
    note = (note or "").strip()
    if len(note) > 300:
        raise FounderError(_("内容は300文字以内で入力してください"))
    session = FounderSession.objects.create(
        business=business,
        date=date,
        areas=clean_areas,
        provider=provider,
        note=note,
        source=source[:120],
        recorded_by=actor if getattr(actor, "pk", None) else None,
        is_synthetic=is_synthetic,
    )
    audit(
        "applications.founder_session.recorded",
        actor=actor,
        target=session,
        data={
            "business": business.pk,
            "date": date.isoformat(),
            "areas": clean_areas,
            "provider": provider.pk if provider else None,
            "source": source,
        },
    )
    return session


def _founder_program():
    from sangyo.strategy.models import Program

    program = (
        Program.objects.filter(code=FOUNDER_PROGRAM_CODE, measure__strategy__is_current=True)
        .select_related("measure__strategy")
        .first()
    )
    if program is None:
        raise FounderError(
            _("現行の戦略に事業「%(code)s」（創業支援等事業計画に基づく支援）がありません")
            % {"code": FOUNDER_PROGRAM_CODE}
        )
    return program


def fiscal_year_code(fy: int) -> str:
    """R7 for FY2025 (令和7年度), R1 for FY2019 (令和元年度): the era letter and year of the
    年度, named as `sangyo.core.fiscal.fiscal_year_label` names it."""
    year_end = datetime.date(fy, 12, 31)
    era = era_of(year_end)
    return f"{era.letter}{era.year_of(year_end)}"


def certificate_number(prefix: str, fy: int, n: int) -> str:
    """「つ産振第R7-0001号」."""
    return f"{prefix}第{fiscal_year_code(fy)}-{n:04d}号"


def _next_number(prefix: str, fy: int) -> str:
    head = f"{prefix}第{fiscal_year_code(fy)}-"
    used = FounderCertificate.objects.filter(number__startswith=head).values_list(
        "number", flat=True
    )
    last = 0
    for number in used:
        digits = number[len(head) :].removesuffix("号")
        if digits.isdigit():
            last = max(last, int(digits))
    return certificate_number(prefix, fy, last + 1)


def _holder_name(business) -> str:
    if business.corporate_type != "pre_founding" and business.representative_name:
        title = business.representative_position or "代表者"
        return f"{business.name}　{title}　{business.representative_name}"[:200]
    return business.name[:200]


@transaction.atomic
def founder_certificate_issue(
    *, business, actor, issued_on: datetime.date | None = None
) -> FounderCertificate:
    """Issue the 特定創業支援等事業 certificate, if the rule is met on `issued_on` (default
    today), the founder is about to found or in business for under 5 years, and holds none yet.

    Numbers run per fiscal year of the issue date. The founder program's row is locked first,
    so issues are serialised: two staff issuing at once get consecutive numbers, and one
    business cannot receive two certificates. The certificate is counted by a support record
    (kind "certificate", program 10-1, source "applications.founder_certificate:<id>")."""
    from sangyo.registry.models import Business
    from sangyo.registry.services import support_record_create
    from sangyo.strategy.models import Program

    issued_on = issued_on or timezone.localdate()
    program = _founder_program()
    # The lock every issue takes (a stable row, so it also holds when no certificate exists
    # yet for the year), then the business itself.
    Program.objects.select_for_update().filter(pk=program.pk).first()
    business = Business.objects.select_for_update().get(pk=business.pk)
    if business.status == Business.Status.CLOSED:
        raise FounderError(_("廃業・閉鎖した事業者には証明書を交付できません"))
    progress = founder_progress(business, on=issued_on)
    if progress.blockers:
        raise FounderError(
            _("証明書を交付できません：%(reasons)s") % {"reasons": "；".join(progress.blockers)}
        )
    address = (business.location or "").strip()
    if not address:
        raise FounderError(
            _(
                "証明書を交付できません：住所・所在地が登録されていません（事業者台帳に登録してください）"
            )
        )
    issuer = issuer_for(program.measure.strategy.municipality_code)
    certificate = FounderCertificate.objects.create(
        business=business,
        number=_next_number(issuer.number_prefix, fiscal_year(issued_on)),
        issued_on=issued_on,
        issued_by=actor if getattr(actor, "pk", None) else None,
        holder_name=_holder_name(business),
        holder_address=address[:300],
    )
    certificate.sessions.set(progress.sessions)
    support_record_create(
        business=business,
        program=program,
        date=issued_on,
        kind="certificate",
        actor=actor,
        summary=f"特定創業支援等事業の証明書（{certificate.number}）",
        outcome=certificate.number,
        source=f"applications.founder_certificate:{certificate.pk}",
        is_synthetic=business.is_synthetic,
    )
    audit(
        "applications.founder_certificate.issued",
        actor=actor,
        target=certificate,
        data={
            "business": business.pk,
            "number": certificate.number,
            "issued_on": issued_on.isoformat(),
            "sessions": [s.pk for s in progress.sessions],
        },
    )
    return certificate

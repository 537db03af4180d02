"""Synthetic calls and applications for `sangyo seed synthetic` (clearly labelled 合成データ).

For each fiscal year and each program of the current strategy whose application procedure
is a subsidy or a certification, one call (募集) titled 「合成データ募集 …」, and applications
from synthetic businesses in every state of the procedure:

- past years' calls are closed, so their applications are all decided (rejected, withdrawn,
  or carried through to payment); the current year's call is open and has some still
  submitted or under review;
- amounts are in yen: requested between a fifth of the program's cap and the cap, decided
  at the program's rate (capped), fixed at the decided amount or a little less, paid once;
  each call's budget covers what it committed, and its committed and paid totals add up;
- the support records the services would have written are written too, with the same
  sources (`applications.application:<id>:submitted`, `…:adopted`, `…:certified`): one
  "application" record per submitted application, one "subsidy" record (amount = the
  requested amount) per adopted one, one "certification" record per certified one. The
  evaluation counts outputs from these.

Rows go in by COPY on PostgreSQL (bulk_create elsewhere), like the rest of the seeder.
Running it again adds nothing: it does nothing once a 「合成データ募集」 call exists.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

TITLE_PREFIX = "合成データ募集"
TOKYO = ZoneInfo("Asia/Tokyo")
APPLICANT_EMAIL = "synthetic-applicant@example.invalid"

# (state, weight) of a decided call's applications, by workflow.
PAST_STATES = {
    "subsidy": (
        ("rejected", 35),
        ("withdrawn", 5),
        ("closed", 40),
        ("paid", 10),
        ("amount_fixed", 5),
        ("grant_decided", 5),
    ),
    "certification": (("rejected", 25), ("withdrawn", 5), ("certified", 70)),
}
# The open call of the current year: some still in intake.
CURRENT_STATES = {
    "subsidy": (
        ("submitted", 20),
        ("under_review", 20),
        ("rejected", 15),
        ("withdrawn", 5),
        ("adopted", 15),
        ("grant_decided", 15),
        ("reported", 5),
        ("paid", 5),
    ),
    "certification": (
        ("submitted", 25),
        ("under_review", 25),
        ("rejected", 15),
        ("withdrawn", 5),
        ("certified", 30),
    ),
}
ADOPTED = {"adopted", "grant_decided", "reported", "amount_fixed", "paid", "closed"}
GRANTED = ADOPTED - {"adopted"}
FIXED = {"amount_fixed", "paid", "closed"}
PAID = {"paid", "closed"}
DECIDED = ADOPTED | {"rejected", "certified"}

APPLICATION_COLUMNS = (
    "call_id", "business_id", "applicant_id", "number", "form_id", "answers", "costs",
    "workflow", "workflow_version", "status", "requested_yen", "decided_yen", "fixed_yen",
    "paid_yen", "decision_reason", "report", "certified_from", "certified_until",
    "certificate_number", "language", "submitted_at", "decided_at", "is_synthetic",
    "created_at", "updated_at",
)  # fmt: skip


@dataclass
class Result:
    calls: int = 0
    applications: int = 0
    payments: int = 0
    support_records: int = 0


def per_call_default(businesses: int) -> int:
    """Applications per call: about one business in 500 applies to each call (20 per call
    for Tsukuba's 10,000 businesses, 2,000 for a national million), at least 5."""
    return max(5, min(5000, businesses // 500))


def _applicant():
    from sangyo.accounts.models import Role, User

    user = User.objects.filter(email=APPLICANT_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            APPLICANT_EMAIL, None, role=Role.BUSINESS, name="合成データ 申請者"
        )
    return user


def _details(strategy):
    from sangyo.applications.config import DEFAULT_FILE, parse_programs_file, programs_load
    from sangyo.applications.models import ProgramDetail

    details = ProgramDetail.objects.filter(program__measure__strategy=strategy)
    if not details.exists():
        programs_load(parsed=parse_programs_file(DEFAULT_FILE), actor="seed")
    return [
        d
        for d in details.select_related("program").order_by("program__code")
        if d.workflow in PAST_STATES
    ]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), TOKYO)


def load_applications(
    *, strategy, years: list[int], per_call: int, seed: int = 1, today=None
) -> Result:
    """Calls, applications, payments and their support records; see the module docstring."""
    from django.db import connection, transaction
    from django.utils import timezone

    from sangyo.applications.config import default_form
    from sangyo.applications.models import Application, Call, Payment
    from sangyo.applications.workflows import get_workflow
    from sangyo.core.fiscal import fiscal_year_range
    from sangyo.registry.models import Business, SupportRecord

    result = Result()
    if Call.objects.filter(is_synthetic=True, title_ja__startswith=TITLE_PREFIX).exists():
        return result
    today = today or timezone.localdate()
    rng = random.Random(seed)
    details = [d for d in _details(strategy) if default_form(d) is not None]
    business_ids = list(
        Business.objects.filter(is_synthetic=True).order_by("id").values_list("id", flat=True)
    )
    if not details or not business_ids:
        return result
    applicant = _applicant()
    now = timezone.now()
    with transaction.atomic():
        plans = []  # (call, [(business_id, state, requested, decided, fixed, day)])
        for fy in years:
            start, end = fiscal_year_range(fy)
            current = start <= today <= end
            for detail in details:
                workflow = detail.workflow
                cap = detail.cap_yen or 1_000_000
                rows = []
                states = (CURRENT_STATES if current else PAST_STATES)[workflow]
                picks = rng.sample(business_ids, k=min(per_call, len(business_ids)))
                for business_id in picks:
                    state = rng.choices([s for s, _ in states], [w for _, w in states])[0]
                    requested = decided = fixed = None
                    if workflow == "subsidy":
                        requested = rng.randint(cap // 5, cap) // 1000 * 1000
                        if state in GRANTED:
                            rate = (detail.rate_numerator or 1) / (detail.rate_denominator or 2)
                            decided = min(cap, int(requested * rate) // 1000 * 1000) or 1000
                        if state in FIXED:
                            fixed = decided - rng.choice((0, 0, 0, 1000, 5000))
                            fixed = max(1000, fixed)
                    last = min(end, today)
                    span = max(1, (last - start).days)
                    day = start + datetime.timedelta(days=rng.randint(0, span - 1))
                    rows.append((business_id, state, requested, decided, fixed, day))
                committed = sum(r[3] or 0 for r in rows)
                paid = sum(r[4] or 0 for r in rows if r[1] in PAID)
                call = Call.objects.create(
                    program=detail.program,
                    title_ja=f"{TITLE_PREFIX} {fy}年度 {detail.title_ja}",
                    title_en=f"Synthetic call FY{fy} {detail.title_en}",
                    fiscal_year=fy,
                    opens_at=_at(start, 0),
                    closes_at=_at(end, 23),
                    status=Call.Status.OPEN if current else Call.Status.CLOSED,
                    form=default_form(detail),
                    # Room for what was committed, rounded up to the next million.
                    budget_yen=(committed // 1_000_000 + 1) * 1_000_000
                    if workflow == "subsidy"
                    else None,
                    committed_yen=committed,
                    paid_yen=paid,
                    is_synthetic=True,
                )
                result.calls += 1
                plans.append((call, detail, rows))

        apps = []
        for call, detail, rows in plans:
            version = get_workflow(detail.workflow).version
            prefix = f"{call.fiscal_year}-{detail.program.code}-"
            last = (
                Application.objects.filter(number__startswith=prefix)
                .order_by("-number")
                .values_list("number", flat=True)
                .first()
            )
            serial = int(last.rsplit("-", 1)[1]) if last else 0
            for business_id, state, requested, decided, fixed, day in rows:
                serial += 1
                decided_at = (
                    _at(day + datetime.timedelta(days=30), 10) if state in DECIDED else None
                )
                certified = state == "certified"
                apps.append(
                    (
                        call.pk,
                        business_id,
                        applicant.pk,
                        f"{prefix}{serial:04d}",
                        call.form_id,
                        {"synthetic": "合成データ"},
                        [],
                        detail.workflow,
                        version,
                        state,
                        requested,
                        decided,
                        fixed,
                        fixed if state in PAID else 0,
                        "合成データ" if state in DECIDED else "",
                        {},
                        day + datetime.timedelta(days=30) if certified else None,
                        day + datetime.timedelta(days=30 + 3 * 365) if certified else None,
                        f"{prefix}{serial:04d}" if certified else "",
                        "ja",
                        _at(day, 9),
                        decided_at,
                        True,
                        now,
                        now,
                    )
                )
        _insert(connection, Application, APPLICATION_COLUMNS, apps)
        result.applications = len(apps)

        call_ids = [call.pk for call, _d, _r in plans]
        titles = {call.pk: call.title_ja for call, _d, _r in plans}
        programs = {call.pk: call.program_id for call, _d, _r in plans}
        saved = Application.objects.filter(call_id__in=call_ids).values_list(
            "pk", "call_id", "business_id", "number", "status", "requested_yen",
            "fixed_yen", "submitted_at", "decided_at",
        )  # fmt: skip
        payments, support = [], []
        for pk, call_id, business_id, number, state, requested, fixed, sub_at, dec_at in saved:
            summary = f"{titles[call_id]}（{number}）"
            submitted = timezone.localtime(sub_at).date()
            records = [("application", submitted, "", None, "submitted")]
            if dec_at is not None and state in ADOPTED:
                records.append(
                    ("subsidy", timezone.localtime(dec_at).date(), "adopted", requested, "adopted")
                )
            if state == "certified":
                decided = timezone.localtime(dec_at).date()
                records.append(("certification", decided, "certified", None, "certified"))
            for kind, day, outcome, amount, tail in records:
                support.append(
                    (
                        business_id,
                        programs[call_id],
                        day,
                        _fiscal_year(day),
                        kind,
                        summary,
                        outcome,
                        amount,
                        f"applications.application:{pk}:{tail}",
                        True,
                        now,
                    )
                )
            if state in PAID:
                paid_on = timezone.localtime(dec_at).date() + datetime.timedelta(days=120)
                payments.append((pk, fixed, min(paid_on, today), None, now))
        _insert(
            connection,
            Payment,
            ("application_id", "amount_yen", "paid_on", "recorded_by_id", "created_at"),
            payments,
        )
        from sangyo.registry.synthetic import SUPPORT_COLUMNS

        _insert(connection, SupportRecord, SUPPORT_COLUMNS, support)
        result.payments, result.support_records = len(payments), len(support)
    return result


def _fiscal_year(day: datetime.date) -> int:
    from sangyo.core.fiscal import fiscal_year

    return fiscal_year(day)


def _insert(connection, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """COPY on PostgreSQL (JSON values as text), bulk_create elsewhere."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        import json

        json_at = [
            i
            for i, c in enumerate(columns)
            if model._meta.get_field(c.removesuffix("_id")).get_internal_type() == "JSONField"
        ]
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                if json_at:
                    row = list(row)
                    for i in json_at:
                        row[i] = json.dumps(row[i], ensure_ascii=False)
                copy.write_row(row)
        return
    model.objects.bulk_create(
        [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=5000
    )

"""Calls (募集) and reviews (審査): the services that change them and the selectors the staff
and reviewer screens read.

Writes follow the project's rule: keyword-only, one transaction, one audit event. A call's
budget row is locked whenever its budget changes, the same lock `services._commit` takes, so
a budget can never be set below what grant decisions have already committed.

Reviews are per application, reviewer and stage (内容審査 `content` / 経費審査 `money`); the
two stages are scored, averaged and ranked separately. A reviewer who declares a conflict of
interest is recorded as recused and scores nothing. A submitted review is frozen. Averages
and rankings count only submitted, non-recused reviews.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sangyo.accounts.models import Role
from sangyo.core.audit import audit
from sangyo.core.errors import PermissionDenied

from .models import Application, Call, FormVersion, ProgramDetail, Review, ReviewerAssignment
from .services import ApplicationError, program_detail
from .staff_policies import REVIEW_STATES, STAGES, can_manage_calls

DEFAULT_MAX_SCORE = 5
TWO_PLACES = Decimal("0.01")


class ReviewError(ApplicationError):
    """Scores that break the rubric; `errors` maps a criterion code (or "recommendation")
    to a message naming it, so a form can show each next to its field."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("；".join(errors.values()))


def _require_manager(actor) -> None:
    # Non-human actors ("cli", "system", "test") run with the command's authority.
    if isinstance(actor, str):
        return
    if not can_manage_calls(actor):
        raise PermissionDenied(_("募集を管理する権限がありません"))


# --- calls ---------------------------------------------------------------------------------


def _check_call_fields(*, program, title_ja, fiscal_year, opens_at, closes_at, budget_yen, form):
    program_detail(program)  # a call needs the program's application rules
    if not (title_ja or "").strip():
        raise ApplicationError(_("募集名を入力してください"))
    if not (2000 <= int(fiscal_year) <= 2100):
        raise ApplicationError(_("年度は2000〜2100の西暦で入力してください"))
    if opens_at >= closes_at:
        raise ApplicationError(_("受付締切は受付開始より後にしてください"))
    if budget_yen is not None and budget_yen < 0:
        raise ApplicationError(_("予算額は0円以上にしてください"))
    if form is None:
        raise ApplicationError(_("申請フォームを選んでください"))


@transaction.atomic
def call_create(
    *,
    program,
    title_ja: str,
    title_en: str = "",
    fiscal_year: int,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    budget_yen: int | None,
    form: FormVersion,
    actor,
) -> Call:
    """A new call in preparation (準備中); `call_open` starts taking applications."""
    _require_manager(actor)
    _check_call_fields(
        program=program,
        title_ja=title_ja,
        fiscal_year=fiscal_year,
        opens_at=opens_at,
        closes_at=closes_at,
        budget_yen=budget_yen,
        form=form,
    )
    call = Call.objects.create(
        program=program,
        title_ja=title_ja.strip(),
        title_en=(title_en or "").strip(),
        fiscal_year=fiscal_year,
        opens_at=opens_at,
        closes_at=closes_at,
        budget_yen=budget_yen,
        form=form,
    )
    audit(
        "applications.call.created",
        actor=actor,
        target=call,
        data={
            "program": program.code,
            "fiscal_year": fiscal_year,
            "budget_yen": budget_yen,
            "form": str(form),
            "opens_at": opens_at.isoformat(),
            "closes_at": closes_at.isoformat(),
        },
    )
    return call


def _check_budget(call: Call, budget_yen: int | None) -> None:
    """`call` must be freshly read under lock."""
    if budget_yen is None:
        if call.committed_yen:
            raise ApplicationError(
                _("交付決定済みの金額（%(committed)s円）があるため、予算額を未設定にはできません")
                % {"committed": f"{call.committed_yen:,}"}
            )
        return
    if budget_yen < 0:
        raise ApplicationError(_("予算額は0円以上にしてください"))
    if budget_yen < call.committed_yen:
        raise ApplicationError(
            _("予算額は交付決定額の合計（%(committed)s円）より少なくできません")
            % {"committed": f"{call.committed_yen:,}"}
        )


@transaction.atomic
def call_update(
    *,
    call: Call,
    program,
    title_ja: str,
    title_en: str = "",
    fiscal_year: int,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    budget_yen: int | None,
    form: FormVersion,
    actor,
) -> Call:
    """Change a call. Applications keep the form version they answered, so the form may
    change; the program and fiscal year may not once applications exist (their numbers and
    the year's budget depend on them)."""
    _require_manager(actor)
    call = Call.objects.select_for_update().get(pk=call.pk)
    _check_call_fields(
        program=program,
        title_ja=title_ja,
        fiscal_year=fiscal_year,
        opens_at=opens_at,
        closes_at=closes_at,
        budget_yen=budget_yen,
        form=form,
    )
    if (program.pk != call.program_id or int(fiscal_year) != call.fiscal_year) and (
        Application.objects.filter(call=call).exists()
    ):
        raise ApplicationError(_("申請がある募集の事業・年度は変更できません"))
    _check_budget(call, budget_yen)
    new = {
        "program_id": program.pk,
        "title_ja": title_ja.strip(),
        "title_en": (title_en or "").strip(),
        "fiscal_year": int(fiscal_year),
        "opens_at": opens_at,
        "closes_at": closes_at,
        "budget_yen": budget_yen,
        "form_id": form.pk,
    }
    changes = {}
    for name, value in new.items():
        old = getattr(call, name)
        if old != value:
            changes[name] = [_jsonable(old), _jsonable(value)]
            setattr(call, name, value)
    if changes:
        call.save()
        audit("applications.call.updated", actor=actor, target=call, data={"changes": changes})
    return call


def _jsonable(value):
    return value.isoformat() if isinstance(value, datetime.datetime) else value


@transaction.atomic
def call_set_budget(*, call: Call, budget_yen: int | None, actor) -> Call:
    """Set the call's budget; never below what is already committed."""
    _require_manager(actor)
    call = Call.objects.select_for_update().get(pk=call.pk)
    _check_budget(call, budget_yen)
    old = call.budget_yen
    call.budget_yen = budget_yen
    call.save(update_fields=["budget_yen"])
    audit(
        "applications.call.budget_set",
        actor=actor,
        target=call,
        data={"from": old, "to": budget_yen, "committed_yen": call.committed_yen},
    )
    return call


@transaction.atomic
def call_open(*, call: Call, actor) -> Call:
    """Start (or resume) taking applications."""
    _require_manager(actor)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status == Call.Status.OPEN:
        raise ApplicationError(_("この募集は既に募集中です"))
    if call.closes_at <= timezone.now():
        raise ApplicationError(
            _("受付締切を過ぎているため募集を開始できません（締切を変更してください）")
        )
    program_detail(call.program)
    old = call.status
    call.status = Call.Status.OPEN
    call.save(update_fields=["status"])
    audit("applications.call.opened", actor=actor, target=call, data={"from": old})
    return call


@transaction.atomic
def call_close(*, call: Call, actor) -> Call:
    """Stop taking applications (drafts can no longer be started; the rest goes on)."""
    _require_manager(actor)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status != Call.Status.OPEN:
        raise ApplicationError(_("募集中ではない募集は終了できません"))
    call.status = Call.Status.CLOSED
    call.save(update_fields=["status"])
    audit("applications.call.closed", actor=actor, target=call)
    return call


# --- reviewer assignments ------------------------------------------------------------------


@transaction.atomic
def reviewer_assign(*, call: Call, reviewer, stage: str, actor) -> ReviewerAssignment:
    """Make `reviewer` (a user with the reviewer role) a reviewer of `call` at `stage`."""
    _require_manager(actor)
    if stage not in STAGES:
        raise ApplicationError(_("審査の種類が正しくありません"))
    if getattr(reviewer, "role", None) != Role.REVIEWER or not reviewer.is_active:
        raise ApplicationError(_("審査員・専門家の役割を持つ有効なユーザーを選んでください"))
    if ReviewerAssignment.objects.filter(call=call, reviewer=reviewer, stage=stage).exists():
        raise ApplicationError(_("この審査員は既にこの審査に割り当てられています"))
    assignment = ReviewerAssignment.objects.create(call=call, reviewer=reviewer, stage=stage)
    audit(
        "applications.reviewer.assigned",
        actor=actor,
        target=call,
        data={"reviewer": reviewer.email, "reviewer_id": reviewer.pk, "stage": stage},
    )
    return assignment


@transaction.atomic
def reviewer_unassign(*, assignment: ReviewerAssignment, actor) -> None:
    """Remove an assignment made by mistake; not once the reviewer has recorded a review
    (the record must keep saying who reviewed)."""
    _require_manager(actor)
    if Review.objects.filter(
        application__call_id=assignment.call_id,
        reviewer_id=assignment.reviewer_id,
        stage=assignment.stage,
    ).exists():
        raise ApplicationError(_("審査を記録済みの審査員の割当は解除できません"))
    data = {
        "reviewer": assignment.reviewer.email,
        "reviewer_id": assignment.reviewer_id,
        "stage": assignment.stage,
    }
    call = assignment.call
    assignment.delete()
    audit("applications.reviewer.unassigned", actor=actor, target=call, data=data)


# --- reviews ---------------------------------------------------------------------------------


def rubric_of(detail: ProgramDetail | None) -> list[dict]:
    """The program's criteria with a maximum each (5 when the data does not say)."""
    out = []
    for item in (detail.rubric if detail else None) or []:
        code = str(item.get("code") or "").strip()
        if not code:
            continue
        try:
            top = int(item.get("max", DEFAULT_MAX_SCORE))
        except (TypeError, ValueError):
            top = DEFAULT_MAX_SCORE
        out.append({**item, "code": code, "max": top})
    return out


def criterion_label(item: dict, lang: str | None = None) -> str:
    lang = lang or (get_language() or "ja")[:2]
    return (item.get("en") if lang == "en" else None) or item.get("ja") or item["code"]


def validate_scores(
    rubric: list[dict], scores: dict, *, complete: bool
) -> tuple[dict[str, int], dict[str, str]]:
    """Parse `scores` against `rubric`: whole numbers from 0 to each criterion's maximum.
    With `complete`, every criterion must be scored. Returns (clean scores, errors by code);
    each message names its criterion."""
    clean: dict[str, int] = {}
    errors: dict[str, str] = {}
    known = {item["code"] for item in rubric}
    for code in scores or {}:
        if code not in known:
            errors[code] = _("「%(code)s」はこの制度の審査項目ではありません") % {"code": code}
    for item in rubric:
        code, label, top = item["code"], criterion_label(item), item["max"]
        raw = (scores or {}).get(code)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if complete:
                errors[code] = _("「%(label)s」を採点してください（0〜%(max)s点）") % {
                    "label": label,
                    "max": top,
                }
            continue
        try:
            if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
                raise ValueError
            value = int(str(raw).strip()) if isinstance(raw, str) else int(raw)
        except (TypeError, ValueError):
            errors[code] = _("「%(label)s」は0〜%(max)s点の整数で入力してください") % {
                "label": label,
                "max": top,
            }
            continue
        if not 0 <= value <= top:
            errors[code] = _(
                "「%(label)s」の点数 %(value)s は範囲外です（0〜%(max)s点で入力してください）"
            ) % {"label": label, "value": value, "max": top}
            continue
        clean[code] = value
    return clean, errors


@transaction.atomic
def review_save(
    *,
    application: Application,
    reviewer,
    stage: str,
    conflict_declared: bool,
    conflict_note: str = "",
    scores: dict | None = None,
    recommendation: str = "",
    comment: str = "",
    submit: bool = False,
) -> Review:
    """Save `reviewer`'s review of `application` at `stage`, as a draft or submitted.

    Only a reviewer assigned to the application's call at this stage may review, and only
    while the application is in a state of that stage. Declaring a conflict of interest
    recuses: the review keeps the declaration and no scores. A submitted review is frozen."""
    from .staff_policies import can_review

    if stage not in STAGES:
        raise ApplicationError(_("審査の種類が正しくありません"))
    # Locking the application serialises two saves of the same review (the first would
    # otherwise race the second to create the row).
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__program")
        .get(pk=application.pk)
    )
    if not can_review(reviewer, application, stage):
        raise PermissionDenied(_("この申請を審査する権限がありません"))
    review = Review.objects.filter(application=application, reviewer=reviewer, stage=stage).first()
    if review is not None and review.submitted_at is not None:
        raise ApplicationError(_("提出済みの審査は変更できません"))
    conflict_note = (conflict_note or "").strip()
    if len(conflict_note) > 300:
        raise ApplicationError(_("利害関係の内容は300文字以内で入力してください"))
    if review is None:
        review = Review(application=application, reviewer=reviewer, stage=stage)
    if conflict_declared:
        if any(v not in (None, "") for v in (scores or {}).values()):
            raise ApplicationError(_("利害関係を申告した審査員は採点できません"))
        review.conflict_declared = True
        review.conflict_note = conflict_note
        review.scores = {}
        review.total = None
        review.recommendation = ""
        review.comment = (comment or "").strip()
    else:
        rubric = rubric_of(getattr(application.call.program, "detail", None))
        clean, errors = validate_scores(rubric, scores or {}, complete=submit)
        if recommendation and recommendation not in Review.Recommendation.values:
            errors["recommendation"] = _("推薦の選択肢が正しくありません")
        elif submit and not recommendation:
            errors["recommendation"] = _("推薦を選んでください")
        if errors:
            raise ReviewError(errors)
        review.conflict_declared = False
        review.conflict_note = conflict_note
        review.scores = clean
        review.total = Decimal(sum(clean.values())) if clean else None
        review.recommendation = recommendation or ""
        review.comment = (comment or "").strip()
    if submit:
        review.submitted_at = timezone.now()
    review.save()
    verb = "recused" if conflict_declared else ("submitted" if submit else "saved")
    audit(
        f"applications.review.{verb}",
        actor=reviewer,
        target=application,
        data={
            "stage": stage,
            "review_id": review.pk,
            "scores": review.scores,
            "total": str(review.total) if review.total is not None else None,
            "recommendation": review.recommendation,
            "conflict_declared": review.conflict_declared,
            "submitted": review.submitted_at is not None,
        },
    )
    return review


# --- selectors -------------------------------------------------------------------------------


# Reviews that count: submitted, not recused, at the stage (applied through `reviews__`).
def _counted(stage: str, prefix: str = "reviews__") -> Q:
    return Q(
        **{
            f"{prefix}stage": stage,
            f"{prefix}submitted_at__isnull": False,
            f"{prefix}conflict_declared": False,
            f"{prefix}total__isnull": False,
        }
    )


def two_places(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(TWO_PLACES, ROUND_HALF_UP)


def current_strategy():
    from sangyo.strategy.models import Strategy

    return Strategy.objects.filter(is_current=True).first()


@dataclass
class CallRow:
    call: Call
    counts: dict[str, int]
    total: int


def calls_by_fiscal_year(strategy) -> list[tuple[int, list[CallRow]]]:
    """The strategy's calls grouped by fiscal year (newest first) with application counts
    per status: two queries."""
    if strategy is None:
        return []
    calls = list(
        Call.objects.filter(program__measure__strategy=strategy)
        .select_related("program__measure", "program__detail")
        .order_by("-fiscal_year", "program__measure__number", "program__order", "opens_at", "pk")
    )
    counts: dict[int, dict[str, int]] = {}
    for row in (
        Application.objects.filter(call__in=[c.pk for c in calls])
        .order_by()
        .values("call_id", "status")
        .annotate(n=Count("pk"))
    ):
        counts.setdefault(row["call_id"], {})[row["status"]] = row["n"]
    groups: dict[int, list[CallRow]] = {}
    for call in calls:
        c = counts.get(call.pk, {})
        groups.setdefault(call.fiscal_year, []).append(CallRow(call, c, sum(c.values())))
    return list(groups.items())


def call_for_staff(pk: int) -> Call | None:
    return (
        Call.objects.select_related("program__measure__strategy", "program__detail", "form")
        .filter(pk=pk)
        .first()
    )


def call_status_counts(call: Call) -> dict[str, int]:
    rows = Application.objects.filter(call=call).order_by().values("status").annotate(n=Count("pk"))
    return {r["status"]: r["n"] for r in rows}


def call_applications(call: Call, status: str | None = None):
    """The call's applications with both stages' averages (submitted, non-recused reviews)
    and their counts, in one query whatever their number."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from .models import StatusChange

    # `submitted_at` is not yet set by the submit step (reported to the lead); the first
    # "submit" in the timeline says the same.
    first_submit = (
        StatusChange.objects.filter(application=OuterRef("pk"), action="submit")
        .order_by("at", "id")
        .values("at")[:1]
    )
    qs = (
        Application.objects.filter(call=call)
        .select_related("business")
        .annotate(
            submitted_on=Coalesce("submitted_at", Subquery(first_submit)),
            content_average=Avg("reviews__total", filter=_counted("content")),
            content_reviews=Count("reviews", filter=_counted("content")),
            money_average=Avg("reviews__total", filter=_counted("money")),
            money_reviews=Count("reviews", filter=_counted("money")),
        )
        .order_by("number")
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def call_assignments(call: Call) -> list[ReviewerAssignment]:
    return list(
        ReviewerAssignment.objects.filter(call=call)
        .select_related("reviewer")
        .order_by("stage", "reviewer__name", "reviewer__email")
    )


def reviewer_choices():
    from sangyo.accounts.models import User

    return User.objects.filter(role=Role.REVIEWER, is_active=True).order_by("name", "email")


@dataclass
class RankRow:
    application: Application
    average: Decimal | None
    reviews: int
    recused: int
    rank: int | None = None
    # Filled by `trial_allocation`: funded / not_funded / decided / no_amount / unscored.
    allocation: str = ""
    remaining_after: int | None = None


def ranking(call: Call, stage: str) -> list[RankRow]:
    """Applications of `call` by their average total at `stage`, best first, over
    submitted, non-recused reviews; ties share a rank and are listed by number. Unscored
    applications come last. Drafts and withdrawn applications are left out. One query."""
    recused = Q(reviews__stage=stage, reviews__conflict_declared=True)
    rows = (
        Application.objects.filter(call=call)
        .exclude(status__in=("draft", "withdrawn"))
        .select_related("business")
        .annotate(
            average=Avg("reviews__total", filter=_counted(stage)),
            n_reviews=Count("reviews", filter=_counted(stage)),
            n_recused=Count("reviews", filter=recused),
        )
        .order_by(F("average").desc(nulls_last=True), "number")
    )
    out = [RankRow(a, two_places(a.average), a.n_reviews, a.n_recused) for a in rows]
    scored = [r.average for r in out if r.average is not None]
    for r in out:
        if r.average is not None:
            r.rank = 1 + sum(1 for other in scored if other > r.average)
    return out


# Application states in which the grant has already been decided (money committed).
DECIDED_STATES = frozenset({"grant_decided", "reported", "amount_fixed", "paid", "closed"})


@dataclass
class Allocation:
    rows: list[RankRow]
    remaining_start: int | None
    remaining_end: int | None
    funded_total: int = 0
    funded_count: int = 0


def trial_allocation(rows: list[RankRow], remaining_yen: int | None) -> Allocation:
    """Best to worst, fund each scored application in full while the remaining budget
    allows; one that does not fit is skipped and the next is tried. Applications whose
    grant is already decided are already inside the committed amount. Nothing is written.
    Without a budget (None) every scored application with an amount would be funded."""
    left = remaining_yen
    result = Allocation(rows, remaining_yen, remaining_yen)
    for r in rows:
        app = r.application
        if app.status in DECIDED_STATES or app.status == "rejected":
            r.allocation = "decided"
        elif r.average is None:
            r.allocation = "unscored"
        elif app.requested_yen is None:
            r.allocation = "no_amount"
        elif left is None or app.requested_yen <= left:
            r.allocation = "funded"
            result.funded_total += app.requested_yen
            result.funded_count += 1
            if left is not None:
                left -= app.requested_yen
        else:
            r.allocation = "not_funded"
        r.remaining_after = left
    result.remaining_end = left
    return result


@dataclass
class StageSummary:
    stage: str
    reviews: list[Review] = field(default_factory=list)
    average: Decimal | None = None
    counted: int = 0
    recused: int = 0
    drafts: int = 0
    criterion_averages: dict[str, Decimal | None] = field(default_factory=dict)


def application_for_staff(pk: int) -> Application | None:
    from django.db.models import Prefetch

    from .models import StatusChange

    return (
        Application.objects.select_related(
            "call__program__measure__strategy", "call__program__detail", "business", "form"
        )
        .prefetch_related(
            "documents",
            "payments",
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer")),
            Prefetch("history", queryset=StatusChange.objects.select_related("actor")),
        )
        .filter(pk=pk)
        .first()
    )


def review_summaries(application: Application, rubric: list[dict]) -> list[StageSummary]:
    """Per stage: the reviews (from the prefetched list), the average total and each
    criterion's average over submitted, non-recused reviews. No query of its own."""
    out = []
    for stage in STAGES:
        s = StageSummary(stage)
        s.reviews = sorted(
            (r for r in application.reviews.all() if r.stage == stage),
            key=lambda r: (r.submitted_at is None, r.pk),
        )
        counted = [
            r
            for r in s.reviews
            if r.submitted_at and not r.conflict_declared and r.total is not None
        ]
        s.counted = len(counted)
        s.recused = sum(1 for r in s.reviews if r.conflict_declared)
        s.drafts = sum(1 for r in s.reviews if r.submitted_at is None)
        if counted:
            s.average = two_places(sum(r.total for r in counted) / len(counted))
        for item in rubric:
            values = [r.scores[item["code"]] for r in counted if item["code"] in r.scores]
            s.criterion_averages[item["code"]] = (
                two_places(Decimal(sum(values)) / len(values)) if values else None
            )
        out.append(s)
    return out


def reviewer_queue(
    user,
) -> list[tuple[ReviewerAssignment, list[tuple[Application, Review | None]]]]:
    """For a reviewer: each assignment with the applications it covers now and the
    reviewer's own review of each. Three queries."""
    from .staff_policies import visible_review_applications_for

    assignments = list(
        ReviewerAssignment.objects.filter(reviewer=user)
        .select_related("call__program")
        .order_by("-call__fiscal_year", "call__title_ja", "stage")
    )
    apps = list(visible_review_applications_for(user).select_related("business").order_by("number"))
    mine = {
        (r.application_id, r.stage): r
        for r in Review.objects.filter(reviewer=user, application__in=[a.pk for a in apps])
    }
    out = []
    for a in assignments:
        states = REVIEW_STATES.get(a.stage, ())
        rows = [
            (app, mine.get((app.pk, a.stage)))
            for app in apps
            if app.call_id == a.call_id and app.status in states
        ]
        out.append((a, rows))
    return out


def own_review(application: Application, reviewer, stage: str) -> Review | None:
    return Review.objects.filter(application=application, reviewer=reviewer, stage=stage).first()


@dataclass
class BudgetRow:
    call: Call
    budget: int | None
    committed: int
    paid: int
    remaining: int | None


@dataclass
class BudgetSummary:
    fiscal_year: int
    rows: list[BudgetRow]
    budget: int
    committed: int
    paid: int
    remaining: int
    unbudgeted_calls: int
    fiscal_years: list[int]


def budget_summary(fiscal_year: int) -> BudgetSummary:
    """Per call of `fiscal_year` and in total: budget (allocated), committed (grant
    decisions less amounts released when fixed), paid and remaining. Totals come from one
    aggregate query; three queries in all. Remaining counts only calls with a budget."""
    calls = list(
        Call.objects.filter(fiscal_year=fiscal_year)
        .select_related("program__measure")
        .order_by("program__measure__number", "program__order", "opens_at", "pk")
    )
    rows = [BudgetRow(c, c.budget_yen, c.committed_yen, c.paid_yen, c.remaining_yen) for c in calls]
    budgeted = Q(budget_yen__isnull=False)
    totals = Call.objects.filter(fiscal_year=fiscal_year).aggregate(
        budget=Sum("budget_yen", filter=budgeted),
        committed=Sum("committed_yen"),
        paid=Sum("paid_yen"),
        budgeted_committed=Sum("committed_yen", filter=budgeted),
        unbudgeted=Count("pk", filter=Q(budget_yen__isnull=True)),
    )
    years = sorted(
        set(Call.objects.order_by().values_list("fiscal_year", flat=True).distinct())
        | {fiscal_year},
        reverse=True,
    )
    budget = totals["budget"] or 0
    return BudgetSummary(
        fiscal_year=fiscal_year,
        rows=rows,
        budget=budget,
        committed=totals["committed"] or 0,
        paid=totals["paid"] or 0,
        remaining=budget - (totals["budgeted_committed"] or 0),
        unbudgeted_calls=totals["unbudgeted"] or 0,
        fiscal_years=years,
    )

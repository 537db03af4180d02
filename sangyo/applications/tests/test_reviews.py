"""Calls and reviews: the services' rules (assignment, conflicts of interest, score ranges,
frozen submissions, budgets) and the selectors (averages, ranking, trial allocation, the
budget summary). All records are synthetic (合成データ)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from sangyo.applications import reviews, services
from sangyo.applications.models import Call, Review
from sangyo.applications.tests import factories as f
from sangyo.core.errors import PermissionDenied
from sangyo.core.models import AuditEvent
from sangyo.registry.tests.factories import business
from sangyo.strategy.models import Program

COLLECTION_RUBRIC = [
    {"code": "origin", "ja": "産地", "en": "Origin", "max": 5},
    {"code": "originality", "ja": "オリジナリティ", "en": "Originality", "max": 5},
    {"code": "package", "ja": "パッケージ", "en": "Packaging", "max": 5},
    {"code": "quality_price", "ja": "品質・価格", "en": "Quality and price", "max": 5},
    {
        "code": "reliability_safety",
        "ja": "信頼性・安全性",
        "en": "Reliability and safety",
        "max": 5,
    },
]
FULL = {"origin": 5, "originality": 4, "package": 3, "quality_price": 4, "reliability_safety": 5}


@pytest.fixture
def program(tsukuba):
    program = Program.objects.get(code="06-1", measure__strategy=tsukuba)
    f.program_detail(program, workflow="subsidy", rubric=COLLECTION_RUBRIC)
    return program


@pytest.fixture
def call(program):
    return f.open_call(program, budget_yen=1_000_000)


@pytest.fixture
def make_app(call, make_user):
    def make(status="under_review", amount=100_000, target_call=None, **kw):
        firm = business()
        user = f.applicant(make_user, firm)
        costs = [{"type": "equipment", "description": "合成データの経費", "amount": amount}]
        return f.application(target_call or call, firm, user, status=status, costs=costs, **kw)

    return make


def _review(application, reviewer, stage="content", scores=None, submit=True, **kw):
    return reviews.review_save(
        application=application,
        reviewer=reviewer,
        stage=stage,
        conflict_declared=kw.pop("conflict_declared", False),
        conflict_note=kw.pop("conflict_note", ""),
        scores=FULL if scores is None else scores,
        recommendation=kw.pop("recommendation", "yes" if submit else ""),
        comment=kw.pop("comment", "合成データの所見"),
        submit=submit,
    )


@pytest.fixture
def panel(call, make_user, users):
    """Three reviewers assigned to the content stage, one of them also to money."""
    people = [users["reviewer"], make_user("reviewer", "r2@example.test")]
    people.append(make_user("reviewer", "r3@example.test"))
    for person in people:
        reviews.reviewer_assign(call=call, reviewer=person, stage="content", actor=users["officer"])
    reviews.reviewer_assign(call=call, reviewer=people[0], stage="money", actor=users["officer"])
    return people


# --- assignment ----------------------------------------------------------------------------


def test_only_reviewer_role_users_can_be_assigned_once_per_stage(call, users):
    with pytest.raises(services.ApplicationError):
        reviews.reviewer_assign(call=call, reviewer=users["officer"], stage="content", actor="test")
    reviews.reviewer_assign(call=call, reviewer=users["reviewer"], stage="content", actor="test")
    with pytest.raises(services.ApplicationError, match="既に"):
        reviews.reviewer_assign(
            call=call, reviewer=users["reviewer"], stage="content", actor="test"
        )
    reviews.reviewer_assign(call=call, reviewer=users["reviewer"], stage="money", actor="test")
    with pytest.raises(services.ApplicationError):
        reviews.reviewer_assign(call=call, reviewer=users["reviewer"], stage="final", actor="test")
    assert AuditEvent.objects.filter(code="applications.reviewer.assigned").count() == 2


@pytest.mark.parametrize("role", ["viewer", "reviewer", "business"])
def test_only_managers_assign_reviewers(call, users, role):
    with pytest.raises(PermissionDenied):
        reviews.reviewer_assign(
            call=call, reviewer=users["reviewer"], stage="content", actor=users[role]
        )


def test_unassigning_is_refused_once_the_reviewer_recorded_a_review(call, users, make_app):
    app = make_app()
    a = reviews.reviewer_assign(
        call=call, reviewer=users["reviewer"], stage="content", actor="test"
    )
    _review(app, users["reviewer"], submit=False, scores={"origin": 3})
    with pytest.raises(services.ApplicationError):
        reviews.reviewer_unassign(assignment=a, actor=users["officer"])
    b = reviews.reviewer_assign(call=call, reviewer=users["reviewer"], stage="money", actor="test")
    reviews.reviewer_unassign(assignment=b, actor=users["officer"])
    assert AuditEvent.objects.filter(code="applications.reviewer.unassigned").count() == 1


# --- review rules --------------------------------------------------------------------------


def test_only_an_assigned_reviewer_of_that_stage_may_review(call, users, make_user, make_app):
    app = make_app()
    outsider = make_user("reviewer", "outsider@example.test")
    with pytest.raises(PermissionDenied):
        _review(app, outsider)
    reviews.reviewer_assign(call=call, reviewer=outsider, stage="content", actor="test")
    with pytest.raises(PermissionDenied):
        _review(app, outsider, stage="money")
    assert _review(app, outsider).submitted_at is not None
    # Staff are never reviewers through this service.
    with pytest.raises(PermissionDenied):
        _review(app, users["officer"])


def test_an_assignment_to_another_call_does_not_count(program, users, make_app):
    other_call = f.open_call(program)
    reviews.reviewer_assign(call=other_call, reviewer=users["reviewer"], stage="content", actor="t")
    app = make_app()
    with pytest.raises(PermissionDenied):
        _review(app, users["reviewer"])


def test_out_of_range_scores_are_refused_naming_the_criterion(call, panel, make_app):
    app = make_app()
    with pytest.raises(reviews.ReviewError) as caught:
        _review(app, panel[0], scores=FULL | {"originality": 6, "package": -1})
    errors = caught.value.errors
    assert set(errors) == {"originality", "package"}
    assert "オリジナリティ" in errors["originality"] and "0〜5" in errors["originality"]
    assert "パッケージ" in errors["package"]
    with pytest.raises(reviews.ReviewError, match="産地"):
        _review(app, panel[0], scores=FULL | {"origin": "たくさん"})
    with pytest.raises(reviews.ReviewError, match="taste"):
        _review(app, panel[0], scores=FULL | {"taste": 3})
    assert not Review.objects.exists()


def test_submitting_needs_every_criterion_and_a_recommendation(call, panel, make_app):
    app = make_app()
    partial = {"origin": 4}
    with pytest.raises(reviews.ReviewError) as caught:
        _review(app, panel[0], scores=partial, submit=True)
    assert "信頼性・安全性" in caught.value.errors["reliability_safety"]
    draft = _review(app, panel[0], scores=partial, submit=False)
    assert draft.submitted_at is None and draft.total == 4
    with pytest.raises(reviews.ReviewError, match="推薦"):
        _review(app, panel[0], submit=True, recommendation="")


def test_a_submitted_review_is_frozen(call, panel, make_app):
    app = make_app()
    review = _review(app, panel[0])
    assert review.total == Decimal(21)
    with pytest.raises(services.ApplicationError, match="提出済み"):
        _review(app, panel[0], scores=FULL | {"origin": 1})
    with pytest.raises(services.ApplicationError, match="提出済み"):
        _review(app, panel[0], scores={}, conflict_declared=True)
    review.refresh_from_db()
    assert review.scores["origin"] == 5
    codes = list(
        AuditEvent.objects.filter(code__startswith="applications.review.").values_list(
            "code", flat=True
        )
    )
    assert codes == ["applications.review.submitted"]


def test_declaring_a_conflict_recuses_and_forbids_scores(call, panel, make_app):
    app = make_app()
    with pytest.raises(services.ApplicationError, match="採点できません"):
        _review(app, panel[0], scores={"origin": 3}, conflict_declared=True)
    _review(app, panel[0], scores={"origin": 3}, submit=False)  # a draft first
    recused = _review(
        app, panel[0], scores={}, conflict_declared=True, conflict_note="親族が役員", submit=True
    )
    assert recused.conflict_declared and recused.scores == {} and recused.total is None
    assert recused.conflict_note == "親族が役員" and recused.submitted_at is not None
    assert AuditEvent.objects.filter(code="applications.review.recused").exists()


def test_content_reviews_stop_when_adopted_money_reviews_go_on(call, panel, make_app):
    app = make_app(status="adopted")
    with pytest.raises(PermissionDenied):
        _review(app, panel[0], stage="content")
    assert _review(app, panel[0], stage="money").stage == "money"
    draft = make_app(status="draft")
    with pytest.raises(PermissionDenied):
        _review(draft, panel[0], stage="money")


# --- averages and ranking -------------------------------------------------------------------


def test_averages_and_ranking_count_only_submitted_unrecused_reviews_per_stage(
    call, panel, make_app
):
    first, second, third = make_app(), make_app(), make_app()
    r1, r2, r3 = panel
    _review(first, r1, scores=dict.fromkeys(FULL, 5))  # 25
    _review(first, r2, scores=dict.fromkeys(FULL, 3))  # 15
    _review(first, r3, scores=dict.fromkeys(FULL, 0), submit=False)  # draft: not counted
    _review(second, r1, scores=dict.fromkeys(FULL, 4))  # 20
    _review(second, r2, scores={}, conflict_declared=True)  # recused: not counted
    _review(second, r3, scores=dict.fromkeys(FULL, 4))  # 20
    _review(third, r1, stage="money", scores=dict.fromkeys(FULL, 5))  # money only

    content = reviews.ranking(call, "content")
    assert [(r.application, r.average, r.reviews, r.rank) for r in content] == [
        (first, Decimal("20.00"), 2, 1),
        (second, Decimal("20.00"), 2, 1),
        (third, None, 0, None),
    ]
    assert content[1].recused == 1
    money = reviews.ranking(call, "money")
    assert money[0].application == third and money[0].average == Decimal("25.00")
    assert all(r.average is None for r in money[1:])

    listed = {a.pk: a for a in reviews.call_applications(call)}
    assert listed[first.pk].content_average == pytest.approx(20)
    assert listed[first.pk].content_reviews == 2
    assert listed[third.pk].content_average is None
    assert listed[third.pk].money_average == pytest.approx(25)

    detail = reviews.application_for_staff(first.pk)
    content_summary, money_summary = reviews.review_summaries(detail, COLLECTION_RUBRIC)
    assert content_summary.average == Decimal("20.00")
    assert content_summary.counted == 2 and content_summary.drafts == 1
    assert content_summary.criterion_averages["origin"] == Decimal("4.00")
    assert money_summary.average is None


def test_ranking_orders_ties_by_number_and_leaves_out_drafts_and_withdrawn(call, panel, make_app):
    apps = [make_app() for _ in range(3)]
    withdrawn = make_app(status="withdrawn")
    make_app(status="draft")
    for app, score in zip(apps, (3, 4, 3), strict=True):
        _review(app, panel[0], scores=dict.fromkeys(FULL, score))
    rows = reviews.ranking(call, "content")
    assert [r.application.pk for r in rows] == [apps[1].pk, apps[0].pk, apps[2].pk]
    assert [r.rank for r in rows] == [1, 2, 2]
    assert withdrawn.pk not in {r.application.pk for r in rows}


def test_trial_allocation_funds_best_first_within_the_remaining_budget(call, panel, make_app):
    # Requested = half the costs (rate 1/2, cap 500,000円), rounded down to 1,000円.
    reviews.call_set_budget(call=call, budget_yen=900_000, actor="test")
    call.refresh_from_db()
    top = make_app(amount=1_200_000)  # 500,000 (capped)
    middle = make_app(amount=900_000)  # 450,000: does not fit after top
    low = make_app(amount=600_000)  # 300,000: fits
    unscored = make_app(amount=100_000)
    for app, score in ((top, 5), (middle, 4), (low, 3)):
        _review(app, panel[0], scores=dict.fromkeys(FULL, score))
    before = AuditEvent.objects.count()
    result = reviews.trial_allocation(reviews.ranking(call, "content"), call.remaining_yen)
    outcome = {r.application.pk: r.allocation for r in result.rows}
    assert outcome == {
        top.pk: "funded",
        middle.pk: "not_funded",
        low.pk: "funded",
        unscored.pk: "unscored",
    }
    assert result.funded_total == 800_000 and result.remaining_end == 100_000
    call.refresh_from_db()
    assert call.committed_yen == 0 and AuditEvent.objects.count() == before


# --- calls and budgets ----------------------------------------------------------------------


def _period():
    now = timezone.now()
    return now - datetime.timedelta(days=1), now + datetime.timedelta(days=10)


def test_call_lifecycle_is_audited(program, users):
    opens, closes = _period()
    form = f.form_version()
    call = reviews.call_create(
        program=program,
        title_ja="合成データ募集（令和7年度）",
        title_en="",
        fiscal_year=2025,
        opens_at=opens,
        closes_at=closes,
        budget_yen=500_000,
        form=form,
        actor=users["officer"],
    )
    assert call.status == Call.Status.DRAFT
    reviews.call_open(call=call, actor=users["officer"])
    with pytest.raises(services.ApplicationError):
        reviews.call_open(call=call, actor=users["officer"])
    reviews.call_close(call=call, actor=users["admin"])
    call.refresh_from_db()
    assert call.status == Call.Status.CLOSED
    codes = set(AuditEvent.objects.values_list("code", flat=True))
    assert {
        "applications.call.created",
        "applications.call.opened",
        "applications.call.closed",
    } <= codes
    with pytest.raises(PermissionDenied):
        reviews.call_open(call=call, actor=users["viewer"])


def test_call_create_checks_its_fields(program, tsukuba, users):
    opens, closes = _period()
    base = dict(
        program=program,
        title_ja="合成データ募集",
        fiscal_year=2025,
        opens_at=opens,
        closes_at=closes,
        budget_yen=1,
        form=f.form_version(),
        actor="test",
    )
    with pytest.raises(services.ApplicationError, match="締切"):
        reviews.call_create(**base | {"opens_at": closes, "closes_at": opens})
    with pytest.raises(services.ApplicationError, match="予算"):
        reviews.call_create(**base | {"budget_yen": -1})
    bare = Program.objects.get(code="01-2", measure__strategy=tsukuba)
    with pytest.raises(services.ApplicationError, match="申請の仕組み"):
        reviews.call_create(**base | {"program": bare})
    past = f.open_call(program, closes_at=timezone.now() - datetime.timedelta(hours=1))
    past.status = Call.Status.CLOSED
    past.save()
    with pytest.raises(services.ApplicationError, match="締切"):
        reviews.call_open(call=past, actor="test")


def test_budget_is_never_set_below_what_is_committed(call, make_app, users):
    make_app(status="grant_decided", decided_yen=400_000)
    call.refresh_from_db()
    assert call.committed_yen == 400_000
    with pytest.raises(services.ApplicationError, match="400,000"):
        reviews.call_set_budget(call=call, budget_yen=399_999, actor=users["officer"])
    with pytest.raises(services.ApplicationError):
        reviews.call_set_budget(call=call, budget_yen=None, actor=users["officer"])
    reviews.call_set_budget(call=call, budget_yen=400_000, actor=users["officer"])
    call.refresh_from_db()
    assert call.budget_yen == 400_000 and call.remaining_yen == 0
    event = AuditEvent.objects.get(code="applications.call.budget_set")
    assert event.data["from"] == 1_000_000 and event.data["to"] == 400_000


def test_call_update_keeps_program_and_year_once_applications_exist(call, make_app, tsukuba):
    make_app(status="submitted")
    other = Program.objects.get(code="05-1", measure__strategy=tsukuba)
    f.program_detail(other)
    fields = dict(
        title_ja="合成データ募集（改題）",
        title_en=call.title_en,
        opens_at=call.opens_at,
        closes_at=call.closes_at,
        budget_yen=call.budget_yen,
        form=call.form,
        actor="test",
    )
    with pytest.raises(services.ApplicationError, match="変更できません"):
        reviews.call_update(call=call, program=other, fiscal_year=call.fiscal_year, **fields)
    with pytest.raises(services.ApplicationError, match="変更できません"):
        reviews.call_update(
            call=call, program=call.program, fiscal_year=call.fiscal_year + 1, **fields
        )
    new_form = f.form_version()
    updated = reviews.call_update(
        call=call, program=call.program, fiscal_year=call.fiscal_year, **fields | {"form": new_form}
    )
    assert updated.title_ja == "合成データ募集（改題）" and updated.form == new_form
    event = AuditEvent.objects.get(code="applications.call.updated")
    assert set(event.data["changes"]) == {"title_ja", "form_id"}


def test_budget_summary_matches_the_services(program, make_app, call, users):
    fy = call.fiscal_year
    second = f.open_call(program, budget_yen=2_000_000)
    unbudgeted = f.open_call(program, budget_yen=None)
    f.open_call(program, budget_yen=9_999_999, fiscal_year=fy - 1)  # another year

    paid = make_app(status="grant_decided", decided_yen=300_000)
    services.application_transition(
        application=paid, action="report", actor=paid.applicant, report={"summary": "合成"}
    )
    services.application_transition(
        application=paid, action="fix_amount", actor=users["officer"], fixed_yen=250_000
    )
    services.application_transition(application=paid, action="pay", actor=users["officer"])
    make_app(status="grant_decided", decided_yen=500_000, target_call=second)
    make_app(status="grant_decided", decided_yen=70_000, target_call=unbudgeted)

    summary = reviews.budget_summary(fy)
    by_call = {r.call.pk: r for r in summary.rows}
    assert (by_call[call.pk].committed, by_call[call.pk].paid) == (250_000, 250_000)
    assert by_call[call.pk].remaining == 750_000
    assert by_call[second.pk].remaining == 1_500_000
    assert by_call[unbudgeted.pk].budget is None and by_call[unbudgeted.pk].remaining is None
    assert summary.budget == 3_000_000
    assert summary.committed == 820_000
    assert summary.paid == 250_000
    assert summary.remaining == 3_000_000 - 750_000
    assert summary.unbudgeted_calls == 1
    assert fy - 1 in summary.fiscal_years
    assert len(summary.rows) == 3

"""The workflows' transition tables, walked through the one transition service.

For every state of every workflow, one application is brought there through the services;
then every action is tried by every kind of actor. What the table allows lands in its target
(tried inside a savepoint, then undone); everything else raises and changes nothing."""

import dataclasses
import datetime

import pytest
from django.core import mail
from django.db import transaction

from sangyo.applications import services, workflows
from sangyo.applications.models import Application, Call, Payment, StatusChange
from sangyo.applications.services import ApplicationError
from sangyo.applications.tests import factories as f
from sangyo.applications.workflows import WORKFLOWS, get_workflow
from sangyo.core.errors import PermissionDenied
from sangyo.core.models import AuditEvent
from sangyo.registry.models import SupportRecord
from sangyo.registry.services import delegation_grant
from sangyo.registry.tests.factories import business

# The program each workflow is tried on (details made by the factory, no eligibility rules).
PROGRAM_FOR = {"subsidy": "05-1", "certification": "06-1", "certificate": "10-1"}
# Actors and the part they may play ("applicant", "officer", "admin") or None.
ACTORS = {
    "applicant": "applicant",
    "proxy": "applicant",
    "officer": "officer",
    "admin": "admin",
    "reviewer": None,
    "viewer": None,
    "other_business": None,
}
CASES = [
    pytest.param(code, version, state, id=f"{code}-v{version}-{state}")
    for (code, version), wf in WORKFLOWS.items()
    for state in wf.states
]


@pytest.fixture
def setup(tsukuba, make_user):
    from sangyo.strategy.models import Program

    def make(workflow: str, **detail):
        program = Program.objects.get(measure__strategy=tsukuba, code=PROGRAM_FOR[workflow])
        f.program_detail(program, workflow=workflow, **detail)
        call = f.open_call(program)
        b = business()
        owner = f.applicant(make_user, b, email=f"owner-{workflow}@example.test")
        return call, b, owner

    return make


@pytest.fixture
def actors(make_user):
    def make(b, owner):
        other = business()
        proxy = make_user("business", email="proxy@example.test")
        delegation_grant(
            business=b,
            proxy=proxy,
            valid_until=datetime.date.today() + datetime.timedelta(days=30),
            scope="申請の代理（合成データ）",
            actor=owner,
        )
        return {
            "applicant": owner,
            "proxy": proxy,
            "officer": f.officer(),
            "admin": make_user("admin", email="admin@example.test"),
            "reviewer": make_user("reviewer", email="reviewer@example.test"),
            "viewer": make_user("viewer", email="viewer@example.test"),
            "other_business": f.applicant(make_user, other, email="other@example.test"),
        }

    return make


def _snapshot(app: Application) -> tuple:
    app.refresh_from_db()
    call = Call.objects.get(pk=app.call_id)
    return (
        app.status,
        StatusChange.objects.filter(application=app).count(),
        AuditEvent.objects.count(),
        SupportRecord.objects.count(),
        call.committed_yen,
        call.paid_yen,
        Payment.objects.count(),
    )


def _light(app: Application) -> tuple:
    """Status, timeline length and audit length: what a refused action must not change."""
    return (
        Application.objects.values_list("status", flat=True).get(pk=app.pk),
        StatusChange.objects.filter(application=app).count(),
        AuditEvent.objects.count(),
    )


def _transition(app, action, actor, **extra):
    extra.setdefault("report", {"summary": "合成データの実績報告"})
    return services.application_transition(
        application=app, action=action, actor=actor, note="合成データ", **extra
    )


@pytest.mark.django_db
@pytest.mark.parametrize("code,version,state", CASES)
def test_every_action_by_every_actor_follows_the_table(setup, actors, code, version, state):
    wf = get_workflow(code, version)
    call, b, owner = setup(code)
    app = f.application(call, b, owner, status=state)
    assert (app.status, app.workflow, app.workflow_version) == (state, code, version)
    users = actors(b, owner)
    actions = sorted({t.action for t in wf.transitions})
    tried = allowed_count = 0
    start = _snapshot(app)
    before = _light(app)
    for action in actions:
        t = wf.find(state, action)
        # An action the state does not have is refused whoever asks: try it as the applicant
        # and as an officer; an action it has is tried by every kind of actor.
        names = ACTORS if t is not None else ("applicant", "officer")
        for name in names:
            part = ACTORS[name]
            allowed = t is not None and part is not None and part in t.who
            where = f"{code}: {state} --{action}--> as {name}"
            if allowed:
                sid = transaction.savepoint()
                moved = _transition(app, action, users[name])
                assert moved.status == t.target, where
                last = StatusChange.objects.filter(application=app).order_by("-id").first()
                assert (last.action, last.source, last.target, last.actor) == (
                    action,
                    state,
                    t.target,
                    users[name],
                ), where
                assert AuditEvent.objects.filter(
                    code=f"applications.application.{action}", target_id=str(app.pk)
                ).exists(), where
                transaction.savepoint_rollback(sid)
                allowed_count += 1
            else:
                with pytest.raises(ApplicationError):
                    _transition(app, action, users[name])
                assert _light(app) == before, where
            tried += 1
    assert _snapshot(app) == start  # refusals and undone moves left no money or records
    assert tried == sum(len(ACTORS) if wf.find(state, a) else 2 for a in actions)
    expected = sum(
        len({p for p in ACTORS.values() if p in t.who})
        + (1 if "applicant" in t.who else 0)  # the proxy plays the applicant too
        for t in wf.transitions
        if state in t.source
    )
    assert allowed_count == expected


def test_withdraw_is_possible_from_every_open_state_and_no_other():
    for wf in WORKFLOWS.values():
        withdrawable = {s for s in wf.states if wf.find(s, "withdraw")}
        assert withdrawable == {code for code, s in wf.states.items() if s.open}, wf.code
        t = wf.find("draft", "withdraw")
        assert t.target == "withdrawn" and {"applicant", "officer", "admin"} <= t.who
        for code, s in wf.states.items():
            if s.final:
                assert wf.allowed(code, "officer") == [], (wf.code, code)
                assert wf.allowed(code, "applicant") == [], (wf.code, code)


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(PROGRAM_FOR))
def test_withdraw_from_every_open_state(setup, code):
    call, b, owner = setup(code)
    wf = get_workflow(code)
    for state, s in wf.states.items():
        if not s.open:
            continue
        app = f.application(call, b, owner, status=state)
        app = _transition(app, "withdraw", owner)
        assert app.status == "withdrawn", state
        with pytest.raises(ApplicationError):
            _transition(app, "withdraw", owner)


@pytest.mark.django_db
def test_a_returned_application_can_be_edited_and_resubmitted(setup):
    call, b, owner = setup("subsidy")
    app = f.application(call, b, owner, status="submitted")
    with pytest.raises(ApplicationError, match="提出済みの申請は編集できません"):
        services.application_save(application=app, actor=owner, answers={"summary": "変更"})
    app = _transition(app, "return", f.officer())
    assert app.status == "returned"
    answers = app.answers | {"summary": "合成データの修正後の計画"}
    app = services.application_save(
        application=app,
        actor=owner,
        answers=answers,
        costs=[{"type": "equipment", "description": "修正後", "amount": 80_000}],
    )
    assert app.requested_yen == 40_000
    app = _transition(app, "resubmit", owner)
    assert app.status == "resubmitted"
    assert app.answers["summary"] == "合成データの修正後の計画"
    assert list(app.history.values_list("action", flat=True)) == [
        "start",
        "submit",
        "return",
        "resubmit",
    ]
    # A resubmission is checked like a submission.
    app = _transition(app, "return", f.officer())
    services.application_save(application=app, actor=owner, answers={})
    with pytest.raises(ApplicationError, match="未入力の必須項目があります: 事業計画の概要"):
        _transition(app, "resubmit", owner)


@pytest.mark.django_db
def test_required_answers_respect_show_when(setup):
    call, b, owner = setup("subsidy")
    app = f.application(call, b, owner)
    answers = {"summary": "合成", "has_partner": "yes", "no_unpaid_tax": True}
    services.application_save(application=app, actor=owner, answers=answers)
    app.refresh_from_db()
    assert services.missing_answers(app) == ["連携先の名称"]
    services.application_save(application=app, actor=owner, answers=answers | {"has_partner": "no"})
    app.refresh_from_db()
    assert services.missing_answers(app) == []


@pytest.mark.django_db
def test_an_application_keeps_the_workflow_version_it_started_with(setup, monkeypatch):
    call, b, owner = setup("subsidy")
    old = f.application(call, b, owner, status="submitted")
    v1 = get_workflow("subsidy", 1)
    v2 = dataclasses.replace(
        v1, version=2, transitions=tuple(t for t in v1.transitions if t.action != "return")
    )
    monkeypatch.setitem(workflows.WORKFLOWS, ("subsidy", 2), v2)
    monkeypatch.setitem(workflows.LATEST, "subsidy", 2)
    new = f.application(call, b, owner, status="submitted")
    assert (old.workflow_version, new.workflow_version) == (1, 2)
    with pytest.raises(ApplicationError):
        _transition(new, "return", f.officer())
    assert _transition(old, "return", f.officer()).status == "returned"


@pytest.mark.django_db
def test_submit_counts_the_application_once(setup):
    call, b, owner = setup("subsidy")
    app = f.application(call, b, owner, status="submitted")
    records = SupportRecord.objects.filter(kind="application", business=b)
    assert records.count() == 1
    record = records.get()
    assert record.program == call.program
    assert record.source == f"applications.application:{app.pk}:submitted"
    # A second submit is refused; a retried effect finds the record already there; returning
    # and resubmitting does not count the application again.
    with pytest.raises(ApplicationError):
        _transition(app, "submit", owner)
    services._count_application(app, owner)
    app = _transition(app, "return", f.officer())
    _transition(app, "resubmit", owner)
    assert records.count() == 1


@pytest.mark.django_db
def test_submit_records_when_the_application_was_submitted(setup):
    call, b, owner = setup("subsidy")
    app = f.application(call, b, owner, status="submitted")
    assert app.submitted_at is not None
    first = app.submitted_at
    app = _transition(_transition(app, "return", f.officer()), "resubmit", owner)
    assert app.submitted_at == first  # the first submission date stands


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code,action,state,kind",
    [
        ("subsidy", "adopt", "adopted", "subsidy"),
        ("certification", "certify", "certified", "certification"),
        ("certificate", "issue", "issued", "certificate"),
    ],
)
def test_decisions_write_support_records(setup, code, action, state, kind):
    call, b, owner = setup(code)
    app = f.application(call, b, owner, status=state)
    record = SupportRecord.objects.get(business=b, kind=kind)
    assert record.source == f"applications.application:{app.pk}:{state}"
    assert record.outcome == state and record.program == call.program
    assert app.number in record.summary
    if kind == "subsidy":
        assert record.amount == app.requested_yen == 50_000
    assert app.decided_at is not None and app.decision_reason == "合成データ"
    if code == "certificate":
        assert app.certificate_number == app.number


@pytest.mark.django_db
@pytest.mark.parametrize("years", [3, 2])
def test_certify_sets_the_validity(setup, years):
    call, b, owner = setup("certification", validity_years=years)
    app = f.application(call, b, owner, status="certified")
    from django.utils import timezone

    today = timezone.localdate()
    assert app.certified_from == today
    try:
        expected = today.replace(year=today.year + years) - datetime.timedelta(days=1)
    except ValueError:  # 29 February
        expected = today.replace(year=today.year + years, day=28)
    assert app.certified_until == expected


@pytest.mark.django_db
def test_money_moves_with_the_grant(setup):
    call, b, owner = setup("subsidy")
    call.budget_yen = 100_000
    call.save()
    officer = f.officer()
    app = f.application(call, b, owner, status="adopted")
    app = _transition(app, "decide_grant", officer)  # requested 50,000 (1/2 of 100,000)
    call.refresh_from_db()
    assert (app.decided_yen, call.committed_yen) == (50_000, 50_000)
    app = _transition(app, "report", owner)
    with pytest.raises(ApplicationError, match="確定額は交付決定額以下"):
        _transition(app, "fix_amount", officer, fixed_yen=60_000)
    app = _transition(app, "fix_amount", officer, fixed_yen=40_000)
    call.refresh_from_db()
    assert (app.fixed_yen, call.committed_yen) == (40_000, 40_000)
    app = _transition(app, "pay", officer, paid_on=datetime.date(2027, 1, 15))
    call.refresh_from_db()
    assert (app.status, app.paid_yen, call.paid_yen) == ("paid", 40_000, 40_000)
    payment = Payment.objects.get(application=app)
    assert (payment.amount_yen, payment.paid_on) == (40_000, datetime.date(2027, 1, 15))
    other = f.application(call, b, owner, status="adopted")
    with pytest.raises(
        ApplicationError, match="予算が不足しています（残額 60,000円、必要額 70,000円）"
    ):
        _transition(other, "decide_grant", officer, decided_yen=70_000)
    other.refresh_from_db()
    assert other.status == "adopted" and other.decided_yen is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language,status_label,not_label",
    [("ja", "申請済み", "Submitted"), ("en", "Submitted", "申請済み")],
)
def test_mail_goes_in_the_applicants_language(
    setup, django_capture_on_commit_callbacks, language, status_label, not_label
):
    call, b, owner = setup("subsidy")
    app = f.application(call, b, owner, language=language)
    assert app.language == language
    with django_capture_on_commit_callbacks(execute=True):
        _transition(app, "submit", owner)
    [message] = mail.outbox
    assert message.to == [owner.email]
    text = message.subject + message.body
    assert status_label in text and app.number in text
    assert not_label not in text
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _transition(app, "start_review", f.officer())  # no mail for this step
    assert mail.outbox == []


@pytest.mark.django_db
def test_staff_cannot_act_as_the_applicant_nor_the_applicant_as_staff(setup):
    call, b, owner = setup("subsidy")
    officer = f.officer()
    draft = f.application(call, b, owner)
    with pytest.raises(ApplicationError):
        _transition(draft, "submit", officer)
    with pytest.raises(PermissionDenied):
        services.application_save(application=draft, actor=officer, answers={})
    submitted = f.application(call, b, owner, status="submitted")
    for action in ("start_review", "return"):
        with pytest.raises(ApplicationError):
            _transition(submitted, action, owner)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


@pytest.mark.django_db
def test_a_user_of_another_business_cannot_touch_the_application(setup, make_user):
    call, b, owner = setup("subsidy")
    other = business()
    stranger = f.applicant(make_user, other, email="stranger@example.test")
    app = f.application(call, b, owner)
    before = _snapshot(app)
    with pytest.raises(PermissionDenied):
        services.application_save(application=app, actor=stranger, answers={"summary": "乗っ取り"})
    with pytest.raises(ApplicationError):
        _transition(app, "submit", stranger)
    with pytest.raises(ApplicationError):
        _transition(app, "withdraw", stranger)
    with pytest.raises(PermissionDenied):
        services.application_start(call=call, business=b, actor=stranger)
    assert _snapshot(app) == before
    assert app.answers.get("summary") != "乗っ取り"


@pytest.mark.django_db
def test_a_proxy_acts_for_the_business_until_the_delegation_is_revoked(setup, actors):
    from sangyo.registry.services import delegation_revoke

    call, b, owner = setup("subsidy")
    proxy = actors(b, owner)["proxy"]
    app = f.application(call, b, proxy)
    assert app.applicant == proxy
    delegation_revoke(delegation=proxy.delegations.get(), actor=owner)
    with pytest.raises(ApplicationError):
        _transition(app, "submit", proxy)
    assert _transition(app, "submit", owner).status == "submitted"


@pytest.mark.django_db
def test_a_closed_call_takes_no_new_applications(setup):
    call, b, owner = setup("subsidy")
    call.status = Call.Status.CLOSED
    call.save()
    with pytest.raises(ApplicationError, match="受け付けていません"):
        services.application_start(call=call, business=b, actor=owner)


@pytest.mark.django_db
def test_application_numbers_run_per_call_year_and_program(setup):
    call, b, owner = setup("subsidy")
    first = f.application(call, b, owner)
    second = f.application(call, b, owner)
    prefix = f"{call.fiscal_year}-{call.program.code}-"
    assert (first.number, second.number) == (f"{prefix}0001", f"{prefix}0002")

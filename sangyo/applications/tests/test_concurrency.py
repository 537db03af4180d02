"""Parallel grant decisions on PostgreSQL: the budget row lock lets exactly as many grants
through as the budget holds, and the application row lock lets one decision through per
application. (SQLite serialises every writer, so these tests only mean something on
PostgreSQL; they are skipped elsewhere.)"""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Sum

from sangyo.applications import services
from sangyo.applications.models import Application, Call, StatusChange
from sangyo.applications.tests import factories as f
from sangyo.registry.tests.factories import business

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]

GRANT = 10_000
BUDGET_GRANTS = 50
APPLICATIONS = 200
WORKERS = 20


@pytest.fixture
def adopted(tsukuba, make_user):
    """A call with a budget of 50 grants and `count` adopted applications of 10,000円 each:
    the first walks the real workflow, the others are copies of it (to keep setup short)."""
    from sangyo.strategy.models import Program

    def make(count: int):
        program = Program.objects.get(measure__strategy=tsukuba, code="05-1")
        f.program_detail(program, rate_numerator=1, rate_denominator=2, rounding_unit=1)
        call = f.open_call(program, budget_yen=BUDGET_GRANTS * GRANT)
        b = business()
        user = f.applicant(make_user, b)
        first = f.application(
            call,
            b,
            user,
            status="adopted",
            costs=[{"type": "equipment", "description": "合成データ", "amount": 2 * GRANT}],
        )
        assert first.requested_yen == GRANT
        prefix = first.number.rsplit("-", 1)[0]
        copies = [
            Application(
                call=call,
                business=b,
                applicant=user,
                number=f"{prefix}-{n:04d}",
                form=first.form,
                answers=first.answers,
                costs=first.costs,
                workflow=first.workflow,
                workflow_version=first.workflow_version,
                status="adopted",
                requested_yen=GRANT,
                is_synthetic=True,
            )
            for n in range(2, count + 1)
        ]
        Application.objects.bulk_create(copies)
        return call, list(Application.objects.filter(call=call).values_list("pk", flat=True))

    return make


def _decide(pk: int, officer) -> str:
    try:
        services.application_transition(
            application=Application(pk=pk), action="decide_grant", actor=officer, decided_yen=GRANT
        )
        return "ok"
    except services.ApplicationError as exc:
        return str(exc)
    finally:
        connection.close()


def _run_parallel(pks, officer):
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        outcomes = list(pool.map(lambda pk: _decide(pk, officer), pks))
    return outcomes, time.perf_counter() - started


def test_parallel_grants_never_overspend_the_budget(adopted):
    call, pks = adopted(APPLICATIONS)
    assert len(pks) == APPLICATIONS
    officer = f.officer()
    outcomes, seconds = _run_parallel(pks, officer)
    print(f"\n{APPLICATIONS} parallel decide_grant with {WORKERS} workers: {seconds:.2f}s")

    succeeded = [o for o in outcomes if o == "ok"]
    refused = [o for o in outcomes if o != "ok"]
    assert len(succeeded) == BUDGET_GRANTS
    assert len(refused) == APPLICATIONS - BUDGET_GRANTS
    assert all(o.startswith("予算が不足しています（残額 0円") for o in refused), set(refused)

    call.refresh_from_db()
    assert call.committed_yen == call.budget_yen == BUDGET_GRANTS * GRANT
    granted = Application.objects.filter(call=call, status="grant_decided")
    assert granted.count() == BUDGET_GRANTS
    assert granted.aggregate(total=Sum("decided_yen"))["total"] == call.committed_yen
    assert Application.objects.filter(call=call, status="adopted").count() == len(refused)
    assert not Application.objects.filter(call=call, status="adopted", decided_yen__isnull=False)
    assert StatusChange.objects.filter(application__call=call, action="decide_grant").count() == (
        BUDGET_GRANTS
    )
    # The database itself refuses a commitment above the budget.
    with pytest.raises(IntegrityError), transaction.atomic():
        Call.objects.filter(pk=call.pk).update(committed_yen=F("budget_yen") + 1)


def test_parallel_decisions_on_one_application_apply_once(adopted):
    call, pks = adopted(1)
    officer = f.officer()
    outcomes, seconds = _run_parallel([pks[0]] * WORKERS, officer)
    print(f"\n{WORKERS} parallel decide_grant on one application: {seconds:.2f}s")

    assert outcomes.count("ok") == 1
    assert all(
        "「交付決定」の申請に「decide_grant」はできません" in o for o in outcomes if o != "ok"
    )
    app = Application.objects.get(pk=pks[0])
    assert (app.status, app.decided_yen) == ("grant_decided", GRANT)
    history = list(app.history.values_list("action", "source", "target"))
    assert history.count(("decide_grant", "adopted", "grant_decided")) == 1
    assert history[-1] == ("decide_grant", "adopted", "grant_decided")
    call.refresh_from_db()
    assert call.committed_yen == GRANT

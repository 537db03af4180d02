"""The staff and reviewer screens of applications, through the test client: workflow steps
with their mails, budgets, calls, reviews and who may see what. Records are synthetic
(合成データ)."""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sangyo.applications import reviews, services
from sangyo.applications.models import Application, Call, Payment, Review, StatusChange
from sangyo.applications.tests import factories as f
from sangyo.core.models import AuditEvent
from sangyo.core.wareki import format_date_ja
from sangyo.registry.tests.factories import business
from sangyo.strategy.models import Program

RUBRIC = [
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
BASE = "/staff/applications"


@pytest.fixture
def program(tsukuba):
    program = Program.objects.get(code="05-1", measure__strategy=tsukuba)
    f.program_detail(program, rubric=RUBRIC)
    return program


@pytest.fixture
def call(program):
    return f.open_call(program, budget_yen=1_000_000)


@pytest.fixture
def make_app(call, make_user):
    def make(status="under_review", amount=400_000, target_call=None, language="ja", **kw):
        firm = business()
        user = f.applicant(make_user, firm)
        costs = [{"type": "equipment", "description": "合成データの設備", "amount": amount}]
        return f.application(
            target_call or call, firm, user, status=status, costs=costs, language=language, **kw
        )

    return make


@pytest.fixture
def officer(client, users):
    client.force_login(users["officer"])
    return client


def _page(pk):
    return f"{BASE}/applications/{pk}/"


def _step(client, app, action, **fields):
    data = {"action": action} | {f"{action}-{k}": v for k, v in fields.items()}
    return client.post(f"{BASE}/applications/{app.pk}/transition/", data)


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- workflow steps through the staff page ---------------------------------------------------


def test_return_needs_a_note_and_mails_the_applicant_in_their_language(
    officer, make_app, django_capture_on_commit_callbacks
):
    app = make_app(status="submitted", language="en")
    mail.outbox.clear()
    response = _step(officer, app, "return", note="")
    assert response.status_code == 200
    assert "エラー：" in _text(response) and 'role="alert"' in _text(response)
    app.refresh_from_db()
    assert app.status == "submitted"

    with django_capture_on_commit_callbacks(execute=True):
        response = _step(officer, app, "return", note="見積書の日付を直してください")
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "returned"
    change = StatusChange.objects.filter(application=app).latest("at", "id")
    assert change.action == "return" and change.note == "見積書の日付を直してください"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [app.applicant.email]
    # The applicant's own label, in their language (never the staff label 差戻し中).
    assert "Returned for changes" in message.subject + message.body
    assert "差戻し中" not in message.subject + message.body


def test_adopt_records_the_reason_and_the_staff_label_is_shown(
    officer, make_app, django_capture_on_commit_callbacks
):
    app = make_app()
    page = _text(officer.get(_page(app.pk)))
    assert "審査中" in page and "採択する" in page and "不採択とする" in page
    assert _step(officer, app, "adopt", note="").status_code == 200  # reason required
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _step(officer, app, "adopt", note="地域への波及効果が大きい")
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "adopted" and app.decision_reason == "地域への波及効果が大きい"
    assert len(mail.outbox) == 1 and "採択" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(code="applications.application.adopt").exists()
    page = _text(officer.get(_page(app.pk)))
    assert "交付決定する" in page and "地域への波及効果が大きい" in page


def test_decide_grant_beyond_the_remaining_budget_is_a_clear_error(officer, call, make_app):
    make_app(status="grant_decided", decided_yen=800_000)
    app = make_app(status="adopted")  # requests 200,000
    page = _text(officer.get(_page(app.pk)))
    assert "募集の予算残額: 200,000円" in page
    assert 'value="200,000"' in page  # prefilled with the requested amount

    response = _step(officer, app, "decide_grant", decided_yen="250,000", note="")
    assert response.status_code == 200
    text = _text(response)
    assert "予算が不足しています" in text and "200,000円" in text
    app.refresh_from_db()
    call.refresh_from_db()
    assert app.status == "adopted" and call.committed_yen == 800_000

    response = _step(officer, app, "decide_grant", decided_yen="200000", note="")
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.committed_yen == 1_000_000 and call.remaining_yen == 0


def test_fix_amount_must_not_exceed_the_decision_and_pay_records_the_date(
    officer, call, make_app, django_capture_on_commit_callbacks
):
    app = make_app(status="grant_decided", decided_yen=300_000)
    services.application_transition(
        application=app, action="report", actor=app.applicant, report={"summary": "合成"}
    )
    response = _step(officer, app, "fix_amount", fixed_yen="300001", note="")
    assert response.status_code == 200 and "確定額は交付決定額以下" in _text(response)
    assert _step(officer, app, "fix_amount", fixed_yen="280,000", note="").status_code == 302
    call.refresh_from_db()
    assert call.committed_yen == 280_000

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _step(officer, app, "pay", paid_on="2025-10-31", note="")
    assert response.status_code == 302
    app.refresh_from_db()
    call.refresh_from_db()
    payment = Payment.objects.get(application=app)
    assert (app.status, app.paid_yen, call.paid_yen) == ("paid", 280_000, 280_000)
    assert payment.paid_on == datetime.date(2025, 10, 31) and payment.amount_yen == 280_000
    assert len(mail.outbox) == 1


def test_a_step_the_workflow_does_not_allow_is_refused_without_a_500(officer, make_app):
    app = make_app(status="submitted")
    response = _step(officer, app, "pay", paid_on="2025-10-31")
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "submitted"
    follow = _text(officer.get(_page(app.pk)))
    assert "エラー：" in follow


def test_viewers_read_the_application_but_see_no_steps_and_cannot_post(client, users, make_app):
    app = make_app()
    client.force_login(users["viewer"])
    page = _text(client.get(_page(app.pk)))
    assert app.number in page and "採択する" not in page
    assert _step(client, app, "adopt", note="理由").status_code == 404
    app.refresh_from_db()
    assert app.status == "under_review"


def test_answers_are_labelled_by_the_version_the_applicant_answered(officer, call, make_app):
    app = make_app()
    # The call moves on to a new form version with other labels; the application keeps its.
    renamed = [
        dict(field, label={"ja": "改題した項目", "en": "Renamed"}) for field in call.form.fields
    ]
    call.form = f.form_version(fields=renamed)
    call.save()
    page = _text(officer.get(_page(app.pk)))
    assert "事業計画の概要" in page and "改題した項目" not in page
    assert "連携先の有無" in page and "あり" in page  # a choice shows its label
    # The computed amount with its working.
    assert "対象経費の合計 400,000円" in page and "× 補助率 1/2" in page
    assert f"/staff/businesses/{app.business_id}/" in page


# --- calls -----------------------------------------------------------------------------------


def test_officer_creates_edits_opens_and_closes_a_call(officer, program):
    form = f.form_version()
    page = _text(officer.get(f"{BASE}/calls/new/"))
    assert 'type="datetime-local"' in page and program.name_ja in page
    response = officer.post(
        f"{BASE}/calls/new/",
        {
            "program": program.pk,
            "title_ja": "合成データ募集（職員画面）",
            "title_en": "Synthetic call",
            "fiscal_year": "2025",
            "opens_at": "2025-04-01T09:00",
            "closes_at": "2099-05-31T17:00",
            "budget_yen": "3,000,000",
            "form": form.pk,
        },
    )
    assert response.status_code == 302
    call = Call.objects.get(title_ja="合成データ募集（職員画面）")
    assert call.budget_yen == 3_000_000 and call.status == "draft"
    assert timezone.localtime(call.opens_at).hour == 9  # entered in Japanese time

    assert officer.post(f"{BASE}/calls/{call.pk}/open/").status_code == 302
    call.refresh_from_db()
    assert call.status == "open"
    officer.post(f"{BASE}/calls/{call.pk}/close/")
    call.refresh_from_db()
    assert call.status == "closed"

    edit = officer.get(f"{BASE}/calls/{call.pk}/edit/")
    assert 'value="2025-04-01T09:00"' in _text(edit)
    response = officer.post(
        f"{BASE}/calls/{call.pk}/edit/",
        {
            "program": program.pk,
            "title_ja": "合成データ募集（職員画面）",
            "fiscal_year": "2025",
            "opens_at": "2025-04-01T09:00",
            "closes_at": "2025-03-01T17:00",
            "budget_yen": "abc",
            "form": form.pk,
        },
    )
    text = _text(response)
    assert response.status_code == 200
    assert "受付締切は受付開始より後にしてください" in text and "金額は0以上の整数" in text


def test_the_budget_of_a_call_cannot_be_edited_below_its_commitments(officer, call, make_app):
    make_app(status="grant_decided", decided_yen=600_000)
    data = {
        "program": call.program_id,
        "title_ja": call.title_ja,
        "fiscal_year": call.fiscal_year,
        "opens_at": timezone.localtime(call.opens_at).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": timezone.localtime(call.closes_at).strftime("%Y-%m-%dT%H:%M"),
        "budget_yen": "500000",
        "form": call.form_id,
    }
    response = officer.post(f"{BASE}/calls/{call.pk}/edit/", data)
    assert response.status_code == 200 and "600,000円" in _text(response)
    call.refresh_from_db()
    assert call.budget_yen == 1_000_000


def test_programs_without_application_rules_are_not_offered(officer, tsukuba, program):
    bare = Program.objects.get(code="01-1", measure__strategy=tsukuba)
    page = _text(officer.get(f"{BASE}/calls/new/"))
    assert program.name_ja in page and bare.name_ja not in page


def test_call_page_filters_by_status_and_shows_amounts_and_averages(officer, call, make_app, users):
    reviewed = make_app()
    make_app(status="submitted")
    reviews.reviewer_assign(call=call, reviewer=users["reviewer"], stage="content", actor="t")
    reviews.review_save(
        application=reviewed,
        reviewer=users["reviewer"],
        stage="content",
        conflict_declared=False,
        scores=dict.fromkeys([r["code"] for r in RUBRIC], 4),
        recommendation="yes",
        submit=True,
    )
    page = _text(officer.get(f"{BASE}/calls/{call.pk}/"))
    assert "審査中（1）" in page and "申請受付（1）" in page
    assert page.count(format_date_ja(timezone.localdate())) >= 2  # submission dates
    assert "20.00 / 25" in page and "200,000円" in page
    filtered = _text(officer.get(f"{BASE}/calls/{call.pk}/?status=submitted"))
    assert reviewed.number not in filtered


def test_call_page_runs_the_same_queries_for_5_and_50_applications(
    client, users, call, make_user, django_assert_max_num_queries
):
    firm = business()
    user = f.applicant(make_user, firm)
    reviewer = users["reviewer"]
    reviews.reviewer_assign(call=call, reviewer=reviewer, stage="content", actor="t")
    reviews.reviewer_assign(call=call, reviewer=reviewer, stage="money", actor="t")

    def add(n):
        for _ in range(n):
            app = f.application(call, firm, user, status="under_review")
            for stage in ("content", "money"):
                Review.objects.create(
                    application=app,
                    reviewer=reviewer,
                    stage=stage,
                    scores={"origin": 3},
                    total=3,
                    submitted_at=timezone.now(),
                )

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"{BASE}/calls/{call.pk}/")
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    client.force_login(users["officer"])
    add(5)
    client.get(f"{BASE}/calls/{call.pk}/")  # warm the caches (content types)
    few, _html = measure()
    add(45)
    many, html = measure()
    assert html.count(f"{BASE}/applications/") >= 50
    assert few == many
    with django_assert_max_num_queries(12):
        client.get(f"{BASE}/calls/{call.pk}/")


def test_index_groups_calls_by_year_with_status_counts(client, users, call, make_app):
    make_app(status="submitted")
    make_app(status="submitted")
    client.force_login(users["viewer"])
    page = _text(client.get(f"{BASE}/"))
    assert call.title_ja in page and "申請受付 2" in page
    assert "新しい募集を作成" not in page  # viewers read only


def test_assigning_reviewers_through_the_call_page(officer, call, users):
    response = officer.post(
        f"{BASE}/calls/{call.pk}/reviewers/", {"reviewer": users["reviewer"].pk, "stage": "money"}
    )
    assert response.status_code == 302
    assert call.reviewerassignment_set.filter(reviewer=users["reviewer"], stage="money").exists()
    response = officer.post(
        f"{BASE}/calls/{call.pk}/reviewers/", {"reviewer": users["officer"].pk, "stage": "money"}
    )
    assert call.reviewerassignment_set.count() == 1  # only reviewer-role users are offered


# --- ranking and budget pages ---------------------------------------------------------------


def test_ranking_page_shows_the_trial_allocation_and_writes_nothing(officer, call, make_app, users):
    apps = [make_app(amount=1_000_000) for _ in range(3)]  # 500,000 each (the cap)
    reviews.reviewer_assign(call=call, reviewer=users["reviewer"], stage="content", actor="t")
    for app, score in zip(apps, (5, 4, 3), strict=True):
        reviews.review_save(
            application=app,
            reviewer=users["reviewer"],
            stage="content",
            conflict_declared=False,
            scores=dict.fromkeys([r["code"] for r in RUBRIC], score),
            recommendation="yes",
            submit=True,
        )
    before = AuditEvent.objects.count()
    page = _text(officer.get(f"{BASE}/calls/{call.pk}/ranking/"))
    assert page.index(apps[0].number) < page.index(apps[1].number) < page.index(apps[2].number)
    assert page.count("全額配分できる") == 2 + 1  # two rows and the heading's sentence
    assert "残額が不足" in page
    assert AuditEvent.objects.count() == before
    money = _text(officer.get(f"{BASE}/calls/{call.pk}/ranking/?stage=money"))
    assert "未採点" in money


def test_budget_page_matches_the_budget_summary(client, users, program, call, make_app):
    make_app(status="grant_decided", decided_yen=350_000)
    f.open_call(program, budget_yen=2_500_000)
    client.force_login(users["viewer"])
    page = _text(client.get(f"{BASE}/budget/?fy={call.fiscal_year}"))
    summary = reviews.budget_summary(call.fiscal_year)
    assert summary.budget == 3_500_000 and summary.committed == 350_000
    assert f"{summary.budget:,}円" in page
    assert f"{summary.committed:,}円" in page
    assert f"{summary.remaining:,}円" in page
    assert "3,150,000円" in page


# --- reviewers -------------------------------------------------------------------------------


@pytest.fixture
def assigned(call, users):
    reviews.reviewer_assign(call=call, reviewer=users["reviewer"], stage="content", actor="t")
    return users["reviewer"]


def test_reviewers_see_only_their_assigned_calls(client, program, call, assigned, make_app):
    mine = make_app()
    other_call = f.open_call(program, title_ja="合成データ募集（担当外）")
    theirs = make_app(target_call=other_call)
    draft = make_app(status="draft")
    client.force_login(assigned)
    page = _text(client.get(f"{BASE}/reviews/"))
    assert mine.number in page
    assert theirs.number not in page and "担当外" not in page
    assert draft.number not in page
    for path in (
        f"{BASE}/reviews/{theirs.pk}/content/",
        _page(theirs.pk),
        _page(draft.pk),
        f"{BASE}/reviews/{mine.pk}/money/",  # assigned to content only
        f"{BASE}/reviews/{mine.pk}/final/",
        f"{BASE}/calls/{call.pk}/",
        f"{BASE}/calls/{call.pk}/ranking/",
        f"{BASE}/",
        f"{BASE}/budget/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get(_page(mine.pk)).status_code == 200
    assert client.get(f"{BASE}/reviews/{mine.pk}/content/").status_code == 200


def test_an_unassigned_reviewer_gets_404_everywhere(client, make_user, call, assigned, make_app):
    app = make_app()
    stranger = make_user("reviewer", "stranger@example.test")
    client.force_login(stranger)
    assert client.get(f"{BASE}/reviews/{app.pk}/content/").status_code == 404
    assert client.post(f"{BASE}/reviews/{app.pk}/content/", {"step": "coi"}).status_code == 404
    assert client.get(_page(app.pk)).status_code == 404
    assert app.number not in _text(client.get(f"{BASE}/reviews/"))


def test_review_page_conflict_first_then_scores_then_frozen(client, assigned, make_app):
    app = make_app()
    url = f"{BASE}/reviews/{app.pk}/content/"
    client.force_login(assigned)
    first = _text(client.get(url))
    assert "利害関係の申告" in first and "オリジナリティ" not in first
    assert "事業計画の概要" not in first  # the content opens after the declaration

    assert client.post(url, {"step": "coi"}).status_code == 302
    form = _text(client.get(url))
    assert "オリジナリティ（0〜5点）" in form and "事業計画の概要" in form

    scores = {f"score_{r['code']}": "4" for r in RUBRIC}
    response = client.post(
        url, {"step": "scores", **scores, "score_originality": "7", "submit_review": "1"}
    )
    text = _text(response)
    assert response.status_code == 200
    assert "「オリジナリティ」の点数 7 は範囲外です" in text and 'role="alert"' in text
    assert Review.objects.get(application=app).submitted_at is None

    client.post(url, {"step": "scores", "score_origin": "5", "save_draft": "1"})
    review = Review.objects.get(application=app)
    assert review.scores == {"origin": 5} and review.submitted_at is None

    response = client.post(
        url, {"step": "scores", **scores, "recommendation": "maybe", "submit_review": "1"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.submitted_at is not None and review.total == 20
    frozen = _text(client.get(url))
    assert "提出済みです" in frozen and 'name="submit_review"' not in frozen
    client.post(url, {"step": "scores", **scores, "score_origin": "0", "submit_review": "1"})
    review.refresh_from_db()
    assert review.scores["origin"] == 4


def test_declaring_a_conflict_on_the_page_recuses(client, assigned, make_app, users):
    app = make_app()
    url = f"{BASE}/reviews/{app.pk}/content/"
    client.force_login(assigned)
    response = client.post(
        url, {"step": "coi", "conflict_declared": "on", "conflict_note": "取引先の役員"}
    )
    assert response.status_code == 302
    review = Review.objects.get(application=app)
    assert review.conflict_declared and review.submitted_at and review.scores == {}
    page = _text(client.get(url))
    assert "辞退として記録されています" in page and "事業計画の概要" not in page
    # Staff see the recusal; it is not in the average.
    client.force_login(users["officer"])
    staff_page = _text(client.get(_page(app.pk)))
    assert "利害関係があるため辞退" in staff_page and "取引先の役員" in staff_page
    assert "提出済みの審査はまだありません" in staff_page


def test_a_reviewer_sees_only_their_own_review_on_the_application_page(
    client, call, assigned, make_user, make_app
):
    app = make_app()
    other = make_user("reviewer", "other-reviewer@example.test")
    reviews.reviewer_assign(call=call, reviewer=other, stage="content", actor="t")
    reviews.review_save(
        application=app,
        reviewer=other,
        stage="content",
        conflict_declared=False,
        scores=dict.fromkeys([r["code"] for r in RUBRIC], 1),
        recommendation="no",
        comment="他の審査員の所見（合成データ）",
        submit=True,
    )
    client.force_login(assigned)
    page = _text(client.get(_page(app.pk)))
    assert "他の審査員の所見" not in page and "平均" not in page
    assert "採択する" not in page  # no workflow steps for reviewers
    assert Application.objects.get(pk=app.pk).status == "under_review"

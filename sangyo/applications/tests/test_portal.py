"""The applicant portal through the test client: the whole flow, and who may reach what."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern
from django.utils import translation

from sangyo.applications import services, urls_portal
from sangyo.applications.models import Application, Document, ReviewerAssignment
from sangyo.applications.tests import factories as f
from sangyo.registry.models import Delegation
from sangyo.registry.services import membership_add
from sangyo.registry.tests.factories import business
from sangyo.strategy.models import Program

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
RULES = [
    {"rule": "in_city"},
    {"rule": "sme"},
    {"rule": "no_unpaid_city_tax", "required_known": True},
]
DOCS = [{"code": "estimate", "ja": "経費の見積書", "en": "Estimates", "required": True}]


@pytest.fixture(autouse=True)
def back_to_japanese():
    """Requests with the English cookie leave English active in this thread; put Japanese
    back so later tests (here or elsewhere) do not inherit it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def world(tsukuba, make_user):
    program = Program.objects.get(code="05-1", measure__strategy=tsukuba)
    detail = f.program_detail(
        program,
        title_ja="合成データ展示会出展補助",
        title_en="Synthetic trade fair subsidy",
        eligibility=RULES,
        required_documents=DOCS,
    )
    call = f.open_call(
        program, title_ja="合成データ令和7年度募集", title_en="Synthetic FY2025 call"
    )
    mine = business(name="合成データ申請株式会社", representative_name="合成 太郎")
    theirs = business(name="合成データ他社株式会社")
    return SimpleNamespace(
        program=program,
        detail=detail,
        call=call,
        mine=mine,
        theirs=theirs,
        user=f.applicant(make_user, mine, email="mine@example.test"),
        stranger=f.applicant(make_user, theirs, email="theirs@example.test"),
        officer=f.officer(),
    )


def _form_data(app, **answers) -> dict:
    data = {
        "form_version": str(app.form_id),
        "costs-TOTAL_FORMS": "3",
        "costs-INITIAL_FORMS": "0",
        "costs-MIN_NUM_FORMS": "0",
        "costs-MAX_NUM_FORMS": "50",
    }
    for key, value in answers.items():
        data[f"f-{key}"] = value
    return data


def _cost(data: dict, i: int, type_: str, description: str, amount: str) -> dict:
    data[f"costs-{i}-type"] = type_
    data[f"costs-{i}-description"] = description
    data[f"costs-{i}-amount"] = amount
    return data


# --- the whole flow ----------------------------------------------------------------------


@pytest.mark.django_db
def test_applicant_flow_from_start_to_result_report(client, world):
    client.force_login(world.user)

    page = client.get("/apply/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "合成データ展示会出展補助" in body
    assert "補助率 1/2・上限 500,000円" in body
    # in_city and sme pass from the registry; the tax declaration is not answered yet
    assert "満たす 2件・満たさない 0件・確認できない 1件" in body

    page = client.get(f"/apply/calls/{world.call.pk}/")
    body = page.content.decode()
    assert "市内の事業者です" in body and "中小企業者です" in body
    assert "市税の滞納がないことを申告してください" in body

    response = client.post(f"/apply/calls/{world.call.pk}/start/")
    app = Application.objects.get(business=world.mine)
    assert response.status_code == 302 and response["Location"] == f"/apply/applications/{app.pk}/"
    assert app.status == "draft" and app.form_id == world.call.form_id
    # A second click continues the same draft rather than opening another one.
    client.post(f"/apply/calls/{world.call.pk}/start/")
    assert Application.objects.filter(business=world.mine).count() == 1

    page = client.get(f"/apply/applications/{app.pk}/")
    body = page.content.decode()
    # "Once only": the company comes from the registry, read-only, not as form inputs.
    assert "合成データ申請株式会社" in body and "合成 太郎" in body
    assert 'name="f-company_name"' not in body
    assert "下書き" in body

    # Save a draft: incomplete is fine; the hidden partner field is not stored.
    data = _cost(
        _form_data(
            app, summary="合成データの展示会に出展します", has_partner="no", partner_name="X社"
        ),
        0,
        "equipment",
        "合成データのブース",
        "１２３,４５６円",
    )
    response = client.post(f"/apply/applications/{app.pk}/save/", data)
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.answers == {
        "summary": "合成データの展示会に出展します",
        "has_partner": "no",
        "no_unpaid_tax": False,
    }
    assert app.costs == [
        {"type": "equipment", "description": "合成データのブース", "amount": 123456}
    ]
    assert app.requested_yen == 61_000  # 123,456 × 1/2 = 61,728 → 1,000円未満切り捨て

    page = client.get(f"/apply/applications/{app.pk}/").content.decode()
    assert "× 補助率 1/2 = 61,728円" in page and "61,000円" in page

    # Submitting with a shown required field empty: errors, the input is kept, nothing moves.
    data = _cost(
        _form_data(app, summary="修正した概要", has_partner="yes", no_unpaid_tax="on"),
        0,
        "equipment",
        "合成データのブース",
        "123456",
    )
    response = client.post(f"/apply/applications/{app.pk}/submit/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body and "エラー：" in body and "連携先の名称" in body
    assert "修正した概要" in body
    app.refresh_from_db()
    assert app.status == "draft" and app.answers["summary"] == "合成データの展示会に出展します"

    data["f-partner_name"] = "合成データ連携先"
    response = client.post(f"/apply/applications/{app.pk}/submit/", data)
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "submitted"
    assert app.answers["partner_name"] == "合成データ連携先"

    # The officer returns it (staff screens call the same service).
    services.application_transition(
        application=app, action="return", actor=world.officer, note="見積書を添付してください"
    )
    body = client.get(f"/apply/applications/{app.pk}/").content.decode()
    assert "見積書を添付してください" in body
    assert "差戻し対応中（修正してください）" in body  # the applicant's label …
    assert "差戻し中<" not in body  # … never the staff one

    # Edit, attach the estimate, resubmit.
    upload = SimpleUploadedFile("見積書.pdf", PDF, content_type="application/pdf")
    response = client.post(
        f"/apply/applications/{app.pk}/documents/", {"kind": "estimate", "file": upload}
    )
    assert response.status_code == 302
    assert app.documents.get().original_name == "見積書.pdf"
    data["f-summary"] = "差戻しを受けて修正した概要"
    response = client.post(f"/apply/applications/{app.pk}/resubmit/", data)
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "resubmitted" and app.answers["summary"] == "差戻しを受けて修正した概要"

    # Once submitted, the applicant can no longer change it.
    response = client.post(f"/apply/applications/{app.pk}/save/", data)
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.answers["summary"] == "差戻しを受けて修正した概要"

    for action in ("start_review", "adopt"):
        services.application_transition(application=app, action=action, actor=world.officer)
    services.application_transition(
        application=app, action="decide_grant", actor=world.officer, decided_yen=60_000
    )
    body = client.get(f"/apply/applications/{app.pk}/").content.decode()
    assert "交付決定" in body and "実績報告を提出する" in body
    decision = client.get(f"/apply/applications/{app.pk}/decision/")
    assert decision.status_code == 200
    assert decision["Content-Disposition"].startswith("attachment")
    assert "交付決定額：60,000円" in decision.content.decode()

    # The report: empty text is refused on the page; a filled one moves the application.
    report = {
        "report-TOTAL_FORMS": "3",
        "report-INITIAL_FORMS": "0",
        "report-MIN_NUM_FORMS": "0",
        "report-MAX_NUM_FORMS": "50",
        "report-0-type": "equipment",
        "report-0-description": "合成データのブース（実績）",
        "report-0-amount": "120,000",
    }
    response = client.post(f"/apply/applications/{app.pk}/report/", report)
    assert response.status_code == 200 and "エラー：" in response.content.decode()
    assert "120,000" in response.content.decode()  # the typed amount is kept
    report["text"] = "合成データの展示会に出展し、商談を10件行いました"
    response = client.post(f"/apply/applications/{app.pk}/report/", report)
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "reported"
    assert app.report["text"].startswith("合成データの展示会に出展")
    assert app.report["costs"] == [
        {"type": "equipment", "description": "合成データのブース（実績）", "amount": 120000}
    ]
    assert app.report["total"] == 120000

    listing = client.get("/apply/applications/").content.decode()
    assert app.number in listing and "実績報告済み" in listing and "実績報告受付" not in listing


@pytest.mark.django_db
def test_submit_blocked_by_eligibility_explains_why(client, world):
    far = business(name="合成データ市外株式会社", location="東京都千代田区1-1", city_code="131016")
    app_user = world.user
    membership_add(user=app_user, business=far, role="representative", actor="test")
    app = services.application_start(call=world.call, business=far, actor=app_user)
    client.force_login(app_user)
    data = _form_data(app, summary="概要", has_partner="no", no_unpaid_tax="on")
    response = client.post(f"/apply/applications/{app.pk}/submit/", data, follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "要件を満たしていません" in body and "市外の事業者です" in body
    app.refresh_from_db()
    assert app.status == "draft"
    assert app.answers["summary"] == "概要"  # saved even though the submission was refused


@pytest.mark.django_db
def test_withdraw_needs_confirmation(client, world):
    app = f.application(world.call, world.mine, world.user, status="submitted")
    client.force_login(world.user)
    response = client.post(f"/apply/applications/{app.pk}/withdraw/", {})
    assert response.status_code == 200 and "確認欄にチェック" in response.content.decode()
    app.refresh_from_db()
    assert app.status == "submitted"
    response = client.post(f"/apply/applications/{app.pk}/withdraw/", {"confirm": "yes"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "withdrawn"


@pytest.mark.django_db
def test_actions_outside_their_state_are_messages_not_errors(client, world):
    app = f.application(world.call, world.mine, world.user, status="draft")
    client.force_login(world.user)
    for action in ("resubmit", "report"):
        response = client.post(f"/apply/applications/{app.pk}/{action}/", {}, follow=True)
        assert response.status_code == 200
        assert "notice--error" in response.content.decode()
    assert client.get(f"/apply/applications/{app.pk}/decision/").status_code == 404
    # A closed call refuses to start, with a message.
    world.call.status = "closed"
    world.call.save()
    response = client.post(f"/apply/calls/{world.call.pk}/start/", follow=True)
    assert response.status_code == 200
    assert Application.objects.filter(business=world.mine).count() == 1


@pytest.mark.django_db
def test_save_without_the_form_does_not_blank_the_answers(client, world):
    app = f.application(world.call, world.mine, world.user, status="draft")
    before = dict(app.answers)
    client.force_login(world.user)
    response = client.post(f"/apply/applications/{app.pk}/save/", {})
    assert response.status_code == 200 and "エラー：" in response.content.decode()
    app.refresh_from_db()
    assert app.answers == before


@pytest.mark.django_db
def test_english_interface_shows_english_labels(client, world):
    app = f.application(world.call, world.mine, world.user, status="draft")
    client.force_login(world.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(f"/apply/applications/{app.pk}/").content.decode()
    assert "Outline of the business plan" in body
    assert "The business is in the city" in body
    assert "Eligible costs total 100,000 yen" in body
    listing = client.get("/apply/applications/").content.decode()
    assert ">Draft<" in listing


@pytest.mark.django_db
def test_an_application_started_in_english_keeps_english_for_its_mail(client, world):
    client.force_login(world.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(f"/apply/calls/{world.call.pk}/start/")
    assert Application.objects.get(business=world.mine).language == "en"


# --- who may reach what ------------------------------------------------------------------


def _portal_requests(o) -> dict[str, tuple[str, str]]:
    """Every portal URL name → (method, path) for the records in `o`."""
    a, d, c = o.app.pk, o.doc.pk, o.call.pk
    return {
        "calls": ("get", "/apply/"),
        "call": ("get", f"/apply/calls/{c}/"),
        "start": ("post", f"/apply/calls/{c}/start/"),
        "my_applications": ("get", "/apply/applications/"),
        "application": ("get", f"/apply/applications/{a}/"),
        "save": ("post", f"/apply/applications/{a}/save/"),
        "submit": ("post", f"/apply/applications/{a}/submit/"),
        "resubmit": ("post", f"/apply/applications/{a}/resubmit/"),
        "withdraw": ("post", f"/apply/applications/{a}/withdraw/"),
        "report": ("post", f"/apply/applications/{a}/report/"),
        "decision": ("get", f"/apply/applications/{a}/decision/"),
        "document_upload": ("post", f"/apply/applications/{a}/documents/"),
        "document_download": ("get", f"/apply/applications/{a}/documents/{d}/"),
        "document_delete": ("post", f"/apply/applications/{a}/documents/{d}/delete/"),
    }


# URLs that are about one application (the calls pages are open to every business user).
APPLICATION_URLS = {
    "application",
    "save",
    "submit",
    "resubmit",
    "withdraw",
    "report",
    "decision",
    "document_upload",
    "document_download",
    "document_delete",
}


@pytest.fixture
def guarded(world):
    """A decided application with a document, belonging to `world.mine`."""
    app = f.application(world.call, world.mine, world.user, status="returned")
    doc = _attach(app, world.user)
    for action in ("resubmit", "start_review", "adopt"):
        actor = world.user if action == "resubmit" else world.officer
        app = services.application_transition(application=app, action=action, actor=actor)
    return SimpleNamespace(app=app, doc=doc, call=world.call)


def _attach(app, user) -> Document:
    from sangyo.applications import uploads

    upload = SimpleUploadedFile("合成データ.pdf", PDF, content_type="application/pdf")
    return uploads.document_add(application=app, actor=user, upload=upload, kind="estimate")


def test_the_table_names_every_portal_url():
    names = {p.name for p in urls_portal.urlpatterns if isinstance(p, URLPattern)}
    fake = SimpleNamespace(
        app=SimpleNamespace(pk=1), doc=SimpleNamespace(pk=1), call=SimpleNamespace(pk=1)
    )
    assert set(_portal_requests(fake)) == names
    assert names > APPLICATION_URLS


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(APPLICATION_URLS))
def test_another_business_user_gets_404_everywhere(client, world, guarded, name):
    method, path = _portal_requests(guarded)[name]
    before = Application.objects.values_list("status", "answers", "report").get(pk=guarded.app.pk)
    client.force_login(world.stranger)
    response = getattr(client, method)(path, {"confirm": "yes", "text": "x"})
    assert response.status_code == 404, (name, response.status_code)
    after = Application.objects.values_list("status", "answers", "report").get(pk=guarded.app.pk)
    assert after == before
    assert Document.objects.filter(pk=guarded.doc.pk).exists()


@pytest.mark.django_db
def test_another_business_sees_nothing_of_it_in_lists(client, world, guarded):
    client.force_login(world.stranger)
    assert guarded.app.number not in client.get("/apply/applications/").content.decode()
    body = client.get(f"/apply/calls/{world.call.pk}/").content.decode()
    assert guarded.app.number not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    sorted(
        _portal_requests(
            SimpleNamespace(
                app=SimpleNamespace(pk=0), doc=SimpleNamespace(pk=0), call=SimpleNamespace(pk=0)
            )
        )
    ),
)
def test_anonymous_visitors_are_sent_to_log_in(client, guarded, name):
    method, path = _portal_requests(guarded)[name]
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "officer", "reviewer", "viewer"])
def test_staff_are_not_applicants(client, make_user, guarded, role):
    staff = make_user(role, email=f"{role}-portal@example.test")
    ReviewerAssignment.objects.create(call=guarded.call, reviewer=staff)
    client.force_login(staff)
    for name, (method, path) in _portal_requests(guarded).items():
        response = getattr(client, method)(path)
        if name == "document_download" and role in ("admin", "officer", "reviewer"):
            # The one shared door: staff screens link here for documents.
            assert response.status_code == 200, (role, name)
        else:
            assert response.status_code == 404, (role, name, response.status_code)
    assert Application.objects.get(pk=guarded.app.pk).status == "adopted"


@pytest.mark.django_db
def test_unassigned_reviewers_and_drafts_stay_private(client, make_user, world, guarded):
    reviewer = make_user("reviewer", email="unassigned@example.test")
    client.force_login(reviewer)
    path = _portal_requests(guarded)["document_download"][1]
    assert client.get(path).status_code == 404
    draft = f.application(world.call, world.mine, world.user, status="draft")
    doc = _attach(draft, world.user)
    ReviewerAssignment.objects.create(call=world.call, reviewer=reviewer)
    assert client.get(path).status_code == 200
    assert client.get(f"/apply/applications/{draft.pk}/documents/{doc.pk}/").status_code == 404


@pytest.mark.django_db
def test_proxies_act_until_their_delegation_ends(client, make_user, world, guarded):
    proxy = make_user("business", email="proxy@example.test")
    delegation = Delegation.objects.create(
        business=world.mine,
        proxy=proxy,
        granted_by=world.user,
        valid_until=datetime.date.today() + datetime.timedelta(days=30),
    )
    client.force_login(proxy)
    assert client.get(f"/apply/applications/{guarded.app.pk}/").status_code == 200
    assert guarded.app.number in client.get("/apply/applications/").content.decode()

    delegation.valid_until = datetime.date.today() - datetime.timedelta(days=1)
    delegation.save()
    for name in sorted(APPLICATION_URLS):
        method, path = _portal_requests(guarded)[name]
        response = getattr(client, method)(path, {"confirm": "yes"})
        assert response.status_code == 404, name
    assert guarded.app.number not in client.get("/apply/applications/").content.decode()
    response = client.post(f"/apply/calls/{world.call.pk}/start/", {"business": world.mine.pk})
    assert response.status_code == 404


@pytest.mark.django_db
def test_starting_for_a_business_one_cannot_act_for_is_404(client, world):
    client.force_login(world.stranger)
    response = client.post(f"/apply/calls/{world.call.pk}/start/", {"business": world.mine.pk})
    assert response.status_code == 404
    assert not Application.objects.filter(business=world.mine).exists()


# --- bounded queries ---------------------------------------------------------------------


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_my_applications_runs_the_same_queries_for_3_or_30(client, world):
    client.force_login(world.user)
    for _ in range(3):
        f.application(world.call, world.mine, world.user, status="submitted")
    few = _count(client, "/apply/applications/")
    for _ in range(27):
        f.application(world.call, world.mine, world.user, status="submitted")
    assert _count(client, "/apply/applications/") == few
    assert few <= 12


@pytest.mark.django_db
def test_calls_page_does_not_grow_with_the_data(client, world, tsukuba):
    client.force_login(world.user)
    few = _count(client, "/apply/")
    # Other businesses, other applications and closed calls do not cost queries.
    for _ in range(10):
        b = business()
        f.application(world.call, b, _member(b), status="submitted")
    f.open_call(world.program, status="closed")
    assert _count(client, "/apply/") == few
    # A full page of open calls stays within a fixed budget.
    for code in ("01-1", "02-1", "03-1", "04-1", "06-1", "07-1", "08-1", "09-1", "10-1", "12-1"):
        program = Program.objects.get(code=code, measure__strategy=tsukuba)
        f.program_detail(program, eligibility=RULES + [{"rule": "not_received_this_fy"}])
        f.open_call(program)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/apply/")
    assert page.status_code == 200 and "2 ページ" in page.content.decode()
    assert len(ctx.captured_queries) <= 10 + 10 * 2


def _member(b):
    from sangyo.accounts.models import User

    user = User.objects.create_user(email=f"m{b.pk}@example.test", password="x", role="business")
    membership_add(user=user, business=b, role="member", actor="test")
    return user


@pytest.mark.django_db
def test_application_page_query_count_is_fixed(client, world):
    app = f.application(world.call, world.mine, world.user, status="draft")
    client.force_login(world.user)
    few = _count(client, f"/apply/applications/{app.pk}/")
    for _ in range(5):
        _attach(app, world.user)
    services.application_save(
        application=app, actor=world.user, costs=[{"type": "equipment", "amount": 1}] * 20
    )
    assert _count(client, f"/apply/applications/{app.pk}/") == few

"""Staff and reviewer screens of applications in a real browser: they render, have no
serious accessibility violations (axe-core), errors are announced, and a review can be
made by keyboard. Records are synthetic (合成データ)."""

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.test_pages_a11y import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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


@pytest.fixture
def objects(tsukuba, users, make_user):
    from sangyo.applications import reviews
    from sangyo.applications.tests import factories as f
    from sangyo.registry.tests.factories import business
    from sangyo.strategy.models import Program

    program = Program.objects.get(code="05-1", measure__strategy=tsukuba)
    f.program_detail(program, rubric=RUBRIC)
    call = f.open_call(program, budget_yen=1_000_000)
    apps = []
    for status in ("under_review", "under_review", "adopted", "submitted"):
        firm = business()
        apps.append(f.application(call, firm, f.applicant(make_user, firm), status=status))
    for stage in ("content", "money"):
        reviews.reviewer_assign(call=call, reviewer=users["reviewer"], stage=stage, actor="test")
    reviews.review_save(
        application=apps[0],
        reviewer=users["reviewer"],
        stage="content",
        conflict_declared=False,
        scores=dict.fromkeys([r["code"] for r in RUBRIC], 4),
        recommendation="yes",
        comment="合成データの所見",
        submit=True,
    )
    return {"call": call, "apps": apps}


def _login(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return live_server.url


def test_staff_pages_pass_axe(page, live_server, users, objects):
    site = _login(page, live_server, users["officer"])
    call, apps = objects["call"], objects["apps"]
    failures = {}
    for path in (
        "/staff/applications/",
        "/staff/applications/budget/",
        "/staff/applications/calls/new/",
        f"/staff/applications/calls/{call.pk}/",
        f"/staff/applications/calls/{call.pk}/edit/",
        f"/staff/applications/calls/{call.pk}/ranking/",
        f"/staff/applications/applications/{apps[0].pk}/",
        f"/staff/applications/applications/{apps[2].pk}/",
    ):
        response = page.goto(site + path)
        assert response.status == 200, path
        assert page.title()
        if found := serious_violations(page):
            failures[path] = found
    assert failures == {}


def test_a_refused_step_is_announced_and_passes_axe(page, live_server, users, objects):
    site = _login(page, live_server, users["officer"])
    app = objects["apps"][0]
    page.goto(site + f"/staff/applications/applications/{app.pk}/")
    # "Adopt" needs a reason: submitting it empty shows the error summary.
    page.locator("#action-adopt button[type=submit]").click()
    page.wait_for_load_state()
    summary = page.locator("#adopt-error-summary")
    assert summary.get_attribute("role") == "alert"
    assert "エラー：" in summary.inner_text()
    assert page.locator("#id_adopt-note").get_attribute("aria-invalid") == "true"
    assert serious_violations(page) == []


def test_reviewer_pages_pass_axe_and_a_review_is_made_by_keyboard(
    page, live_server, users, objects
):
    site = _login(page, live_server, users["reviewer"])
    app = objects["apps"][1]
    failures = {}
    for path in (
        "/staff/applications/reviews/",
        f"/staff/applications/reviews/{app.pk}/content/",
        f"/staff/applications/reviews/{objects['apps'][0].pk}/content/",  # submitted
        f"/staff/applications/applications/{app.pk}/",
    ):
        response = page.goto(site + path)
        assert response.status == 200, path
        if found := serious_violations(page):
            failures[path] = found
    assert failures == {}

    page.goto(site + f"/staff/applications/reviews/{app.pk}/content/")
    page.get_by_role("button", name="申告して次へ").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    for item in RUBRIC:
        page.focus(f"#id_score_{item['code']}")
        page.keyboard.type("9" if item["code"] == "package" else "3")
    page.get_by_role("button", name="提出する（以後は変更できません）").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "「パッケージ」の点数 9 は範囲外です" in page.locator("[role=alert]").inner_text()
    assert serious_violations(page) == []

    page.fill("#id_score_package", "2")
    page.check("#id_recommendation_1")
    page.get_by_role("button", name="提出する（以後は変更できません）").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "提出済みです" in page.content()

    from sangyo.applications.models import Review

    review = Review.objects.get(application=app, reviewer=users["reviewer"], stage="content")
    assert review.submitted_at is not None and review.total == 14

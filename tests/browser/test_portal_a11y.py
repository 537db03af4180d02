"""The applicant portal in a real browser: each page passes axe-core with no serious
violations, in Japanese and English, with and without errors, and the form works by
keyboard without JavaScript tricks."""

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.test_pages_a11y import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal(live_server, tsukuba, make_user):
    from sangyo.applications.tests import factories as f
    from sangyo.registry.tests.factories import business
    from sangyo.strategy.models import Program

    program = Program.objects.get(code="05-1", measure__strategy=tsukuba)
    f.program_detail(
        program,
        eligibility=[{"rule": "in_city"}, {"rule": "sme"}, {"rule": "no_unpaid_city_tax"}],
        required_documents=[{"code": "estimate", "ja": "経費の見積書", "en": "Estimates"}],
    )
    call = f.open_call(program)
    company = business(name="合成データ申請株式会社")
    user = f.applicant(make_user, company)
    return {
        "url": live_server.url,
        "user": user,
        "call": call,
        "draft": f.application(call, company, user, status="draft", answers={}),
        "returned": f.application(call, company, user, status="returned"),
        "granted": f.application(call, company, user, status="grant_decided"),
    }


def _log_in(page, portal):
    client = Client()
    client.force_login(portal["user"])
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": portal["url"],
            }
        ]
    )


def _paths(portal):
    return [
        "/apply/",
        f"/apply/calls/{portal['call'].pk}/",
        "/apply/applications/",
        f"/apply/applications/{portal['draft'].pk}/",
        f"/apply/applications/{portal['returned'].pk}/",
        f"/apply/applications/{portal['granted'].pk}/",
    ]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_portal_pages_pass_axe(page, portal, lang):
    _log_in(page, portal)
    if lang == "en":
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": portal["url"]}]
        )
    for path in _paths(portal):
        response = page.goto(portal["url"] + path)
        assert response.status == 200, path
        assert page.title()
        assert page.locator("html").get_attribute("lang") == lang
        assert serious_violations(page) == [], path


def test_submitting_an_incomplete_form_by_keyboard_shows_an_accessible_error_summary(page, portal):
    _log_in(page, portal)
    page.goto(portal["url"] + f"/apply/applications/{portal['draft'].pk}/")
    button = page.get_by_role("button", name="保存して申請する")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    assert "エラー：" in summary.inner_text()
    # The summary links to the field; the field names its error for screen readers.
    summary.get_by_role("link").first.click()
    textarea = page.locator("#id_f-summary")
    assert "id_f-summary-error" in (textarea.get_attribute("aria-describedby") or "")
    assert textarea.get_attribute("aria-invalid") == "true"
    assert serious_violations(page) == []


def test_upload_error_is_announced_and_passes_axe(page, portal, tmp_path):
    _log_in(page, portal)
    page.goto(portal["url"] + f"/apply/applications/{portal['draft'].pk}/")
    fake = tmp_path / "invoice.pdf"
    fake.write_text("<html><script>alert(1)</script></html>")
    page.set_input_files("#document-file", str(fake))
    with page.expect_navigation():
        page.get_by_role("button", name="アップロード").click()
    assert "一致しません" in page.locator("#error-summary").inner_text()
    assert page.locator("#document-file").get_attribute("aria-invalid") == "true"
    assert serious_violations(page) == []

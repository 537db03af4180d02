"""The audit log page in a real browser: no serious accessibility violations (axe-core), the
filters work by keyboard, and an event's data opens from its disclosure."""

import pytest

from tests.browser.test_pages_a11y import serious_violations
from tests.browser.test_registry_a11y import login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, users):
    from sangyo.core.audit import audit

    audit("registry.business.saved", actor=users["officer"], data={"名前": "合成データ株式会社"})
    audit("events.event.created", actor="cli", data={"定員": 30})
    return live_server.url


@pytest.mark.parametrize(
    "query", ["", "?code=registry.", "?date_from=2026-04-02&date_to=2026-04-01"]
)
def test_audit_page_has_no_serious_violations(page, site, users, query):
    login_as(page, site, users["officer"])
    response = page.goto(site + "/staff/audit/" + query)
    assert response.status == 200
    assert serious_violations(page) == []


def test_filter_by_keyboard_and_open_the_data(page, site, users):
    login_as(page, site, users["officer"])
    page.goto(site + "/staff/audit/")
    page.get_by_label("種別コード（前方一致）").focus()
    page.keyboard.type("events.")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "code=events." in page.url
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    page.locator("summary").first.focus()
    page.keyboard.press("Enter")
    assert page.locator("pre.audit-data").first.is_visible()
    assert "定員" in page.locator("pre.audit-data").first.inner_text()

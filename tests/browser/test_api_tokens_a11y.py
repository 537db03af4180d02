"""The API token page in a real browser: an administrator issues a token by keyboard-
reachable controls, sees it once, revokes it; no serious accessibility violations
(axe-core). And the API's Swagger page renders its operations under the site's CSP."""

import pytest

from tests.browser.test_pages_a11y import serious_violations
from tests.browser.test_registry_a11y import login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_issue_and_revoke_a_token(page, live_server, users):
    url = live_server.url
    login_as(page, url, users["admin"])
    page.goto(f"{url}/staff/integrations/tokens/")
    assert serious_violations(page) == []
    page.get_by_role("button", name="発行する").click()  # empty form: errors, not a token
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() == 1
    assert serious_violations(page) == []
    page.get_by_label("名前").fill("合成データCRM")
    page.get_by_label("registry:read").check()
    page.get_by_role("button", name="発行する").click()
    page.wait_for_load_state()
    token = page.get_by_label("トークン", exact=True).input_value()
    assert token.startswith("sgy_")
    assert serious_violations(page) == []
    page.get_by_role("button", name="トークン「合成データCRM」を失効させる").click()
    page.wait_for_load_state()
    assert page.get_by_text("失効（").count() == 1
    page.reload()
    assert token not in page.content()


def test_swagger_page_renders_the_operations(page, live_server):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.get_by_text("/api/v1/events", exact=True).first.wait_for(timeout=15000)
    assert page.get_by_text("/api/v1/staff/businesses", exact=True).count() >= 1
    assert not [e for e in errors if "Content Security Policy" in e], errors

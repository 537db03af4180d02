"""Privacy pages in a real browser: the person's page (also with the deletion form's error)
and the staff list, filing form and request page with its anonymisation preview have no
serious accessibility violations (axe-core), and work by keyboard-reachable controls."""

import pytest

from tests.browser.test_pages_a11y import serious_violations
from tests.browser.test_registry_a11y import login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, tsukuba, users):
    from sangyo.privacy.retention import ensure_rules
    from sangyo.privacy.services import request_file_own

    ensure_rules()  # transactional tests flush the rows the migration seeded
    request_file_own(user=users["business"], kind="export")
    deletion = request_file_own(user=users["business"], kind="deletion", reason="合成データ")
    return {"url": live_server.url, "users": users, "deletion": deletion}


def test_the_persons_page_and_the_deletion_form_error(page, site):
    url = site["url"]
    login_as(page, url, site["users"]["viewer"])
    page.goto(f"{url}/privacy/")
    assert serious_violations(page) == []
    page.get_by_role("button", name="削除を請求する").click()
    page.wait_for_load_state()
    assert page.get_by_text("削除を求める理由を書いてください").count() >= 1
    assert serious_violations(page) == []
    login_as(page, url, site["users"]["business"])
    page.goto(f"{url}/privacy/")
    assert page.get_by_role("link", name="ZIPをダウンロード").count() == 1
    assert serious_violations(page) == []


def test_staff_pages(page, site):
    url = site["url"]
    login_as(page, url, site["users"]["officer"])
    for path in (
        "/staff/privacy/",
        "/staff/privacy/?status=received",
        "/staff/privacy/new/",
        f"/staff/privacy/{site['deletion'].pk}/",
    ):
        page.goto(url + path)
        assert serious_violations(page) == [], path
    assert page.get_by_role("button", name="匿名化を実行する").count() == 1

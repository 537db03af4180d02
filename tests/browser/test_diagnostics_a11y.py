"""Diagnostics pages in a real browser: the ロカベン form (also with errors), its result, and
the 事業承継 check and result have no serious accessibility violations (axe-core)."""

import pytest

from tests.browser.test_pages_a11y import serious_violations
from tests.browser.test_registry_a11y import login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, tsukuba, users):
    from sangyo.registry.tests.factories import business

    b = business(name="合成データ診断ブラウザ株式会社")
    return {"url": live_server.url, "business": b, "officer": users["officer"]}


def test_locaben_form_and_result(page, site):
    url, b = site["url"], site["business"]
    login_as(page, url, site["officer"])
    page.goto(f"{url}/staff/diagnostics/new/?business={b.pk}")
    assert serious_violations(page) == []
    # Submitting with one period shows the error summary, which must also pass.
    page.fill("#id_p1_end", "令和6年3月31日")
    page.fill("#id_p1_sales", "abc")
    page.get_by_role("button", name="計算して保存する").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() >= 1
    assert serious_violations(page) == []
    page.fill("#id_p1_sales", "１００,０００,０００")
    page.fill("#id_p1_operating_profit", "5,000,000")
    page.fill("#id_p2_end", "2025-03-31")
    page.fill("#id_p2_sales", "120,000,000")
    page.fill("#id_p2_operating_profit", "▲3,000,000")
    page.fill("#id_note_owner", "合成データ：経営意欲は高い")
    page.get_by_role("button", name="計算して保存する").click()
    page.wait_for_load_state()
    assert "/staff/diagnostics/" in page.url and page.url.rstrip("/").split("/")[-1].isdigit()
    assert page.get_by_text("20.0%").count() >= 1
    assert serious_violations(page) == []


def test_succession_form_and_result(page, site):
    url, b = site["url"], site["business"]
    login_as(page, url, site["officer"])
    page.goto(f"{url}/staff/diagnostics/succession/new/?business={b.pk}")
    assert serious_violations(page) == []
    page.fill("#id_owner_age", "72")
    for key in (
        "has_candidates",
        "successor_decided",
        "plan_written",
        "shares_arranged",
        "stakeholders_told",
    ):
        page.check(f"#id_{key}_1")
    page.get_by_role("button", name="診断して保存する").click()
    page.wait_for_load_state()
    assert page.get_by_text("後継者人材バンク", exact=False).count() >= 1
    assert serious_violations(page) == []


def test_list_page(page, site):
    login_as(page, site["url"], site["officer"])
    page.goto(f"{site['url']}/staff/diagnostics/?q=合成データ診断")
    assert serious_violations(page) == []

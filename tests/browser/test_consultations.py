"""A business user books a consultation in a real browser: logs in through the login page,
picks a slot on /consult/, fills the form, sees the booking in "my bookings" and cancels it.
Every page on the way passes axe-core; so do the staff consultation pages."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.browser.test_pages_a11y import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


@pytest.fixture
def site(live_server, tsukuba, make_user):
    from sangyo.consultations import services
    from sangyo.consultations.tests import factories as f
    from sangyo.registry.tests.factories import business

    desk = f.desk(tsukuba)
    slot = f.slot(desk, days=2)
    f.slot(desk, days=4)
    company = business(name="合成データ相談株式会社")
    user = f.member(make_user, company, email="consult-member@example.test")
    case = services.case_create(
        business=company, program=desk.program, title="合成データ案件", actor="test"
    )
    return {
        "url": live_server.url,
        "user": user,
        "slot": slot,
        "desk": desk,
        "case": case,
        "officer": make_user("officer", email="consult-officer@example.test"),
    }


def test_a_business_user_books_and_cancels_a_consultation(page, site):
    url = site["url"]
    page.goto(f"{url}/accounts/login/?next=/consult/")
    page.get_by_label("メールアドレス").fill(site["user"].email)
    page.get_by_label("パスワード", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="ログイン", exact=True).click()
    expect(page).to_have_url(f"{url}/consult/")
    assert serious_violations(page) == []

    page.locator(f"a[href='/consult/slots/{site['slot'].pk}/book/']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("相談の予約")
    assert serious_violations(page) == []

    # An empty name shows an accessible error summary.
    page.get_by_label("相談者名").fill("")
    with page.expect_navigation():
        page.get_by_role("button", name="予約する").click()
    expect(page.get_by_role("alert")).to_contain_text("エラー：")
    assert serious_violations(page) == []

    page.get_by_label("相談者名").fill("合成データ花子")
    page.get_by_label("相談したい内容").fill("合成データ：ウェブでの集客")
    with page.expect_navigation():
        page.get_by_role("button", name="予約する").click()
    expect(page).to_have_url(f"{url}/consult/bookings/")
    expect(page.get_by_role("status")).to_contain_text("相談を予約しました")
    assert serious_violations(page) == []

    with page.expect_navigation():
        page.get_by_role("button", name="取り消す").click()
    expect(page.get_by_role("status")).to_contain_text("予約を取り消しました")
    site["slot"].refresh_from_db()
    assert site["slot"].status == "open"


def test_staff_consultation_pages_pass_axe(page, site):
    client = Client()
    client.force_login(site["officer"])
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site["url"],
            }
        ]
    )
    for path in [
        "/staff/consultations/",
        f"/staff/consultations/desks/{site['desk'].pk}/",
        f"/staff/consultations/slots/{site['slot'].pk}/book/",
        "/staff/consultations/cases/",
        f"/staff/consultations/cases/{site['case'].pk}/",
    ]:
        response = page.goto(site["url"] + path)
        assert response.status == 200, path
        assert serious_violations(page) == [], path

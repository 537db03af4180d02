"""Program pages, the certified product catalogue and the founder support pages, in a real
browser: they render, have no serious accessibility violations (axe-core), and the session
form works by keyboard. All data is synthetic (合成データ)."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.test_pages_a11y import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = datetime.date


@pytest.fixture
def objects(tsukuba, users, make_user):
    from sangyo.applications import founders
    from sangyo.applications.models import CertifiedProduct
    from sangyo.applications.tests import factories as f
    from sangyo.registry.models import PartnerOrganisation
    from sangyo.registry.tests.factories import business
    from sangyo.strategy.models import Program

    startup = Program.objects.get(code="11-1", measure__strategy=tsukuba)
    f.program_detail(
        startup,
        title_ja="合成データ新規創業促進補助金",
        rate_text="10/10",
        rate_numerator=10,
        rate_denominator=10,
        cap_yen=125_000,
        eligibility=[{"rule": "holds_founder_certificate"}, {"rule": "before_incorporation"}],
    )
    f.open_call(startup, title_ja="合成データ令和7年度募集")
    quality = Program.objects.get(code="06-1", measure__strategy=tsukuba)
    f.program_detail(quality, title_ja="合成データつくばクオリティ", workflow="certification")
    call = f.open_call(quality)
    maker = business(name="合成データ製作所")
    application = f.application(call, maker, f.applicant(make_user, maker), status="certified")
    CertifiedProduct.objects.update_or_create(
        application=application,
        defaults={
            "name_ja": "合成データ筑波ランプ",
            "description_ja": "合成データの紹介文",
            "certified_on": D(2025, 6, 1),
            "valid_until": D(2099, 5, 31),
        },
    )

    PartnerOrganisation.objects.create(name="合成データ創業支援センター", kind="startup")
    waiting = business(
        name="合成データ創業予定者A", corporate_type="pre_founding", date_of_establishment=None
    )
    founders.founder_session_record(
        business=waiting, date=D(2025, 4, 1), areas=["management"], actor="test"
    )
    ready = business(
        name="合成データ創業予定者B", corporate_type="pre_founding", date_of_establishment=None
    )
    for date, areas in (
        (D(2025, 4, 1), ["management"]),
        (D(2025, 4, 10), ["finance"]),
        (D(2025, 4, 20), ["hr"]),
        (D(2025, 5, 20), ["sales"]),
    ):
        founders.founder_session_record(business=ready, date=date, areas=areas, actor="test")
    holder = business(
        name="合成データ創業予定者C", corporate_type="pre_founding", date_of_establishment=None
    )
    for date, areas in (
        (D(2025, 4, 1), ["management", "finance"]),
        (D(2025, 4, 2), ["hr"]),
        (D(2025, 4, 3), ["sales"]),
        (D(2025, 6, 1), ["sales"]),
    ):
        founders.founder_session_record(business=holder, date=date, areas=areas, actor="test")
    founders.founder_certificate_issue(business=holder, actor=users["officer"])
    return {"startup": startup, "waiting": waiting, "ready": ready, "holder": holder}


def login(page, live_server, user):
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


def check(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    assert page.title()
    return serious_violations(page)


def test_public_pages_pass_axe(page, live_server, objects):
    failures = {}
    for path in ("/programs/", f"/programs/{objects['startup'].pk}/", "/programs/catalogue/"):
        if found := check(page, live_server.url + path):
            failures[path] = found
    assert failures == {}


def test_founder_pages_pass_axe(page, live_server, objects, users):
    login(page, live_server, users["officer"])
    failures = {}
    for path in (
        "/staff/founders/",
        f"/staff/founders/{objects['waiting'].pk}/",
        f"/staff/founders/{objects['ready'].pk}/",
        f"/staff/founders/{objects['holder'].pk}/",
    ):
        if found := check(page, live_server.url + path):
            failures[path] = found
    assert failures == {}


def test_session_form_errors_are_announced_and_pass_axe(page, live_server, objects, users):
    login(page, live_server, users["officer"])
    page.goto(live_server.url + f"/staff/founders/{objects['waiting'].pk}/")
    page.get_by_role("button", name="登録する").click()
    page.wait_for_load_state()
    summary = page.locator("#record-errors")
    assert summary.get_attribute("role") == "alert"
    assert "エラー：" in summary.inner_text()
    assert serious_violations(page) == []


def test_a_session_can_be_recorded_by_keyboard(page, live_server, objects, users):
    from sangyo.applications.models import FounderSession

    login(page, live_server, users["officer"])
    page.goto(live_server.url + f"/staff/founders/{objects['waiting'].pk}/")
    page.focus("#id_date")
    page.keyboard.type("令和7年5月8日")
    page.focus("#id_areas_3")  # 販路開拓
    page.keyboard.press("Space")
    page.focus("#id_provider")
    page.keyboard.press("ArrowDown")
    page.get_by_role("button", name="登録する").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "受講記録を登録しました。" in page.locator("[role=status]").inner_text()
    session = FounderSession.objects.filter(business=objects["waiting"]).latest("id")
    assert session.date == D(2025, 5, 8) and session.areas == ["sales"]
    assert session.provider is not None

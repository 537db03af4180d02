"""The registry's staff screens and the business side's pages, in a real browser: they
render for the role that uses them and have no serious accessibility violations (axe-core);
the list's filter and sort work by keyboard."""

import datetime
import re

import pytest
from django.test import Client

from tests.browser.test_pages_a11y import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registry(live_server, tsukuba, users):
    from sangyo.registry import services
    from sangyo.registry.tests.factories import DistrictFactory, business, support_record
    from sangyo.strategy.models import Program

    DistrictFactory(name_ja="合成吾妻", address_prefixes=["吾妻"])
    program = Program.objects.filter(measure__strategy=tsukuba).first()
    kept = business(
        name="合成アクセシビリティ株式会社",
        location="茨城県つくば市吾妻1",
        representative_name="合成 代表",
        tags=["スタートアップ"],
    )
    duplicate = business(name="合成アクセシビリティ株式会社", location="茨城県つくば市吾妻1")
    business(name="合成市外株式会社", location="茨城県土浦市大和町1", city_code="082031")
    support_record(business_obj=kept, program=program, summary="合成相談")
    contact = services.contact_create(
        business=kept, actor="test", name="合成 担当", email="tanto@example.test"
    )
    services.membership_add(
        user=users["business"], business=kept, role="representative", actor="test"
    )
    return {
        "url": live_server.url,
        "kept": kept,
        "duplicate": duplicate,
        "contact": contact,
    }


def login_as(page, live_url, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_url}]
    )


def staff_pages(o):
    kept, dup, contact = o["kept"].pk, o["duplicate"].pk, o["contact"].pk
    return [
        "/staff/businesses/",
        "/staff/businesses/?q=ｱｸｾｼﾋﾞﾘﾃｨ&sort=kana",
        f"/staff/businesses/{kept}/",
        "/staff/businesses/new/",
        f"/staff/businesses/{kept}/edit/",
        f"/staff/businesses/{kept}/contacts/new/",
        f"/staff/businesses/contacts/{contact}/anonymize/",
        "/staff/businesses/duplicates/",
        f"/staff/businesses/merge/?keep={kept}&duplicate={dup}",
        "/staff/businesses/partners/",
    ]


@pytest.mark.parametrize("index", range(10))
def test_staff_pages_have_no_serious_violations(page, registry, users, index):
    path = staff_pages(registry)[index]
    login_as(page, registry["url"], users["admin"])
    response = page.goto(registry["url"] + path)
    assert response.status == 200, path
    assert page.title()
    assert serious_violations(page) == []


def test_form_errors_are_announced_and_pass_axe(page, registry, users):
    login_as(page, registry["url"], users["officer"])
    page.goto(registry["url"] + "/staff/businesses/new/")
    page.fill("#id_name", "合成エラー確認")
    page.fill("#id_corporate_number", "8000020130002")
    page.fill("#id_date_of_establishment", "令和二年")
    page.get_by_role("button", name="登録する").click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert")
    assert "エラー：" in alert.inner_text()
    field = page.locator("#id_corporate_number")
    assert field.get_attribute("aria-invalid") == "true"
    assert "id_corporate_number_error" in field.get_attribute("aria-describedby")
    assert serious_violations(page) == []


def test_filter_and_sort_by_keyboard(page, registry, users):
    login_as(page, registry["url"], users["viewer"])
    page.goto(registry["url"] + "/staff/businesses/")
    page.focus("#id_in_city")
    page.select_option("#id_in_city", "0")
    page.focus("#id_q")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    rows = page.locator("tbody tr")
    assert rows.count() == 1 and "合成市外株式会社" in rows.first.inner_text()
    # Personal data is not shown to a viewer.
    assert "合成 代表" not in page.content()
    link = page.get_by_role("link", name=re.compile("^従業員数"))
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    header = page.locator("th").filter(has=page.get_by_role("link", name=re.compile("^従業員数")))
    assert header.get_attribute("aria-sort") == "descending"
    assert page.locator("th[aria-sort]").count() == 1


@pytest.mark.parametrize("which", ["my", "delegate"])
def test_business_side_pages(page, registry, users, which):
    login_as(page, registry["url"], users["business"])
    path = (
        "/staff/businesses/my/"
        if which == "my"
        else f"/staff/businesses/my/{registry['kept'].pk}/delegate/"
    )
    response = page.goto(registry["url"] + path)
    assert response.status == 200
    assert "合成アクセシビリティ株式会社" in page.content()
    assert serious_violations(page) == []


def test_delegation_form_error_passes_axe(page, registry, users):
    login_as(page, registry["url"], users["business"])
    page.goto(registry["url"] + f"/staff/businesses/my/{registry['kept'].pk}/delegate/")
    page.fill("#id_email", users["viewer"].email)
    page.fill("#id_valid_until", (datetime.date.today()).isoformat())
    page.get_by_role("button", name="委任する").click()
    page.wait_for_load_state()
    assert "エラー：" in page.get_by_role("alert").inner_text()
    assert serious_violations(page) == []

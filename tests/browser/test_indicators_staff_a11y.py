"""Staff pages for indicators, in a real browser, as a logged-in officer: they render, have
no serious accessibility violations (axe-core), and the forms work by keyboard."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.test_pages_a11y import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def objects(tsukuba, users):
    import sangyo.indicators.jobs  # noqa: F401 - registers the job handlers
    from sangyo.core.models import Job
    from sangyo.indicators.models import Indicator
    from sangyo.indicators.tests.factories import indicator, observe

    ind = indicator(
        strategy=tsukuba,
        measure=tsukuba.measures.get(number="06"),
        code="synthetic-a11y",
        name_ja="合成データ相談件数",
    )
    observe(ind, 2024, "120", status="preliminary", source="合成データ")
    observe(ind, 2024, "125", source="合成データ（確報）", published_on=datetime.date(2025, 6, 30))
    computed = indicator(
        strategy=tsukuba,
        code="synthetic-a11y-computed",
        obtained=Indicator.Obtained.COMPUTED,
        computation="registry.support_records",
        computation_params={"measures": ["06"]},
    )
    job = Job.objects.create(
        kind="indicators.import",
        created_by=users["officer"],
        status=Job.Status.SUCCEEDED,
        input_name="合成データ.csv",
        params={"strategy": tsukuba.pk, "dry_run": True},
        result={
            "dry_run": True,
            "counts": {"added": 1, "revised": 1, "unchanged": 3},
            "errors": [],
            "error_count": 0,
            "skipped": 2,
            "changes": [
                {
                    "code": ind.code,
                    "name": ind.name_ja,
                    "fiscal_year": 2024,
                    "change": "revised",
                    "old": "125",
                    "new": str(Decimal(130)),
                },
            ],
        },
    )
    return {"ind": ind, "computed": computed, "job": job}


@pytest.fixture
def site(live_server, page, users):
    client = Client()
    client.force_login(users["officer"])
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


def paths(o):
    return [
        "/staff/indicators/",
        f"/staff/indicators/{o['ind'].pk}/observe/",
        f"/staff/indicators/{o['computed'].pk}/observe/",
        f"/staff/indicators/{o['ind'].pk}/revise/",
        "/staff/indicators/new/",
        "/staff/indicators/import/",
        f"/staff/indicators/import/{o['job'].pk}/",
        "/staff/indicators/import/estat/",
    ]


def test_staff_indicator_pages_pass_axe(page, site, objects):
    failures = {}
    for path in paths(objects):
        response = page.goto(site + path)
        assert response.status == 200, path
        assert page.title()
        if found := serious_violations(page):
            failures[path] = found
    assert failures == {}


def test_form_errors_are_announced_and_pass_axe(page, site, objects):
    page.goto(site + "/staff/indicators/new/")
    page.get_by_role("button", name="指標を登録").click()
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    assert "エラー：" in summary.inner_text()
    assert serious_violations(page) == []


def test_observation_can_be_entered_by_keyboard(page, site, objects):
    page.goto(site + f"/staff/indicators/{objects['ind'].pk}/observe/")
    page.select_option("#id_fiscal_year", "2025")
    page.focus("#id_value")
    page.keyboard.type("１，２３４")
    page.focus("#id_published_on")
    page.keyboard.type("令和8年6月30日")
    page.locator("form button[type=submit]").last.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "2025年度の値を登録しました。" in page.locator("[role=status]").inner_text()
    assert objects["ind"].observations.get(fiscal_year=2025).value == Decimal(1234)

"""The public indicator pages in a real browser: axe-core finds no serious violations on the
dashboard, an indicator's page (with a revised, preliminary figure and a projection) and a
measure page with its indicators, in Japanese and English; the chart's data table is reachable."""

import datetime

import pytest

from tests.browser.test_pages_a11y import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, tsukuba):
    from sangyo.indicators.models import Indicator
    from sangyo.indicators.tests.factories import indicator, observe

    gmp = Indicator.objects.get(strategy=tsukuba, code="gross-municipal-product")
    observe(gmp, 2025, 14700, status="preliminary", source="合成データ（速報）")
    observe(gmp, 2025, 14800, source="合成データ（確報）", published_on=datetime.date(2027, 3, 31))
    observe(gmp, 2026, 15150)
    observe(gmp, 2027, 15400, status="preliminary")
    founders = Indicator.objects.get(strategy=tsukuba, code="new-founders")
    observe(founders, 2025, 70)
    measure = tsukuba.measures.get(number="01")
    output = indicator(strategy=tsukuba, measure=measure, name_ja="合成データ 伴走支援件数")
    observe(output, 2025, 105)
    broken = indicator(strategy=tsukuba, measure=measure, baseline="100", target="90")
    observe(broken, 2025, 95)
    return {"url": live_server.url, "gmp": gmp, "broken": broken}


def pages(site):
    return [
        "/indicators/",
        f"/indicators/{site['gmp'].pk}/",
        f"/indicators/{site['broken'].pk}/",
        "/strategy/measures/01/",
    ]


@pytest.mark.parametrize("index", range(4))
def test_indicator_pages_have_no_serious_accessibility_violations(page, site, index):
    path = pages(site)[index]
    response = page.goto(site["url"] + path)
    assert response.status == 200
    assert page.title()
    assert serious_violations(page) == []


def test_dashboard_in_english_passes_axe(page, site):
    page.goto(site["url"] + "/indicators/")
    page.select_option("#language-select", "en")
    page.get_by_role("button", name="切替").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Mostly on track" in page.content() or "On track" in page.content()
    assert serious_violations(page) == []


def test_chart_is_an_image_with_a_name_and_its_table_is_exposed(page, site):
    page.goto(site["url"] + f"/indicators/{site['gmp'].pk}/")
    chart = page.get_by_role("img", name="市内総生産")
    assert chart.count() == 1
    table = page.get_by_role("table", name="市内総生産の年度別の値")
    assert table.is_visible()
    assert table.get_by_role("row").count() >= 6
    # The table can be collapsed by anyone who does not need it, and opened again.
    page.get_by_text("グラフのデータ（表）").click()
    assert not table.is_visible()
    page.get_by_text("グラフのデータ（表）").click()
    assert table.is_visible()

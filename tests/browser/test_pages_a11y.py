"""Every public page, in a real browser: it renders, has no serious accessibility
violations (axe-core), and can be used by keyboard."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/strategy/",
    "/strategy/visions/I/",
    "/strategy/visions/IV/",
    "/strategy/measures/01/",
    "/strategy/measures/12/",
    "/strategy/ordinance/",
    "/strategy/situation/",
    "/strategies/",
    "/accounts/login/",
]


@pytest.fixture
def site(live_server, tsukuba):
    return live_server.url


def serious_violations(page):
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_serious_accessibility_violations(page, site, path):
    response = page.goto(site + path)
    assert response.status == 200
    assert page.title()
    assert serious_violations(page) == []


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_home_in_both_languages_passes_axe(page, site, lang):
    page.goto(site + "/")
    if lang == "en":
        page.select_option("#language-select", "en")
        page.get_by_role("button", name="切替").click()
        page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == lang
    assert serious_violations(page) == []


def test_skip_link_is_first_and_moves_focus_to_main(page, site):
    page.goto(site + "/strategy/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "本文へ移動"
    # The skip link must be visible when focused (not only to screen readers).
    box = page.locator(".skip-link").bounding_box()
    assert box and box["height"] > 10
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_language_switch_by_keyboard_keeps_the_page(page, site):
    page.goto(site + "/strategy/measures/05/")
    page.focus("#language-select")
    page.keyboard.press("ArrowDown")  # 日本語 → English
    assert page.eval_on_selector("#language-select", "el => el.value") == "en"
    page.locator(".lang-switcher button").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/strategy/measures/05/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Measure" in page.title() or "05" in page.title()


def test_tree_is_usable_on_a_phone(browser, site):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="ja-JP")
    page = context.new_page()
    page.goto(site + "/strategy/")
    # No horizontal scrolling of the whole page on a narrow screen.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    assert page.locator(".tree__measure").count() == 17
    context.close()

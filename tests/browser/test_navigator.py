"""The support navigator on a phone: answer the questionnaire, read the explained results,
follow a suggestion to its call page and, logged in as the business, reach the application
form; search in Japanese. axe on the questionnaire, results and search pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def serious_violations(page):
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def setup(live_server, tsukuba, make_user):
    from sangyo.applications.tests.factories import config_call, load_programs
    from sangyo.consultations.tests.factories import member
    from sangyo.navigator import search, services
    from sangyo.registry.tests.factories import business

    details = load_programs()
    services.needs_load_file(actor="test")
    services.outside_import(raw=services.SAMPLE_FILE.read_bytes(), actor="test", is_synthetic=True)
    call = config_call(details["05-1"])
    search.rebuild()
    b = business(name="合成データ精密株式会社", jsic_code="0911", employee_number=30)
    user = member(make_user, b, email="navi-business@example.test")
    return {"site": live_server.url, "call": call, "user": user}


def test_questionnaire_to_application_on_a_phone(browser, setup):
    site, call = setup["site"], setup["call"]
    context = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844})
    page = context.new_page()

    page.goto(f"{site}/navigator/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("支援ナビ")
    assert serious_violations(page) == []
    page.get_by_label("創業5年以上").check()
    page.get_by_label("業種").select_option("E")
    page.get_by_label("従業員数（常時使用する従業員、任意）").fill("30")
    page.get_by_label("市内", exact=True).check()
    page.get_by_label("販路拡大・海外展開をしたい").check()
    with page.expect_navigation():
        page.get_by_role("button", name="合う支援を表示する").click()
    assert "/navigator/results/?" in page.url and "challenge=sales" in page.url
    assert serious_violations(page) == []
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    card = page.get_by_role("article").filter(has_text="産業創出支援補助金（展示会出展支援）")
    expect(card).to_contain_text("課題「販路拡大・海外展開をしたい」を選んだため、施策05")
    expect(card).to_contain_text("中小企業者です")
    with page.expect_navigation():
        card.get_by_role("link", name=f"申請する：{call.title_ja}", exact=False).click()

    # The portal asks the business to log in, then shows the call and its application start.
    page.get_by_label("メールアドレス").fill("navi-business@example.test")
    page.get_by_label("パスワード", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="ログイン", exact=True).click()
    assert page.url.endswith(f"/apply/calls/{call.pk}/")
    expect(
        page.get_by_role("button", name="合成データ精密株式会社として申請を始める")
    ).to_be_visible()

    # The search page on the same phone.
    page.goto(f"{site}/navigator/search/?q=%E8%A3%9C%E5%8A%A9%E9%87%91")
    expect(page.locator("mark").first).to_have_text("補助金")
    assert serious_violations(page) == []
    context.close()


def test_logged_in_business_gets_prefilled_answers(browser, setup):
    context = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{setup['site']}/accounts/login/?next=/navigator/")
    page.get_by_label("メールアドレス").fill("navi-business@example.test")
    page.get_by_label("パスワード", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="ログイン", exact=True).click()
    expect(page.get_by_label("従業員数（常時使用する従業員、任意）")).to_have_value("30")
    expect(page.get_by_label("業種")).to_have_value("E")
    assert serious_violations(page) == []
    context.close()

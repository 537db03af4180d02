"""Evaluation in a browser: the officer edits a sheet (clear Japanese errors first), sends it
to the section head, who confirms it; the public reads a published sheet with its logic
model and the year page. axe on every page."""

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


def login(page, site, email, next_url):
    page.goto(f"{site}/accounts/login/?next={next_url}")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="ログイン", exact=True).click()


@pytest.fixture
def setup(live_server, tsukuba, make_user):
    from sangyo.evaluation.demo import load_demo
    from sangyo.evaluation.models import Sheet

    load_demo(strategy=tsukuba)
    make_user("officer", email="officer-eval@example.test")
    make_user("admin", email="admin-eval@example.test")
    draft = Sheet.objects.get(fiscal_year=2026, measure__number="04")
    published = Sheet.objects.get(fiscal_year=2025, measure__number="02")
    return {"site": live_server.url, "draft": draft, "published": published}


def test_officer_edits_and_section_head_confirms(browser, page, setup):
    site, draft = setup["site"], setup["draft"]
    login(page, site, "officer-eval@example.test", "/staff/evaluation/?fy=2026")
    expect(page.get_by_role("heading", level=1)).to_contain_text("施策評価")
    assert serious_violations(page) == []
    page.get_by_role("link", name="施策04", exact=False).first.click()
    page.wait_for_load_state()
    assert serious_violations(page) == []
    page.get_by_role("link", name="評価シートを編集").click()
    page.wait_for_load_state()
    assert serious_violations(page) == []
    page.get_by_label("国庫支出金（円）").fill("-1")
    page.get_by_label("妥当性", exact=True).select_option("A")
    with page.expect_navigation():
        page.get_by_role("button", name="保存する").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("0円以上で入力してください。")
    expect(alert).to_contain_text("評価を選んだ場合は理由を書いてください。")
    assert serious_violations(page) == []
    page.get_by_label("国庫支出金（円）").fill("500000")
    page.get_by_label("妥当性の理由", exact=True).fill("合成 理由")
    page.get_by_label("有効性", exact=True).select_option("B")
    page.get_by_label("有効性の理由").fill("合成 理由")
    page.get_by_label("効率性", exact=True).select_option("B")
    page.get_by_label("効率性の理由").fill("合成 理由")
    page.get_by_label("今後の方向性").select_option("continue")
    with page.expect_navigation():
        page.get_by_role("button", name="保存する").click()
    expect(page.locator('[data-figure="cost_national"]')).to_have_text("500,000")
    with page.expect_navigation():
        page.get_by_role("button", name="課長の確認に回す").click()
    expect(page.get_by_role("status")).to_contain_text("評価シートの状態を更新しました。")
    # The officer has no confirm button; the section head has.
    expect(page.get_by_role("button", name="確認済みにする（委員会へ）")).to_have_count(0)
    context = browser.new_context(locale="ja-JP")
    head = context.new_page()
    login(head, site, "admin-eval@example.test", f"/staff/evaluation/sheets/{draft.pk}/")
    with head.expect_navigation():
        head.get_by_role("button", name="確認済みにする（委員会へ）").click()
    expect(head.get_by_text("外部委員会の意見聴取").first).to_be_visible()
    assert serious_violations(head) == []
    context.close()


def test_public_sheet_logic_model_and_year(page, setup):
    site, published = setup["site"], setup["published"]
    page.goto(f"{site}/evaluation/")
    assert serious_violations(page) == []
    page.get_by_role("link", name="令和7年度", exact=False).first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_contain_text("施策評価")
    expect(page.get_by_text("順位や優劣を示すものではありません", exact=False)).to_be_visible()
    assert serious_violations(page) == []
    page.goto(f"{site}/evaluation/sheets/{published.pk}/")
    logic = page.get_by_role("region", name="ロジックモデル").or_(
        page.locator("section", has=page.get_by_role("heading", name="ロジックモデル"))
    )
    expect(logic.first).to_contain_text("1. 活動（事業）")
    expect(logic.first).to_contain_text("4. 将来都市像の成果指標（KPI）")
    assert serious_violations(page) == []

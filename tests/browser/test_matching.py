"""A need from posting to deal, in a browser: a business posts it, an officer publishes it,
another business expresses interest, the officer introduces them, a deal is reported — and
measure 09's output (support records per fiscal year, the selector the measure pages use)
rises by one with the deal. axe on every page on the way."""

import datetime

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
    from sangyo.registry.services import membership_add
    from sangyo.registry.tests.factories import business

    poster = make_user("business", email="poster@example.test")
    answerer = make_user("business", email="answerer@example.test")
    make_user("officer", email="officer-matching@example.test")
    a = business(name="合成データ 発注株式会社")
    b = business(name="合成データ 加工株式会社")
    membership_add(user=poster, business=a, role="representative", actor="test")
    membership_add(user=answerer, business=b, role="representative", actor="test")
    return {"site": live_server.url, "measure": tsukuba.measures.get(number="09")}


def login(browser, site, email, next_path):
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{site}/accounts/login/?next={next_path}")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="ログイン", exact=True).click()
    return context, page


def measure_output(measure, fiscal_year) -> int:
    from sangyo.registry.selectors import support_counts_for_measure

    rows = support_counts_for_measure(measure)
    return next((r["records"] for r in rows if r["fiscal_year"] == fiscal_year), 0)


def test_need_to_deal_counts_on_measure_09(browser, setup):
    from sangyo.core.fiscal import fiscal_year

    site = setup["site"]
    today = datetime.date.today()

    # 1. A business posts a need; a first attempt without consent is refused clearly.
    ctx_a, a = login(browser, site, "poster@example.test", "/matching/postings/new/")
    assert serious_violations(a) == []
    a.get_by_label("目的").select_option("order")
    a.get_by_label("掲載分野").select_option("manufacturing")
    a.locator("#id_title_ja").fill("合成データ 精密部品の切削加工を発注したい")
    a.locator("#id_body_ja").fill("アルミ部品の切削加工をお願いできる会社を探しています")
    a.get_by_label("キーワード").fill("切削加工、アルミ")
    a.get_by_label("地域").select_option("city")
    a.get_by_label("掲載開始日").fill(today.isoformat())
    a.get_by_label("掲載終了日").fill((today + datetime.timedelta(days=30)).isoformat())
    with a.expect_navigation():
        a.get_by_role("button", name="掲載を申し込む").click()
    expect(a.get_by_role("alert")).to_contain_text("同意が必要です")
    assert serious_violations(a) == []
    a.get_by_label("連絡の同意").check()
    with a.expect_navigation():
        a.get_by_role("button", name="掲載を申し込む").click()
    expect(a.get_by_text("審査待ち")).to_be_visible()

    # Not on the board until staff publish it.
    ctx_anon = browser.new_context(locale="ja-JP")
    anon = ctx_anon.new_page()
    anon.goto(f"{site}/matching/")
    expect(anon.get_by_text("合成データ 精密部品の切削加工を発注したい")).to_have_count(0)
    ctx_anon.close()

    # 2. The officer publishes it from the moderation queue.
    ctx_o, o = login(browser, site, "officer-matching@example.test", "/staff/matching/")
    assert serious_violations(o) == []
    o.get_by_role("link", name="合成データ 精密部品の切削加工を発注したい").click()
    o.wait_for_load_state()
    assert serious_violations(o) == []
    o.get_by_label("操作").select_option("publish")
    with o.expect_navigation():
        o.get_by_role("button", name="実行する").click()
    expect(o.get_by_role("status")).to_contain_text("掲載の状態を更新しました")

    # 3. Another business finds it and expresses interest.
    ctx_b, b = login(browser, site, "answerer@example.test", "/matching/")
    b.get_by_label("キーワード").fill("切削")
    with b.expect_navigation():
        b.get_by_role("button", name="検索").click()
    assert serious_violations(b) == []
    b.get_by_role("link", name="合成データ 精密部品の切削加工を発注したい").click()
    b.wait_for_load_state()
    assert serious_violations(b) == []
    b.get_by_label("メッセージ").fill("弊社の5軸加工機で対応できます。")
    with b.expect_navigation():
        b.get_by_role("button", name="関心を伝える").click()
    expect(b.get_by_role("heading", level=1)).to_have_text("やり取り")
    expect(b.get_by_text("弊社の5軸加工機で対応できます。")).to_be_visible()
    assert serious_violations(b) == []
    thread_url = b.url

    # 4. The officer introduces them.
    o.reload()
    with o.expect_navigation():
        o.get_by_role("button", name="合成データ 加工株式会社 を紹介する").click()
    expect(o.get_by_role("status")).to_contain_text("紹介を記録しました")
    assert serious_violations(o) == []

    # 5. The deal is reported: measure 09's output rises by one.
    fy = fiscal_year(today)
    before = measure_output(setup["measure"], fy)
    b.goto(thread_url)
    b.get_by_label("成約の内容").fill("試作部品50個の加工を受注")
    b.get_by_label("成約日").fill(today.isoformat())
    with b.expect_navigation():
        b.get_by_role("button", name="成約を報告する").click()
    expect(b.get_by_role("status")).to_contain_text("成約を報告しました")
    assert measure_output(setup["measure"], fy) == before + 1

    for ctx in (ctx_a, ctx_o, ctx_b):
        ctx.close()

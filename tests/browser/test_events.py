"""An event from the public's side to the officer's: register in a browser, check in at the
door by confirmation code, answer the survey; axe on every public page on the way."""

import datetime
import re

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
    from sangyo.events.tests.factories import event

    officer = make_user("officer", email="officer-events@example.test")
    e = event(
        strategy=tsukuba,
        title_ja="合成データ 創業セミナー",
        capacity=5,
        questions=[{"key": "org", "label_ja": "所属", "type": "text", "required": True}],
    )
    return {"site": live_server.url, "event": e, "officer": officer}


def test_register_check_in_and_answer_the_survey(browser, page, setup):
    site, event = setup["site"], setup["event"]

    page.goto(f"{site}/events/")
    assert serious_violations(page) == []
    page.get_by_role("link", name="合成データ 創業セミナー").click()
    page.wait_for_load_state()
    assert serious_violations(page) == []

    # An empty form: the error summary, then a corrected submission.
    with page.expect_navigation():
        page.get_by_role("button", name="申し込む").click()
    expect(page.get_by_role("alert")).to_contain_text("エラー：")
    assert serious_violations(page) == []
    page.get_by_label("氏名").fill("合成 参加者")
    page.get_by_label("メールアドレス").fill("participant@example.test")
    page.get_by_label("所属").fill("合成データ株式会社")
    with page.expect_navigation():
        page.get_by_role("button", name="申し込む").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申込を受け付けました")
    code = page.locator("#confirmation-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{8}", code)
    assert serious_violations(page) == []
    page.get_by_role("link", name="申込を取り消す").click()
    page.wait_for_load_state()
    assert serious_violations(page) == []  # the confirmation step; we do not cancel

    # The officer checks the participant in on a phone-sized screen.
    context = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844})
    staff = context.new_page()
    checkin = f"/staff/events/{event.pk}/checkin/"
    staff.goto(f"{site}/accounts/login/?next={checkin}")
    staff.get_by_label("メールアドレス").fill("officer-events@example.test")
    staff.get_by_label("パスワード", exact=True).fill(PASSWORD)
    with staff.expect_navigation():
        staff.get_by_role("button", name="ログイン", exact=True).click()
    staff.get_by_label("受付番号", exact=True).fill(code.lower())
    with staff.expect_navigation():
        staff.get_by_role("button", name="出席にする").first.click()
    expect(staff.get_by_role("status")).to_contain_text("合成 参加者 さんを出席にしました")
    assert serious_violations(staff) == []
    context.close()

    from sangyo.events.models import Registration

    registration = Registration.objects.get(code=code)
    assert registration.status == "attended"

    # The survey opens once the event has begun: before, the page says when.
    page.goto(f"{site}/events/survey/{registration.token}/")
    expect(page.get_by_text("イベントの開始後")).to_be_visible()
    from django.utils import timezone

    from sangyo.events.models import Event

    past = timezone.now() - datetime.timedelta(hours=1)
    Event.objects.filter(pk=event.pk).update(starts_at=past, ends_at=past)

    page.goto(f"{site}/events/survey/{registration.token}/")
    assert serious_violations(page) == []
    page.get_by_label("4").check()
    page.get_by_label("ご意見・ご感想（任意）").fill("合成データの感想です")
    with page.expect_navigation():
        page.get_by_role("button", name="送信する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ご回答ありがとうございました")
    assert registration.survey.rating == 4

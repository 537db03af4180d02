"""One subsidy application from start to payment, in a real browser (issue 5 "Done when").

Three people, each in their own browser context, log in through the real login page:
the applicant (a business-role user, representative of a business), a program officer and
a reviewer. The applicant finds the open call, reads the eligibility reasons, fills the form
and the cost lines, saves and submits; the officer returns it with a note; the applicant
corrects and resubmits; the officer starts the review; the reviewer declares no conflict
and scores the rubric; the officer adopts, decides the grant; the applicant reports the
results; the officer fixes the amount and records the payment, and the budget page shows
what was committed and paid. Everything is synthetic (合成データ).
"""

from __future__ import annotations

import contextlib
import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_pages_a11y import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # the `make_user` fixture's password
TIMEOUT_MS = 10_000

PROGRAM_TITLE = "合成データ・新商品開発補助金（結合試験）"
CALL_TITLE = "合成データ募集（結合試験）"
BUSINESS_NAME = "合成データ結合試験株式会社"
BUDGET = 1_000_000
RUBRIC = [
    {"code": "originality", "ja": "独自性", "en": "Originality", "max": 5},
    {"code": "feasibility", "ja": "実現可能性", "en": "Feasibility", "max": 5},
    {"code": "local_effect", "ja": "地域への波及効果", "en": "Local effect", "max": 10},
]
ELIGIBILITY = [
    {"rule": "in_city"},
    {"rule": "sme"},
    {"rule": "no_unpaid_city_tax", "required_known": True},
    {"rule": "not_received_this_fy"},
]
RETURN_NOTE = "合成データ：見積書の金額と経費の明細が一致しません。その他の経費を修正してください。"


@contextlib.contextmanager
def step(name: str):
    """Say which step of the journey failed (Playwright and assertion errors alike)."""
    try:
        yield
    except Exception as exc:
        pytest.fail(f"Journey step failed — {name}: {type(exc).__name__}: {exc}")


@pytest.fixture
def journey(live_server, tsukuba, make_user):
    """The program (1/2, cap 200,000円, 1,000円 unit, a rubric), an open call with a budget
    made and opened by the officer, a business with its representative, an officer and a
    reviewer assigned to the call's content review."""
    from sangyo.applications import reviews
    from sangyo.applications.tests import factories as f
    from sangyo.core.fiscal import fiscal_year
    from sangyo.registry.tests.factories import business
    from sangyo.strategy.models import Program

    officer = make_user("officer", email="officer-journey@example.test")
    reviewer = make_user("reviewer", email="reviewer-journey@example.test")
    program = Program.objects.get(code="05-1", measure__strategy=tsukuba)
    f.program_detail(
        program,
        title_ja=PROGRAM_TITLE,
        rate_numerator=1,
        rate_denominator=2,
        rate_text="1/2",
        rate_confirmed=True,
        cap_yen=200_000,
        rounding_unit=1_000,
        eligibility=ELIGIBILITY,
        rubric=RUBRIC,
    )
    now = timezone.now()
    call = reviews.call_create(
        program=program,
        title_ja=CALL_TITLE,
        fiscal_year=fiscal_year(now),
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=30),
        budget_yen=BUDGET,
        form=f.form_version(),
        actor=officer,
    )
    call = reviews.call_open(call=call, actor=officer)
    reviews.reviewer_assign(call=call, reviewer=reviewer, stage="content", actor=officer)
    company = business(name=BUSINESS_NAME)
    applicant = f.applicant(make_user, company, email="applicant-journey@example.test")
    return {
        "site": live_server.url,
        "call": call,
        "business": company,
        "applicant": applicant,
        "officer": officer,
        "reviewer": reviewer,
    }


def _log_in(page, site: str, email: str, next_path: str) -> None:
    """The real login page, by e-mail address and password."""
    page.goto(f"{site}/accounts/login/?next={next_path}")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="ログイン", exact=True).click()
    expect(page).to_have_url(site + next_path)


def _post(page, button) -> None:
    """Click a submit button and wait for the POST → redirect → GET to finish."""
    with page.expect_navigation():
        button.click()
    page.wait_for_load_state()


def _action_form(page, label: str):
    """A workflow step's form on the staff application page, found by its heading."""
    return page.locator("form").filter(has=page.get_by_role("heading", name=label, exact=True))


def _staff_step(page, label: str, *, note: str = "", fields: dict | None = None) -> None:
    form = _action_form(page, label)
    expect(form).to_have_count(1)
    if note:
        form.get_by_label(re.compile(r"^(理由・連絡事項|メモ（任意）)")).fill(note)
    for field_label, value in (fields or {}).items():
        form.get_by_label(field_label).fill(value)
    _post(page, form.get_by_role("button", name=label, exact=True))
    expect(page.get_by_role("status")).to_contain_text(f"「{label}」を実行しました")


def _new_page(browser):
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def test_subsidy_application_from_start_to_payment(browser, page, journey):
    from sangyo.applications.models import Application, Call, StatusChange
    from sangyo.registry.models import SupportRecord

    site = journey["site"]
    call = journey["call"]
    applicant_page = page
    applicant_page.context.set_default_timeout(TIMEOUT_MS)
    officer_page = _new_page(browser)
    reviewer_page = _new_page(browser)
    try:
        # --- 2. the applicant finds the call, reads the reasons, applies -------------------
        with step("2a applicant logs in and finds the call on /apply/"):
            _log_in(applicant_page, site, journey["applicant"].email, "/apply/")
            card = applicant_page.get_by_role("article").filter(has_text=PROGRAM_TITLE)
            expect(card).to_contain_text("補助率 1/2・上限 200,000円")
            with applicant_page.expect_navigation():
                card.get_by_role("link", name=PROGRAM_TITLE, exact=True).click()
            expect(applicant_page.get_by_role("heading", level=1)).to_have_text(PROGRAM_TITLE)

        with step("2b applicant sees the eligibility results with their reasons"):
            rules = applicant_page.get_by_role("region", name="要件の確認結果")
            in_city = rules.get_by_role("row").filter(has_text="市内に事業所があること")
            expect(in_city).to_contain_text("満たしています")
            expect(in_city).to_contain_text("市内の事業者です（茨城県つくば市")
            expect(
                rules.get_by_role("row").filter(has_text="中小企業者であること")
            ).to_contain_text("中小企業者です")
            # Known only once the form declares it.
            expect(
                rules.get_by_role("row").filter(has_text="市税の滞納がないこと")
            ).to_contain_text("申請フォームで市税の滞納がないことを申告してください")

        with step("2c applicant starts the application"):
            _post(
                applicant_page,
                applicant_page.get_by_role("button", name=f"{BUSINESS_NAME}として申請を始める"),
            )
            expect(applicant_page.get_by_role("status")).to_contain_text("申請を作成しました")
            expect(applicant_page.locator(".lead")).to_contain_text("下書き")
        application = Application.objects.get(call=call, business=journey["business"])
        number = application.number

        with step("2d applicant fills the form and two cost lines, saves a draft"):
            applicant_page.get_by_label("事業計画の概要").fill(
                "合成データ：つくば市産の素材を使った新商品の試作と販路開拓を行います。"
            )
            applicant_page.get_by_role("group", name="連携先の有無").get_by_label(
                "なし", exact=True
            ).check()
            applicant_page.get_by_label("市税の滞納がないことを申告します").check()
            applicant_page.get_by_label("1行目の経費の区分").select_option(label="設備費")
            applicant_page.get_by_label("1行目の内容").fill("合成データ：試作用の金型")
            applicant_page.get_by_label("1行目の金額（円）").fill("250,000")
            applicant_page.get_by_label("2行目の経費の区分").select_option(label="その他の経費")
            applicant_page.get_by_label("2行目の内容").fill("合成データ：展示会の出展料")
            applicant_page.get_by_label("2行目の金額（円）").fill("123,456")
            _post(applicant_page, applicant_page.get_by_role("button", name="下書き保存"))
            expect(applicant_page.get_by_role("status")).to_contain_text("下書きを保存しました")
            # 373,456円 × 1/2 = 186,728円 → 1,000円未満切り捨て → 186,000円 (under the cap).
            expect(applicant_page.get_by_text("申請額（計算結果）：186,000円")).to_be_visible()
            tax = applicant_page.get_by_role("region", name="要件の確認結果").get_by_role("row")
            expect(tax.filter(has_text="市税の滞納がないこと")).to_contain_text("満たしています")

        with step("2e applicant submits"):
            _post(applicant_page, applicant_page.get_by_role("button", name="保存して申請する"))
            expect(applicant_page.get_by_role("status")).to_contain_text("申請しました")
            expect(applicant_page.locator(".lead")).to_have_text("状態：申請済み")

        # --- 3. the officer returns it with a note -----------------------------------------
        with step("3a officer logs in, opens the call and the application"):
            _log_in(officer_page, site, journey["officer"].email, "/staff/applications/")
            with officer_page.expect_navigation():
                officer_page.get_by_role("link", name=CALL_TITLE, exact=True).click()
            apps = officer_page.get_by_role("region", name="申請の一覧")
            expect(apps.get_by_role("row").filter(has_text=number)).to_contain_text("申請受付")
            with officer_page.expect_navigation():
                apps.get_by_role("link", name=number, exact=True).click()
            expect(officer_page.get_by_role("heading", level=1)).to_contain_text(number)
            expect(officer_page.locator(".badge")).to_have_text("申請受付")

        with step("3b officer returns the application with a note"):
            _staff_step(officer_page, "差し戻す", note=RETURN_NOTE)
            expect(officer_page.locator(".badge")).to_have_text("差戻し中")

        # --- 4. the applicant reads the note, corrects, resubmits --------------------------
        with step("4a applicant sees the returned state and the officer's note"):
            applicant_page.reload()
            expect(applicant_page.locator(".lead")).to_have_text(
                "状態：差戻し対応中（修正してください）"
            )
            note = applicant_page.locator("#return-note")
            expect(note.get_by_role("heading", name="市からの差戻し")).to_be_visible()
            expect(note).to_contain_text(RETURN_NOTE)

        with step("4b axe: the applicant's application page (returned, form open)"):
            assert serious_violations(applicant_page) == []

        with step("4c applicant corrects a cost line and resubmits"):
            amount = applicant_page.get_by_label("2行目の金額（円）")
            expect(amount).to_have_value("123,456")
            amount.fill("200,000")
            _post(applicant_page, applicant_page.get_by_role("button", name="保存して再申請する"))
            expect(applicant_page.get_by_role("status")).to_contain_text(
                "修正した内容で再申請しました"
            )
            expect(applicant_page.locator(".lead")).to_have_text("状態：再申請済み")
            # 450,000円 × 1/2 = 225,000円 → capped at 200,000円.
            expect(applicant_page.get_by_text("申請額（計算結果）：200,000円")).to_be_visible()

        # --- 5. the officer starts the review ----------------------------------------------
        with step("5 officer starts the review"):
            officer_page.reload()
            expect(officer_page.locator(".badge")).to_have_text("再申請受付")
            _staff_step(officer_page, "審査を開始する")
            expect(officer_page.locator(".badge")).to_have_text("審査中")

        with step("5b axe: the officer's application page (under review, step forms)"):
            assert serious_violations(officer_page) == []

        # --- 6. the reviewer declares no conflict and scores --------------------------------
        with step("6a reviewer logs in and opens the application from the review list"):
            _log_in(reviewer_page, site, journey["reviewer"].email, "/staff/applications/reviews/")
            with reviewer_page.expect_navigation():
                reviewer_page.get_by_role("link", name=number, exact=True).click()
            expect(reviewer_page.get_by_role("heading", level=1)).to_have_text(
                f"内容審査：申請 {number}"
            )

        with step("6b reviewer declares no conflict of interest"):
            conflict = reviewer_page.get_by_label(
                "この申請者と利害関係があります（審査を辞退します）"
            )
            expect(conflict).not_to_be_checked()
            _post(reviewer_page, reviewer_page.get_by_role("button", name="申告して次へ"))
            expect(reviewer_page.get_by_role("status")).to_contain_text("利害関係がないことを記録")

        with step("6c reviewer scores the rubric and submits the review"):
            reviewer_page.get_by_label("独自性（0〜5点）").fill("4")
            reviewer_page.get_by_label("実現可能性（0〜5点）").fill("3")
            reviewer_page.get_by_label("地域への波及効果（0〜10点）").fill("8")
            reviewer_page.get_by_label("採択・認定が適当").check()
            reviewer_page.get_by_label("所見", exact=True).fill("合成データの所見：実現性が高い。")
            _post(
                reviewer_page,
                reviewer_page.get_by_role("button", name="提出する（以後は変更できません）"),
            )
            expect(reviewer_page.get_by_role("status")).to_contain_text("審査を提出しました")
            scores = reviewer_page.get_by_role("region", name="あなたの採点")
            # Review.total is a Decimal; the page prints it as stored (15.00).
            expect(scores.locator("tfoot")).to_contain_text(re.compile(r"15(\.0+)? / 20"))

        # --- 7. the officer adopts and decides the grant ------------------------------------
        with step("7a officer sees the review and adopts with a reason"):
            officer_page.reload()
            expect(officer_page.get_by_role("region", name="内容審査の採点")).to_contain_text(
                "合成データの所見"
            )
            _staff_step(officer_page, "採択する", note="合成データ：審査の結果、採択とします。")
            expect(officer_page.locator(".badge")).to_have_text("採択")

        with step("7b officer decides the grant within the budget"):
            form = _action_form(officer_page, "交付決定する")
            expect(form).to_contain_text("募集の予算残額: 1,000,000円")
            expect(form.get_by_label("交付決定額（円）")).to_have_value("200,000")
            _staff_step(officer_page, "交付決定する", fields={"交付決定額（円）": "200,000"})
            expect(officer_page.locator(".badge")).to_have_text("交付決定")

        # --- 8. the applicant reports the results ------------------------------------------
        with step("8 applicant files the result report"):
            applicant_page.reload()
            expect(applicant_page.locator(".lead")).to_have_text("状態：交付決定")
            report = applicant_page.locator("#report")
            report.get_by_label("実施した内容と成果").fill(
                "合成データ：試作品を完成させ、展示会で商談を3件得ました。"
            )
            report.get_by_label("1行目の経費の区分").select_option(label="設備費")
            report.get_by_label("1行目の内容").fill("合成データ：試作用の金型")
            report.get_by_label("1行目の金額（円）").fill("250,000")
            report.get_by_label("2行目の経費の区分").select_option(label="その他の経費")
            report.get_by_label("2行目の内容").fill("合成データ：展示会の出展料")
            report.get_by_label("2行目の金額（円）").fill("130,000")
            _post(applicant_page, report.get_by_role("button", name="実績報告を提出する"))
            expect(applicant_page.get_by_role("status")).to_contain_text("実績報告を提出しました")
            expect(applicant_page.locator(".lead")).to_have_text("状態：実績報告済み")

        with step("8b axe: the applicant's application page (reported)"):
            assert serious_violations(applicant_page) == []

        # --- 9. the officer fixes the amount and pays; the budget shows it -----------------
        with step("9a officer fixes the amount"):
            officer_page.reload()
            expect(officer_page.locator(".badge")).to_have_text("実績報告受付")
            # Actual costs 380,000円 × 1/2 = 190,000円.
            _staff_step(officer_page, "額を確定する", fields={"確定額（円）": "190,000"})
            expect(officer_page.locator(".badge")).to_have_text("額の確定")

        with step("9b officer records the payment"):
            paid_on = _action_form(officer_page, "支払う").get_by_label("支払日")
            expect(paid_on).to_have_value(timezone.localdate().isoformat())
            _staff_step(officer_page, "支払う")
            expect(officer_page.locator(".badge")).to_have_text("支払済み")

        with step("9c axe: the officer's application page (paid)"):
            assert serious_violations(officer_page) == []

        with step("9d the budget page shows the committed and paid amounts"):
            officer_page.goto(site + "/staff/applications/")
            with officer_page.expect_navigation():
                officer_page.get_by_role("link", name="予算の執行状況").click()
            row = officer_page.get_by_role("row").filter(
                has=officer_page.get_by_role("rowheader", name=CALL_TITLE, exact=True)
            )
            cells = row.get_by_role("cell")
            expect(cells.nth(1)).to_have_text("1,000,000円")  # budget
            expect(cells.nth(2)).to_have_text("190,000円")  # committed after the release
            expect(cells.nth(3)).to_have_text("190,000円")  # paid
            expect(cells.nth(4)).to_have_text("810,000円")  # remaining
    finally:
        officer_page.context.close()
        reviewer_page.context.close()

    # --- the records --------------------------------------------------------------------
    with step("records: the status history"):
        actions = list(
            StatusChange.objects.filter(application=application)
            .order_by("at", "pk")
            .values_list("action", flat=True)
        )
        assert actions == [
            "start",
            "submit",
            "return",
            "resubmit",
            "start_review",
            "adopt",
            "decide_grant",
            "report",
            "fix_amount",
            "pay",
        ]
        application.refresh_from_db()
        assert application.status == "paid"
        assert (application.requested_yen, application.decided_yen) == (200_000, 200_000)
        assert (application.fixed_yen, application.paid_yen) == (190_000, 190_000)

    with step("records: the call's money"):
        call = Call.objects.get(pk=call.pk)
        assert call.paid_yen == application.fixed_yen == 190_000
        assert call.committed_yen == 190_000

    with step("records: the applicant's mails"):
        to_applicant = [m for m in mail.outbox if m.to == [journey["applicant"].email]]
        subjects = [m.subject for m in to_applicant]
        assert subjects == [
            f"[Sangyo] 申請 {number} の状況: {label}"
            for label in (
                "申請済み",
                "差戻し対応中（修正してください）",
                "採択",
                "交付決定",
                "額の確定",
                "支払済み",
            )
        ], subjects
        assert RETURN_NOTE in to_applicant[1].body

    with step("records: the support record of the adoption"):
        assert SupportRecord.objects.filter(
            business=journey["business"],
            program=call.program,
            source=f"applications.application:{application.pk}:adopted",
            kind="subsidy",
        ).exists()

"""Each eligibility rule passes, fails or does not know, with its reason; what blocks; and the
新規創業促進補助金 chain (no founder certificate → refused; with one → accepted)."""

import datetime

import pytest

from sangyo.applications import eligibility, services
from sangyo.applications.eligibility import FAIL, PASS, UNKNOWN, Context
from sangyo.applications.models import FounderCertificate
from sangyo.applications.tests import factories as f
from sangyo.registry.tests.factories import business


@pytest.fixture
def program(tsukuba):
    from sangyo.strategy.models import Program

    return Program.objects.get(measure__strategy=tsukuba, code="05-1")


@pytest.fixture
def call(program):
    f.program_detail(program)
    return f.open_call(program)


def _check(rule: str, business_obj, call=None, answers=None, application=None, **spec):
    [result] = eligibility.evaluate(
        [{"rule": rule, **spec}],
        Context(business=business_obj, call=call, answers=answers or {}, application=application),
    )
    assert result.code == rule
    assert result.label_ja and result.label_en and result.reason_ja and result.reason_en
    return result


# --- each rule ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_in_city(tsukuba):
    inside = _check("in_city", business(location="茨城県つくば市竹園1丁目", city_code="082201"))
    assert inside.status == PASS and "竹園" in inside.reason_ja
    outside = _check("in_city", business(location="茨城県土浦市大和町1番", city_code="082031"))
    assert outside.status == FAIL and outside.reason_ja.startswith("市外の事業者です")
    assert "土浦市" in outside.reason_ja


@pytest.mark.django_db
def test_sme(tsukuba):
    small = _check("sme", business(capital_stock=10_000_000, employee_number=12))
    assert small.status == PASS and small.reason_ja.startswith("中小企業者です")
    large = _check(
        "sme", business(jsic_code="3911", capital_stock=5_000_000_000, employee_number=2_000)
    )
    assert large.status == FAIL and large.reason_ja.startswith("中小企業者ではありません")
    unknown = _check("sme", business(capital_stock=None, employee_number=None))
    assert unknown.status == UNKNOWN and unknown.reason_ja.startswith("規模を判定できません")


@pytest.mark.django_db
def test_holds_founder_certificate(tsukuba):
    founder = business(corporate_type="pre_founding", date_of_establishment=None)
    without = _check("holds_founder_certificate", founder)
    assert without.status == FAIL
    assert without.reason_ja == "特定創業支援等事業の証明書を受けていません"
    FounderCertificate.objects.create(
        business=founder,
        number="合成-創業-0001",
        issued_on=datetime.date(2026, 5, 1),
        holder_name="合成 創業者",
        holder_address="茨城県つくば市研究学園1丁目",
    )
    holding = _check("holds_founder_certificate", founder)
    assert holding.status == PASS and "合成-創業-0001" in holding.reason_ja


@pytest.mark.django_db
def test_not_received_this_fy(call, make_user):
    b = business()
    user = f.applicant(make_user, b)
    current = f.application(call, b, user)
    first = _check("not_received_this_fy", b, call=call, application=current)
    assert first.status == PASS and f"{call.fiscal_year}年度" in first.reason_ja
    # A submitted (not yet adopted) application does not count as received.
    f.application(call, b, user, status="under_review")
    assert _check("not_received_this_fy", b, call=call, application=current).status == PASS
    adopted = f.application(call, b, user, status="adopted")
    received = _check("not_received_this_fy", b, call=call, application=current)
    assert received.status == FAIL and "既に受けています" in received.reason_ja
    # The adopted application itself is not "another" one.
    assert _check("not_received_this_fy", b, call=call, application=adopted).status == PASS
    # Another fiscal year of the same program is fine.
    next_year = f.open_call(call.program, fiscal_year=call.fiscal_year + 1)
    assert _check("not_received_this_fy", b, call=next_year).status == PASS


@pytest.mark.django_db
def test_before_incorporation(tsukuba):
    planned = _check(
        "before_incorporation", business(corporate_type="pre_founding", date_of_establishment=None)
    )
    assert planned.status == PASS
    company = _check("before_incorporation", business(corporate_type="301"))
    assert company.status == FAIL and "前に申請する必要があります" in company.reason_ja


@pytest.mark.django_db
def test_no_unpaid_city_tax(tsukuba):
    b = business()
    assert _check("no_unpaid_city_tax", b, answers={"no_unpaid_tax": True}).status == PASS
    assert _check("no_unpaid_city_tax", b, answers={"no_unpaid_tax": "on"}).status == PASS
    refused = _check("no_unpaid_city_tax", b, answers={"no_unpaid_tax": False})
    assert refused.status == FAIL and "申告がありません" in refused.reason_ja
    missing = _check("no_unpaid_city_tax", b, answers={})
    assert missing.status == UNKNOWN and "申告してください" in missing.reason_ja
    # The form field can be named in the spec.
    named = _check("no_unpaid_city_tax", b, answers={"tax_ok": True}, field="tax_ok")
    assert named.status == PASS


@pytest.mark.django_db
def test_founder_stage(tsukuba):
    today = datetime.date.today()
    planned = _check(
        "founder_stage", business(corporate_type="pre_founding", date_of_establishment=None)
    )
    assert planned.status == PASS and planned.reason_ja.startswith("創業前または創業5年未満")
    young = _check(
        "founder_stage", business(date_of_establishment=today - datetime.timedelta(days=400))
    )
    assert young.status == PASS
    old = _check("founder_stage", business(date_of_establishment=datetime.date(2000, 4, 1)))
    assert old.status == FAIL and old.reason_ja.startswith("創業5年以上です")
    unknown = _check("founder_stage", business(corporate_type="sole", date_of_establishment=None))
    assert unknown.status == UNKNOWN and unknown.reason_ja == "設立・創業日が登録されていません"


@pytest.mark.django_db
def test_an_undefined_rule_is_unknown_and_says_so(tsukuba):
    [result] = eligibility.evaluate(
        [{"rule": "has_a_garden"}], Context(business=business(), call=None, answers={})
    )
    assert result.status == UNKNOWN and "定義されていません" in result.reason_ja


# --- what blocks submission ---------------------------------------------------------------


def _result(code, status):
    return eligibility.RuleResult(code, status, code, code, "理由", "reason")


def test_failures_block_and_unknowns_only_when_they_must_be_known():
    results = [_result("in_city", PASS), _result("sme", UNKNOWN), _result("x", FAIL)]
    specs = [{"rule": "in_city"}, {"rule": "sme"}, {"rule": "x"}]
    assert [r.code for r in eligibility.blocking(results, specs)] == ["x"]
    specs[1]["required_known"] = True
    assert [r.code for r in eligibility.blocking(results, specs)] == ["sme", "x"]
    assert eligibility.blocking([_result("in_city", PASS)], [{"rule": "in_city"}]) == []


@pytest.mark.django_db
def test_a_failed_rule_blocks_submission_and_names_the_reason(call, make_user):
    f.program_detail(call.program, eligibility=[{"rule": "in_city"}, {"rule": "sme"}])
    outside = business(location="茨城県土浦市大和町1番", city_code="082031")
    app = f.application(call, outside, f.applicant(make_user, outside))
    with pytest.raises(services.ApplicationError) as info:
        services.application_transition(application=app, action="submit", actor=app.applicant)
    assert "市内に事業所があること（市外の事業者です" in str(info.value)
    app.refresh_from_db()
    assert app.status == "draft"
    # An unknown size does not block unless the program says it must be known.
    unknown = business(capital_stock=None, employee_number=None)
    ok = f.application(call, unknown, f.applicant(make_user, unknown), status="submitted")
    assert ok.status == "submitted"
    f.program_detail(call.program, eligibility=[{"rule": "sme", "required_known": True}])
    blocked = f.application(call, unknown, ok.applicant)
    with pytest.raises(services.ApplicationError, match="規模を判定できません"):
        services.application_transition(application=blocked, action="submit", actor=ok.applicant)


# --- the 新規創業促進補助金 chain ---------------------------------------------------------


@pytest.mark.django_db
def test_founding_subsidy_needs_the_founder_certificate_first(tsukuba, make_user):
    details = f.load_programs()
    call = f.config_call(details["11-1"])
    founder = business(corporate_type="pre_founding", date_of_establishment=None)
    user = f.applicant(make_user, founder)
    answers = {
        "plan_summary": "合成データの創業計画",
        "start_date": "2026-12-01",
        "other_subsidies": "no",
        "no_unpaid_tax": True,
    }
    app = f.application(
        call,
        founder,
        user,
        answers=answers,
        costs=[{"type": "registration_tax", "description": "登録免許税", "amount": 75_000}],
    )
    results = {r.code: r.status for r in services.eligibility_results(app)}
    assert results == {
        "holds_founder_certificate": FAIL,
        "before_incorporation": PASS,
        "no_unpaid_city_tax": PASS,
    }
    with pytest.raises(
        services.ApplicationError, match="特定創業支援等事業の証明書を受けていません"
    ):
        services.application_transition(application=app, action="submit", actor=user)

    FounderCertificate.objects.create(
        business=founder,
        number="合成-創業-0002",
        issued_on=datetime.date.today(),
        holder_name="合成 創業者",
        holder_address="茨城県つくば市研究学園1丁目",
    )
    app = services.application_transition(application=app, action="submit", actor=user)
    assert app.status == "submitted"
    assert app.requested_yen == 75_000


@pytest.mark.django_db
def test_founding_subsidy_refuses_a_company_already_incorporated(tsukuba, make_user):
    details = f.load_programs()
    call = f.config_call(details["11-1"])
    company = business(corporate_type="301", date_of_establishment=datetime.date(2026, 4, 1))
    FounderCertificate.objects.create(
        business=company,
        number="合成-創業-0003",
        issued_on=datetime.date(2026, 3, 1),
        holder_name="合成 創業者",
        holder_address="茨城県つくば市研究学園1丁目",
    )
    app = f.application(call, company, f.applicant(make_user, company))
    with pytest.raises(
        services.ApplicationError, match="法人設立（登記）前に申請する必要があります"
    ):
        services.application_transition(application=app, action="submit", actor=app.applicant)

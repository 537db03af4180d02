"""The subsidy amount for each configured program, worked by hand, and its invariants."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sangyo.applications import money, services
from sangyo.applications.tests import factories as f
from sangyo.registry.tests.factories import business


@pytest.fixture
def details(tsukuba):
    return f.load_programs()


def _rule(detail) -> money.Rule:
    return services.money_rule(detail)


def _draft(detail, make_user, costs):
    """A draft application with typed cost lines; `requested_yen` is what the service saved."""
    b = business(corporate_type="pre_founding", date_of_establishment=None)
    return f.application(f.config_call(detail), b, f.applicant(make_user, b), costs=costs)


# --- 新規創業促進補助金 (11-1): 10/10, cap 125,000円, under 1,000円 dropped -------------------


@pytest.mark.django_db
def test_founding_subsidy_drops_amounts_under_1000_yen(details, make_user):
    # 登録免許税 60,560 + 定款認証手数料 30,000 = 90,560 × 10/10 = 90,560 → 90,000
    app = _draft(
        details["11-1"],
        make_user,
        [
            {"type": "registration_tax", "description": "登録免許税", "amount": "60,560"},
            {"type": "notary_fee", "description": "定款認証手数料", "amount": 30_000},
        ],
    )
    calc = services.calculate(app)
    assert (calc.eligible_total, calc.amount) == (90_560, 90_000)
    assert app.requested_yen == 90_000
    assert calc.steps_ja == (
        "対象経費の合計 90,560円",
        "× 補助率 10/10 = 90,560円（1円未満切り捨て）",
        "1,000円未満を切り捨て → 90,000円",
    )
    assert calc.steps_en[-1] == "Amounts under 1,000 yen dropped → 90,000 yen"


@pytest.mark.django_db
def test_founding_subsidy_both_types_above_their_limits_gives_the_cap(details, make_user):
    # 登録免許税 150,000 → 75,000; 定款認証手数料 52,000 → 50,000; 125,000 → 125,000.
    # (Without per-type limits the total 202,000 is capped at 125,000: the same figure.)
    app = _draft(
        details["11-1"],
        make_user,
        [
            {"type": "registration_tax", "description": "登録免許税", "amount": 150_000},
            {"type": "notary_fee", "description": "定款認証手数料", "amount": 52_000},
        ],
    )
    assert services.calculate(app).amount == 125_000
    assert app.requested_yen == 125_000


@pytest.mark.django_db
def test_founding_subsidy_caps_each_cost_type_to_its_limit(details, make_user):
    # 登録免許税 150,000 → 75,000 (its limit); 定款認証手数料 30,000 stays: 105,000 × 10/10.
    app = _draft(
        details["11-1"],
        make_user,
        [
            {"type": "registration_tax", "description": "登録免許税", "amount": 150_000},
            {"type": "notary_fee", "description": "定款認証手数料", "amount": 30_000},
        ],
    )
    assert services.calculate(app).amount == 105_000


def test_founding_subsidy_rule_by_hand():
    rule = money.Rule(rate_numerator=10, rate_denominator=10, cap_yen=125_000, rounding_unit=1_000)
    assert money.calculate(rule, [124_999]).amount == 124_000
    assert money.calculate(rule, [999]).amount == 0
    assert money.calculate(rule, [125_000]).amount == 125_000
    capped = money.calculate(rule, [200_000])
    assert capped.amount == 125_000
    assert "上限額 125,000円 を適用 → 125,000円" in capped.steps_ja


# --- programs whose rate the city has not confirmed --------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["05-1", "11-2", "16-1", "17-1"])
def test_unconfirmed_programs_compute_no_amount_and_say_why(details, make_user, code):
    detail = details[code]
    types = detail.eligible_cost_types or [{"code": "other"}]
    app = _draft(
        detail, make_user, [{"type": types[0]["code"], "description": "合成", "amount": 240_000}]
    )
    calc = services.calculate(app)
    assert calc.eligible_total == 240_000
    assert calc.amount is None and app.requested_yen is None
    assert any("要確認" in step for step in calc.steps_ja)
    assert any("not confirmed" in step for step in calc.steps_en)


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["06-1", "10-1"])
def test_certifications_and_certificates_have_no_amount(details, code):
    rule = _rule(details[code])
    assert rule.rate_numerator is None
    assert money.calculate(rule, [10_000]).amount is None


def test_a_rate_set_but_not_confirmed_still_computes_with_a_warning():
    rule = money.Rule(
        rate_numerator=1, rate_denominator=2, cap_yen=None, rounding_unit=1_000, confirmed=False
    )
    calc = money.calculate(rule, [301_999])
    assert calc.amount == 150_000  # 150,999.5 → 150,999 → 150,000
    assert calc.steps_ja[-1] == "※補助率・上限額は市の確認待ちです（要確認）"


def test_two_thirds_floors_to_the_yen_before_the_unit():
    rule = money.Rule(rate_numerator=2, rate_denominator=3, cap_yen=None, rounding_unit=1)
    assert money.calculate(rule, [100_001]).amount == 66_667  # 66,667.33…
    unit = money.Rule(rate_numerator=2, rate_denominator=3, cap_yen=None, rounding_unit=1_000)
    assert money.calculate(unit, [100_001]).amount == 66_000


def test_negative_costs_are_refused():
    rule = money.Rule(rate_numerator=1, rate_denominator=2, cap_yen=None)
    with pytest.raises(ValueError, match="負の金額"):
        money.calculate(rule, [10_000, -1])


@pytest.mark.django_db
def test_saving_costs_refuses_bad_amounts(details, make_user):
    from sangyo.applications.services import ApplicationError

    app = _draft(details["11-1"], make_user, [])
    for bad, message in (("12,5OO", "整数"), (-5, "0円以上")):
        with pytest.raises(ApplicationError, match=message):
            services.application_save(
                application=app,
                actor=app.applicant,
                costs=[{"type": "notary_fee", "description": "x", "amount": bad}],
            )


# --- invariants ---------------------------------------------------------------------------


@st.composite
def rules(draw):
    denominator = draw(st.integers(min_value=1, max_value=100))
    numerator = draw(st.integers(min_value=1, max_value=denominator))
    cap = draw(st.none() | st.integers(min_value=0, max_value=50_000_000))
    unit = draw(st.sampled_from([1, 10, 100, 1_000, 10_000]))
    return money.Rule(numerator, denominator, cap, unit, draw(st.booleans()))


@settings(max_examples=300, deadline=None)
@given(rules(), st.lists(st.integers(min_value=0, max_value=100_000_000), max_size=8))
def test_the_amount_never_exceeds_the_cap_or_the_rate_and_is_a_multiple_of_the_unit(rule, costs):
    calc = money.calculate(rule, costs)
    total = sum(costs)
    assert calc.eligible_total == total
    assert calc.amount is not None and calc.amount >= 0
    if rule.cap_yen is not None:
        assert calc.amount <= rule.cap_yen
    # amount ≤ total × rate, compared in integers
    assert calc.amount * rule.rate_denominator <= total * rule.rate_numerator
    assert calc.amount % rule.rounding_unit == 0
    # and it is the largest such multiple: no more than one unit (or the cap) is lost
    best = total * rule.rate_numerator // rule.rate_denominator
    if rule.cap_yen is not None:
        best = min(best, rule.cap_yen)
    assert best - calc.amount < rule.rounding_unit
    assert calc.steps_ja[0] == f"対象経費の合計 {total:,}円"
    assert len(calc.steps_ja) == len(calc.steps_en)

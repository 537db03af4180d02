"""事業承継 readiness: the level in words and the one next step."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sangyo.diagnostics import succession

ALL_YES = dict.fromkeys(succession.QUESTION_KEYS, True)


@pytest.mark.parametrize(
    ("answers", "level", "next_step"),
    [
        ({}, "未着手", "後継者人材バンク"),
        ({"has_candidates": True}, "未着手", "後継者を決めましょう"),
        # A decided successor implies a candidate.
        ({"successor_decided": True}, "初期段階", "事業承継計画"),
        (
            {"successor_decided": True, "plan_written": True},
            "準備中",
            "事業承継税制",
        ),
        (
            {"successor_decided": True, "plan_written": True, "shares_arranged": True},
            "仕上げ段階",
            "経営者保証",
        ),
        (ALL_YES, "準備が整っています", "見直し"),
        # Later answers do not skip an earlier missing step.
        (ALL_YES | {"plan_written": False}, "初期段階", "事業承継計画"),
    ],
)
def test_level_and_next_step(answers, level, next_step):
    result = succession.assess(answers)
    assert level in result.level
    assert next_step in result.next_step


def test_no_candidate_points_to_the_centre():
    result = succession.assess({"owner_age": 72})
    assert "事業承継・引継ぎ支援センター" in result.next_step
    assert "後継者人材バンク" in result.referral
    assert "70歳以上" in result.urgency


@pytest.mark.parametrize(
    ("age", "urgency"), [(None, ""), (55, ""), (60, "60歳以上"), (69, "60歳以上"), (70, "70歳以上")]
)
def test_urgency_by_age(age, urgency):
    result = succession.assess({"owner_age": age, "has_candidates": True})
    assert (urgency in result.urgency) if urgency else result.urgency == ""
    assert result.missing_age is (age is None)


def test_no_urgency_when_ready():
    assert succession.assess(ALL_YES | {"owner_age": 80}).urgency == ""


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.text(max_size=20), st.one_of(st.none(), st.booleans(), st.integers(), st.text())
    )
)
def test_any_answers_never_raise(answers):
    result = succession.assess(answers)
    assert result.level and result.next_step

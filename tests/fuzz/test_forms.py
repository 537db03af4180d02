"""Fuzzing of what people type into forms: the follow-up plan lines of a consultation case,
numbers, money and 和暦 dates of the dynamic application forms (with the real programme
form definitions), the subsidy calculation, the diagnostics number parser and upload names.

A form field either cleans to a value or raises django ValidationError with a message; a
domain function either returns or raises its DomainError."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import yaml
from django import forms
from django.http import QueryDict
from hypothesis import example, given
from hypothesis import strategies as st

from sangyo.applications import money
from sangyo.applications.forms_dynamic import (
    MONEY_MAX,
    CostLineForm,
    DynamicForm,
    MoneyField,
    NumberField,
    WarekiDateField,
)
from sangyo.applications.uploads import clean_name, sniff
from sangyo.consultations.forms import PlanField
from sangyo.consultations.services import PLAN_MAX_DAYS, ConsultationError, clean_plan
from sangyo.diagnostics.forms import parse_number as diagnostics_number

from .common import assert_clear, fuzz, nasty_text

ROOT = Path(__file__).resolve().parents[2]


def check_validation_error(exc: forms.ValidationError) -> None:
    for message in exc.messages:
        assert_clear(message)


# --------------------------------------------------------------------------- plan lines

plan_line = st.builds(
    lambda days, suffix, sep, note: f"{days}{suffix}{sep}{note}",
    st.one_of(
        st.integers(-5, 800).map(str),
        st.sampled_from(["①", "²", "٣٠", "３０", "30.5", "", "0", "9" * 30, "1e3"]),
    ),
    st.sampled_from(["", "日", "日後"]),
    st.sampled_from([" ", "\u3000", "", "\t"]),
    nasty_text,
)


@fuzz(300)
@given(st.lists(st.one_of(plan_line, nasty_text), max_size=6).map("\n".join))
@example("① 状況確認")
@example("²日後 x")
@example("٣٠ 状況確認")  # Arabic-Indic digits: isdigit() and int() accept them
def test_plan_field(text):
    try:
        plan = PlanField().clean(text)
    except forms.ValidationError as exc:
        check_validation_error(exc)
        return
    days = [step["days"] for step in plan]
    assert days == sorted(set(days))
    assert all(1 <= d <= PLAN_MAX_DAYS for d in days)


@fuzz(200)
@given(
    st.lists(
        st.one_of(
            st.fixed_dictionaries(
                {
                    "days": st.one_of(st.integers(), st.floats(), st.text(max_size=5), st.none()),
                    "note": st.one_of(nasty_text, st.none(), st.integers()),
                }
            ),
            st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
        ),
        max_size=5,
    )
)
@example([{"days": float("inf")}])
@example([{"days": float("nan")}])
def test_clean_plan(plan):
    try:
        out = clean_plan(plan)
    except ConsultationError as exc:
        assert_clear(str(exc))
        return
    assert all(1 <= s["days"] <= PLAN_MAX_DAYS and len(s["note"]) <= 300 for s in out)


# --------------------------------------------------------------------------- numbers

number_text = st.one_of(
    nasty_text,
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        [
            "1e999999999999999999",
            "-1e999999999999999999",
            "1e-999999999999999999",
            "1E+100",
            "0e-5",
            "sNaN",
            "1,000,000円",
            "￥１２３",
            "−5",
            "ー5",
            "12.50",
            "9" * 41,
        ]
    ),
)


@fuzz(400)
@given(number_text, st.sampled_from(["number", "money"]))
@example("1e999999999999999999", "number")
@example("1e-999999999999999999", "number")
@example("-1e999999999999999999", "money")
def test_number_and_money_fields(text, kind):
    field = NumberField(required=False) if kind == "number" else MoneyField(required=False)
    try:
        value = field.clean(text)
    except forms.ValidationError as exc:
        check_validation_error(exc)
        return
    if value is None:
        return
    if kind == "money":
        assert isinstance(value, int) and 0 <= value < MONEY_MAX
    else:
        assert isinstance(value, int | str)
        assert abs(Decimal(value)) < MONEY_MAX


@fuzz(200)
@given(nasty_text)
def test_wareki_date_field(text):
    try:
        WarekiDateField(required=False).clean(text)
    except forms.ValidationError as exc:
        check_validation_error(exc)


@fuzz(200)
@given(st.one_of(number_text, st.just("▲"), st.just("△△5")))
def test_diagnostics_number(text):
    try:
        value = diagnostics_number(text)
    except ValueError:
        return  # the documented refusal; the form turns it into a message
    assert value.is_finite()


@fuzz(300)
@given(
    st.integers(0, 10**6).flatmap(
        lambda _: st.tuples(
            st.one_of(st.none(), st.integers(0, 10)),
            st.one_of(st.none(), st.integers(0, 10)),
            st.one_of(st.none(), st.integers(0, 10**9)),
            st.integers(1, 10**5),
        )
    ),
    st.lists(st.integers(-5, 10**12), max_size=5),
)
def test_money_calculation(rule, costs):
    numerator, denominator, cap, unit = rule
    if numerator and denominator and numerator > denominator:
        numerator, denominator = denominator, numerator  # a rate is at most 1 (10/10)
    r = money.Rule(numerator, denominator, cap, unit)
    try:
        calc = money.calculate(r, costs)
    except ValueError as exc:
        assert any(c < 0 for c in costs)
        assert_clear(str(exc))
        return
    assert calc.eligible_total == sum(costs)
    if calc.amount is not None:
        assert 0 <= calc.amount <= calc.eligible_total
        if cap is not None:
            assert calc.amount <= cap
    assert len(calc.steps_ja) == len(calc.steps_en)


# --------------------------------------------------------------------------- dynamic forms


def _form_specs() -> list[list[dict]]:
    doc = yaml.safe_load(
        (ROOT / "sangyo/applications/data/programs-tsukuba.yaml").read_text("utf-8")
    )
    found = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("fields"), list) and all(
                isinstance(f, dict) and "name" in f for f in node["fields"]
            ):
                found.append(node["fields"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc)
    return found


FORM_SPECS = _form_specs()


@st.composite
def form_post(draw):
    specs = draw(st.sampled_from(FORM_SPECS))
    data = QueryDict(mutable=True)
    for spec in specs:
        if draw(st.booleans()):
            values = draw(
                st.lists(
                    st.one_of(
                        nasty_text,
                        number_text,
                        st.sampled_from(
                            [str(c.get("value")) for c in spec.get("choices", [])] or ["on"]
                        ),
                        st.sampled_from(["on", "1", "令和7年4月1日", "R7.2.30"]),
                    ),
                    min_size=1,
                    max_size=3,
                )
            )
            data.setlist(f"f-{spec['name']}", values)
    return specs, data


@fuzz(150)
@given(form_post(), st.booleans())
def test_dynamic_forms_with_any_post(post, require):
    specs, data = post
    form = DynamicForm(data, form_version=SimpleNamespace(fields=specs), require=require)
    if form.is_valid():
        answers = form.answers()
        assert set(answers) <= {s["name"] for s in specs}
    else:
        for messages in form.errors.values():
            for message in messages:
                assert_clear(message)


@fuzz(150)
@given(
    st.dictionaries(
        st.sampled_from(["type", "description", "amount"]),
        st.one_of(nasty_text, number_text),
        max_size=3,
    )
)
def test_cost_line_form(data):
    form = CostLineForm(data, cost_types=[("equipment", "設備費")])
    if form.is_valid():
        line = form.line()
        assert line is None or (line["amount"] >= 0 and line["type"] == "equipment")


# --------------------------------------------------------------------------- uploads


@fuzz(300)
@given(
    st.one_of(
        nasty_text,
        st.text(max_size=300),
        st.sampled_from(
            ["../../etc/passwd", "C:\\a\\b.pdf", "...", "\x00.pdf", "a" * 300 + ".pdf"]
        ),
    )
)
def test_clean_name(name):
    cleaned = clean_name(name)
    assert cleaned and len(cleaned) <= 200
    assert "/" not in cleaned and "\\" not in cleaned
    assert cleaned not in (".", "..")


@fuzz(200)
@given(st.one_of(st.binary(max_size=200), st.binary(max_size=100).map(lambda b: b"PK\x03\x04" + b)))
def test_sniff(data):
    assert sniff(data) in (None, "application/pdf", "image/png", "image/jpeg") or sniff(
        data
    ).startswith("application/vnd.openxmlformats")

"""Forms defined as data become Django forms: types, required, show_when, 和暦, languages."""

from types import SimpleNamespace

import pytest
from django.utils import translation

from sangyo.applications import services
from sangyo.applications.forms_dynamic import (
    CostFormSet,
    DynamicForm,
    display_answers,
    missing_labels,
)

FIELDS = [
    {"name": "plan", "type": "textarea", "label": {"ja": "事業計画", "en": "Business plan"},
     "help": {"ja": "具体的に", "en": "Be specific"}, "required": True},
    {"name": "started", "type": "date", "label": {"ja": "開始日", "en": "Start date"}},
    {"name": "staff", "type": "number", "label": {"ja": "従業員数", "en": "Staff"}},
    {"name": "budget", "type": "money", "label": {"ja": "総事業費", "en": "Total cost"}},
    {"name": "kind", "type": "choice", "label": {"ja": "区分", "en": "Kind"}, "required": True,
     "choices": [{"value": "new", "ja": "新規", "en": "New"},
                 {"value": "expand", "ja": "拡大", "en": "Expansion"}]},
    {"name": "expand_from", "type": "text", "label": {"ja": "拡大前の事業", "en": "Current business"},
     "required": True, "show_when": {"field": "kind", "equals": "expand"}},
    {"name": "expand_note", "type": "text", "label": {"ja": "拡大の補足", "en": "Note"},
     "required": True, "show_when": {"field": "expand_from", "equals": "工場"}},
    {"name": "channels", "type": "multi", "label": {"ja": "販路", "en": "Channels"},
     "choices": [{"value": "web", "ja": "ウェブ", "en": "Web"},
                 {"value": "shop", "ja": "店舗", "en": "Shop"}]},
    {"name": "agree", "type": "bool", "label": {"ja": "同意します", "en": "I agree"},
     "required": True},
]  # fmt: skip


@pytest.fixture(autouse=True)
def japanese():
    """Labels are picked in the active language; other tests' requests may leave English
    active in this thread, so each test here starts from Japanese."""
    with translation.override("ja"):
        yield


def version(fields=FIELDS):
    return SimpleNamespace(fields=fields, pk=1)


def bound(data: dict, *, require=True, fields=FIELDS) -> DynamicForm:
    return DynamicForm({f"f-{k}": v for k, v in data.items()}, form_version=version(fields),
                       require=require)  # fmt: skip


def test_hidden_field_is_neither_required_nor_stored():
    form = bound({"plan": "計画", "kind": "new", "expand_from": "送られても捨てる", "agree": "on"})
    assert form.is_valid(), form.errors
    assert form.answers() == {"plan": "計画", "kind": "new", "agree": True}


def test_shown_field_becomes_required_and_chains_follow():
    form = bound({"plan": "計画", "kind": "expand", "agree": "on"})
    assert not form.is_valid()
    assert set(form.errors) == {"expand_from"}
    form = bound({"plan": "計画", "kind": "expand", "expand_from": "工場", "agree": "on"})
    assert not form.is_valid() and set(form.errors) == {"expand_note"}
    form = bound({"plan": "計画", "kind": "expand", "expand_from": "工場", "expand_note": "増設",
                  "agree": "on"})  # fmt: skip
    assert form.is_valid()
    assert form.answers()["expand_note"] == "増設"


def test_invalid_value_in_a_hidden_field_does_not_block():
    form = bound({"plan": "計画", "kind": "new", "agree": "on", "expand_from": "x" * 5000})
    assert form.is_valid(), form.errors


def test_required_is_checked_on_submit_not_on_draft():
    assert bound({}, require=False).is_valid()
    form = bound({}, require=True)
    assert not form.is_valid()
    assert set(form.errors) == {"plan", "kind", "agree"}
    assert form.errors["agree"] == ["確認のうえチェックしてください"]
    assert form.errors["plan"] == ["入力してください"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2025-04-01", "2025-04-01"),
        ("2025年4月1日", "2025-04-01"),
        ("令和7年4月1日", "2025-04-01"),
        ("R7.4.1", "2025-04-01"),
        ("令和元年5月1日", "2019-05-01"),
        ("平成31年4月30日", "2019-04-30"),
        ("２０２５／４／１", "2025-04-01"),
    ],
)
def test_dates_in_seireki_or_wareki(typed, stored):
    form = bound({"started": typed}, require=False)
    assert form.is_valid(), form.errors
    assert form.answers()["started"] == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [("平成32年1月1日", "平成32年は存在しません"), ("2025-02-30", "存在しない日付"),
     ("来週", "日付として読み取れません")],
)  # fmt: skip
def test_impossible_dates_are_explained(typed, message):
    form = bound({"started": typed}, require=False)
    assert not form.is_valid()
    assert message in form.errors["started"][0]


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        ("budget", "1,234,000", 1234000),
        ("budget", "１２３４円", 1234),
        ("budget", "¥ 5,000", 5000),
        ("staff", "12", 12),
        ("staff", "2.5", "2.5"),
    ],
)
def test_numbers_as_people_type_them(field, typed, stored):
    form = bound({field: typed}, require=False)
    assert form.is_valid(), form.errors
    assert form.answers()[field] == stored


@pytest.mark.parametrize("typed", ["-1", "12.5", "たくさん", "1e400"])
def test_money_must_be_whole_non_negative_yen(typed):
    form = bound({"budget": typed}, require=False)
    assert not form.is_valid()


def test_choices_must_be_offered_ones():
    assert not bound({"kind": "other"}, require=False).is_valid()
    form = bound({"channels": ["web", "shop"]}, require=False)
    assert form.is_valid() and form.answers()["channels"] == ["web", "shop"]
    assert not bound({"channels": ["fax"]}, require=False).is_valid()


def test_labels_and_help_follow_the_active_language():
    with translation.override("en"):
        form = DynamicForm(form_version=version())
        assert form.fields["plan"].label == "Business plan"
        assert form.fields["plan"].help_text == "Be specific"
        assert form.fields["kind"].choices == [("new", "New"), ("expand", "Expansion")]
        condition = form.fields["expand_from"].condition_text
        assert "Kind" in condition and "Expansion" in condition
    with translation.override("ja"):
        form = DynamicForm(form_version=version())
        assert form.fields["plan"].label == "事業計画"
        assert form.fields["expand_from"].condition_text == "「区分」が「拡大」の場合に入力します。"


def test_saved_answers_come_back_as_initial_values():
    answers = {"plan": "計画", "kind": "expand", "budget": 1500000, "channels": ["web"]}
    form = DynamicForm(form_version=version(), answers=answers)
    html = str(form["budget"])
    assert 'value="1,500,000"' in html
    assert "checked" in str(form["channels"])


def test_missing_labels_respect_conditions_and_language():
    assert missing_labels(version(), {"kind": "new"}) == ["事業計画", "同意します"]
    assert missing_labels(version(), {"kind": "expand", "agree": True}) == [
        "事業計画",
        "拡大前の事業",
    ]
    with translation.override("en"):
        assert missing_labels(version(), {"kind": "new", "plan": "p"}) == ["I agree"]


def test_the_form_and_the_service_agree_on_what_is_missing():
    """A form submitted as valid leaves nothing for services.missing_answers to refuse."""
    form = bound({"plan": "計画", "kind": "expand", "expand_from": "店舗", "agree": "on"})
    assert form.is_valid()
    application = SimpleNamespace(answers=form.answers(), form=version())
    assert services.missing_answers(application) == []


def test_display_answers_use_labels_of_choices():
    rows = display_answers(version(), {"plan": "計画", "kind": "new", "agree": True,
                                       "budget": 1000, "channels": ["web", "shop"]})  # fmt: skip
    assert ("区分", "新規") in rows
    assert ("同意します", "はい") in rows
    assert ("総事業費", "1,000円") in rows
    assert ("販路", "ウェブ、店舗") in rows
    assert all(label != "拡大前の事業" for label, _ in rows)


def test_aria_points_controls_at_help_and_errors():
    form = bound({}, require=True)
    form.is_valid()
    html = str(form["plan"])
    assert 'aria-describedby="id_f-plan-help id_f-plan-error"' in html
    assert 'aria-invalid="true"' in html


# --- costs -------------------------------------------------------------------------------

DETAIL = SimpleNamespace(
    eligible_cost_types=[
        {"code": "fee", "ja": "出展料", "en": "Booth fee", "max_yen": 100000},
        {"code": "transport", "ja": "輸送費", "en": "Transport", "max_yen": None},
    ]
)


def costs(rows: list[tuple[str, str, str]]) -> CostFormSet:
    data = {
        "costs-TOTAL_FORMS": str(len(rows)),
        "costs-INITIAL_FORMS": "0",
        "costs-MIN_NUM_FORMS": "0",
        "costs-MAX_NUM_FORMS": "50",
    }
    for i, (t, d, a) in enumerate(rows):
        data |= {f"costs-{i}-type": t, f"costs-{i}-description": d, f"costs-{i}-amount": a}
    return CostFormSet(data, detail=DETAIL)


def test_cost_lines_skip_empty_rows_and_parse_amounts():
    formset = costs([("fee", "小間料", "80,000"), ("", "", ""), ("transport", "", "１２,０００")])
    assert formset.is_valid(), formset.errors
    assert formset.lines() == [
        {"type": "fee", "description": "小間料", "amount": 80000},
        {"type": "transport", "description": "", "amount": 12000},
    ]
    assert formset.total() == 92000


def test_partial_or_unknown_cost_lines_are_errors():
    formset = costs([("", "何か", ""), ("fee", "", "-5"), ("unknown", "", "1")])
    assert not formset.is_valid()
    assert set(formset.errors[0]) == {"type", "amount"}
    assert set(formset.errors[1]) == {"amount"}
    assert "type" in formset.errors[2]


def test_a_cost_above_its_types_cap_is_entered_as_spent():
    """max_yen caps the subsidy for the type, not the cost: 150,000円 is a real cost."""
    formset = costs([("fee", "小間料", "150,000")])
    assert formset.is_valid()
    assert formset.total() == 150000


def test_cost_types_follow_the_language():
    with translation.override("en"):
        formset = CostFormSet(detail=DETAIL, lines=[{"type": "fee", "amount": 5000}])
        assert ("fee", "Booth fee") in formset.forms[0].fields["type"].choices
        assert formset.forms[0].initial["amount"] == "5,000"
        assert len(formset.forms) == 4  # the saved line and three empty ones


def test_file_fields_pick_one_of_the_uploaded_documents():
    fields = [{"name": "plan_doc", "type": "file", "label": {"ja": "計画書", "en": "Plan"},
               "required": True}]  # fmt: skip
    docs = [SimpleNamespace(pk=7, original_name="計画書.pdf")]
    form = DynamicForm({"f-plan_doc": "7"}, form_version=version(fields), require=True,
                       documents=docs)  # fmt: skip
    assert form.is_valid(), form.errors
    assert form.answers() == {"plan_doc": 7}
    assert display_answers(version(fields), {"plan_doc": 7}, docs) == [("計画書", "計画書.pdf")]
    # Someone else's document id is not among the choices.
    form = DynamicForm({"f-plan_doc": "8"}, form_version=version(fields), documents=docs)
    assert not form.is_valid()
    empty = DynamicForm(form_version=version(fields))
    assert "アップロードしてください" in empty.fields["plan_doc"].help_text

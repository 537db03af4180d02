"""Application forms built from data: a FormVersion's field list becomes a Django form.

Field types: text, textarea, number, money, date (西暦 or 和暦, read by
`sangyo.core.wareki.parse_date`), choice, multi, bool, file (a document already uploaded to
the application). Labels and help text come in the active language.

`show_when` is honoured on the server: a field whose condition does not hold is neither
required nor stored, whatever the browser sent. The stored answer for each type is JSON-safe
(strings, integers, booleans, lists, ISO dates), the same shape `services.missing_answers`
and the eligibility rules read.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sangyo.core.i18n import pick_text
from sangyo.core.wareki import WarekiError, parse_date

TYPES = ("text", "textarea", "number", "money", "date", "choice", "multi", "bool", "file")
TEXT_MAX = 1_000
TEXTAREA_MAX = 20_000
MONEY_MAX = 10**12  # one trillion yen: anything above is a typing mistake
MONEY_MAX_DIGITS = 12  # |x| >= MONEY_MAX exactly when Decimal(x).adjusted() >= 12
_NUMBER_JUNK = re.compile(r"[,\s円¥￥]")


def _normalise_number_text(value: str) -> str:
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = text.replace("−", "-").replace("ー", "-")
    return _NUMBER_JUNK.sub("", text)


class NumberField(forms.CharField):
    """A number typed the way people type it: 1,234 / １２３４ / 12.5."""

    def __init__(self, *, integer: bool = False, min_value=None, **kwargs):
        self.integer = integer
        self.min_value = min_value
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["inputmode"] = "numeric" if self.integer else "decimal"
        return attrs

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        text = _normalise_number_text(value)
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(gettext("数字で入力してください")) from None
        if not number.is_finite():
            raise forms.ValidationError(gettext("数字で入力してください"))
        # Checked by the exponent before any arithmetic: 1e999999999999999999 is a finite
        # Decimal, but rounding it to an integer overflows the decimal context.
        if number and number.adjusted() >= MONEY_MAX_DIGITS:
            raise forms.ValidationError(gettext("値が大きすぎます"))
        if self.integer and number != number.to_integral_value():
            raise forms.ValidationError(gettext("整数（円）で入力してください"))
        if self.min_value is not None and number < self.min_value:
            raise forms.ValidationError(
                gettext("%(min)s以上の値を入力してください") % {"min": f"{self.min_value:,}"}
            )
        if abs(number) >= MONEY_MAX:
            raise forms.ValidationError(gettext("値が大きすぎます"))
        if number == number.to_integral_value():
            return int(number)
        return str(number.normalize())


class MoneyField(NumberField):
    def __init__(self, **kwargs):
        super().__init__(integer=True, min_value=0, **kwargs)


class WarekiDateField(forms.CharField):
    """A date in 西暦 (2025-04-01, 2025年4月1日) or 和暦 (令和7年4月1日, R7.4.1); stored as
    an ISO date string."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["autocomplete"] = "off"
        return attrs

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        try:
            return parse_date(value).isoformat()
        except WarekiError as exc:
            raise forms.ValidationError(str(exc)) from None


def _choices(spec: dict) -> list[tuple[str, str]]:
    return [
        (str(c.get("value")), pick_text(c) or str(c.get("value"))) for c in spec.get("choices", [])
    ]


def condition_holds(spec: dict, answers: dict, specs_by_name: dict[str, dict]) -> bool:
    """Whether a field is shown for these answers. A field that depends on a hidden field is
    hidden too (so a chain of conditions collapses as a whole)."""
    seen = set()
    while True:
        cond = spec.get("show_when")
        if not cond:
            return True
        name = cond.get("field")
        if answers.get(name) != cond.get("equals") or name in seen:
            return False
        seen.add(name)
        parent = specs_by_name.get(name)
        if parent is None:
            return True
        spec = parent


def visible_specs(form_version, answers: dict) -> list[dict]:
    specs = list(form_version.fields or [])
    by_name = {s["name"]: s for s in specs}
    return [s for s in specs if condition_holds(s, answers, by_name)]


def _is_blank(value) -> bool:
    return value in (None, "", [], False)


def missing_labels(form_version, answers: dict) -> list[str]:
    """Labels (active language) of required, shown fields with no answer — what the
    applicant must still fill in before submitting."""
    answers = answers or {}
    return [
        pick_text(s.get("label")) or s["name"]
        for s in visible_specs(form_version, answers)
        if s.get("required") and _is_blank(answers.get(s["name"]))
    ]


def _condition_text(spec: dict, by_name: dict[str, dict]) -> str:
    cond = spec.get("show_when")
    if not cond:
        return ""
    parent = by_name.get(cond.get("field"), {})
    parent_label = pick_text(parent.get("label")) or cond.get("field", "")
    equals = cond.get("equals")
    shown = next(
        (pick_text(c) for c in parent.get("choices", []) if c.get("value") == equals), None
    )
    if shown is None:
        shown = (
            gettext("はい") if equals is True else gettext("いいえ") if equals is False else equals
        )
    return gettext("「%(field)s」が「%(value)s」の場合に入力します。") % {
        "field": parent_label,
        "value": shown,
    }


class DescribedMixin:
    """Points each control at its help text and error message (aria-describedby) and marks
    invalid controls, so screen readers announce both. Templates use the same ids:
    `<auto_id>-help` and `<auto_id>-error`."""

    def _describe(self):
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text or getattr(field, "condition_text", ""):
                ids.append(f"{bound.auto_id}-help")
            if self.is_bound and hasattr(self, "_errors") and self._errors and bound.errors:
                ids.append(f"{bound.auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def full_clean(self):
        super().full_clean()
        self._describe()


class DynamicForm(DescribedMixin, forms.Form):
    """The application form for one FormVersion.

    `require=False` (save as draft) checks types only; `require=True` (submit) also checks
    that every shown required field is answered. `documents` are the application's uploaded
    documents, offered for `file` fields."""

    def __init__(
        self,
        data=None,
        *,
        form_version,
        answers: dict | None = None,
        require: bool = False,
        documents=(),
        prefix: str | None = "f",
    ):
        self.form_version = form_version
        self.require = require
        self.specs = [s for s in (form_version.fields or []) if s.get("type") in TYPES]
        self.specs_by_name = {s["name"]: s for s in self.specs}
        initial = self._initial(answers or {})
        super().__init__(data=data, initial=initial, prefix=prefix)
        self._documents = list(documents)
        for spec in self.specs:
            field = self._make_field(spec)
            field.spec = spec
            field.condition_text = _condition_text(spec, self.specs_by_name)
            field.show_required = bool(spec.get("required"))
            self.fields[spec["name"]] = field
        self._describe()

    def _initial(self, answers: dict) -> dict:
        initial = {}
        for spec in self.specs:
            value = answers.get(spec["name"])
            if value is None:
                continue
            if spec.get("type") == "multi":
                initial[spec["name"]] = [str(v) for v in value] if isinstance(value, list) else []
            elif spec.get("type") in ("number", "money") and isinstance(value, int):
                initial[spec["name"]] = f"{value:,}" if spec.get("type") == "money" else value
            else:
                initial[spec["name"]] = value
        return initial

    def _make_field(self, spec: dict) -> forms.Field:
        kind = spec.get("type")
        common = {
            "label": pick_text(spec.get("label")) or spec["name"],
            "help_text": pick_text(spec.get("help")),
            # Required-ness is checked in clean(), after the show_when conditions are known.
            "required": False,
        }
        if kind == "text":
            return forms.CharField(max_length=TEXT_MAX, **common)
        if kind == "textarea":
            return forms.CharField(
                max_length=TEXTAREA_MAX, widget=forms.Textarea(attrs={"rows": 6}), **common
            )
        if kind == "number":
            return NumberField(**common)
        if kind == "money":
            return MoneyField(**common)
        if kind == "date":
            return WarekiDateField(**common)
        if kind == "choice":
            choices = _choices(spec)
            widget = forms.RadioSelect if len(choices) <= 6 else forms.Select
            if widget is forms.Select:
                choices = [("", gettext("選択してください"))] + choices
            return forms.ChoiceField(choices=choices, widget=widget, **common)
        if kind == "multi":
            return forms.MultipleChoiceField(
                choices=_choices(spec), widget=forms.CheckboxSelectMultiple, **common
            )
        if kind == "bool":
            return forms.BooleanField(**common)
        # file: one of the documents already uploaded to this application
        choices = [("", gettext("選択してください"))] + [
            (str(d.pk), d.original_name) for d in self._documents
        ]
        if not self._documents:
            common["help_text"] = " ".join(
                t
                for t in (
                    common["help_text"],
                    gettext("先に「提出書類」から書類をアップロードしてください。"),
                )
                if t
            )
        return forms.ChoiceField(choices=choices, **common)

    def clean(self):
        cleaned = super().clean()
        answers = self._answers_from(cleaned)
        shown = {s["name"] for s in visible_specs(self.form_version, answers)}
        for spec in self.specs:
            name = spec["name"]
            if name not in shown:
                # Hidden by its condition: never required, never stored, errors dropped.
                self.errors.pop(name, None)
                cleaned.pop(name, None)
                continue
            missing = spec.get("required") and _is_blank(answers.get(name))
            if self.require and missing and name not in self.errors:
                message = (
                    gettext("確認のうえチェックしてください")
                    if spec.get("type") == "bool"
                    else gettext("入力してください")
                )
                self.add_error(name, message)
        self._shown = shown
        return cleaned

    def _answers_from(self, cleaned: dict) -> dict:
        answers = {}
        for spec in self.specs:
            name = spec["name"]
            if name not in cleaned:
                continue
            value = cleaned[name]
            kind = spec.get("type")
            if kind == "bool":
                value = bool(value)
            elif kind == "multi":
                value = list(value or [])
            elif kind == "file":
                value = int(value) if value else None
            elif isinstance(value, str):
                value = value.strip()
            answers[name] = value
        return answers

    def answers(self) -> dict:
        """The answers to store: shown fields only, blanks kept out (only after is_valid())."""
        answers = self._answers_from(self.cleaned_data)
        return {
            name: value
            for name, value in answers.items()
            if name in self._shown and value not in (None, "", [])
        }


# --- costs -------------------------------------------------------------------------------


def cost_type_choices(detail) -> list[tuple[str, str]]:
    types = (detail.eligible_cost_types if detail else None) or []
    out = []
    for t in types:
        if isinstance(t, str):
            out.append((t, t))
        else:
            out.append((str(t.get("code")), pick_text(t) or str(t.get("code"))))
    return out


class CostLineForm(DescribedMixin, forms.Form):
    """One line of costs. A fully empty line is ignored (that is how a line is removed
    without JavaScript); a partly filled one must give the type and the amount.

    A cost type's `max_yen` caps what the program pays for it, not what was spent, so the
    line takes the real amount; the cap belongs to the money calculation."""

    type = forms.ChoiceField(label=_("経費の区分"), required=False, choices=())
    description = forms.CharField(label=_("内容"), max_length=300, required=False)
    amount = MoneyField(label=_("金額（円）"), required=False)

    def __init__(self, *args, cost_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", gettext("選択してください")), *cost_types]
        self._describe()

    def clean(self):
        cleaned = super().clean()
        typed = cleaned.get("type")
        amount = cleaned.get("amount")
        description = (cleaned.get("description") or "").strip()
        if not typed and amount is None and not description:
            cleaned["empty"] = True
            return cleaned
        if not typed and "type" not in self.errors:
            self.add_error("type", gettext("経費の区分を選んでください"))
        if amount is None and "amount" not in self.errors:
            self.add_error("amount", gettext("金額を入力してください"))
        return cleaned

    def line(self) -> dict | None:
        if self.cleaned_data.get("empty"):
            return None
        return {
            "type": self.cleaned_data["type"],
            "description": (self.cleaned_data.get("description") or "").strip(),
            "amount": self.cleaned_data["amount"],
        }


_BaseCostFormSet = forms.formset_factory(CostLineForm, extra=3, max_num=50, absolute_max=60)


class CostFormSet(_BaseCostFormSet):
    def __init__(self, data=None, *, detail, lines=None, prefix="costs"):
        self.cost_types = cost_type_choices(detail)
        initial = [
            {
                "type": line.get("type", ""),
                "description": line.get("description", ""),
                "amount": f"{int(line.get('amount') or 0):,}",
            }
            for line in (lines or [])
        ]
        super().__init__(data=data, initial=initial, prefix=prefix)

    def get_form_kwargs(self, index):
        return {"cost_types": self.cost_types}

    def lines(self) -> list[dict]:
        """The non-empty lines (only after is_valid())."""
        out = []
        for form in self.forms:
            if not getattr(form, "cleaned_data", None):
                continue
            line = form.line()
            if line is not None:
                out.append(line)
        return out

    def total(self) -> int:
        return sum(line["amount"] for line in self.lines())


def type_label(detail, code: str) -> str:
    return dict(cost_type_choices(detail)).get(code, code)


def display_answers(form_version, answers: dict, documents=()) -> list[tuple[str, str]]:
    """(label, text) for each shown field, in the active language, for read-only pages."""
    answers = answers or {}
    docs = {d.pk: d.original_name for d in documents}
    rows = []
    for spec in visible_specs(form_version, answers):
        if spec.get("type") not in TYPES:
            continue
        value = answers.get(spec["name"])
        kind = spec.get("type")
        choices = dict(_choices(spec))
        if value in (None, "", []):
            text = gettext("（未入力）")
        elif kind == "bool":
            text = gettext("はい") if value else gettext("いいえ")
        elif kind == "choice":
            text = choices.get(str(value), str(value))
        elif kind == "multi":
            text = "、".join(choices.get(str(v), str(v)) for v in value)
        elif kind == "money":
            text = gettext("%(n)s円") % {"n": f"{int(value):,}"}
        elif kind == "file":
            text = docs.get(value, gettext("（削除された書類）"))
        else:
            text = str(value)
        rows.append((pick_text(spec.get("label")) or spec["name"], text))
    return rows


class ReportForm(DescribedMixin, forms.Form):
    """The result report (実績報告): what was done, beside the costs actually spent."""

    text = forms.CharField(
        label=_("実施した内容と成果"),
        max_length=TEXTAREA_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("補助事業で実施した内容、得られた成果を記入してください。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].show_required = True
        self._describe()

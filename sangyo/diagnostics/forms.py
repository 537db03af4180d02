"""Input forms: the ロカベン table (columns = periods, rows = figures) and the 事業承継 check.

Numbers accept thousands separators, full-width digits, a trailing 円 and the Japanese
negative marks ▲/△; period-end dates accept 西暦 or 和暦 (sangyo.core.wareki.parse_date)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangyo.core.wareki import WarekiError, parse_date

from . import locaben, succession
from .services import NOTE_FIELDS

PERIODS = 3
NOTE_LABELS = {
    "note_owner": gettext_lazy("経営者"),
    "note_business": gettext_lazy("事業"),
    "note_environment": gettext_lazy("企業を取り巻く環境・関係者"),
    "note_internal": gettext_lazy("内部管理体制"),
    "note_flow": gettext_lazy("商流・業務フロー"),
}
NOTE_HELP = {
    "note_owner": gettext_lazy("経営理念・ビジョン、経営意欲、後継者の有無など"),
    "note_business": gettext_lazy("企業及び事業沿革、技術力・販売力の強み・弱み、ITの活用など"),
    "note_environment": gettext_lazy("市場動向・規模・シェア、競合他社との比較、顧客・取引先など"),
    "note_internal": gettext_lazy("組織体制、経営目標の共有、人材育成の取組など"),
    "note_flow": gettext_lazy("仕入先から顧客までの商流と、業務の流れ・強み"),
}
_NEGATIVE = re.compile(r"^[▲△-]")


def parse_number(text: str) -> Decimal:
    """'1,234,567' / '１２３４５６７円' / '▲500' / '-0.5' → Decimal; ValueError otherwise."""
    s = unicodedata.normalize("NFKC", text or "")
    s = re.sub(r"[\s,、円人]", "", s).replace("−", "-").replace("ー", "-")
    negative = bool(_NEGATIVE.match(s))
    if negative:
        s = s[1:]
    if not re.fullmatch(r"\d+(\.\d+)?", s):
        raise ValueError(s)
    try:
        value = Decimal(s)
    except InvalidOperation as e:
        raise ValueError(s) from e
    return -value if negative else value


def _text(**attrs):
    return forms.TextInput(attrs={"autocomplete": "off", **attrs})


class LocabenForm(forms.Form):
    """Fields p{n}_end and p{n}_{figure} for n = 1..3, plus the notes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, PERIODS + 1):
            self.fields[f"p{n}_end"] = forms.CharField(
                label=_("第%(n)s期 決算期末日") % {"n": n},
                required=False,
                widget=_text(),
            )
            for key, label, _unit in locaben.FIGURES:
                self.fields[f"p{n}_{key}"] = forms.CharField(
                    label=_("第%(n)s期 %(label)s") % {"n": n, "label": label},
                    required=False,
                    widget=_text(inputmode="decimal"),
                )
        for name in NOTE_FIELDS:
            self.fields[name] = forms.CharField(
                label=NOTE_LABELS[name],
                help_text=NOTE_HELP[name],
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    # For the template: one row per figure, one cell per period.
    def end_row(self):
        return [self[f"p{n}_end"] for n in range(1, PERIODS + 1)]

    def figure_rows(self):
        return [
            {
                "label": label,
                "unit": unit,
                "cells": [self[f"p{n}_{key}"] for n in range(1, PERIODS + 1)],
            }
            for key, label, unit in locaben.FIGURES
        ]

    def note_fields(self):
        return [self[name] for name in NOTE_FIELDS]

    def clean(self):
        data = super().clean()
        periods = []
        for n in range(1, PERIODS + 1):
            raw_end = (data.get(f"p{n}_end") or "").strip()
            figures = {}
            for key in locaben.FIGURE_KEYS:
                raw = (data.get(f"p{n}_{key}") or "").strip()
                if not raw:
                    continue
                try:
                    figures[key] = parse_number(raw)
                except ValueError:
                    self.add_error(
                        f"p{n}_{key}",
                        _("数値として読み取れません（例：12,345,000、▲500）。"),
                    )
            if not raw_end and not figures:
                continue  # an empty column is not a period
            if not raw_end:
                self.add_error(f"p{n}_end", _("決算期末日を入力してください。"))
                continue
            try:
                end = parse_date(raw_end)
            except WarekiError as e:
                self.add_error(f"p{n}_end", str(e))
                continue
            periods.append({"end": end, "figures": figures, "n": n})
        ends = [p["end"] for p in periods]
        if len(set(ends)) != len(ends):
            raise forms.ValidationError(_("同じ決算期末日が2回入力されています。"))
        if not self.errors and not 2 <= len(periods) <= 3:
            raise forms.ValidationError(_("2期または3期分の決算を入力してください。"))
        data["periods"] = [{"end": p["end"], "figures": p["figures"]} for p in periods]
        data["notes"] = {name: data.get(name, "") for name in NOTE_FIELDS}
        return data


YES_NO = [("yes", gettext_lazy("はい")), ("no", gettext_lazy("いいえ"))]


class SuccessionForm(forms.Form):
    owner_age = forms.IntegerField(
        label=gettext_lazy("経営者の年齢"),
        min_value=15,
        max_value=120,
        required=False,
        help_text=gettext_lazy("わからない場合は空欄のままにしてください。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, question in succession.QUESTIONS:
            self.fields[key] = forms.ChoiceField(
                label=question, choices=YES_NO, widget=forms.RadioSelect
            )
        self.fields["note_owner"] = forms.CharField(
            label=gettext_lazy("メモ"), required=False, widget=forms.Textarea(attrs={"rows": 3})
        )

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            "owner_age": data.get("owner_age"),
            **{key: data.get(key) == "yes" for key in succession.QUESTION_KEYS},
        }

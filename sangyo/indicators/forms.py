"""Staff forms for indicators: one observation, a target revision, a new measure-level
indicator (with its computed definition), and the two imports.

Numbers may be typed with thousands separators or full-width digits, dates in 西暦 or 和暦;
the forms turn them into Decimal and date so the services see clean values."""

from __future__ import annotations

import datetime
import unicodedata
from decimal import Decimal
from pathlib import PurePath

from django import forms
from django.apps import apps
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sangyo.core.fiscal import fiscal_year_label_both
from sangyo.core.uploads import validate_upload
from sangyo.core.wareki import WarekiError, parse_date

from .computed import computations
from .imports import (
    fiscal_year_bounds,
    parse_cat_filters,
    parse_fiscal_year,
    parse_number,
    value_problem,
)
from .models import Indicator, Observation

SUPPORT_RECORDS = "registry.support_records"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")


def _measure_choice_label(measure) -> str:
    return gettext("施策%(number)s %(name)s") % {"number": measure.number, "name": measure.name_ja}


class JapaneseDateField(forms.CharField):
    """A date typed as 2025-04-01, 2025年4月1日, 令和7年4月1日 or R7.4.1."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_date(value)
        except WarekiError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


class NumberField(forms.CharField):
    """A number typed as 14383, 14,383 or １４，３８３ (text input, so no browser rounding)."""

    MAX_CHARS = 40

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        number = parse_number(value) if len(value) <= self.MAX_CHARS else None
        if number is None:
            raise forms.ValidationError(
                _("数値を入力してください（例: 14383、14,383）"), code="invalid"
            )
        if problem := value_problem(number):
            raise forms.ValidationError(problem, code="invalid")
        return number


def fiscal_year_choices(strategy, *, blank: str | None = None) -> list[tuple[str, str]]:
    """Years of the plan period ±10, labelled 令和7年度（2025年度）."""
    low, high = fiscal_year_bounds(strategy)
    choices = [(str(fy), fiscal_year_label_both(fy)) for fy in range(low, high + 1)]
    return ([("", blank)] if blank is not None else []) + choices


def _default_fy(strategy) -> int:
    from sangyo.core.fiscal import fiscal_year

    low, high = fiscal_year_bounds(strategy)
    return min(max(fiscal_year(datetime.date.today()), low), high)


class ObservationForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label=_("対象年度"), coerce=int)
    value = NumberField(label=_("値"))
    status = forms.ChoiceField(
        label=_("確報・速報"),
        choices=Observation.Status.choices,
        initial=Observation.Status.FINAL,
        widget=forms.RadioSelect,
    )
    source = forms.CharField(label=_("出典"), max_length=300, required=False)
    published_on = JapaneseDateField(
        label=_("公表日"),
        required=False,
        help_text=_("西暦または和暦で入力（例: 2025-06-30、令和7年6月30日、R7.6.30）"),
    )
    note = forms.CharField(label=_("注記"), max_length=300, required=False)

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = fiscal_year_choices(strategy)
        self.fields["fiscal_year"].initial = str(_default_fy(strategy))

    def to_input(self):
        from .services import ObservationInput

        d = self.cleaned_data
        return ObservationInput(
            fiscal_year=d["fiscal_year"],
            value=d["value"],
            status=d["status"],
            source=d["source"].strip(),
            published_on=d["published_on"],
            note=d["note"].strip(),
        )


class TargetRevisionForm(forms.Form):
    baseline_value = NumberField(label=_("基準値"))
    baseline_fy = forms.TypedChoiceField(
        label=_("基準年度"), coerce=int, empty_value=None, required=False
    )
    baseline_fy_not_stated = forms.BooleanField(
        label=_("基準年度は記載なし"),
        required=False,
        help_text=_("計画に基準値の年度が書かれていない場合に選びます"),
    )
    target_value = NumberField(label=_("目標値"))
    target_fy = forms.TypedChoiceField(label=_("目標年度"), coerce=int)
    decided_on = JapaneseDateField(
        label=_("決定日"), help_text=_("西暦または和暦で入力（例: 2025-04-01、令和7年4月1日）")
    )
    reason = forms.CharField(label=_("改定の理由"), widget=forms.Textarea(attrs={"rows": 3}))
    approved_by = forms.CharField(
        label=_("承認者"),
        max_length=200,
        help_text=_("改定を決定した会議・役職など（例: 産業振興審議会、経済部長）"),
    )

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        self.fields["baseline_fy"].choices = fiscal_year_choices(
            strategy, blank=_("選択してください")
        )
        self.fields["target_fy"].choices = fiscal_year_choices(strategy)
        self.fields["target_fy"].initial = str(strategy.end_fy)
        self.fields["decided_on"].initial = datetime.date.today().isoformat()

    def clean(self):
        data = super().clean()
        not_stated = data.get("baseline_fy_not_stated")
        baseline_fy = data.get("baseline_fy")
        if not_stated and baseline_fy is not None:
            self.add_error(
                "baseline_fy",
                _("基準年度を選ぶか「記載なし」にするか、どちらか一方にしてください"),
            )
        elif not not_stated and baseline_fy is None and "baseline_fy" not in self.errors:
            self.add_error(
                "baseline_fy", _("基準年度を選ぶか、「基準年度は記載なし」を選んでください")
            )
        if not_stated:
            data["baseline_fy"] = None
        return data

    def target_values(self) -> dict:
        d = self.cleaned_data
        return {
            "baseline_value": d["baseline_value"],
            "baseline_fy": d["baseline_fy"],
            "target_value": d["target_value"],
            "target_fy": d["target_fy"],
            "decided_on": d["decided_on"],
            "reason": d["reason"],
            "approved_by": d["approved_by"],
        }


def _support_record_kinds() -> list[tuple[str, str]]:
    # The kinds belong to the registry, an app beside this one: read them through the app
    # registry so that indicators does not import registry (which registers the computation).
    try:
        model = apps.get_model("registry", "SupportRecord")
    except LookupError:
        return []
    return list(model.Kind.choices)


class IndicatorForm(TargetRevisionForm):
    """A measure-level indicator and its initial baseline and target."""

    measure = forms.ModelChoiceField(
        label=_("施策"), queryset=None, empty_label=_("選択してください")
    )
    level = forms.ChoiceField(
        label=_("区分"),
        choices=[
            (Indicator.Level.MEASURE_OUTPUT, Indicator.Level.MEASURE_OUTPUT.label),
            (Indicator.Level.MEASURE_OUTCOME, Indicator.Level.MEASURE_OUTCOME.label),
        ],
        widget=forms.RadioSelect,
        initial=Indicator.Level.MEASURE_OUTPUT,
    )
    code = forms.SlugField(
        label=_("指標コード"),
        max_length=60,
        error_messages={
            "invalid": _("半角の英数字・ハイフン・アンダースコアだけで入力してください")
        },
        help_text=_(
            "半角英数字とハイフン。取込ファイルの indicator_code 列に使います（例: m06-consultations）"
        ),
    )
    name_ja = forms.CharField(label=_("指標名"), max_length=300)
    name_en = forms.CharField(label=_("指標名（英語）"), max_length=300, required=False)
    unit_ja = forms.CharField(label=_("単位"), max_length=50, help_text=_("例: 件、人、社"))
    unit_en = forms.CharField(label=_("単位（英語）"), max_length=50, required=False)
    kind = forms.ChoiceField(
        label=_("種類"),
        choices=Indicator.Kind.choices,
        widget=forms.RadioSelect,
        initial=Indicator.Kind.FLOW,
    )
    direction = forms.ChoiceField(
        label=_("望ましい方向"),
        choices=Indicator.Direction.choices,
        widget=forms.RadioSelect,
        initial=Indicator.Direction.INCREASE,
    )
    tolerance_pct = NumberField(
        label=_("維持の許容幅（%）"),
        initial="10",
        help_text=_("「維持」の指標で、基準値からこの割合以内なら維持とみなします"),
    )
    method = forms.ChoiceField(
        label=_("達成率の算定方法"),
        choices=Indicator.Method.choices,
        widget=forms.RadioSelect,
        initial=Indicator.Method.RATIO,
    )
    path = forms.ChoiceField(
        label=_("目標への経路"),
        choices=Indicator.PathKind.choices,
        widget=forms.RadioSelect,
        initial=Indicator.PathKind.LINEAR,
    )
    steps = forms.CharField(
        label=_("中間目標"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("「段階」のとき、1行に1年度ずつ「年度=値」で入力（例: 2026=15000）"),
    )
    source_ja = forms.CharField(label=_("データ出典"), max_length=300, required=False)
    obtained = forms.ChoiceField(
        label=_("取得方法"),
        choices=Indicator.Obtained.choices,
        widget=forms.RadioSelect,
        initial=Indicator.Obtained.ENTERED,
    )
    computation = forms.ChoiceField(
        label=_("集計定義"),
        required=False,
        help_text=_("取得方法が「自動集計」のときに選びます"),
    )
    comp_measures = forms.MultipleChoiceField(
        label=_("集計する施策"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("選ばなければすべての施策"),
    )
    comp_programs = forms.MultipleChoiceField(
        label=_("集計する事業"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("選ばなければすべての事業"),
    )
    comp_kinds = forms.MultipleChoiceField(
        label=_("集計する支援の種類"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("選ばなければすべての種類"),
    )
    comp_distinct = forms.BooleanField(
        label=_("事業者の数を数える（同じ事業者は年度ごとに1と数える）"), required=False
    )

    field_order = [
        "measure", "level", "code", "name_ja", "name_en", "unit_ja", "unit_en", "kind",
        "direction", "tolerance_pct", "method", "path", "steps", "source_ja", "obtained",
        "computation", "comp_measures", "comp_programs", "comp_kinds", "comp_distinct",
    ]  # fmt: skip

    INDICATOR_FIELDS = (
        "measure", "level", "code", "name_ja", "name_en", "unit_ja", "unit_en", "kind",
        "direction", "tolerance_pct", "method", "path", "source_ja", "obtained",
    )  # fmt: skip
    COMPUTED_FIELDS = (
        "computation",
        "comp_measures",
        "comp_programs",
        "comp_kinds",
        "comp_distinct",
    )

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, strategy=strategy, **kwargs)
        from sangyo.strategy.models import Measure, Program

        measures = Measure.objects.filter(strategy=strategy).order_by("number")
        self.fields["measure"].queryset = measures
        self.fields["measure"].label_from_instance = lambda m: _measure_choice_label(m)
        self.fields["comp_measures"].choices = [
            (m.number, _measure_choice_label(m)) for m in measures
        ]
        self.fields["comp_programs"].choices = [
            (p.code, f"{p.code} {p.name_ja}")
            for p in Program.objects.filter(measure__strategy=strategy).order_by(
                "measure__number", "order"
            )
        ]
        self.fields["comp_kinds"].choices = _support_record_kinds()
        self.fields["computation"].choices = [("", _("選択してください"))] + [
            (c.code, c.label_ja) for c in computations()
        ]
        self.fields["reason"].initial = _("指標の新設に伴う当初の基準値・目標値")

    def clean_steps(self):
        text = self.cleaned_data.get("steps", "")
        steps: dict[str, str] = {}
        low, high = fiscal_year_bounds(self.strategy)
        for n, line in enumerate(text.splitlines(), 1):
            line = unicodedata.normalize("NFKC", line).strip()
            if not line:
                continue
            year_text, sep, value_text = line.replace(":", "=").partition("=")
            fy = parse_fiscal_year(year_text) if sep else None
            value = parse_number(value_text) if sep else None
            if fy is None or value is None or not low <= fy <= high:
                raise forms.ValidationError(
                    _("%(n)s行目「%(line)s」を「年度=値」として読めません（例: 2026=15000）"),
                    params={"n": n, "line": line},
                )
            steps[str(fy)] = str(value)
        return steps

    def clean(self):
        data = super().clean()
        if data.get("path") == Indicator.PathKind.STEPPED and not data.get("steps"):
            self.add_error("steps", _("「段階」の経路には中間目標を1つ以上入力してください"))
        if data.get("obtained") == Indicator.Obtained.COMPUTED and not data.get("computation"):
            self.add_error("computation", _("自動集計の指標には集計定義を選んでください"))
        return data

    def computation_params(self) -> dict:
        d = self.cleaned_data
        if d.get("computation") != SUPPORT_RECORDS:
            return {}
        params: dict = {}
        for key, name in (
            ("measures", "comp_measures"),
            ("programs", "comp_programs"),
            ("kinds", "comp_kinds"),
        ):
            if d.get(name):
                params[key] = list(d[name])
        if d.get("comp_distinct"):
            params["distinct_businesses"] = True
        return params

    def indicator_values(self) -> dict:
        d = self.cleaned_data
        values = {f: d[f] for f in self.INDICATOR_FIELDS}
        values["tolerance_pct"] = values["tolerance_pct"] or Decimal("10")
        values["steps"] = d["steps"] if d["path"] == Indicator.PathKind.STEPPED else {}
        if d["obtained"] == Indicator.Obtained.COMPUTED:
            values["computation"] = d["computation"]
            values["computation_params"] = self.computation_params()
        return values


def _check_upload(upload, suffixes) -> None:
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            _("ファイルが大きすぎます（上限 %(mb)s MB）"),
            params={"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
    if PurePath(upload.name).suffix.lower() not in suffixes:
        raise forms.ValidationError(
            _("%(suffixes)s のファイルを選んでください"), params={"suffixes": "・".join(suffixes)}
        )
    validate_upload(upload, kind="indicator_import", extensions=suffixes)


class ObservationImportForm(forms.Form):
    file = forms.FileField(
        label=_("取込ファイル（CSV または Excel）"),
        help_text=_("CSV（UTF-8・BOM付きUTF-8・Shift_JIS）または Excel（.xlsx）。1行目は見出し"),
    )
    dry_run = forms.BooleanField(
        label=_("確認のみ（書き込まずに変更内容を表示する）"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        _check_upload(upload, TABLE_SUFFIXES)
        return upload


class EstatImportForm(forms.Form):
    file = forms.FileField(
        label=_("e-Stat の JSON ファイル"),
        help_text=_("e-Stat API（getStatsData、JSON形式）の応答を保存したファイル"),
    )
    indicator = forms.ModelChoiceField(
        label=_("取り込む指標"), queryset=None, empty_label=_("選択してください")
    )
    area_code = forms.RegexField(
        label=_("地域コード"),
        regex=r"^\s*\d{5,6}\s*$",
        help_text=_("e-Stat の地域コード（5桁の全国地方公共団体コード。例: 08220）"),
        error_messages={"invalid": _("5桁の数字で入力してください")},
    )
    year_type = forms.ChoiceField(
        label=_("統計の期間"),
        choices=[("fiscal", _("年度の統計")), ("calendar", _("暦年の統計（注記に暦年と記録）"))],
        widget=forms.RadioSelect,
        initial="fiscal",
        help_text=_("時間軸コードの先頭4桁を年として、その年度の値にします"),
    )
    cat_filters = forms.CharField(
        label=_("分類の条件（任意）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("1行に1つ「分類=コード」で入力（例: cat01=001、tab=020）"),
    )

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = (
            Indicator.objects.filter(strategy=strategy)
            .exclude(obtained=Indicator.Obtained.COMPUTED)
            .order_by("level", "order", "code")
        )
        self.fields["indicator"].label_from_instance = lambda i: f"{i.code} {i.name_ja}"
        self.fields["area_code"].initial = strategy.municipality_code[:5]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        _check_upload(upload, (".json", ".txt"))
        return upload

    def clean_area_code(self):
        return self.cleaned_data["area_code"].strip()[:5]

    def clean_cat_filters(self):
        filters, problems = parse_cat_filters(self.cleaned_data.get("cat_filters", ""))
        if problems:
            raise forms.ValidationError(problems)
        return filters

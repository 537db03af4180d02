"""Forms of the staff and reviewer screens. They parse and check input; the services in
`reviews.py` and `services.py` decide."""

from __future__ import annotations

import unicodedata

from django import forms
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from sangyo.core.fiscal import fiscal_year

from .models import FormVersion, Review
from .reviews import criterion_label, reviewer_choices, validate_scores
from .staff_policies import STAGES

# Actions whose reason is part of the decision or tells the applicant what to do.
NOTE_REQUIRED = frozenset({"return", "reject", "adopt", "certify", "issue"})


class DescribedMixin:
    """Link each control to its help and error text (aria-describedby, aria-invalid)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._describe()

    def full_clean(self):
        super().full_clean()
        self._describe()

    def _describe(self):
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            if self.is_bound and hasattr(self, "_errors") and self._errors and name in self._errors:
                ids.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
            else:
                field.widget.attrs.pop("aria-describedby", None)


class YenField(forms.CharField):
    """Whole yen; accepts 1,234,000 / １２３４０００ / 1234000円."""

    default_error_messages = {"invalid": _("金額は0以上の整数（円）で入力してください")}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        text = unicodedata.normalize("NFKC", str(value)).replace(",", "").replace("円", "").strip()
        if not text.isdigit():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)

    def prepare_value(self, value):
        return f"{value:,}" if isinstance(value, int) else value


def _datetime_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ProgramChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        detail = getattr(obj, "detail", None)
        name = obj.t("name")
        title = detail.t("title") if detail else ""
        number = obj.measure.number
        label = f"{gettext('施策%(number)s') % {'number': number}} {name}"
        return f"{label}（{title}）" if title and title != name else label


class CallForm(DescribedMixin, forms.Form):
    program = ProgramChoiceField(
        label=_("事業"),
        queryset=None,
        help_text=_("申請の仕組み（制度の詳細）が設定されている事業だけを選べます。"),
    )
    title_ja = forms.CharField(label=_("募集名"), max_length=200)
    title_en = forms.CharField(label=_("募集名（英語）"), max_length=200, required=False)
    fiscal_year = forms.IntegerField(
        label=_("年度（西暦）"),
        min_value=2000,
        max_value=2100,
        help_text=_("年度の始まる年を西暦で入力します（令和7年度 → 2025）。"),
    )
    opens_at = forms.DateTimeField(label=_("受付開始"), widget=_datetime_input())
    closes_at = forms.DateTimeField(label=_("受付締切"), widget=_datetime_input())
    budget_yen = YenField(
        label=_("予算額（円）"),
        required=False,
        help_text=_(
            "交付決定の合計はこの額を超えられません。空欄は予算額の未設定（上限なし）です。"
        ),
    )
    form = forms.ModelChoiceField(
        label=_("申請フォーム（版）"),
        queryset=FormVersion.objects.order_by("code", "-version"),
        help_text=_("申請はその時点の版に回答し、その版が申請ごとに記録されます。"),
    )

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        if not self.is_bound and "fiscal_year" not in self.initial:
            self.initial["fiscal_year"] = fiscal_year(timezone.now())

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("受付締切は受付開始より後にしてください。"))
        return data


class AssignReviewerForm(DescribedMixin, forms.Form):
    reviewer = forms.ModelChoiceField(label=_("審査員"), queryset=None)
    stage = forms.ChoiceField(
        label=_("審査の種類"),
        choices=[(s, label) for s, label in Review.Stage.choices if s in STAGES],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewer_choices()


class TransitionForm(DescribedMixin, forms.Form):
    """One allowed workflow step; the fields depend on what the step records."""

    def __init__(self, *args, transition, application, remaining_yen=None, **kwargs):
        kwargs.setdefault("prefix", transition.action)
        super().__init__(*args, **kwargs)
        self.transition = transition
        action = transition.action
        required = action in NOTE_REQUIRED
        self.fields["note"] = forms.CharField(
            label=_("理由・連絡事項") if required else _("メモ（任意）"),
            required=required,
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("申請の経過に記録され、申請者にも表示されます。"),
        )
        if action == "decide_grant":
            help_text = (
                _("募集の予算残額: %(left)s円") % {"left": f"{remaining_yen:,}"}
                if remaining_yen is not None
                else _("この募集には予算額が設定されていません。")
            )
            self.fields["decided_yen"] = YenField(
                label=_("交付決定額（円）"), initial=application.requested_yen, help_text=help_text
            )
        elif action == "fix_amount":
            self.fields["fixed_yen"] = YenField(
                label=_("確定額（円）"),
                initial=application.decided_yen,
                help_text=_("交付決定額（%(decided)s円）以下で入力します。")
                % {"decided": f"{application.decided_yen or 0:,}"},
            )
        elif action == "pay":
            self.fields["paid_on"] = forms.DateField(
                label=_("支払日"),
                initial=timezone.localdate,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )


class CoiForm(DescribedMixin, forms.Form):
    conflict_declared = forms.BooleanField(
        label=_("この申請者と利害関係があります（審査を辞退します）"), required=False
    )
    conflict_note = forms.CharField(
        label=_("利害関係の内容"),
        required=False,
        max_length=300,
        help_text=_(
            "親族・役員・取引関係など。利害関係がある場合、この申請は採点せず辞退として記録されます。"
        ),
    )


class ReviewForm(DescribedMixin, forms.Form):
    """The rubric as fields `score_<code>`, then recommendation and comment. Ranges are
    checked by `reviews.validate_scores`, so the messages name each criterion."""

    recommendation = forms.ChoiceField(
        label=_("推薦"),
        choices=Review.Recommendation.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("所見"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, rubric: list[dict], submit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        self.submit = submit
        lang = (get_language() or "ja")[:2]
        fields = {}
        for item in rubric:
            label = criterion_label(item, lang)
            fields[f"score_{item['code']}"] = forms.IntegerField(
                label=_("%(label)s（0〜%(max)s点）") % {"label": label, "max": item["max"]},
                required=False,
                widget=forms.NumberInput(attrs={"min": 0, "max": item["max"], "step": 1}),
                error_messages={
                    "invalid": _("「%(label)s」は0〜%(max)s点の整数で入力してください")
                    % {"label": label, "max": item["max"]}
                },
            )
        # Criteria first, in the rubric's order.
        self.fields = {**fields, **self.fields}
        self._describe()

    def score_fields(self):
        return [self[f"score_{item['code']}"] for item in self.rubric]

    def clean(self):
        data = super().clean()
        raw = {
            item["code"]: data.get(f"score_{item['code']}")
            for item in self.rubric
            if f"score_{item['code']}" not in self._errors
        }
        clean, errors = validate_scores(
            self.rubric, {k: v for k, v in raw.items() if v is not None}, complete=self.submit
        )
        for code, message in errors.items():
            if f"score_{code}" not in self._errors:
                self.add_error(f"score_{code}", message)
        if self.submit and not data.get("recommendation"):
            self.add_error("recommendation", _("推薦を選んでください。"))
        data["scores"] = clean
        return data

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CommitteeMember, FollowUpStatus, Sheet, YearSetting
from .services import EDITABLE_FIELDS


class SheetForm(forms.ModelForm):
    improvements = forms.CharField(
        label=_("次年度に向けた改善内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("1行に1項目を書きます。"),
    )

    class Meta:
        model = Sheet
        fields = list(EDITABLE_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in EDITABLE_FIELDS
            if name.startswith("aim_") or name.endswith("_reason")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in Sheet.COST_FIELDS:
            self.fields[name].min_value = 0
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})
            self.fields[name].error_messages["min_value"] = _("0円以上で入力してください。")
        self.fields["staff_hours"].min_value = 0
        if self.instance.pk and not self.is_bound:
            self.initial["improvements"] = "\n".join(
                i.text for i in self.instance.improvements.all()
            )

    def clean(self):
        data = super().clean()
        for name in Sheet.COST_FIELDS:
            v = data.get(name)
            if v is not None and v < 0:
                self.add_error(name, _("0円以上で入力してください。"))
        h = data.get("staff_hours")
        if h is not None and h < 0:
            self.add_error("staff_hours", _("0時間以上で入力してください。"))
        for rating in ("relevance", "effectiveness", "efficiency"):
            if data.get(rating) and not (data.get(f"{rating}_reason") or "").strip():
                self.add_error(f"{rating}_reason", _("評価を選んだ場合は理由を書いてください。"))
        return data

    def improvement_lines(self) -> list[str]:
        return [t for t in self.cleaned_data.get("improvements", "").splitlines() if t.strip()]


class YearSettingForm(forms.ModelForm):
    class Meta:
        model = YearSetting
        fields = ["hourly_cost", "suppression_threshold"]


class MemberForm(forms.ModelForm):
    class Meta:
        model = CommitteeMember
        fields = ["name", "affiliation", "sector", "is_active", "order"]


class OpinionForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("委員"), queryset=CommitteeMember.objects.filter(is_active=True)
    )
    text = forms.CharField(label=_("意見"), widget=forms.Textarea(attrs={"rows": 5}))


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("訂正の理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("公表済みの版はそのまま残り、理由とともに新しい版が作られます。"),
    )


class FollowUpForm(forms.Form):
    def __init__(self, *args, follow_ups, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = []
        for n, (improvement, row) in enumerate(follow_ups, start=1):
            status = f"status_{improvement.pk}"
            note = f"note_{improvement.pk}"
            self.fields[status] = forms.ChoiceField(
                label=_("%(n)s. 対応状況") % {"n": n},
                choices=[("", "—")] + list(FollowUpStatus.choices),
                required=False,
                initial=row.status if row else "",
            )
            self.fields[note] = forms.CharField(
                label=_("%(n)s. 対応の内容") % {"n": n},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=row.note if row else "",
            )
            self.items.append((improvement, self[status], self[note]))


class ReportForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label=_("年度"), coerce=int)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = [(y, f"FY{y}") for y in years]

from django import forms
from django.utils.translation import gettext_lazy as _

from sangyo.core.i18n import pick

from .models import Event


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("氏名"), max_length=100)
    email = forms.EmailField(
        label=_("メールアドレス"),
        help_text=_("受付番号と取消の案内をお送りします。"),
    )
    phone = forms.CharField(label=_("電話番号（任意）"), max_length=30, required=False)

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        for q in event.questions or []:
            label = pick(_Q(q), "label")
            required = bool(q.get("required"))
            if q.get("type") == "choice":
                choices = [("", "—")] + [(c, c) for c in q.get("choices", [])]
                field = forms.ChoiceField(label=label, choices=choices, required=required)
            else:
                field = forms.CharField(label=label, max_length=1000, required=required)
            self.fields[f"q_{q['key']}"] = field

    def answers(self) -> dict:
        return {
            q["key"]: self.cleaned_data.get(f"q_{q['key']}", "") for q in self.event.questions or []
        }


class _Q:
    def __init__(self, q):
        self.label_ja = q.get("label_ja", "")
        self.label_en = q.get("label_en", "")


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("満足度"),
        coerce=int,
        choices=[(5, _("5 とても満足")), (4, "4"), (3, "3"), (2, "2"), (1, _("1 不満"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("ご意見・ご感想（任意）"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title_ja",
            "title_en",
            "kind",
            "program",
            "description_ja",
            "description_en",
            "starts_at",
            "ends_at",
            "place",
            "address",
            "is_online",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "target_ja",
            "target_en",
            "approval_required",
            "questions",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "registration_opens_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "registration_closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from sangyo.strategy.models import Program

        self.fields["program"].queryset = Program.objects.filter(
            measure__strategy__is_current=True
        ).order_by("code")
        self.fields["program"].label_from_instance = lambda p: f"{p.code} {p.name_ja}"

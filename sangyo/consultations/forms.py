from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sangyo.registry.forms import BusinessLookupField
from sangyo.registry.models import PartnerOrganisation

from .models import AREAS, CATEGORIES, Booking, Expert, FollowUp, Referral
from .services import ConsultationError, clean_plan


class BookingForm(forms.Form):
    business = forms.TypedChoiceField(label=_("事業者"), coerce=int)
    name = forms.CharField(label=_("相談者名"), max_length=100)
    email = forms.EmailField(label=_("メールアドレス"), help_text=_("予約の確認メールを送ります"))
    topic = forms.CharField(
        label=_("相談したい内容"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, businesses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business"].choices = [(b.pk, b.name) for b in businesses]


class StaffBookingForm(forms.Form):
    business = BusinessLookupField()
    name = forms.CharField(label=_("相談者名"), max_length=100)
    email = forms.EmailField(label=_("メールアドレス"), required=False)
    topic = forms.CharField(label=_("相談したい内容"), max_length=1000, required=False)


class SlotForm(forms.Form):
    starts = forms.DateTimeField(label=_("開始"), help_text=_("例: 2026-12-01 10:00"))
    minutes = forms.IntegerField(label=_("時間（分）"), min_value=15, max_value=480, initial=60)
    expert = forms.ModelChoiceField(
        label=_("専門家"), queryset=Expert.objects.none(), required=False, empty_label=_("（未定）")
    )
    online = forms.BooleanField(label=_("オンライン"), required=False)
    place = forms.CharField(label=_("場所"), max_length=200, required=False)

    def __init__(self, *args, desk=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = desk.experts.all() if desk else Expert.objects.all()


def plan_text(plan: list[dict]) -> str:
    return "\n".join(f"{step['days']} {step['note']}".strip() for step in plan)


class PlanField(forms.CharField):
    """The follow-up plan typed one step a line: days after the first session, then what to
    do (e.g. 「30 1か月後の状況確認」)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("フォローアップ計画"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault(
            "help_text",
            _("1行に1件、初回相談から何日後かと内容を書きます（例: 「30 1か月後の状況確認」）"),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        steps = []
        for number, line in enumerate((value or "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            days, _sep, note = line.replace("\u3000", " ").partition(" ")
            days = days.removesuffix("日後").removesuffix("日")
            # isdecimal, not isdigit: ① and ² are "digits" that int() cannot read.
            if not days.isdecimal():
                raise forms.ValidationError(
                    _("%(n)s行目: 先頭に日数を数字で書いてください（例: 「30 状況確認」）")
                    % {"n": number}
                )
            steps.append({"days": int(days), "note": note.strip()})
        try:
            return clean_plan(steps)
        except ConsultationError as exc:
            raise forms.ValidationError(str(exc)) from None


def default_plan_text() -> str:
    return plan_text(settings.SANGYO_CASE_PLAN)


class CaseForm(forms.Form):
    business = BusinessLookupField()
    title = forms.CharField(label=_("件名"), max_length=200)
    categories = forms.MultipleChoiceField(
        label=_("課題"), choices=CATEGORIES, widget=forms.CheckboxSelectMultiple, required=False
    )
    plan = PlanField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].initial = default_plan_text()


class PlanForm(forms.Form):
    plan = PlanField()


class BookingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        from django.utils import timezone

        starts = timezone.localtime(obj.slot.starts)
        return f"{starts:%Y-%m-%d %H:%M} {obj.slot.desk.t('name')}"


class SessionForm(forms.Form):
    booking = BookingChoiceField(
        label=_("予約"),
        queryset=Booking.objects.none(),
        required=False,
        empty_label=_("（予約なし）"),
        help_text=_("予約に基づく相談の場合は選んでください。窓口の事業に計上します"),
    )
    date = forms.DateField(label=_("相談日"), help_text=_("例: 2026-11-28"))
    expert = forms.ModelChoiceField(
        label=_("専門家"), queryset=Expert.objects.all(), required=False, empty_label=_("（なし）")
    )
    notes = forms.CharField(
        label=_("記録"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    areas = forms.MultipleChoiceField(
        label=_("創業支援の分野"),
        choices=AREAS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("創業予定者・創業5年未満の事業者の場合、扱った分野を選んでください"),
    )
    follow_up_days = forms.IntegerField(
        label=_("フォローアップ（日後）"), min_value=1, max_value=365, required=False, initial=30
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["booking"].queryset = Booking.objects.filter(
                business_id=case.business_id, status=Booking.Status.BOOKED
            ).select_related("slot__desk")


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("種類"), choices=FollowUp.Kind.choices, initial=FollowUp.Kind.FOLLOW_UP
    )
    due = forms.DateField(label=_("期日"), help_text=_("例: 2026-12-25"))
    assignee = forms.ChoiceField(
        label=_("実施者"), choices=FollowUp.Assignee.choices, initial=FollowUp.Assignee.CITY
    )
    note = forms.CharField(label=_("内容"), max_length=300, required=False)


class ReferralForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("紹介先"), queryset=PartnerOrganisation.objects.all())
    date = forms.DateField(label=_("紹介日"))
    note = forms.CharField(label=_("内容"), max_length=300, required=False)


class ReferralOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("結果"), choices=[c for c in Referral.Outcome.choices if c[0] != "pending"]
    )


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("終了時の成果"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

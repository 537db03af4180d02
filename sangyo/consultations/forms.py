from django import forms
from django.utils.translation import gettext_lazy as _

from sangyo.registry.models import PartnerOrganisation

from .models import AREAS, CATEGORIES, Booking, Expert, Referral


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
    business = forms.IntegerField(
        label=_("事業者番号"), min_value=1, help_text=_("事業者台帳の番号")
    )
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


class CaseForm(forms.Form):
    business = forms.IntegerField(
        label=_("事業者番号"), min_value=1, help_text=_("事業者台帳の番号")
    )
    title = forms.CharField(label=_("件名"), max_length=200)
    categories = forms.MultipleChoiceField(
        label=_("課題"), choices=CATEGORIES, widget=forms.CheckboxSelectMultiple, required=False
    )


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
    due = forms.DateField(label=_("期日"))
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

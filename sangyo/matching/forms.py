"""Forms: they parse and show errors next to the fields; the rules themselves live in
services (`check_posting`, `check_property`, `check_job`), which the forms call so a page and
a script refuse the same input with the same words."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Job, JobApplication, Posting, Property, Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _Checked:
    check = None

    def clean(self):
        data = super().clean()
        for field, message in type(self).check(data).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
            elif field not in self.fields:
                self.add_error(None, message)
        return data


class PostingForm(_Checked, forms.ModelForm):
    check = staticmethod(services.check_posting)

    class Meta:
        model = Posting
        fields = [
            "purpose",
            "category",
            "title_ja",
            "title_en",
            "body_ja",
            "body_en",
            "keywords",
            "jsic_code",
            "region",
            "starts_on",
            "ends_on",
            "contact_consent",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "body_ja": forms.Textarea(attrs={"rows": 5}),
            "body_en": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "keywords": _("読点または空白で区切ります（例：切削加工、試作、アルミ）"),
            "jsic_code": _("日本標準産業分類の中分類（2桁）または細分類（4桁）。任意"),
            "contact_consent": _(
                "関心を示した事業者とプラットフォーム上のメッセージで連絡を取ることに同意します。メールアドレスなどは双方が同意するまで表示されません。"
            ),
        }

    def __init__(self, *args, businesses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_consent"].required = False  # the check explains why it is needed
        if businesses is not None and len(businesses) > 1:
            self.fields["business"] = forms.TypedChoiceField(
                label=_("掲載する事業者"),
                coerce=int,
                choices=[(b.pk, b.name) for b in businesses],
            )
            self.order_fields(["business"])


class InterestForm(forms.Form):
    message = forms.CharField(
        label=_("メッセージ"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("掲載者にはプラットフォーム上のメッセージとして届きます。"),
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("メッセージ"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class DealForm(forms.Form):
    summary = forms.CharField(label=_("成約の内容"), max_length=300)
    date = forms.DateField(label=_("成約日"), widget=DATE)


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("報告の理由"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


class ModerateForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("publish", _("公開する")), ("reject", _("差し戻す")), ("hide", _("非表示にする"))]
    )
    reason = forms.CharField(label=_("理由"), max_length=300, required=False)


class PropertyFilterForm(forms.Form):
    use = forms.ChoiceField(
        label=_("用途"), choices=[("", _("すべて")), *Property.Use.choices], required=False
    )
    district = forms.ChoiceField(label=_("地区"), required=False)
    rent_max = forms.IntegerField(label=_("賃料の上限（円/月）"), min_value=0, required=False)
    area_min = forms.DecimalField(label=_("面積の下限（㎡）"), min_value=0, required=False)

    def __init__(self, *args, districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("すべて"))] + [
            (str(d.pk), d.name_ja) for d in districts
        ]


class PropertyForm(_Checked, forms.ModelForm):
    check = staticmethod(services.check_property)
    rent_yen = forms.IntegerField(label=_("賃料（円/月）"), required=False)

    class Meta:
        model = Property
        fields = [
            "partner",
            "title_ja",
            "title_en",
            "use",
            "is_challenge_shop",
            "area_m2",
            "rent_yen",
            "address",
            "district",
            "available_from",
            "description_ja",
            "description_en",
            "is_published",
        ]
        widgets = {"available_from": DATE}


class EnquiryForm(forms.Form):
    name = forms.CharField(label=_("氏名"), max_length=100)
    email = forms.EmailField(label=_("メールアドレス"))
    phone = forms.CharField(label=_("電話番号（任意）"), max_length=30, required=False)
    message = forms.CharField(
        label=_("お問い合わせ内容"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    consent = forms.BooleanField(
        label=_("入力した個人情報を市と物件の提供元がお問い合わせへの対応に使うことに同意します"),
        required=True,
    )


class ProposalForm(forms.Form):
    business = forms.IntegerField(label=_("提案先の事業者ID"), min_value=1)
    note = forms.CharField(label=_("提案の内容"), max_length=300, required=False)
    date = forms.DateField(label=_("提案日"), widget=DATE)


class JobForm(_Checked, forms.ModelForm):
    check = staticmethod(services.check_job)
    pay_min = forms.IntegerField(label=_("給与（下限・円）"))
    pay_max = forms.IntegerField(label=_("給与（上限・円）"))

    class Meta:
        model = Job
        fields = [
            "kind",
            "employment_type",
            "target",
            "title_ja",
            "title_en",
            "description_ja",
            "description_en",
            "place",
            "pay_unit",
            "pay_min",
            "pay_max",
            "hours",
            "paternity_leave_takers",
            "paternity_leave_rate",
            "languages",
            "english_ok",
            "visa_support",
            "disability_support",
            "starts_on",
            "ends_on",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "description_ja": forms.Textarea(attrs={"rows": 5}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, businesses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paternity_leave_rate"].widget.attrs.update(min=0, max=100)
        if businesses is not None and len(businesses) > 1:
            self.fields["business"] = forms.TypedChoiceField(
                label=_("掲載する事業者"),
                coerce=int,
                choices=[(b.pk, b.name) for b in businesses],
            )
            self.order_fields(["business"])


class ApplyForm(forms.Form):
    name = forms.CharField(label=_("氏名"), max_length=100)
    email = forms.EmailField(label=_("メールアドレス"))
    seeker_type = forms.ChoiceField(label=_("応募者の区分"), choices=JobApplication.Seeker.choices)
    message = forms.CharField(
        label=_("志望動機・自己紹介"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )
    consent = forms.BooleanField(
        label=_("入力した個人情報を応募先の事業者と市が選考と支援に使うことに同意します"),
        required=True,
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状態"), choices=JobApplication.Status.choices)


REGION_CHOICES = [("", _("すべて")), *Region.choices]

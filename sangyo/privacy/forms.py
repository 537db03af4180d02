from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PersonalDataRequest as Req


class DeletionForm(forms.Form):
    reason = forms.CharField(
        label=_("削除を求める理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("例：サービスを使わなくなったため。2000字まで。"),
        error_messages={"required": _("削除を求める理由を書いてください")},
    )


class StaffFileForm(forms.Form):
    kind = forms.ChoiceField(label=_("請求の種類"), choices=Req.Kind.choices)
    channel = forms.ChoiceField(
        label=_("受付の方法"),
        choices=[c for c in Req.Channel.choices if c[0] != Req.Channel.WEB],
    )
    subject_email = forms.EmailField(
        label=_("本人のメールアドレス"),
        help_text=_("アカウント、イベントの申込、求人への応募などをこのアドレスで探します。"),
        error_messages={
            "required": _("本人のメールアドレスを入力してください"),
            "invalid": _("メールアドレスの形式が正しくありません"),
        },
    )
    subject_name = forms.CharField(label=_("本人の氏名"), max_length=100, required=False)
    reason = forms.CharField(
        label=_("請求の内容・理由"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StaffUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("状態"), choices=Req.Status.choices)
    staff_notes = forms.CharField(
        label=_("職員メモ"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("本人確認の方法、回答の内容、対応しない理由など。"),
    )


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状態"), choices=[("", _("すべて"))] + list(Req.Status.choices), required=False
    )

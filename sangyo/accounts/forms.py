from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("メールアドレス"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _(
            "メールアドレスまたはパスワードが正しくありません。大文字・小文字も確認してください。"
        ),
        "inactive": _("このアカウントは利用停止中です。"),
    }


# --- two-factor, elevation ---------------------------------------------------------------------


class OTPVerifyForm(forms.Form):
    token = forms.CharField(
        label=_("確認コード（6桁）またはリカバリーコード"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class OTPEnrolForm(forms.Form):
    token = forms.RegexField(
        label=_("認証アプリに表示された6桁の確認コード"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("6桁の数字を入力してください。")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class ElevateForm(forms.Form):
    password = forms.CharField(
        label=_("パスワード"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    token = forms.CharField(
        label=_("確認コード（6桁）またはリカバリーコード"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def __init__(self, *args, need_token: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not need_token:
            del self.fields["token"]


# --- sign-up and passwords ----------------------------------------------------------------------


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("メールアドレス"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    name = forms.CharField(
        label=_("氏名（担当者）"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("パスワード"),
        strip=False,
        help_text=_("12文字以上で、2種類以上の文字を組み合わせてください。"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("パスワード（確認）"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_("利用規約と個人情報の取扱いに同意します"),
        error_messages={"required": _("登録には利用規約への同意が必要です。")},
    )

    def clean(self):
        from django.contrib.auth.password_validation import validate_password

        from .models import User

        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("確認用のパスワードが一致しません。"))
        elif p1:
            probe = User(email=data.get("email", ""), name=data.get("name", ""))
            try:
                validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ServiceSetPasswordForm(SetPasswordForm):
    """Django's reset form, saving through the service (audited, lock-out cleared)."""

    def save(self, commit=True):
        from .services import password_reset_complete

        return password_reset_complete(user=self.user, password=self.cleaned_data["new_password1"])


class ServicePasswordChangeForm(PasswordChangeForm):
    def save(self, commit=True):
        from .services import user_set_password

        return user_set_password(
            user=self.user, password=self.cleaned_data["new_password1"], actor=self.user
        )


class EmailPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("メールアドレス"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

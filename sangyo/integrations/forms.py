from django import forms
from django.utils.translation import gettext_lazy as _

from sangyo.accounts.models import STAFF_ROLES, User

from .models import Scope


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("名前"),
        max_length=100,
        help_text=_("どのシステムが使うか分かる名前（例：基幹CRM連携）"),
    )
    owner = forms.ModelChoiceField(
        label=_("所有者"),
        queryset=User.objects.none(),
        help_text=_("トークンはこの職員として動きます。役割が許す範囲のスコープだけを持てます。"),
    )
    scopes = forms.MultipleChoiceField(
        label=_("スコープ"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    expires_on = forms.DateField(
        label=_("有効期限"),
        required=False,
        help_text=_("この日の終わりまで有効（例：2026-03-31）。空欄なら無期限。"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            is_active=True, role__in=list(STAFF_ROLES)
        ).order_by("email")
        self.fields["owner"].label_from_instance = lambda u: (
            f"{u} <{u.email}>（{u.get_role_display()}）"
        )

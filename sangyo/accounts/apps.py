from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sangyo.accounts"
    label = "accounts"
    verbose_name = _("アカウント")

    def ready(self):
        # Signal receivers: audit of failed logins and lock-outs; login time stamps.
        from . import lockout, middleware  # noqa: F401

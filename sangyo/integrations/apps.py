from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "sangyo.integrations"
    label = "integrations"
    verbose_name = _("外部連携")

    def ready(self):
        from sangyo.core.menu import register_staff_link

        from . import policies

        register_staff_link(
            order=90,
            label=_("APIトークン"),
            description=_("職員の業務システムがAPIを使うためのトークンの発行・失効"),
            url_name="integrations:tokens",
            policy=policies.can_manage_tokens,
        )

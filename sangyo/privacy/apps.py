from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "sangyo.privacy"
    label = "privacy"
    verbose_name = _("個人情報の保護")

    def ready(self):
        from sangyo.core.menu import register_staff_link

        from . import policies

        register_staff_link(
            order=90,
            label=_("個人情報の請求"),
            description=_("開示・削除・訂正の請求への対応、匿名化、保存期間"),
            url_name="privacy_staff:list",
            policy=policies.can_handle_requests,
        )

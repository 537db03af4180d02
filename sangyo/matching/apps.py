from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "sangyo.matching"
    label = "matching"
    verbose_name = _("マッチング")

    def ready(self):
        from sangyo.core.menu import register_staff_link

        from . import policies

        register_staff_link(
            order=50,
            label=_("マッチング管理"),
            description=_(
                "ニーズ・シーズと求人の審査、企業間の紹介、事業用物件、採用・受入、不適切な掲載の報告"
            ),
            url_name="matching_staff:queue",
            policy=policies.can_view_staff,
        )

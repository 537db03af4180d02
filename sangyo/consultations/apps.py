from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "sangyo.consultations"
    label = "consultations"
    verbose_name = _("相談・伴走支援")

    def ready(self):
        from sangyo.core.menu import register_staff_link

        from . import policies

        register_staff_link(
            order=38,
            label=_("相談・伴走支援"),
            description=_("本日の相談予約、案件とフォローアップ、支援機関への紹介"),
            url_name="consultations_staff:index",
            policy=policies.can_view_consultations,
        )

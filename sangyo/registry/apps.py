from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "sangyo.registry"
    label = "registry"
    verbose_name = _("事業者台帳")

    def ready(self):
        from sangyo.strategy.services import register_removal_guard

        from . import indicators, jobs  # noqa: F401 - registers computations and job handlers
        from .services import support_records_guard

        register_removal_guard(support_records_guard)

        from sangyo.strategy.panels import register_measure_panel

        from .panels import support_panel

        register_measure_panel(support_panel, order=20)

        from sangyo.core.menu import register_staff_link

        from . import policies

        register_staff_link(
            order=10,
            label=_("事業者台帳"),
            description=_("事業者の検索・登録、支援の履歴、重複の統合、出力"),
            url_name="registry:business_list",
            policy=policies.can_view_businesses,
        )
        register_staff_link(
            order=11,
            label=_("事業者データの取込"),
            description=_("国税庁の法人番号データ、CSV・Excelの取込（試行してから反映）"),
            url_name="registry:imports",
            policy=policies.can_import,
        )
        register_staff_link(
            order=12,
            label=_("支援機関"),
            description=_("商工会、金融機関、大学、研究機関など"),
            url_name="registry:partners",
            policy=policies.can_view_businesses,
        )

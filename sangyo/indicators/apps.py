from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "sangyo.indicators"
    label = "indicators"
    verbose_name = _("指標")

    def ready(self):
        from sangyo.strategy.panels import register_measure_panel
        from sangyo.strategy.services import register_after_load

        from . import jobs  # noqa: F401 - registers the "indicators.import" job handler
        from .panels import indicators_panel
        from .services import sync_outcome_indicators

        register_after_load(sync_outcome_indicators)
        # Before the registry's support panel (order 20): what the measure aims at first.
        register_measure_panel(indicators_panel, order=10)

        from sangyo.core.menu import register_staff_link

        from . import policies

        register_staff_link(
            order=20,
            label=_("指標の管理"),
            description=_("実績値の入力・取込（CSV・Excel・e-Stat）、目標値の改定、活動指標の定義"),
            url_name="indicators_staff:index",
            policy=policies.can_view_staff_indicators,
        )

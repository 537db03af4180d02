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

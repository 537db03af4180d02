from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "sangyo.indicators"
    label = "indicators"
    verbose_name = _("指標")

    def ready(self):
        from sangyo.strategy.services import register_after_load

        from .services import sync_outcome_indicators

        register_after_load(sync_outcome_indicators)

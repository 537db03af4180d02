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

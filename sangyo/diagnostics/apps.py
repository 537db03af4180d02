from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticsConfig(AppConfig):
    name = "sangyo.diagnostics"
    label = "diagnostics"
    verbose_name = _("経営診断")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticsConfig(AppConfig):
    name = "sangyo.diagnostics"
    label = "diagnostics"
    verbose_name = _("経営診断")

    def ready(self):
        from sangyo.core.menu import register_staff_link

        from . import policies

        register_staff_link(
            order=45,
            label=_("経営診断"),
            description=_("ローカルベンチマーク（財務6指標・非財務）と事業承継診断、PDF出力"),
            url_name="diagnostics:list",
            policy=policies.can_view_diagnoses,
        )

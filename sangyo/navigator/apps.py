from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NavigatorConfig(AppConfig):
    name = "sangyo.navigator"
    label = "navigator"
    verbose_name = _("支援ナビ")

    def ready(self):
        from sangyo.core.menu import register_staff_link
        from sangyo.evaluation.contrib import register_signal_source

        from . import policies, signals
        from .selectors import evaluation_signals

        register_staff_link(
            order=70,
            label=_("支援ナビ"),
            description=_("課題と施策の対応、検索の同義語、国・県の制度の取込、利用の集計"),
            url_name="navigator_staff:index",
            policy=policies.can_view_navigator_staff,
        )
        register_signal_source("navigator", evaluation_signals)
        signals.connect()

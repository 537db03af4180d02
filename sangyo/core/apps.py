from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sangyo.core"
    label = "core"
    verbose_name = _("基盤")

    def ready(self):
        from sangyo.accounts.policies import can_view_audit_log

        from .menu import register_staff_link

        register_staff_link(
            order=90,
            label=_("監査ログ"),
            description=_("操作の記録の検索と出力（種別・実行者・対象・期間）"),
            url_name="audit_log",
            policy=can_view_audit_log,
        )

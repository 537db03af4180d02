from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "sangyo.events"
    label = "events"
    verbose_name = _("イベント")

    def ready(self):
        from sangyo.core.menu import register_staff_link

        from . import policies

        register_staff_link(
            order=40,
            label=_("イベント管理"),
            description=_("セミナー・交流会などの登録、申込者、当日の受付、アンケート結果"),
            url_name="events_staff:list",
            policy=policies.can_view_events_staff,
        )
        from sangyo.strategy.services import register_removal_guard

        from .services import events_guard

        register_removal_guard(events_guard)

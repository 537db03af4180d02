from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "sangyo.applications"
    label = "applications"
    verbose_name = _("申請")

    def ready(self):
        from sangyo.core.menu import register_staff_link

        from . import (
            founders,
            indicators,  # noqa: F401 - registers the applications count computation
            staff_policies,
        )

        register_staff_link(
            order=30,
            label=_("募集と申請"),
            description=_("募集の作成、申請の審査・決定、予算の執行状況"),
            url_name="applications_staff:index",
            policy=staff_policies.can_view_applications,
        )
        register_staff_link(
            order=31,
            label=_("担当する審査"),
            description=_("割り当てられた募集の審査（利害関係の申告、採点）"),
            url_name="applications_staff:my_reviews",
            policy=staff_policies.is_reviewer,
        )
        register_staff_link(
            order=32,
            label=_("創業支援（特定創業支援等事業）"),
            description=_("受講記録と証明書の交付"),
            url_name="founders:list",
            policy=founders.can_view_founders,
        )

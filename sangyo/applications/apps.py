from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "sangyo.applications"
    label = "applications"
    verbose_name = _("申請")

    def ready(self):
        from . import indicators  # noqa: F401 - registers the applications count computation

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "sangyo.consultations"
    label = "consultations"
    verbose_name = _("相談・伴走支援")

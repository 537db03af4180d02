from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyntheticConfig(AppConfig):
    """`sangyo seed synthetic`: synthetic data at the scales the benchmarks need. It sits
    above every feature app (it fills all of them) and has no models of its own."""

    name = "sangyo.synthetic"
    label = "synthetic"
    verbose_name = _("合成データ")

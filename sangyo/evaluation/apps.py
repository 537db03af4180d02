from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "sangyo.evaluation"
    label = "evaluation"
    verbose_name = _("施策評価")

    def ready(self):
        from sangyo.core.jobs import register_job
        from sangyo.core.menu import register_staff_link
        from sangyo.strategy.services import register_removal_guard

        from . import policies
        from .report import run_report_job
        from .services import REPORT_JOB, evaluation_guard

        register_staff_link(
            order=80,
            label=_("施策評価"),
            description=_("施策ごとの評価シート、外部評価委員会、年次報告書の作成"),
            url_name="evaluation_staff:list",
            policy=policies.can_view_evaluation_staff,
        )
        register_job(REPORT_JOB, run_report_job)
        register_removal_guard(evaluation_guard)
        from sangyo.strategy.panels import register_measure_panel

        from .panels import evaluation_panel

        # After the indicators (10) and the registry's support counts (20).
        register_measure_panel(evaluation_panel, order=90)

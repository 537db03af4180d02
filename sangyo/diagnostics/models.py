"""Diagnoses (経営診断): a ローカルベンチマーク with its non-financial notes, or a 事業承継
readiness check, for one business. Written only by `services.diagnosis_create`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Diagnosis(models.Model):
    class Kind(models.TextChoices):
        LOCABEN = "locaben", _("ローカルベンチマーク")
        SUCCESSION = "succession", _("事業承継診断")

    business = models.ForeignKey(
        "registry.Business", on_delete=models.PROTECT, related_name="diagnoses"
    )
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("診断日"))
    # locaben: [{"end": "2025-03-31", "figures": {"sales": "120000000", …}}, …] oldest first.
    periods = models.JSONField(_("決算の数値"), default=list, blank=True)
    # succession: {"owner_age": 68, "has_candidates": true, …}
    answers = models.JSONField(_("回答"), default=dict, blank=True)
    # The non-financial part of ロカベン: 4つの視点 and 商流・業務フロー.
    note_owner = models.TextField(_("経営者"), blank=True)
    note_business = models.TextField(_("事業"), blank=True)
    note_environment = models.TextField(_("企業を取り巻く環境・関係者"), blank=True)
    note_internal = models.TextField(_("内部管理体制"), blank=True)
    note_flow = models.TextField(_("商流・業務フロー"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("経営診断")
        verbose_name_plural = _("経営診断")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["business", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.business} {self.get_kind_display()}"

    @property
    def source(self) -> str:
        return f"diagnostics.diagnosis:{self.pk}"

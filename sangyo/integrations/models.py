"""API tokens for staff integrations (a city's other systems reading the registry or
writing figures through /api/v1/staff/…).

Only the SHA-256 of a token is stored; the token itself is shown once, when it is made.
A token acts for its owner: it works only while the owner is active city staff, and each
scope also needs the owner's role to allow the same thing on the staff pages."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    REGISTRY_READ = "registry:read", _("事業者台帳の閲覧")
    REGISTRY_PERSONAL = "registry:personal", _("事業者台帳の個人情報（代表者名・連絡先）")
    SUPPORT_RECORDS_READ = "support_records:read", _("支援実績の閲覧")
    SUPPORT_RECORDS_WRITE = "support_records:write", _("支援実績の登録")
    APPLICATIONS_READ = "applications:read", _("申請の閲覧")
    INDICATORS_WRITE = "indicators:write", _("指標の実績値の登録")
    EVALUATION_READ = "evaluation:read", _("施策評価（非公開の集計を含む）の閲覧")


class ApiToken(models.Model):
    name = models.CharField(_("名前"), max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("所有者"),
    )
    scopes = models.JSONField(_("スコープ"), default=list)
    # The first characters of the token, so people can tell tokens apart without the secret.
    prefix = models.CharField(_("接頭辞"), max_length=16, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("発行日時"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最終使用日時"), null=True, blank=True)
    expires_at = models.DateTimeField(_("有効期限"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("失効日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("APIトークン")
        verbose_name_plural = _("APIトークン")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

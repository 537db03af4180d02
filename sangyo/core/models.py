"""Cross-cutting records: the audit log."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    """Append-only: no update or delete through the ORM (bulk_update goes through update)."""

    def update(self, **kwargs):
        raise PermissionError("audit events cannot be changed")

    def delete(self):
        raise PermissionError("audit events cannot be deleted")

    def _raw_delete(self, using):
        raise PermissionError("audit events cannot be deleted")

    _raw_delete.queryset_only = True


class AuditEvent(models.Model):
    """One change to public money, a status or a public record, with who did it and why.

    Codes are dotted, `<app>.<object>.<verb>` (e.g. `strategy.strategy.loaded`), so they can be
    filtered by prefix. Events are append-only: the application never edits or deletes them.
    """

    code = models.CharField(_("種別コード"), max_length=120, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("実行者"),
        null=True,
        blank=True,
        # Accounts are deactivated, never deleted: deleting one that acted would have to
        # change its audit events (SET_NULL is an UPDATE), which nothing may do.
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The actor's name at the time, so the log still reads correctly after an account is
    # anonymised.
    actor_label = models.CharField(_("実行者名"), max_length=200, blank=True)
    target_type = models.CharField(_("対象の種類"), max_length=100, blank=True)
    target_id = models.CharField(_("対象ID"), max_length=64, blank=True)
    target_label = models.CharField(_("対象"), max_length=300, blank=True)
    data = models.JSONField(_("内容"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("日時"), auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("監査ログ")
        verbose_name_plural = _("監査ログ")
        ordering = ["-created_at", "-id"]
        # Related lookups and deletion collectors use the base manager: make it ours too.
        base_manager_name = "objects"
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            # The audit page lists newest first, by actor or not (keyset on created_at, id).
            models.Index(fields=["-created_at", "-id"], name="core_audit_newest_idx"),
            models.Index(fields=["actor", "-created_at"], name="core_audit_actor_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.code} {self.target_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise PermissionError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit events cannot be deleted")


class Job(models.Model):
    """A piece of background work a person started and wants to follow (an import, a report).

    Runs on Celery when REDIS_URL is set, in-process otherwise. Fine-grained progress lives
    in the cache (visible while the job's own transaction is still open); the row holds the
    outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待機中")
        RUNNING = "running", _("実行中")
        SUCCEEDED = "succeeded", _("完了")
        FAILED = "failed", _("失敗")

    kind = models.CharField(_("種類"), max_length=80, db_index=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    params = models.JSONField(_("パラメータ"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    input_file = models.CharField(_("入力ファイル"), max_length=300, blank=True)
    input_name = models.CharField(_("元のファイル名"), max_length=300, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.CharField(_("状況"), max_length=300, blank=True)
    result = models.JSONField(_("結果"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    error = models.TextField(_("エラー"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("バックグラウンド処理")
        verbose_name_plural = _("バックグラウンド処理")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

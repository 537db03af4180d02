"""Requests about personal data under the 個人情報の保護に関する法律 (APPI) and the retention
periods of each kind of personal data. Written only by `services` and `retention`."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonalDataRequest(models.Model):
    """One request from a person (開示・削除・訂正の請求), filed by the person on the site or by
    staff on their behalf (telephone, letter, counter)."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("開示（データの写し）")
        DELETION = "deletion", _("削除（匿名化）")
        CORRECTION = "correction", _("訂正")

    class Status(models.TextChoices):
        RECEIVED = "received", _("受付")
        IN_PROGRESS = "in_progress", _("対応中")
        DONE = "done", _("完了")
        REJECTED = "rejected", _("対応しない")

    class Channel(models.TextChoices):
        WEB = "web", _("ウェブサイト")
        PHONE = "phone", _("電話")
        LETTER = "letter", _("郵送")
        COUNTER = "counter", _("窓口")

    kind = models.CharField(_("種類"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("状態"), max_length=12, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    channel = models.CharField(_("受付の方法"), max_length=10, choices=Channel.choices)
    # The person, when they have an account; otherwise only the e-mail address they gave
    # (a job seeker, an event registrant).
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("本人のアカウント"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="privacy_requests",
    )
    subject_email = models.EmailField(_("本人のメールアドレス"), blank=True)
    subject_name = models.CharField(_("本人の氏名"), max_length=100, blank=True)
    reason = models.TextField(_("請求の内容・理由"), max_length=2000, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受付した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_on = models.DateField(_("受付日"))
    due_on = models.DateField(_("回答期限"))
    staff_notes = models.TextField(_("職員メモ"), max_length=4000, blank=True)
    # Why something was kept although deletion was asked for (e.g. 補助金の書類の保存期間).
    retained_note = models.TextField(_("保存を続けるものとその理由"), blank=True)
    # What was done: counts per kind of record, never content.
    result = models.JSONField(_("対応の結果"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("対応した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("完了日時"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("合成データ"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("個人情報の請求")
        verbose_name_plural = _("個人情報の請求")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"PDR-{self.pk} {self.kind}"

    @property
    def number(self) -> str:
        return f"PDR-{self.pk:05d}"

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.RECEIVED, self.Status.IN_PROGRESS}

    def overdue(self, today: datetime.date | None = None) -> bool:
        from django.utils import timezone

        return self.is_open and self.due_on < (today or timezone.localdate())


class RetentionRule(models.Model):
    """How long one kind of personal data is kept and what happens after (保存期間). The
    figures are the city's decision; administrators edit them in the admin."""

    class Action(models.TextChoices):
        ANONYMISE = "anonymise", _("匿名化（件数・統計は残す）")
        DELETE = "delete", _("削除")

    kind = models.CharField(_("データの種類"), max_length=60, unique=True)
    days = models.PositiveIntegerField(_("保存期間（日）"))
    action = models.CharField(_("期間経過後の処理"), max_length=10, choices=Action.choices)
    enabled = models.BooleanField(_("毎日の処理で適用する"), default=True)
    legal_basis = models.TextField(_("根拠・備考"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("保存期間")
        verbose_name_plural = _("保存期間")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.days}"

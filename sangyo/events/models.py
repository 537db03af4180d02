"""Events (seminars, fairs, exchanges, tours, internships) and the people who register.

Seats are given in the order registrations arrive: `services.registration_create` locks the
event row, so two requests never take the last seat together; the rest wait in line (FIFO by
`created_at`, `id`) and the first in line is promoted when somebody cancels."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from sangyo.core.i18n import Bilingual


def new_code() -> str:
    # 8 characters without look-alikes (0/O, 1/I/L), easy to read out at the door.
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Event(Bilingual, models.Model):
    class Kind(models.TextChoices):
        SEMINAR = "seminar", _("セミナー")
        FAIR = "fair", _("展示会・商談会")
        EXCHANGE = "exchange", _("交流会")
        TOUR = "tour", _("見学会")
        INTERNSHIP = "internship", _("インターンシップ")

    title_ja = models.CharField(_("イベント名"), max_length=200)
    title_en = models.CharField(_("イベント名（英語）"), max_length=200, blank=True)
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    program = models.ForeignKey(
        "strategy.Program", on_delete=models.PROTECT, related_name="events", verbose_name=_("事業")
    )
    description_ja = models.TextField(_("説明"), blank=True)
    description_en = models.TextField(_("説明（英語）"), blank=True)
    starts_at = models.DateTimeField(_("開始日時"))
    ends_at = models.DateTimeField(_("終了日時"))
    place = models.CharField(_("会場"), max_length=200, blank=True)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    is_online = models.BooleanField(_("オンライン開催"), default=False)
    capacity = models.PositiveIntegerField(_("定員"))
    registration_opens_at = models.DateTimeField(_("申込開始日時"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("申込締切日時"), null=True, blank=True)
    target_ja = models.CharField(_("対象"), max_length=300, blank=True)
    target_en = models.CharField(_("対象（英語）"), max_length=300, blank=True)
    approval_required = models.BooleanField(_("参加の承認が必要"), default=False)
    # [{"key": "q1", "label_ja": "…", "label_en": "…", "type": "text|choice", "choices": [...],
    #   "required": bool}]
    questions = models.JSONField(_("申込時の質問"), default=list, blank=True)
    is_synthetic = models.BooleanField(_("合成データ"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("イベント")
        verbose_name_plural = _("イベント")

    def __str__(self) -> str:
        return self.title_ja


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("承認待ち")
        CONFIRMED = "confirmed", _("参加確定")
        WAITLISTED = "waitlisted", _("キャンセル待ち")
        DECLINED = "declined", _("お断り")
        CANCELLED = "cancelled", _("取消")
        ATTENDED = "attended", _("出席")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    business = models.ForeignKey(
        "registry.Business",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    name = models.CharField(_("氏名"), max_length=100)
    email = models.EmailField(_("メールアドレス"), blank=True)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    answers = models.JSONField(_("回答"), default=dict, blank=True)
    status = models.CharField(_("状態"), max_length=20, choices=Status.choices)
    code = models.CharField(_("受付番号"), max_length=12, unique=True, default=new_code)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    language = models.CharField(max_length=8, default="ja")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    attended_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(_("承認・お断りの日時"), null=True, blank=True)
    # Set when the reminder mail is sent, so the hourly job never sends it twice.
    reminder_sent_at = models.DateTimeField(_("リマインダー送信日時"), null=True, blank=True)
    anonymized_at = models.DateTimeField(null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.code}"


class SurveyResponse(models.Model):
    """A registrant's answer to the post-event survey: one per registration."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="survey"
    )
    rating = models.PositiveSmallIntegerField(_("満足度"))
    comment = models.TextField(_("ご意見・ご感想"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.rating}"

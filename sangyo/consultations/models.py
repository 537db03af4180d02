"""Consultations (伴走支援): experts, desks and their slots, bookings, and cases (案件) with
sessions, follow-ups and referrals. Written only through `services.py`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sangyo.core.i18n import Bilingual
from sangyo.strategy.models import ja_en

QUALIFICATIONS = [
    ("中小企業診断士", _("中小企業診断士")),
    ("社会保険労務士", _("社会保険労務士")),
    ("ウェブ解析士", _("ウェブ解析士")),
    ("税理士", _("税理士")),
    ("弁護士", _("弁護士")),
    ("司法書士", _("司法書士")),
    ("ITコーディネータ", _("ITコーディネータ")),
]


class Expert(models.Model):
    name = models.CharField(_("氏名"), max_length=100)
    qualifications = models.JSONField(_("資格"), default=list, blank=True)
    partner = models.ForeignKey(
        "registry.PartnerOrganisation",
        verbose_name=_("所属機関"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_synthetic = models.BooleanField(_("合成データ"), default=False)

    class Meta:
        verbose_name = _("専門家")
        verbose_name_plural = _("専門家")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Desk(Bilingual, models.Model):
    """A consultation desk (相談窓口), delivering one program of the strategy."""

    name_ja, name_en = ja_en(_("窓口名"))
    program = models.ForeignKey(
        "strategy.Program", verbose_name=_("事業"), on_delete=models.PROTECT, related_name="+"
    )
    experts = models.ManyToManyField(Expert, blank=True, related_name="desks")
    is_active = models.BooleanField(_("受付中"), default=True)
    is_synthetic = models.BooleanField(_("合成データ"), default=False)

    class Meta:
        verbose_name = _("相談窓口")
        verbose_name_plural = _("相談窓口")
        ordering = ["program__measure__number", "program__order", "id"]

    def __str__(self) -> str:
        return self.name_ja


class Slot(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("予約可")
        BOOKED = "booked", _("予約済み")
        CANCELLED = "cancelled", _("取消")

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="slots")
    expert = models.ForeignKey(
        Expert, null=True, blank=True, on_delete=models.SET_NULL, related_name="slots"
    )
    starts = models.DateTimeField(_("開始"), db_index=True)
    ends = models.DateTimeField(_("終了"))
    online = models.BooleanField(_("オンライン"), default=False)
    place = models.CharField(_("場所"), max_length=200, blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )

    class Meta:
        verbose_name = _("相談枠")
        verbose_name_plural = _("相談枠")
        ordering = ["starts", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")), name="slot_ends_after_starts"
            )
        ]

    def __str__(self) -> str:
        return f"{self.desk} {self.starts:%Y-%m-%d %H:%M}"

    @property
    def local_date(self):
        from django.utils import timezone

        return timezone.localtime(self.starts).date()


class Booking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("予約済み")
        CANCELLED = "cancelled", _("取消")
        DONE = "done", _("実施済み")

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    business = models.ForeignKey(
        "registry.Business", on_delete=models.PROTECT, related_name="consultation_bookings"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("相談者名"), max_length=100)
    email = models.EmailField(_("メールアドレス"), blank=True)
    language = models.CharField(max_length=8, default="ja")
    topic = models.TextField(_("相談したい内容"), max_length=1000, blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.BOOKED, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Set when the reminder mail is sent, so the hourly job never sends it twice.
    reminder_sent_at = models.DateTimeField(_("リマインダー送信日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("相談予約")
        verbose_name_plural = _("相談予約")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The database itself refuses a second live booking of one slot.
            models.UniqueConstraint(
                fields=["slot"], condition=~Q(status="cancelled"), name="booking_one_live_per_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.slot} {self.business}"


CATEGORIES = [
    ("funding", _("資金調達")),
    ("sales", _("販路開拓")),
    ("dx", _("DX")),
    ("succession", _("事業承継")),
    ("hr", _("人材確保")),
    ("founding", _("創業")),
    ("other", _("その他")),
]
CATEGORY_CODES = [c for c, _label in CATEGORIES]


class Case(models.Model):
    """A case (案件): the sessions, follow-ups and referrals for one business's challenges."""

    class Status(models.TextChoices):
        OPEN = "open", _("対応中")
        CLOSED = "closed", _("終了")

    business = models.ForeignKey(
        "registry.Business", on_delete=models.PROTECT, related_name="consultation_cases"
    )
    program = models.ForeignKey(
        "strategy.Program", verbose_name=_("事業"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("件名"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("担当者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    categories = models.JSONField(_("課題"), default=list, blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    outcome = models.TextField(_("終了時の成果"), max_length=1000, blank=True)
    closed_on = models.DateField(_("終了日"), null=True, blank=True)
    # The follow-up plan: [{"days": 30, "note": "1か月後の状況確認"}, …], counted from the
    # case's first session; each entry becomes one follow-up when that session is recorded.
    plan = models.JSONField(_("フォローアップ計画"), default=list, blank=True)
    is_synthetic = models.BooleanField(_("合成データ"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def category_labels(self) -> list[str]:
        labels = dict(CATEGORIES)
        return [str(labels[c]) for c in self.categories if c in labels]


AREAS = [
    ("management", _("経営")),
    ("finance", _("財務")),
    ("hr", _("人材育成")),
    ("sales", _("販路開拓")),
]


class Session(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="session"
    )
    date = models.DateField(_("相談日"))
    expert = models.ForeignKey(
        Expert, verbose_name=_("専門家"), null=True, blank=True, on_delete=models.SET_NULL
    )
    notes = models.TextField(_("記録"), max_length=2000, blank=True)
    areas = models.JSONField(_("創業支援の分野"), default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("相談記録")
        verbose_name_plural = _("相談記録")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.case}"

    def area_labels(self) -> list[str]:
        labels = dict(AREAS)
        return [str(labels[a]) for a in self.areas if a in labels]


class FollowUp(models.Model):
    """A dated step of a case: a follow-up contact (フォローアップ) or an action someone has
    agreed to take (アクション), with who is to do it."""

    class Kind(models.TextChoices):
        FOLLOW_UP = "follow_up", _("フォローアップ")
        ACTION = "action", _("アクション")

    class Assignee(models.TextChoices):
        CITY = "city", _("市（担当者）")
        BUSINESS = "business", _("事業者")
        EXPERT = "expert", _("専門家")
        PARTNER = "partner", _("支援機関")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(_("種類"), max_length=10, choices=Kind.choices, default=Kind.FOLLOW_UP)
    assignee = models.CharField(
        _("実施者"), max_length=10, choices=Assignee.choices, default=Assignee.CITY
    )
    # The offset of the case plan this follow-up was made from (None: added by hand).
    plan_days = models.PositiveSmallIntegerField(null=True, blank=True)
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    due = models.DateField(_("期日"), db_index=True)
    note = models.CharField(_("内容"), max_length=300, blank=True)
    done = models.BooleanField(_("完了"), default=False)
    done_on = models.DateField(_("完了日"), null=True, blank=True)

    class Meta:
        verbose_name = _("フォローアップ")
        verbose_name_plural = _("フォローアップ")
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return f"{self.due} {self.note}"


class Referral(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("回答待ち")
        ACCEPTED = "accepted", _("受入れ")
        DECLINED = "declined", _("辞退・不可")
        COMPLETED = "completed", _("支援完了")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    partner = models.ForeignKey(
        "registry.PartnerOrganisation",
        verbose_name=_("紹介先"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    date = models.DateField(_("紹介日"))
    note = models.CharField(_("内容"), max_length=300, blank=True)
    outcome = models.CharField(
        _("結果"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING, db_index=True
    )
    outcome_date = models.DateField(_("結果の日付"), null=True, blank=True)

    class Meta:
        verbose_name = _("支援機関への紹介")
        verbose_name_plural = _("支援機関への紹介")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.partner}"

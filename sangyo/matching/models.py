"""Connections between people: B2B needs and seeds, business properties for founders, and
jobs and internships — what is posted, who showed interest or applied, what staff did, and
which program each kind of support is counted on (`CountingRule`)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sangyo.core.i18n import Bilingual


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Moderation(models.TextChoices):
    PENDING = "pending", _("審査待ち")
    PUBLISHED = "published", _("公開中")
    REJECTED = "rejected", _("差戻し")
    HIDDEN = "hidden", _("非表示")
    EXPIRED = "expired", _("掲載終了")


class Region(models.TextChoices):
    CITY = "city", _("つくば市内")
    PREFECTURE = "prefecture", _("茨城県内")
    KANTO = "kanto", _("関東")
    NATIONWIDE = "nationwide", _("全国")


class CountingRule(models.Model):
    """Which strategy program a kind of support delivered here is counted on.

    One row per (strategy, event); when a strategy has no row for an event, DEFAULT_PROGRAMS
    gives the program code (Tsukuba's 2025 strategy). Codes, not foreign keys, so reloading a
    strategy never has to delete or re-point these rows."""

    class Event(models.TextChoices):
        INTRODUCTION = "introduction", _("企業間の紹介")
        DEAL = "deal", _("企業間の成約")
        PROPERTY_PROPOSAL = "property_proposal", _("事業用物件の提案")
        CHALLENGE_SHOP = "challenge_shop", _("チャレンジショップの提案")
        PLACEMENT_JOB = "placement_job", _("就職（求人）")
        PLACEMENT_INTERNSHIP = "placement_internship", _("インターンシップの受入")
        PLACEMENT_DISABLED = "placement_disabled", _("障害のある方の就職")
        PLACEMENT_FOREIGN = "placement_foreign", _("外国人材の就職")

    strategy = models.ForeignKey(
        "strategy.Strategy", on_delete=models.CASCADE, related_name="matching_rules"
    )
    event = models.CharField(_("支援の種類"), max_length=30, choices=Event.choices)
    program_code = models.CharField(_("事業コード"), max_length=8)

    class Meta:
        verbose_name = _("マッチングの計上先")
        verbose_name_plural = _("マッチングの計上先")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "event"], name="matching_rule_once")
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.program_code}"


DEFAULT_PROGRAMS = {
    CountingRule.Event.INTRODUCTION: "09-2",
    CountingRule.Event.DEAL: "09-2",
    CountingRule.Event.PROPERTY_PROPOSAL: "12-2",
    CountingRule.Event.CHALLENGE_SHOP: "12-1",
    CountingRule.Event.PLACEMENT_JOB: "14-1",
    CountingRule.Event.PLACEMENT_INTERNSHIP: "14-2",
    CountingRule.Event.PLACEMENT_DISABLED: "15-1",
    CountingRule.Event.PLACEMENT_FOREIGN: "15-2",
}


# --- needs and seeds --------------------------------------------------------------------


class Posting(Bilingual, models.Model):
    class Kind(models.TextChoices):
        NEED = "need", _("ニーズ")
        SEED = "seed", _("シーズ")

    class Purpose(models.TextChoices):
        ORDER = "order", _("発注したい")
        RESEARCH = "research", _("共同研究先を探す")
        TECH_CONSULT = "tech_consult", _("技術相談")
        TAKE_ORDER = "take_order", _("受注できる")
        OFFER = "offer", _("技術・製品を提供できる")

    class Category(models.TextChoices):
        MANUFACTURING = "manufacturing", _("製造・加工")
        IT = "it", _("IT・ソフトウェア")
        RESEARCH = "research", _("研究開発・試験分析")
        FOOD = "food", _("食品・農業")
        CONSTRUCTION = "construction", _("建設・設備")
        DESIGN = "design", _("デザイン・広報")
        LOGISTICS = "logistics", _("物流")
        SERVICES = "services", _("専門サービス")
        OTHER = "other", _("その他")

    NEED_PURPOSES = frozenset({"order", "research", "tech_consult"})

    business = models.ForeignKey(
        "registry.Business", on_delete=models.PROTECT, related_name="matching_postings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("種別"), max_length=10, choices=Kind.choices, editable=False)
    purpose = models.CharField(_("目的"), max_length=20, choices=Purpose.choices)
    category = models.CharField(_("掲載分野"), max_length=20, choices=Category.choices)
    jsic_code = models.CharField(_("産業分類コード"), max_length=4, blank=True)
    title_ja = models.CharField(_("タイトル"), max_length=200)
    title_en = models.CharField(_("タイトル（英語）"), max_length=200, blank=True)
    body_ja = models.TextField(_("内容"))
    body_en = models.TextField(_("内容（英語）"), blank=True)
    keywords = models.CharField(_("キーワード"), max_length=300, blank=True)
    region = models.CharField(_("地域"), max_length=20, choices=Region.choices)
    starts_on = models.DateField(_("掲載開始日"))
    ends_on = models.DateField(_("掲載終了日"), db_index=True)
    contact_consent = models.BooleanField(_("連絡の同意"), default=False)
    status = models.CharField(
        _("状態"), max_length=12, choices=Moderation.choices, default=Moderation.PENDING
    )
    reject_reason = models.CharField(_("差戻しの理由"), max_length=300, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    # Term counts for suggestions (similarity.vector_of), kept in step by the services.
    vector = models.JSONField(default=dict, blank=True, editable=False)
    is_synthetic = models.BooleanField(_("合成データ"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ニーズ・シーズ")
        verbose_name_plural = _("ニーズ・シーズ")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "kind", "ends_on"])]

    def __str__(self) -> str:
        return self.title_ja


class Interest(models.Model):
    """A business answers a posting: the start of a conversation held inside the platform."""

    class Status(models.TextChoices):
        OPEN = "open", _("やり取り中")
        INTRODUCED = "introduced", _("紹介済み")
        DEAL = "deal", _("成約")
        CLOSED = "closed", _("終了")

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="interests")
    business = models.ForeignKey(
        "registry.Business", on_delete=models.PROTECT, related_name="matching_interests"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("メッセージ"))
    status = models.CharField(_("状態"), max_length=12, choices=Status.choices, default=Status.OPEN)
    # Contact details are shown to each side only once both have agreed.
    owner_shares_contact = models.BooleanField(default=False)
    interested_shares_contact = models.BooleanField(default=False)
    is_synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["posting", "business"], name="interest_once")
        ]

    def __str__(self) -> str:
        return f"{self.business} → {self.posting}"

    @property
    def contact_shared(self) -> bool:
        return self.owner_shares_contact and self.interested_shares_contact


class Message(models.Model):
    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="messages")
    # None when a member of city staff wrote it.
    sender_business = models.ForeignKey(
        "registry.Business", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("メッセージ"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"message #{self.pk}"


class Introduction(models.Model):
    interest = models.OneToOneField(Interest, on_delete=models.CASCADE, related_name="introduction")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("紹介の内容"), max_length=300, blank=True)
    date = models.DateField(_("紹介した日"))
    is_synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"introduction #{self.pk}"


class Deal(models.Model):
    interest = models.OneToOneField(Interest, on_delete=models.CASCADE, related_name="deal")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.CharField(_("成約の内容"), max_length=300)
    date = models.DateField(_("成約日"))
    is_synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.summary


# --- business properties ----------------------------------------------------------------


class Property(Bilingual, models.Model):
    class Use(models.TextChoices):
        OFFICE = "office", _("事務所")
        SHOP = "shop", _("店舗")
        LAB = "lab", _("研究室・ラボ")
        FACTORY = "factory", _("工場・倉庫")
        LAND = "land", _("土地")

    partner = models.ForeignKey(
        "registry.PartnerOrganisation",
        on_delete=models.PROTECT,
        related_name="matching_properties",
        verbose_name=_("提供元"),
    )
    title_ja = models.CharField(_("物件名"), max_length=200)
    title_en = models.CharField(_("物件名（英語）"), max_length=200, blank=True)
    use = models.CharField(_("用途"), max_length=12, choices=Use.choices)
    is_challenge_shop = models.BooleanField(_("チャレンジショップ"), default=False)
    area_m2 = models.DecimalField(_("面積（㎡）"), max_digits=9, decimal_places=2)
    rent_yen = models.PositiveIntegerField(_("賃料（円/月）"), null=True, blank=True)
    address = models.CharField(_("所在地"), max_length=300)
    district = models.ForeignKey(
        "registry.District",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("地区"),
    )
    available_from = models.DateField(_("入居可能日"))
    description_ja = models.TextField(_("説明"), blank=True)
    description_en = models.TextField(_("説明（英語）"), blank=True)
    is_published = models.BooleanField(_("公開"), default=True)
    is_synthetic = models.BooleanField(_("合成データ"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("事業用物件")
        verbose_name_plural = _("事業用物件")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title_ja


class PropertyEnquiry(models.Model):
    property = models.ForeignKey(Property, on_delete=models.CASCADE, related_name="enquiries")
    name = models.CharField(_("氏名"), max_length=100)
    email = models.EmailField(_("メールアドレス"))
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    message = models.TextField(_("お問い合わせ内容"))
    is_synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"enquiry #{self.pk}"


class PropertyProposal(models.Model):
    """Staff proposed a property to a founder (事業用不動産物件情報連携協定に基づく提案)."""

    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="proposals")
    business = models.ForeignKey(
        "registry.Business", on_delete=models.PROTECT, related_name="matching_property_proposals"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("提案の内容"), max_length=300, blank=True)
    date = models.DateField(_("提案日"))
    is_synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"proposal #{self.pk}"


# --- jobs and internships ---------------------------------------------------------------


class Job(Bilingual, models.Model):
    class Kind(models.TextChoices):
        JOB = "job", _("求人")
        INTERNSHIP = "internship", _("インターンシップ")

    class Employment(models.TextChoices):
        FULL_TIME = "full_time", _("正社員")
        CONTRACT = "contract", _("契約社員")
        PART_TIME = "part_time", _("パート・アルバイト")
        INTERNSHIP = "internship", _("インターンシップ")

    class PayUnit(models.TextChoices):
        HOUR = "hour", _("時給")
        DAY = "day", _("日給")
        MONTH = "month", _("月給")
        YEAR = "year", _("年収")

    class Target(models.TextChoices):
        GENERAL = "general", _("一般")
        DISABLED = "disabled", _("障害のある方を積極採用")
        FOREIGN = "foreign", _("外国人材を積極採用")

    business = models.ForeignKey(
        "registry.Business", on_delete=models.PROTECT, related_name="matching_jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("種類"), max_length=12, choices=Kind.choices)
    employment_type = models.CharField(_("雇用形態"), max_length=12, choices=Employment.choices)
    target = models.CharField(
        _("対象"), max_length=12, choices=Target.choices, default=Target.GENERAL
    )
    title_ja = models.CharField(_("職種・タイトル"), max_length=200)
    title_en = models.CharField(_("職種・タイトル（英語）"), max_length=200, blank=True)
    description_ja = models.TextField(_("仕事の内容"))
    description_en = models.TextField(_("仕事の内容（英語）"), blank=True)
    place = models.CharField(_("勤務地"), max_length=200)
    pay_unit = models.CharField(_("給与の単位"), max_length=8, choices=PayUnit.choices)
    pay_min = models.PositiveIntegerField(_("給与（下限・円）"))
    pay_max = models.PositiveIntegerField(_("給与（上限・円）"))
    hours = models.CharField(_("勤務時間"), max_length=200)
    paternity_leave_takers = models.PositiveIntegerField(
        _("昨年度の男性育休取得者数"), null=True, blank=True
    )
    paternity_leave_rate = models.PositiveSmallIntegerField(
        _("昨年度の男性育休取得率（%）"), null=True, blank=True
    )
    languages = models.CharField(_("職場で使える言語"), max_length=200, blank=True)
    english_ok = models.BooleanField(_("英語で応募・勤務できる"), default=False)
    visa_support = models.BooleanField(_("在留資格（ビザ）の手続き支援"), default=False)
    disability_support = models.CharField(_("障害のある方への配慮"), max_length=300, blank=True)
    starts_on = models.DateField(_("掲載開始日"))
    ends_on = models.DateField(_("掲載終了日"), db_index=True)
    status = models.CharField(
        _("状態"), max_length=12, choices=Moderation.choices, default=Moderation.PENDING
    )
    reject_reason = models.CharField(_("差戻しの理由"), max_length=300, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    is_synthetic = models.BooleanField(_("合成データ"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("求人・インターンシップ")
        verbose_name_plural = _("求人・インターンシップ")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "ends_on"])]

    def __str__(self) -> str:
        return self.title_ja


class JobApplication(models.Model):
    """A seeker's application. Personal data: seen by members of the job's business and by
    officers and administrators, never by anyone else and never through the API."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("応募受付")
        REVIEWING = "reviewing", _("選考中")
        INTERVIEW = "interview", _("面接")
        HIRED = "hired", _("採用・受入決定")
        DECLINED = "declined", _("不採用")
        WITHDRAWN = "withdrawn", _("辞退")

    class Seeker(models.TextChoices):
        STUDENT = "student", _("市内の大学等の学生")
        FOREIGN = "foreign", _("外国人住民")
        OTHER = "other", _("その他")

    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="applications")
    name = models.CharField(_("氏名"), max_length=100)
    email = models.EmailField(_("メールアドレス"))
    seeker_type = models.CharField(
        _("応募者の区分"), max_length=10, choices=Seeker.choices, default=Seeker.OTHER
    )
    message = models.TextField(_("メッセージ"))
    status = models.CharField(
        _("状態"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    language = models.CharField(max_length=8, default="ja")
    placed_at = models.DateField(_("採用・受入日"), null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.job_id}"


# --- safety -----------------------------------------------------------------------------


class AbuseReport(models.Model):
    class Target(models.TextChoices):
        POSTING = "posting", _("ニーズ・シーズ")
        JOB = "job", _("求人")
        PROPERTY = "property", _("物件")

    class Status(models.TextChoices):
        OPEN = "open", _("未対応")
        RESOLVED = "resolved", _("対応済み")

    target_type = models.CharField(_("対象"), max_length=10, choices=Target.choices)
    target_id = models.PositiveIntegerField()
    reason = models.TextField(_("理由"))
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.CharField(_("対応の内容"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.target_type}:{self.target_id}"

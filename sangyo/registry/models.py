"""The business registry (事業者台帳): businesses, contacts, partner organisations, support
records, memberships, and the record of every import.

Field names follow gBizINFO where they overlap (corporate_number, name, kana, name_en,
postal_code, location, representative_name, capital_stock, employee_number,
date_of_establishment, company_url, status, close_date, close_cause), so records can be
exchanged without a mapping table.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CorporateType(models.TextChoices):
    # gBizINFO / 国税庁 codes, plus the two kinds of business that have no 法人番号.
    STATE = "101", _("国の機関")
    LOCAL_GOV = "201", _("地方公共団体")
    KABUSHIKI = "301", _("株式会社")
    YUGEN = "302", _("有限会社")
    GOMEI = "303", _("合名会社")
    GOSHI = "304", _("合資会社")
    GODO = "305", _("合同会社")
    OTHER_REGISTERED = "399", _("その他の設立登記法人")
    FOREIGN = "401", _("外国会社等")
    OTHER = "499", _("その他")
    SOLE = "sole", _("個人事業主")
    PRE_FOUNDING = "pre_founding", _("創業予定者")


class District(models.Model):
    """A district (地区) of the city. Which addresses belong to it is data staff can edit:
    `address_prefixes` lists the town names (町名・大字) that mark it."""

    municipality_code = models.CharField(_("全国地方公共団体コード"), max_length=6)
    code = models.SlugField(_("コード"), max_length=40)
    name_ja = models.CharField(_("地区名"), max_length=100)
    name_en = models.CharField(_("地区名（英語）"), max_length=100, blank=True)
    address_prefixes = models.JSONField(_("町名・大字の一覧"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("地区")
        verbose_name_plural = _("地区")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality_code", "code"], name="district_unique")
        ]

    def __str__(self) -> str:
        return self.name_ja


class Tag(models.Model):
    name = models.CharField(_("タグ"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("タグ")
        verbose_name_plural = _("タグ")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Business(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("営業中")
        CLOSED = "closed", _("閉鎖・廃業")

    class Size(models.TextChoices):
        SMALL = "small", _("小規模企業者")
        SME = "sme", _("中小企業者")
        LARGE = "large", _("大企業")
        UNKNOWN = "unknown", _("判定不能")

    # Unique through Meta.constraints: one index that answers both = and LIKE '…%'. NULL, not
    # "", for a business without one (a sole proprietor), so that those never collide.
    corporate_number = models.CharField(  # noqa: DJ001
        _("法人番号"), max_length=13, null=True, blank=True
    )
    name = models.CharField(_("名称"), max_length=300)
    kana = models.CharField(_("フリガナ"), max_length=300, blank=True)
    name_en = models.CharField(_("英語名称"), max_length=300, blank=True)
    corporate_type = models.CharField(
        _("法人種別"), max_length=20, choices=CorporateType.choices, default=CorporateType.KABUSHIKI
    )
    representative_name = models.CharField(_("代表者名"), max_length=100, blank=True)
    representative_position = models.CharField(_("代表者役職"), max_length=100, blank=True)
    postal_code = models.CharField(_("郵便番号"), max_length=7, blank=True)
    location = models.CharField(_("所在地"), max_length=300, blank=True)
    # 6-digit 全国地方公共団体コード of the address, when known.
    city_code = models.CharField(_("所在市区町村コード"), max_length=6, blank=True)
    in_city = models.BooleanField(_("市内"), default=True)
    # No index of its own: the (district, size_class) index below serves district_id = ….
    district = models.ForeignKey(
        District,
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
    )
    jsic_code = models.CharField(_("産業分類コード"), max_length=4, blank=True)
    jsic_revision = models.PositiveSmallIntegerField(_("産業分類の改定"), default=14)
    capital_stock = models.BigIntegerField(_("資本金（円）"), null=True, blank=True)
    employee_number = models.PositiveIntegerField(_("常時使用する従業員数"), null=True, blank=True)
    date_of_establishment = models.DateField(_("設立・創業日"), null=True, blank=True)
    fiscal_year_end_month = models.PositiveSmallIntegerField(_("決算月"), null=True, blank=True)
    company_url = models.URLField(_("ウェブサイト"), blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    close_date = models.DateField(_("閉鎖日"), null=True, blank=True)
    close_cause = models.CharField(_("閉鎖事由"), max_length=100, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("タグ"), blank=True, related_name="+")
    notes = models.TextField(_("メモ"), blank=True)
    # Derived, kept in step by services.business_save: the SME class must be filterable over
    # millions of rows, and the search keys must be indexable.
    size_class = models.CharField(
        _("規模区分"), max_length=10, choices=Size.choices, default=Size.UNKNOWN
    )
    size_reason = models.CharField(_("規模区分の根拠"), max_length=300, blank=True)
    search_name = models.CharField(max_length=300, blank=True, editable=False)
    search_kana = models.CharField(max_length=300, blank=True, editable=False)
    nta_update_date = models.DateField(_("国税庁データの更新日"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("合成データ"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("事業者")
        verbose_name_plural = _("事業者")
        ordering = ["search_kana", "id"]
        # Every index is paid for on every write: a 国税庁 import inserts or rewrites tens of
        # thousands of rows, and each index was measured (docs/operations.md). Kept are the
        # ones a query needs; the flags and short codes (status, size class, in the city) are
        # not indexed alone: they match too many rows for an index to help, and the staff
        # list's filters are served by its sort index and the (district, size) pair. Substring
        # search uses the trigram indexes of migration 0002.
        indexes = [
            # Partial: a business without a district (outside the city, or an address no
            # town name matches) is never looked up by district, and most 国税庁 rows of a
            # prefecture file have none; district_id = … implies the condition.
            models.Index(
                fields=["district", "size_class"],
                name="registry_bu_district_size_idx",
                condition=Q(district__isnull=False),
            ),
            # Duplicate detection (search_name = …) and the default sort (search_kana, id).
            models.Index(fields=["search_name"], name="registry_bu_search_name_idx"),
            models.Index(fields=["search_kana", "id"], name="registry_bu_search_kana_idx"),
            # jsic_code LIKE 'E09%' (the JSIC filter is a prefix); = works with it too.
            # Partial: businesses from the 国税庁 file have no code until staff add one, and
            # the filters say jsic_code <> '' (selectors) so that this index applies.
            models.Index(
                fields=["jsic_code"],
                name="registry_bu_jsic_prefix_idx",
                opclasses=["varchar_pattern_ops"],
                condition=~Q(jsic_code=""),
            ),
            # The staff list's sortable columns (a sort over millions of rows needs an index).
            models.Index(fields=["date_of_establishment", "id"]),
            models.Index(fields=["employee_number", "id"]),
            models.Index(fields=["updated_at", "id"]),
        ]
        constraints = [
            # The pattern operator class lets this one index also answer the staff search's
            # corporate_number LIKE '12345%' (a plain unique index cannot, outside the C
            # collation), instead of a second index on the same column.
            models.UniqueConstraint(
                fields=["corporate_number"],
                name="registry_business_corporate_number_uniq",
                opclasses=["varchar_pattern_ops"],
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year_end_month__isnull=True)
                | Q(fiscal_year_end_month__gte=1, fiscal_year_end_month__lte=12),
                name="business_fy_end_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(close_date__isnull=False),
                name="business_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A person at a business. Personal data: only what contacting them needs."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("氏名"), max_length=100)
    kana = models.CharField(_("フリガナ"), max_length=100, blank=True)
    role = models.CharField(_("役職・立場"), max_length=100, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    consent_at = models.DateField(_("連絡の同意日"), null=True, blank=True)
    consent_scope = models.CharField(_("同意の範囲"), max_length=200, blank=True)
    anonymized_at = models.DateTimeField(_("匿名化日時"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("連絡先")
        verbose_name_plural = _("連絡先")
        ordering = ["business", "id"]

    def __str__(self) -> str:
        return self.name


class PartnerOrganisation(models.Model):
    """A support organisation (支援機関) — the parties the ordinance names."""

    class Kind(models.TextChoices):
        CHAMBER = "chamber", _("商工会・商工会議所")
        SME_BODY = "sme_body", _("中小企業関係団体")
        FINANCE = "finance", _("金融機関")
        UNIVERSITY = "university", _("大学・教育機関")
        RESEARCH = "research", _("研究機関")
        LABOUR = "labour", _("労働団体")
        SUCCESSION = "succession", _("事業承継・引継ぎ支援センター")
        STARTUP = "startup", _("創業支援事業者")
        REAL_ESTATE = "real_estate", _("不動産関係団体")
        OTHER = "other", _("その他")

    name = models.CharField(_("名称"), max_length=200, unique=True)
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices)
    role = models.TextField(_("役割"), blank=True)
    url = models.URLField(_("ウェブサイト"), blank=True)
    is_synthetic = models.BooleanField(_("合成データ"), default=False)

    class Meta:
        verbose_name = _("支援機関")
        verbose_name_plural = _("支援機関")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class SupportRecord(models.Model):
    """One piece of support that reached one business (支援実績): the spine every output
    indicator, business timeline and evaluation reads. Created only by
    `services.support_record_create`."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("相談・伴走支援")
        APPLICATION = "application", _("申請・採択")
        SUBSIDY = "subsidy", _("補助金の交付")
        CERTIFICATION = "certification", _("認定")
        CERTIFICATE = "certificate", _("証明書の交付")
        EVENT = "event", _("イベント参加")
        MATCHING = "matching", _("マッチング・紹介")
        REFERRAL = "referral", _("支援機関への引継ぎ")
        INFORMATION = "information", _("情報提供")
        OTHER = "other", _("その他")

    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="support_records")
    program = models.ForeignKey(
        "strategy.Program", on_delete=models.PROTECT, related_name="support_records"
    )
    date = models.DateField(_("支援日"))
    # Derived from `date`, stored because every indicator counts by fiscal year.
    fiscal_year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    summary = models.CharField(_("内容"), max_length=300, blank=True)
    outcome = models.CharField(_("成果"), max_length=300, blank=True)
    amount = models.BigIntegerField(_("金額（円）"), null=True, blank=True)
    # The record in another app that produced this one (e.g. "consultations.session:42"),
    # so the same source never counts twice.
    source = models.CharField(_("発生元"), max_length=120, blank=True)
    partner = models.ForeignKey(
        PartnerOrganisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_synthetic = models.BooleanField(_("合成データ"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("支援実績")
        verbose_name_plural = _("支援実績")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["program", "fiscal_year"]),
            models.Index(fields=["business", "date"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind"], condition=~Q(source=""), name="support_source_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.business} {self.get_kind_display()}"


class Membership(models.Model):
    """A user acting for a business, as GビズID: プライム (representative) or メンバー."""

    class Role(models.TextChoices):
        REPRESENTATIVE = "representative", _("代表者")
        MEMBER = "member", _("メンバー")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("立場"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("事業者メンバー")
        verbose_name_plural = _("事業者メンバー")
        constraints = [
            models.UniqueConstraint(fields=["user", "business"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.business} ({self.get_role_display()})"


class Delegation(models.Model):
    """A representative lets a proxy (e.g. a 中小企業診断士) act for the business until a date."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="delegations")
    proxy = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    valid_until = models.DateField(_("有効期限"))
    scope = models.CharField(_("委任の範囲"), max_length=200, blank=True)
    revoked_at = models.DateTimeField(_("取消日時"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("代理申請の委任")
        verbose_name_plural = _("代理申請の委任")

    def __str__(self) -> str:
        return f"{self.proxy} for {self.business} until {self.valid_until}"


class ImportRun(models.Model):
    """The record of every import: who, when, which file, what it did."""

    class Kind(models.TextChoices):
        NTA = "nta", _("法人番号データ（国税庁）")
        GENERIC = "generic", _("CSV・Excel（列の対応付け）")

    class Mode(models.TextChoices):
        DRY_RUN = "dry_run", _("試行（書き込みなし）")
        APPLY = "apply", _("反映")

    kind = models.CharField(_("種類"), max_length=10, choices=Kind.choices)
    mode = models.CharField(_("方式"), max_length=10, choices=Mode.choices)
    file_name = models.CharField(_("ファイル名"), max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    encoding = models.CharField(_("文字コード"), max_length=20, blank=True)
    counts = models.JSONField(_("件数"), default=dict, encoder=DjangoJSONEncoder)
    errors = models.JSONField(_("エラー"), default=list, encoder=DjangoJSONEncoder)
    succeeded = models.BooleanField(_("成功"), default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("取込記録")
        verbose_name_plural = _("取込記録")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

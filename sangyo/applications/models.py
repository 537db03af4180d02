"""Programs' details, calls with budgets and versioned forms, applications with their
workflow, documents, reviews, payments, founder certificates and certified products."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sangyo.core.i18n import Bilingual


class ProgramDetail(Bilingual, models.Model):
    """What a business needs to know to apply to a program (事業) of the strategy.

    Rates and caps the city has not confirmed are stored as unknown (`rate_confirmed=False`,
    `cap_yen=None`) and shown as 「要確認」, never guessed."""

    class Kind(models.TextChoices):
        SUBSIDY = "subsidy", _("補助金")
        CERTIFICATION = "certification", _("認定制度")
        CERTIFICATE = "certificate", _("証明書")
        OTHER = "other", _("その他")

    program = models.OneToOneField(
        "strategy.Program", on_delete=models.CASCADE, related_name="detail"
    )
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    title_ja = models.CharField(_("制度名"), max_length=200)
    title_en = models.CharField(_("制度名（英語）"), max_length=200, blank=True)
    catch_phrase_ja = models.CharField(_("キャッチフレーズ"), max_length=200, blank=True)
    catch_phrase_en = models.CharField(_("キャッチフレーズ（英語）"), max_length=200, blank=True)
    description_ja = models.TextField(_("概要"), blank=True)
    description_en = models.TextField(_("概要（英語）"), blank=True)
    target_ja = models.TextField(_("対象者"), blank=True)
    target_en = models.TextField(_("対象者（英語）"), blank=True)
    # Eligibility rules as data: [{"rule": "in_city"}, {"rule": "sme"}, …] (see eligibility.py)
    eligibility = models.JSONField(_("要件"), default=list, blank=True)
    workflow = models.CharField(_("手続の流れ"), max_length=20, default="subsidy")
    rate_numerator = models.PositiveIntegerField(_("補助率（分子）"), null=True, blank=True)
    rate_denominator = models.PositiveIntegerField(_("補助率（分母）"), null=True, blank=True)
    rate_text = models.CharField(_("補助率（表示）"), max_length=50, blank=True)
    rate_confirmed = models.BooleanField(_("補助率・上限額は確認済み"), default=False)
    cap_yen = models.BigIntegerField(_("上限額（円）"), null=True, blank=True)
    # Amounts below this unit are dropped (e.g. 1000: 124,560円 → 124,000円).
    rounding_unit = models.PositiveIntegerField(_("端数処理の単位（円）"), default=1)
    eligible_cost_types = models.JSONField(_("対象経費"), default=list, blank=True)
    required_documents = models.JSONField(_("必要書類"), default=list, blank=True)
    validity_years = models.PositiveSmallIntegerField(
        _("認定の有効期間（年）"), null=True, blank=True
    )
    # Scoring rubric: [{"code": "origin", "ja": "産地", "en": "Origin", "max": 5}, …]
    rubric = models.JSONField(_("審査項目"), default=list, blank=True)
    # jGrants vocabulary, so a program can be exported in that shape.
    use_purposes = models.JSONField(_("利用目的"), default=list, blank=True)
    employee_band = models.CharField(
        _("従業員数の制約"), max_length=30, default="従業員数の制約なし"
    )
    industries = models.JSONField(_("業種"), default=list, blank=True)
    target_area = models.CharField(_("対象地域"), max_length=100, blank=True)
    institution = models.CharField(_("実施機関"), max_length=200, blank=True)
    detail_url = models.URLField(_("詳細URL"), blank=True)
    notes = models.TextField(_("備考（要確認事項など）"), blank=True)

    class Meta:
        verbose_name = _("制度の詳細")
        verbose_name_plural = _("制度の詳細")

    def __str__(self) -> str:
        return self.title_ja


class FormVersion(models.Model):
    """An application form defined as data. Never edited once used: a change is a new
    version, and each application stores which version it answered."""

    code = models.SlugField(_("フォームのコード"), max_length=60)
    version = models.PositiveIntegerField(_("版"))
    # [{"name", "type": text|textarea|number|money|date|choice|multi|bool|file,
    #   "label": {"ja", "en"}, "help": {"ja", "en"}, "required": bool,
    #   "choices": [{"value", "ja", "en"}], "show_when": {"field": name, "equals": value}}]
    fields = models.JSONField(_("項目"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("申請フォーム")
        verbose_name_plural = _("申請フォーム")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="form_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class Call(Bilingual, models.Model):
    """A call for applications (募集) with its period, fiscal year and budget."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("準備中")
        OPEN = "open", _("募集中")
        CLOSED = "closed", _("募集終了")

    program = models.ForeignKey("strategy.Program", on_delete=models.PROTECT, related_name="calls")
    title_ja = models.CharField(_("募集名"), max_length=200)
    title_en = models.CharField(_("募集名（英語）"), max_length=200, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    opens_at = models.DateTimeField(_("受付開始"))
    closes_at = models.DateTimeField(_("受付締切"))
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    form = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="calls")
    # The money this call may commit; `committed` and `paid` move only inside services that
    # lock this row (select_for_update), so parallel decisions cannot overspend it.
    budget_yen = models.BigIntegerField(_("予算額（円）"), null=True, blank=True)
    committed_yen = models.BigIntegerField(_("交付決定額の合計（円）"), default=0)
    paid_yen = models.BigIntegerField(_("支払額の合計（円）"), default=0)
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ReviewerAssignment",
        related_name="review_calls",
        blank=True,
    )
    is_synthetic = models.BooleanField(_("合成データ"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("募集")
        verbose_name_plural = _("募集")
        ordering = ["-fiscal_year", "-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_yen__isnull=True) | Q(committed_yen__lte=models.F("budget_yen")),
                name="call_budget_not_exceeded",
            ),
            models.CheckConstraint(
                condition=Q(paid_yen__lte=models.F("committed_yen")) | Q(budget_yen__isnull=True),
                name="call_paid_within_committed",
            ),
        ]

    def __str__(self) -> str:
        return self.title_ja

    @property
    def remaining_yen(self) -> int | None:
        return None if self.budget_yen is None else self.budget_yen - self.committed_yen


class ReviewerAssignment(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    stage = models.CharField(
        _("審査の種類"),
        max_length=10,
        choices=[("content", _("内容審査")), ("money", _("経費審査"))],
        default="content",
    )

    class Meta:
        verbose_name = _("審査員の割当")
        verbose_name_plural = _("審査員の割当")
        constraints = [
            models.UniqueConstraint(fields=["call", "reviewer", "stage"], name="assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.call} ({self.stage})"


class Application(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    business = models.ForeignKey(
        "registry.Business", on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    number = models.CharField(_("申請番号"), max_length=30, unique=True)
    form = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(_("回答"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # [{"type": cost type code, "description": str, "amount": int}]
    costs = models.JSONField(_("経費"), default=list, blank=True, encoder=DjangoJSONEncoder)
    workflow = models.CharField(_("手続の流れ"), max_length=20)
    workflow_version = models.PositiveSmallIntegerField(_("手続の版"))
    status = models.CharField(_("状態"), max_length=20, default="draft", db_index=True)
    requested_yen = models.BigIntegerField(_("申請額（円）"), null=True, blank=True)
    decided_yen = models.BigIntegerField(_("交付決定額（円）"), null=True, blank=True)
    fixed_yen = models.BigIntegerField(_("確定額（円）"), null=True, blank=True)
    paid_yen = models.BigIntegerField(_("支払額（円）"), default=0)
    decision_reason = models.TextField(_("決定の理由"), blank=True)
    report = models.JSONField(_("実績報告"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    certified_from = models.DateField(_("認定日"), null=True, blank=True)
    certified_until = models.DateField(_("認定の有効期限"), null=True, blank=True)
    certificate_number = models.CharField(_("証明書番号"), max_length=40, blank=True)
    language = models.CharField(_("連絡の言語"), max_length=5, default="ja")
    submitted_at = models.DateTimeField(_("申請日時"), null=True, blank=True)
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("合成データ"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("申請")
        verbose_name_plural = _("申請")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.business}"


class StatusChange(models.Model):
    """The application's own timeline (the audit log holds the same facts for staff)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(max_length=30)
    source = models.CharField(max_length=20)
    target = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("状態の変更")
        verbose_name_plural = _("状態の変更")
        ordering = ["application", "at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.source} → {self.target}"


class Document(models.Model):
    """An uploaded file. Stored outside the web root under a random name and served only
    through a view that checks access and forces download."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("書類の種類"), max_length=60)
    file = models.FileField(_("ファイル"), upload_to="applications/%Y/%m/")
    original_name = models.CharField(_("元のファイル名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("提出書類")
        verbose_name_plural = _("提出書類")

    def __str__(self) -> str:
        return self.original_name


class Review(models.Model):
    class Stage(models.TextChoices):
        CONTENT = "content", _("内容審査")
        MONEY = "money", _("経費審査")

    class Recommendation(models.TextChoices):
        YES = "yes", _("採択・認定が適当")
        MAYBE = "maybe", _("条件付きで適当")
        NO = "no", _("不適当")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("審査の種類"), max_length=10, choices=Stage.choices)
    conflict_declared = models.BooleanField(_("利害関係あり"), default=False)
    conflict_note = models.CharField(_("利害関係の内容"), max_length=300, blank=True)
    scores = models.JSONField(_("採点"), default=dict, blank=True)
    total = models.DecimalField(_("合計点"), max_digits=7, decimal_places=2, null=True, blank=True)
    recommendation = models.CharField(
        _("推薦"), max_length=10, choices=Recommendation.choices, blank=True
    )
    comment = models.TextField(_("所見"), blank=True)
    submitted_at = models.DateTimeField(_("提出日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("審査")
        verbose_name_plural = _("審査")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer", "stage"], name="one_review_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} / {self.reviewer} ({self.stage})"


class Payment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="payments")
    amount_yen = models.BigIntegerField(_("支払額（円）"))
    paid_on = models.DateField(_("支払日"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("支払")
        verbose_name_plural = _("支払")

    def __str__(self) -> str:
        return f"{self.application} {self.amount_yen}円 {self.paid_on}"


class FounderSession(models.Model):
    """One support session counted towards the 特定創業支援等事業 certificate: which of the
    four areas (経営・財務・人材育成・販路開拓) it covered. Consultations and seminars write these."""

    AREAS = (
        ("management", _("経営")),
        ("finance", _("財務")),
        ("hr", _("人材育成")),
        ("sales", _("販路開拓")),
    )

    business = models.ForeignKey(
        "registry.Business", on_delete=models.PROTECT, related_name="founder_sessions"
    )
    date = models.DateField(_("受講・相談日"))
    areas = models.JSONField(_("分野"), default=list)
    provider = models.ForeignKey(
        "registry.PartnerOrganisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("内容"), max_length=300, blank=True)
    source = models.CharField(_("発生元"), max_length=120, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("創業支援の受講記録")
        verbose_name_plural = _("創業支援の受講記録")
        ordering = ["business", "date", "id"]

    def __str__(self) -> str:
        return f"{self.business} {self.date} {self.areas}"


class FounderCertificate(models.Model):
    """特定創業支援等事業により支援を受けたことの証明書."""

    business = models.ForeignKey(
        "registry.Business", on_delete=models.PROTECT, related_name="founder_certificates"
    )
    number = models.CharField(_("証明書番号"), max_length=40, unique=True)
    issued_on = models.DateField(_("交付日"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    holder_name = models.CharField(_("証明を受ける者の氏名・名称"), max_length=200)
    holder_address = models.CharField(_("住所・所在地"), max_length=300)
    sessions = models.ManyToManyField(FounderSession, related_name="certificates")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("特定創業支援等事業の証明書")
        verbose_name_plural = _("特定創業支援等事業の証明書")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.number


class CertifiedProduct(Bilingual, models.Model):
    """A product or service certified under つくばクオリティ / つくばコレクション."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="certified_product"
    )
    name_ja = models.CharField(_("商品・サービス名"), max_length=200)
    name_en = models.CharField(_("商品・サービス名（英語）"), max_length=200, blank=True)
    description_ja = models.TextField(_("紹介文"), blank=True)
    description_en = models.TextField(_("紹介文（英語）"), blank=True)
    certified_on = models.DateField(_("認定日"))
    valid_until = models.DateField(_("有効期限"))
    published = models.BooleanField(_("公開"), default=True)

    class Meta:
        verbose_name = _("認定品")
        verbose_name_plural = _("認定品")
        ordering = ["-certified_on", "id"]

    def __str__(self) -> str:
        return self.name_ja

"""Yearly evaluation (事務事業評価・施策評価) of every measure of the strategy.

A `Sheet` is one measure's evaluation for one fiscal year, in one version. Staff write the
judgement (aim, inputs in yen, ratings, direction, improvements); every figure that the
platform already knows (outputs from support records, outcomes from indicators, survey
results, demand signals) is computed by `selectors.year_figures` and never stored here, so
pages, the annual report and open data always agree.

A published sheet is frozen: services refuse to change it. A correction is a new version
(`version` + 1, `previous` → the corrected one, `correction_reason`); the corrected version
stays readable.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Rating(models.TextChoices):
    A = "A", _("A：高い")
    B = "B", _("B：おおむね妥当")
    C = "C", _("C：課題がある")


class Direction(models.TextChoices):
    EXPAND = "expand", _("拡充")
    CONTINUE = "continue", _("継続")
    IMPROVE = "improve", _("改善")
    REDUCE = "reduce", _("縮小")
    ABOLISH = "abolish", _("廃止")


class FollowUpStatus(models.TextChoices):
    DONE = "done", _("実施済み")
    PARTLY = "partly", _("一部実施")
    ONGOING = "ongoing", _("実施中")
    NOT_DONE = "not_done", _("未実施")


class Sector(models.TextChoices):
    INDUSTRY = "industry", _("産（産業界）")
    GOVERNMENT = "government", _("官（行政・公的機関）")
    ACADEMIA = "academia", _("学（大学・研究機関）")
    FINANCE = "finance", _("金（金融機関）")
    OTHER = "other", _("その他")


class YearSetting(models.Model):
    """Figures that change by fiscal year and are data, not constants: the hourly personnel
    cost (人件費単価) and the threshold under which counts are suppressed in public."""

    strategy = models.ForeignKey(
        "strategy.Strategy", on_delete=models.CASCADE, related_name="evaluation_settings"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    hourly_cost = models.PositiveIntegerField(
        _("人件費単価（円／時間）"), help_text=_("職員1時間あたりの人件費（円）")
    )
    suppression_threshold = models.PositiveSmallIntegerField(
        _("秘匿の基準（事業者数）"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("この数未満の事業者にしか関わらない件数は公開資料で秘匿します"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("評価の年度設定")
        verbose_name_plural = _("評価の年度設定")
        ordering = ["strategy", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "fiscal_year"], name="evaluation_year_setting_unique"
            )
        ]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year}"


class Sheet(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("作成中")
        SUBMITTED = "submitted", _("課長確認待ち")
        REVIEWED = "reviewed", _("外部委員会の意見聴取")
        PUBLISHED = "published", _("公表済み")

    strategy = models.ForeignKey(
        "strategy.Strategy", on_delete=models.CASCADE, related_name="evaluation_sheets"
    )
    measure = models.ForeignKey(
        "strategy.Measure", on_delete=models.PROTECT, related_name="evaluation_sheets"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("版"), default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="correction"
    )
    correction_reason = models.TextField(_("訂正の理由"), blank=True)
    status = models.CharField(
        _("状態"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # 対象・手段・意図
    aim_target = models.TextField(_("対象（誰・何を）"), blank=True)
    aim_means = models.TextField(_("手段（何をするか）"), blank=True)
    aim_intent = models.TextField(_("意図（どうしたいか）"), blank=True)
    # 事業費の財源内訳（円）
    cost_national = models.BigIntegerField(_("国庫支出金（円）"), default=0)
    cost_prefectural = models.BigIntegerField(_("県支出金（円）"), default=0)
    cost_bonds = models.BigIntegerField(_("地方債（円）"), default=0)
    cost_other = models.BigIntegerField(_("その他特定財源（円）"), default=0)
    cost_general = models.BigIntegerField(_("一般財源（円）"), default=0)
    staff_hours = models.DecimalField(
        _("職員の従事時間（時間）"), max_digits=9, decimal_places=1, default=Decimal("0")
    )
    relevance = models.CharField(_("妥当性"), max_length=1, choices=Rating.choices, blank=True)
    relevance_reason = models.TextField(_("妥当性の理由"), blank=True)
    effectiveness = models.CharField(_("有効性"), max_length=1, choices=Rating.choices, blank=True)
    effectiveness_reason = models.TextField(_("有効性の理由"), blank=True)
    efficiency = models.CharField(_("効率性"), max_length=1, choices=Rating.choices, blank=True)
    efficiency_reason = models.TextField(_("効率性の理由"), blank=True)
    direction = models.CharField(
        _("今後の方向性"), max_length=10, choices=Direction.choices, blank=True
    )
    direction_reason = models.TextField(_("方向性の理由"), blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("担当職員"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("公表日時"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("合成データ"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    COST_FIELDS = ("cost_national", "cost_prefectural", "cost_bonds", "cost_other", "cost_general")

    class Meta:
        verbose_name = _("評価シート")
        verbose_name_plural = _("評価シート")
        ordering = ["fiscal_year", "measure__number", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "fiscal_year", "version"], name="evaluation_sheet_version"
            )
        ]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} 施策{self.measure.number} 第{self.version}版"

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def project_cost(self) -> int:
        return sum(getattr(self, f) for f in self.COST_FIELDS)


class Improvement(models.Model):
    """One improvement for next year written on a sheet (改善内容)."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="improvements")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("改善内容"))

    class Meta:
        ordering = ["sheet", "order", "id"]

    def __str__(self) -> str:
        return self.text[:50]


class FollowUp(models.Model):
    """What became of one of last year's improvements, recorded on this year's sheet (so
    last year's published sheet stays frozen)."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="follow_ups")
    improvement = models.ForeignKey(Improvement, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("対応状況"), max_length=10, choices=FollowUpStatus.choices)
    note = models.TextField(_("対応の内容"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sheet", "improvement"], name="evaluation_follow_up")
        ]

    def __str__(self) -> str:
        return f"{self.improvement_id}: {self.status}"


class CommitteeMember(models.Model):
    """A member of the external evaluation committee (産官学金)."""

    name = models.CharField(_("氏名"), max_length=100)
    affiliation = models.CharField(_("所属・役職"), max_length=200)
    sector = models.CharField(_("分野"), max_length=12, choices=Sector.choices)
    is_active = models.BooleanField(_("在任中"), default=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    is_synthetic = models.BooleanField(_("合成データ"), default=False)

    class Meta:
        verbose_name = _("外部評価委員")
        verbose_name_plural = _("外部評価委員")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.affiliation}）"


class Opinion(models.Model):
    """One committee member's opinion on one sheet version."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="opinions")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="opinions")
    text = models.TextField(_("意見"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["member__order", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "member"], name="evaluation_opinion_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.text[:30]}"


class Report(models.Model):
    """A generated annual report (PDF and Excel) for one fiscal year: the public version
    (small counts suppressed, published sheets only)."""

    strategy = models.ForeignKey(
        "strategy.Strategy", on_delete=models.CASCADE, related_name="evaluation_reports"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    pdf = models.FileField(_("PDF"), upload_to="evaluation/reports/")
    xlsx = models.FileField(_("Excel"), upload_to="evaluation/reports/")
    pages = models.PositiveIntegerField(_("ページ数"), default=0)
    seconds = models.FloatField(_("作成時間（秒）"), default=0)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("年次報告書")
        verbose_name_plural = _("年次報告書")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} report {self.created_at:%Y-%m-%d %H:%M}"


class OutputCount(models.Model):
    """Pre-aggregated output counts (support records and distinct businesses) of a strategy,
    per fiscal year and measure, program, or program and kind: what selectors._support_counts
    computes live, stored by summary.output_counts_refresh for national-scale registries
    (the live count takes seconds at ten million records). Distinct businesses cannot be
    added up across programs or days, so each level is counted directly."""

    class Level(models.TextChoices):
        MEASURE = "measure", _("施策")
        PROGRAM = "program", _("事業")
        KIND = "kind", _("事業・種類")

    strategy = models.ForeignKey("strategy.Strategy", on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    level = models.CharField(max_length=10, choices=Level.choices)
    measure = models.ForeignKey(
        "strategy.Measure", null=True, on_delete=models.CASCADE, related_name="+"
    )
    program = models.ForeignKey(
        "strategy.Program", null=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, blank=True)
    records = models.PositiveIntegerField()
    businesses = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("アウトプット件数の集計")
        verbose_name_plural = _("アウトプット件数の集計")
        indexes = [models.Index(fields=["strategy", "fiscal_year", "level"])]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} {self.level} {self.records}/{self.businesses}"


class OutputCountRefresh(models.Model):
    """When a strategy's OutputCount rows were last computed, and over how many records."""

    strategy = models.OneToOneField("strategy.Strategy", on_delete=models.CASCADE, related_name="+")
    refreshed_at = models.DateTimeField(_("集計日時"))
    records = models.BigIntegerField(_("集計した支援記録の件数"))
    seconds = models.FloatField(_("集計にかかった秒数"), default=0)

    def __str__(self) -> str:
        return f"{self.strategy_id} {self.refreshed_at:%Y-%m-%d %H:%M}"

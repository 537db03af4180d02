"""KPIs and output indicators: definitions, targets with their revision history, and
observations with their vintages.

An indicator's target is never edited in place: each change is a new `TargetRevision`
(date, reason, approver), and the latest one is in force. An observation is the current
figure for one fiscal year; when a statistic is revised, the previous figure moves to
`ObservationRevision`, so every number ever shown can be traced.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from sangyo.core.i18n import Bilingual


class Indicator(Bilingual, models.Model):
    class Level(models.TextChoices):
        OUTCOME_KPI = "outcome_kpi", _("成果指標（将来都市像）")
        MEASURE_OUTPUT = "measure_output", _("活動指標（施策）")
        MEASURE_OUTCOME = "measure_outcome", _("成果指標（施策）")

    class Kind(models.TextChoices):
        STOCK = "stock", _("ストック（時点の値）")
        FLOW = "flow", _("フロー（年度ごとの値）")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("増加が望ましい")
        DECREASE = "decrease", _("減少が望ましい")
        MAINTAIN = "maintain", _("維持（許容幅あり）")

    class Method(models.TextChoices):
        RATIO = "ratio", _("目標値に対する比率（実績÷目標）")
        BASELINE_RELATIVE = "baseline_relative", _("基準値からの進捗率（(実績−基準)÷(目標−基準)）")

    class PathKind(models.TextChoices):
        LINEAR = "linear", _("直線（基準値から目標値まで均等）")
        STEPPED = "stepped", _("段階（年度ごとの中間目標）")

    class Obtained(models.TextChoices):
        ENTERED = "entered", _("職員が入力")
        IMPORTED = "imported", _("公的統計から取込")
        COMPUTED = "computed", _("支援実績などから自動集計")

    strategy = models.ForeignKey(
        "strategy.Strategy", on_delete=models.CASCADE, related_name="indicators"
    )
    kpi = models.OneToOneField(
        "strategy.Kpi", null=True, blank=True, on_delete=models.SET_NULL, related_name="indicator"
    )
    measure = models.ForeignKey(
        "strategy.Measure",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    code = models.SlugField(_("コード"), max_length=60)
    level = models.CharField(_("区分"), max_length=20, choices=Level.choices)
    name_ja = models.CharField(_("指標名"), max_length=300)
    name_en = models.CharField(_("指標名（英語）"), max_length=300, blank=True)
    unit_ja = models.CharField(_("単位"), max_length=50)
    unit_en = models.CharField(_("単位（英語）"), max_length=50, blank=True)
    kind = models.CharField(_("種類"), max_length=10, choices=Kind.choices)
    direction = models.CharField(_("望ましい方向"), max_length=10, choices=Direction.choices)
    tolerance_pct = models.DecimalField(
        _("維持の許容幅（%）"), max_digits=6, decimal_places=2, default=10
    )
    method = models.CharField(
        _("達成率の算定方法"), max_length=20, choices=Method.choices, default=Method.RATIO
    )
    path = models.CharField(
        _("目標への経路"), max_length=10, choices=PathKind.choices, default=PathKind.LINEAR
    )
    # {"2026": "15000", ...} for stepped paths.
    steps = models.JSONField(_("中間目標"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # Ordered pace bands; empty means the default (多摩市 rule). See indicators.progress.
    bands = models.JSONField(_("進捗の判定基準"), default=list, blank=True)
    source_ja = models.CharField(_("データ出典"), max_length=300, blank=True)
    source_en = models.CharField(_("データ出典（英語）"), max_length=300, blank=True)
    obtained = models.CharField(
        _("取得方法"), max_length=10, choices=Obtained.choices, default=Obtained.ENTERED
    )
    # For computed indicators: the registered definition and its parameters.
    computation = models.CharField(_("集計定義"), max_length=80, blank=True)
    computation_params = models.JSONField(_("集計条件"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("指標")
        verbose_name_plural = _("指標")
        ordering = ["strategy", "level", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="indicator_code_unique")
        ]

    def __str__(self) -> str:
        return self.name_ja


class TargetRevision(models.Model):
    """One version of an indicator's baseline and target. The latest is in force."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="revisions")
    baseline_value = models.DecimalField(_("基準値"), max_digits=20, decimal_places=4)
    # None: the plan does not state the baseline's year.
    baseline_fy = models.PositiveSmallIntegerField(_("基準年度"), null=True, blank=True)
    target_value = models.DecimalField(_("目標値"), max_digits=20, decimal_places=4)
    target_fy = models.PositiveSmallIntegerField(_("目標年度"))
    decided_on = models.DateField(_("決定日"))
    reason = models.TextField(_("理由"))
    approved_by = models.CharField(_("承認者"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("目標値の改定")
        verbose_name_plural = _("目標値の改定")
        ordering = ["indicator", "-decided_on", "-id"]
        get_latest_by = ["decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.target_value} ({self.target_fy}) {self.decided_on}"


class Observation(models.Model):
    """The current figure of an indicator for one fiscal year (the latest vintage)."""

    class Status(models.TextChoices):
        PRELIMINARY = "preliminary", _("速報値")
        FINAL = "final", _("確定値")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    fiscal_year = models.PositiveSmallIntegerField(_("対象年度"))
    value = models.DecimalField(_("値"), max_digits=20, decimal_places=4)
    status = models.CharField(
        _("確報・速報"), max_length=12, choices=Status.choices, default=Status.FINAL
    )
    source = models.CharField(_("出典"), max_length=300, blank=True)
    published_on = models.DateField(_("公表日"), null=True, blank=True)
    note = models.CharField(_("注記"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("実績値")
        verbose_name_plural = _("実績値")
        ordering = ["indicator", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year"], name="observation_one_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} FY{self.fiscal_year}: {self.value}"


class ObservationRevision(models.Model):
    """A figure that was replaced by a later vintage, kept so history can be shown."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="history")
    value = models.DecimalField(_("値"), max_digits=20, decimal_places=4)
    status = models.CharField(_("確報・速報"), max_length=12, choices=Observation.Status.choices)
    source = models.CharField(_("出典"), max_length=300, blank=True)
    published_on = models.DateField(_("公表日"), null=True, blank=True)
    note = models.CharField(_("注記"), max_length=300, blank=True)
    replaced_at = models.DateTimeField(auto_now_add=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("実績値の履歴")
        verbose_name_plural = _("実績値の履歴")
        ordering = ["observation", "-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"{self.observation} (was {self.value})"

"""The strategy as data: Strategy → Vision → Theme → SubTheme → Measure → Program, and the
outcome KPIs of each vision. Rows are written only by `services.strategy_load` from a
validated strategy file; every other app refers to them."""

from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sangyo.core.i18n import Bilingual


def ja_en(label, *, text=False, blank=False):
    """A Japanese/English field pair; the labels stay lazy so each reads in the UI language."""
    field = models.TextField if text else models.CharField
    kwargs = {} if text else {"max_length": 300}
    return (
        field(format_lazy("{}（{}）", label, _("日本語")), blank=blank, **kwargs),
        field(format_lazy("{}（{}）", label, _("英語")), blank=True, **kwargs),
    )


class Strategy(Bilingual, models.Model):
    code = models.SlugField(_("コード"), max_length=50, unique=True)
    municipality_code = models.CharField(_("全国地方公共団体コード"), max_length=6)
    municipality_name_ja, municipality_name_en = ja_en(_("自治体名"))
    prefecture_ja, prefecture_en = ja_en(_("都道府県"))
    title_ja, title_en = ja_en(_("計画名"))
    start_fy = models.PositiveSmallIntegerField(_("開始年度"))
    end_fy = models.PositiveSmallIntegerField(_("終了年度"))
    adopted = models.CharField(_("策定年月"), max_length=7)
    publisher_ja, publisher_en = ja_en(_("編集発行"))
    slogan_ja, slogan_en = ja_en(_("スローガン"))
    sub_slogan_ja, sub_slogan_en = ja_en(_("サブスローガン"))
    # Narrative parts kept as the bilingual structures of the file: they are read whole,
    # never queried field by field.
    situation = models.JSONField(_("現況"), default=dict)
    stance = models.JSONField(_("基本的な考え方"), default=dict)
    ordinance = models.JSONField(_("振興条例"), default=dict, blank=True)
    is_current = models.BooleanField(_("現行の戦略"), default=False)
    source_sha256 = models.CharField(_("読込ファイルのSHA-256"), max_length=64, blank=True)
    loaded_at = models.DateTimeField(_("最終読込日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("産業戦略")
        verbose_name_plural = _("産業戦略")
        ordering = ["-start_fy", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_strategy"
            )
        ]

    def __str__(self) -> str:
        return self.title_ja

    @property
    def adopted_year(self) -> int:
        return int(self.adopted[:4])

    @property
    def adopted_month(self) -> int:
        return int(self.adopted[5:7])


class Vision(Bilingual, models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="visions")
    code = models.CharField(_("コード"), max_length=8)
    label = models.CharField(_("表示番号"), max_length=8)
    name_ja, name_en = ja_en(_("名称"))
    target_state_ja, target_state_en = ja_en(_("目指す姿"), text=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("将来都市像")
        verbose_name_plural = _("将来都市像")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="vision_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.name_ja}"


class Kpi(Bilingual, models.Model):
    """An outcome KPI (成果指標) as the strategy states it: baseline and target as printed.

    Observations, progress and target revisions belong to the indicators app."""

    class Kind(models.TextChoices):
        STOCK = "stock", _("ストック（時点の値）")
        FLOW = "flow", _("フロー（年度ごとの値）")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("増加が望ましい")
        DECREASE = "decrease", _("減少が望ましい")
        MAINTAIN = "maintain", _("維持")

    vision = models.ForeignKey(Vision, on_delete=models.CASCADE, related_name="kpis")
    code = models.SlugField(_("コード"), max_length=50)
    name_ja, name_en = ja_en(_("指標名"))
    unit_ja, unit_en = ja_en(_("単位"))
    kind = models.CharField(_("種類"), max_length=10, choices=Kind.choices)
    direction = models.CharField(_("方向"), max_length=10, choices=Direction.choices)
    baseline_value = models.DecimalField(_("基準値"), max_digits=20, decimal_places=4)
    # None means the strategy does not state the baseline year ("not_stated" in the file).
    baseline_fy = models.PositiveSmallIntegerField(_("基準年度"), null=True, blank=True)
    baseline_note_ja, baseline_note_en = ja_en(_("基準値の注記"), text=True, blank=True)
    target_value = models.DecimalField(_("目標値"), max_digits=20, decimal_places=4)
    target_fy = models.PositiveSmallIntegerField(_("目標年度"))
    printed_baseline = models.CharField(_("基準値（原文表記）"), max_length=100)
    printed_target = models.CharField(_("目標値（原文表記）"), max_length=100)
    source_ja, source_en = ja_en(_("データ出典"), text=True, blank=True)
    note_ja, note_en = ja_en(_("注記"), text=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("成果指標")
        verbose_name_plural = _("成果指標")
        ordering = ["vision__order", "order"]
        constraints = [models.UniqueConstraint(fields=["vision", "code"], name="kpi_code_unique")]

    def __str__(self) -> str:
        return self.name_ja


class Theme(Bilingual, models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="themes")
    vision = models.ForeignKey(Vision, on_delete=models.PROTECT, related_name="themes")
    code = models.SlugField(_("コード"), max_length=50)
    name_ja, name_en = ja_en(_("施策テーマ"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("施策テーマ")
        verbose_name_plural = _("施策テーマ")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="theme_code_unique")
        ]

    def __str__(self) -> str:
        return self.name_ja


class SubTheme(Bilingual, models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="sub_themes")
    code = models.SlugField(_("コード"), max_length=50)
    name_ja, name_en = ja_en(_("名称"))
    aim_ja, aim_en = ja_en(_("ねらい"))
    note_ja, note_en = ja_en(_("注記"), text=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("サブテーマ")
        verbose_name_plural = _("サブテーマ")
        ordering = ["theme__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "code"], name="subtheme_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name_ja}（{self.aim_ja}）"


class Measure(Bilingual, models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="measures")
    sub_theme = models.ForeignKey(SubTheme, on_delete=models.PROTECT, related_name="measures")
    number = models.CharField(_("施策番号"), max_length=2)
    name_ja, name_en = ja_en(_("施策名"))
    description_ja, description_en = ja_en(_("説明"), text=True)

    class Meta:
        verbose_name = _("施策")
        verbose_name_plural = _("施策")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="measure_number_unique")
        ]

    def __str__(self) -> str:
        return f"施策{self.number} {self.name_ja}"


class Program(Bilingual, models.Model):
    """An example program (事業例) of a measure; later apps hang calls, events and
    support records on it."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="programs")
    code = models.CharField(_("コード"), max_length=8)
    name_ja, name_en = ja_en(_("事業名"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("事業")
        verbose_name_plural = _("事業")
        ordering = ["measure__number", "order"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "code"], name="program_code_unique")
        ]

    def __str__(self) -> str:
        return self.name_ja

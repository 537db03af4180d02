"""The support navigator's data: what a business may need and which measures answer it
(editable mapping), search synonyms, outside programs (jGrants-shaped imports), the search
document table, and anonymous counts of what people asked for.

Nothing here stores who asked: counts are per fiscal year and challenge, or per normalised
query text, never per person."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sangyo.core.i18n import Bilingual


class Need(Bilingual, models.Model):
    """One answer of the questionnaire that points at measures of the strategy: a challenge
    (課題, in the jGrants use-purpose vocabulary where one exists) or a stage of the business.

    The mapping to measures is data (`measures`: measure numbers of the current strategy), so
    another city edits it for its own strategy without code."""

    class Kind(models.TextChoices):
        CHALLENGE = "challenge", _("課題")
        STAGE = "stage", _("段階")

    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    code = models.SlugField(_("コード"), max_length=40)
    label_ja = models.CharField(_("表示名"), max_length=100)
    label_en = models.CharField(_("表示名（英語）"), max_length=100, blank=True)
    use_purpose = models.CharField(
        _("jGrantsの利用目的"),
        max_length=60,
        blank=True,
        help_text=_("jGrantsの15の利用目的のいずれか。市独自の課題は空欄。"),
    )
    measures = models.JSONField(
        _("対応する施策番号"), default=list, blank=True, help_text=_('例: ["05", "06"]')
    )
    why_ja = models.CharField(_("対応の理由"), max_length=300, blank=True)
    why_en = models.CharField(_("対応の理由（英語）"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    is_active = models.BooleanField(_("使用中"), default=True)

    class Meta:
        verbose_name = _("課題と施策の対応")
        verbose_name_plural = _("課題と施策の対応")
        ordering = ["kind", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="navigator_need_unique")
        ]

    def __str__(self) -> str:
        return self.label_ja


class Synonym(models.Model):
    """A group of words a search treats as the same (起業 ≈ 創業). One group per row,
    terms separated by commas."""

    terms = models.CharField(
        _("同義語（読点・カンマ区切り）"), max_length=300, help_text=_("例: 起業,創業")
    )
    note = models.CharField(_("メモ"), max_length=200, blank=True)
    is_active = models.BooleanField(_("使用中"), default=True)

    class Meta:
        verbose_name = _("検索の同義語")
        verbose_name_plural = _("検索の同義語")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.terms

    def term_list(self) -> list[str]:
        raw = self.terms.replace("、", ",").replace("，", ",")
        return [t.strip() for t in raw.split(",") if t.strip()]


class OutsideProgram(models.Model):
    """A national or prefectural program imported from a jGrants-shaped JSON file."""

    source = models.CharField(_("出典"), max_length=40, default="jgrants")
    source_id = models.CharField(_("出典のID"), max_length=100)
    name = models.CharField(_("管理名"), max_length=200, blank=True)
    title = models.CharField(_("制度名"), max_length=300)
    catch_phrase = models.CharField(_("キャッチフレーズ"), max_length=300, blank=True)
    detail = models.TextField(_("概要"), blank=True)
    institution_name = models.CharField(_("実施機関"), max_length=200, blank=True)
    subsidy_max_limit = models.BigIntegerField(_("上限額（円）"), default=0)
    subsidy_rate = models.CharField(_("補助率"), max_length=100, blank=True)
    acceptance_start = models.DateTimeField(_("受付開始"), null=True, blank=True)
    acceptance_end = models.DateTimeField(_("受付締切"), null=True, blank=True)
    target_area = models.CharField(_("対象地域"), max_length=300, blank=True)
    target_number_of_employees = models.CharField(_("従業員数の制約"), max_length=40, blank=True)
    use_purposes = models.JSONField(_("利用目的"), default=list, blank=True)
    industries = models.JSONField(_("業種"), default=list, blank=True)
    detail_url = models.URLField(_("詳細URL"), max_length=500, blank=True)
    raw = models.JSONField(_("取込データ"), default=dict, blank=True)
    is_synthetic = models.BooleanField(_("合成データ"), default=False)
    imported_at = models.DateTimeField(_("取込日時"), auto_now=True)

    class Meta:
        verbose_name = _("外部の支援制度")
        verbose_name_plural = _("外部の支援制度")
        ordering = ["acceptance_end", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], name="navigator_outside_source_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def source_label(self) -> str:
        base = "jGrants" if self.source == "jgrants" else self.source
        return f"{base} / {self.institution_name}" if self.institution_name else base


class SearchDocument(models.Model):
    """One searchable thing in one language. `tokens` holds the pre-tokenised,
    normalised, space-joined words (SudachiPy modes A and C); the database indexes it: an
    FTS5 table on SQLite, a generated tsvector column with a GIN index on PostgreSQL (both
    created in migration 0002, outside the ORM)."""

    kind = models.CharField(_("種類"), max_length=20, db_index=True)
    object_id = models.CharField(_("対象のID"), max_length=40)
    lang = models.CharField(_("言語"), max_length=5, default="ja")
    title = models.CharField(_("見出し"), max_length=300)
    body = models.TextField(_("本文"), blank=True)
    title_tokens = models.TextField(blank=True)
    tokens = models.TextField(blank=True)
    url = models.CharField(_("URL"), max_length=500)
    source = models.CharField(_("出典"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("検索文書")
        verbose_name_plural = _("検索文書")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "lang"], name="navigator_doc_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}:{self.lang}"


class ChallengeCount(models.Model):
    """How many questionnaires chose a challenge in a fiscal year (anonymous)."""

    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    code = models.SlugField(_("課題"), max_length=40)
    count = models.PositiveIntegerField(_("件数"), default=0)
    is_synthetic = models.BooleanField(_("合成データ"), default=False)

    class Meta:
        verbose_name = _("課題の選択数")
        verbose_name_plural = _("課題の選択数")
        ordering = ["-fiscal_year", "-count", "code"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="navigator_cc_unique")
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.code}: {self.count}"


class MissedSearch(models.Model):
    """A search that found nothing: the normalised query text, how often, when last (no IP,
    no user)."""

    query = models.CharField(_("検索語（正規化）"), max_length=200, unique=True)
    count = models.PositiveIntegerField(_("件数"), default=0)
    last_seen = models.DateTimeField(_("最終日時"))
    is_synthetic = models.BooleanField(_("合成データ"), default=False)

    class Meta:
        verbose_name = _("結果のなかった検索")
        verbose_name_plural = _("結果のなかった検索")
        ordering = ["-count", "-last_seen"]

    def __str__(self) -> str:
        return f"{self.query}: {self.count}"

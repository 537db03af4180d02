"""Writes to indicators: definitions, target revisions, observations. All audited."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangyo.core.audit import audit
from sangyo.core.errors import DomainError
from sangyo.core.fiscal import fiscal_year

from .computed import get_computation
from .models import Indicator, Observation, ObservationRevision, TargetRevision


class IndicatorError(DomainError):
    pass


def _approver(strategy) -> str:
    return f"{strategy.title_ja}（{strategy.adopted_year}年{strategy.adopted_month}月策定）"


def sync_outcome_indicators(*, strategy, actor: Any) -> None:
    """Keep one outcome indicator per KPI of the strategy file (an after-load hook).

    Names, unit and direction follow the file. When the file's baseline or target differs
    from the revision in force, a new revision is recorded with the plan as its approver, so
    a target changed in the file is never a silent overwrite."""
    from sangyo.strategy.models import Kpi

    adopted = datetime.date(strategy.adopted_year, strategy.adopted_month, 1)
    for order, kpi in enumerate(
        Kpi.objects.filter(vision__strategy=strategy).order_by("vision__order", "order")
    ):
        indicator = (
            Indicator.objects.filter(kpi=kpi).first()
            or Indicator.objects.filter(strategy=strategy, code=kpi.code).first()
        )
        values = {
            "strategy": strategy,
            "kpi": kpi,
            "code": kpi.code,
            "level": Indicator.Level.OUTCOME_KPI,
            "name_ja": kpi.name_ja,
            "name_en": kpi.name_en,
            "unit_ja": kpi.unit_ja,
            "unit_en": kpi.unit_en,
            "kind": kpi.kind,
            "direction": kpi.direction,
            "source_ja": kpi.source_ja[:300],
            "source_en": kpi.source_en[:300],
            "order": order,
        }
        if indicator is None:
            indicator = Indicator.objects.create(
                **values,
                method=Indicator.Method.BASELINE_RELATIVE
                if kpi.direction != Indicator.Direction.MAINTAIN
                else Indicator.Method.RATIO,
            )
            audit("indicators.indicator.created", actor=actor, target=indicator)
        else:
            changed = [f for f, v in values.items() if getattr(indicator, f) != v]
            if changed:
                for f in changed:
                    setattr(indicator, f, values[f])
                indicator.save(update_fields=changed)
                audit(
                    "indicators.indicator.updated",
                    actor=actor,
                    target=indicator,
                    data={"fields": changed, "reason": "strategy file"},
                )
        current = current_target(indicator)
        wanted = (kpi.baseline_value, kpi.baseline_fy, kpi.target_value, kpi.target_fy)
        if (
            current is None
            or (
                current.baseline_value,
                current.baseline_fy,
                current.target_value,
                current.target_fy,
            )
            != wanted
        ):
            _record_revision(
                indicator=indicator,
                baseline_value=kpi.baseline_value,
                baseline_fy=kpi.baseline_fy,
                target_value=kpi.target_value,
                target_fy=kpi.target_fy,
                decided_on=adopted,
                reason=_("戦略ファイルに記載の基準値・目標値")
                if current is None
                else _("戦略ファイルの更新による改定"),
                approved_by=_approver(strategy),
                actor=actor,
            )


def current_target(indicator: Indicator) -> TargetRevision | None:
    return indicator.revisions.order_by("-decided_on", "-id").first()


def _record_revision(*, indicator, actor, **values) -> TargetRevision:
    user = actor if getattr(actor, "pk", None) else None
    revision = TargetRevision.objects.create(indicator=indicator, recorded_by=user, **values)
    audit(
        "indicators.target.revised",
        actor=actor,
        target=indicator,
        data={k: v for k, v in values.items() if k != "reason"} | {"reason": values["reason"]},
    )
    return revision


@transaction.atomic
def target_revise(
    *,
    indicator: Indicator,
    baseline_value: Decimal,
    baseline_fy: int | None,
    target_value: Decimal,
    target_fy: int,
    decided_on: datetime.date,
    reason: str,
    approved_by: str,
    actor: Any,
) -> TargetRevision:
    """Record a new baseline/target in force from `decided_on`; the old one stays visible."""
    if not reason.strip():
        raise IndicatorError(_("改定の理由を入力してください"))
    if not approved_by.strip():
        raise IndicatorError(_("承認者を入力してください"))
    if baseline_fy is not None and baseline_fy > target_fy:
        raise IndicatorError(_("基準年度が目標年度より後です"))
    if indicator.direction == Indicator.Direction.MAINTAIN and baseline_value != target_value:
        raise IndicatorError(_("「維持」の指標は基準値と目標値を同じにしてください"))
    return _record_revision(
        indicator=indicator,
        baseline_value=baseline_value,
        baseline_fy=baseline_fy,
        target_value=target_value,
        target_fy=target_fy,
        decided_on=decided_on,
        reason=reason.strip(),
        approved_by=approved_by.strip(),
        actor=actor,
    )


@dataclass(frozen=True)
class ObservationInput:
    fiscal_year: int
    value: Decimal
    status: str = Observation.Status.FINAL
    source: str = ""
    published_on: datetime.date | None = None
    note: str = ""


_OBS_FIELDS = ("value", "status", "source", "published_on", "note")


def _observation_change(indicator_id: int, data: ObservationInput, existing: Observation | None):
    if existing is None:
        return "added"
    same = all(
        (Decimal(existing.value) == data.value)
        if f == "value"
        else getattr(existing, f) == getattr(data, f)
        for f in _OBS_FIELDS
    )
    return "unchanged" if same else "revised"


def _apply_observation(
    indicator: Indicator, data: ObservationInput, existing, actor
) -> Observation:
    user = actor if getattr(actor, "pk", None) else None
    if existing is None:
        return Observation.objects.create(
            indicator=indicator,
            fiscal_year=data.fiscal_year,
            recorded_by=user,
            **{f: getattr(data, f) for f in _OBS_FIELDS},
        )
    ObservationRevision.objects.create(
        observation=existing,
        replaced_by=user,
        **{f: getattr(existing, f) for f in _OBS_FIELDS},
    )
    for f in _OBS_FIELDS:
        setattr(existing, f, getattr(data, f))
    existing.recorded_by = user
    existing.save()
    return existing


@transaction.atomic
def observation_record(
    *, indicator: Indicator, data: ObservationInput, actor: Any
) -> tuple[Observation | None, str]:
    """Add or revise the figure for one fiscal year. A revision keeps the old figure."""
    if indicator.obtained == Indicator.Obtained.COMPUTED:
        raise IndicatorError(_("自動集計の指標には値を入力できません"))
    existing = (
        Observation.objects.select_for_update()
        .filter(indicator=indicator, fiscal_year=data.fiscal_year)
        .first()
    )
    change = _observation_change(indicator.pk, data, existing)
    if change == "unchanged":
        return existing, change
    previous = existing.value if existing is not None else None
    obs = _apply_observation(indicator, data, existing, actor)
    audit(
        f"indicators.observation.{change}",
        actor=actor,
        target=indicator,
        data={
            "fiscal_year": data.fiscal_year,
            "value": data.value,
            "previous": previous,
            "status": data.status,
        },
    )
    return obs, change


@dataclass
class BulkResult:
    added: int = 0
    revised: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"added": self.added, "revised": self.revised, "unchanged": self.unchanged}


def observations_plan(items: list[tuple[Indicator, ObservationInput]]) -> BulkResult:
    """What applying `items` would change, without writing (the dry run)."""
    result = BulkResult()
    existing = _existing_for(items)
    for indicator, data in items:
        change = _observation_change(
            indicator.pk, data, existing.get((indicator.pk, data.fiscal_year))
        )
        setattr(result, change, getattr(result, change) + 1)
    return result


def _existing_for(items) -> dict[tuple[int, int], Observation]:
    ids = {ind.pk for ind, _d in items}
    return {
        (o.indicator_id, o.fiscal_year): o for o in Observation.objects.filter(indicator_id__in=ids)
    }


@transaction.atomic
def observations_apply(
    *, items: list[tuple[Indicator, ObservationInput]], actor: Any, source_label: str, progress=None
) -> BulkResult:
    """Apply many observations in one transaction (an import): all or nothing."""
    result = BulkResult()
    existing = _existing_for(items)
    total = len(items)
    user = actor if getattr(actor, "pk", None) else None
    # New figures are inserted in batches (an import is mostly new rows); revisions of
    # existing ones go one by one because each keeps its history row.
    new_rows: list[Observation] = []
    for i, (indicator, data) in enumerate(items, 1):
        if indicator.obtained == Indicator.Obtained.COMPUTED:
            raise IndicatorError(
                _("自動集計の指標「%(name)s」には値を取り込めません") % {"name": indicator.name_ja}
            )
        key = (indicator.pk, data.fiscal_year)
        change = _observation_change(indicator.pk, data, existing.get(key))
        setattr(result, change, getattr(result, change) + 1)
        if change == "added":
            obs = Observation(
                indicator=indicator,
                fiscal_year=data.fiscal_year,
                recorded_by=user,
                **{f: getattr(data, f) for f in _OBS_FIELDS},
            )
            new_rows.append(obs)
            existing[key] = obs
        elif change == "revised":
            existing[key] = _apply_observation(indicator, data, existing.get(key), actor)
        if progress and i % 500 == 0:
            progress(i, total, _("反映中"))
    Observation.objects.bulk_create(new_rows, batch_size=1000)
    audit(
        "indicators.observation.imported",
        actor=actor,
        data={"source": source_label, **result.as_dict()},
    )
    return result


@transaction.atomic
def indicator_refresh_computed(*, indicator: Indicator, actor: Any) -> BulkResult:
    """Recount a computed indicator and store the counts as observations."""
    computation = get_computation(indicator.computation)
    if indicator.obtained != Indicator.Obtained.COMPUTED or computation is None:
        raise IndicatorError(_("自動集計の定義がない指標です"))
    values = computation.compute(indicator.strategy, indicator.computation_params)
    ja, _en = computation.describe(indicator.computation_params)
    existing = {o.fiscal_year: o for o in indicator.observations.all()}
    result = BulkResult()
    # The fiscal year still under way is counted so far: a preliminary figure.
    current_fy = fiscal_year(timezone.localdate())
    for fy, value in sorted(values.items()):
        status = Observation.Status.PRELIMINARY if fy >= current_fy else Observation.Status.FINAL
        data = ObservationInput(
            fiscal_year=fy, value=Decimal(value), status=status, source=ja[:300]
        )
        change = _observation_change(indicator.pk, data, existing.get(fy))
        setattr(result, change, getattr(result, change) + 1)
        if change != "unchanged":
            _apply_observation(indicator, data, existing.get(fy), actor)
    if result.added or result.revised:
        audit(
            "indicators.indicator.recomputed", actor=actor, target=indicator, data=result.as_dict()
        )
    return result


@transaction.atomic
def indicator_create(*, strategy, actor: Any, **fields) -> Indicator:
    """Create an indicator for a measure (outputs and measure-level outcomes)."""
    indicator = Indicator(strategy=strategy, **fields)
    indicator.full_clean()
    if indicator.obtained == Indicator.Obtained.COMPUTED:
        computation = get_computation(indicator.computation)
        if computation is None:
            raise IndicatorError(
                _("集計定義「%(code)s」は登録されていません") % {"code": indicator.computation}
            )
        problems = computation.validate(indicator.computation_params)
        if problems:
            raise IndicatorError("; ".join(problems))
    indicator.save()
    audit("indicators.indicator.created", actor=actor, target=indicator)
    return indicator

"""Writes to the strategy tree. Only a validated strategy file changes it.

Loading is idempotent: every row is matched by its natural key (vision code, theme code,
measure number, program code, …), so loading the same file twice changes nothing, and an
edited file updates rows in place. What changed is written to the audit log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from sangyo.core.audit import audit
from sangyo.core.errors import DomainError

from .models import Kpi, Measure, Program, Strategy, SubTheme, Theme, Vision
from .schema import StrategyDoc, parse_strategy_file


class StrategyLoadError(DomainError):
    pass


# Apps above this one (registry, applications, events, …) register a guard that, given the
# programs a load would delete, returns a message for each program that still has records.
# The arrow of imports keeps pointing down: they call us, we never import them.
RemovalGuard = Callable[[models.QuerySet], list[str]]
_REMOVAL_GUARDS: list[RemovalGuard] = []


def register_removal_guard(guard: RemovalGuard) -> RemovalGuard:
    if guard not in _REMOVAL_GUARDS:
        _REMOVAL_GUARDS.append(guard)
    return guard


def unregister_removal_guard(guard: RemovalGuard) -> None:
    if guard in _REMOVAL_GUARDS:
        _REMOVAL_GUARDS.remove(guard)


# Apps above this one that keep rows in step with the strategy (e.g. one Indicator per KPI)
# register a hook called at the end of every successful load, inside its transaction.
AfterLoadHook = Callable[..., None]
_AFTER_LOAD: list[AfterLoadHook] = []


def register_after_load(hook: AfterLoadHook) -> AfterLoadHook:
    if hook not in _AFTER_LOAD:
        _AFTER_LOAD.append(hook)
    return hook


@dataclass
class LoadResult:
    strategy: Strategy
    created: bool
    changes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.created or bool(self.changes)


def _t(text, prefix: str) -> dict[str, str]:
    if text is None:
        return {f"{prefix}_ja": "", f"{prefix}_en": ""}
    return {f"{prefix}_ja": text.ja, f"{prefix}_en": text.en}


class _Sync:
    """Upserts rows by natural key and remembers what changed."""

    def __init__(self) -> None:
        self.changes: list[dict[str, Any]] = []
        self.leftovers: list[tuple[str, models.Model]] = []

    def rows(
        self, kind: str, queryset: models.QuerySet, key: str, desired: list[dict[str, Any]]
    ) -> dict[str, models.Model]:
        by_key = {str(getattr(obj, key)): obj for obj in queryset}
        out: dict[str, models.Model] = {}
        for values in desired:
            k = str(values[key])
            obj = by_key.pop(k, None)
            if obj is None:
                obj = queryset.model(**values)
                obj.save()
                self.changes.append({"op": "added", "kind": kind, "key": k})
            else:
                changed = [f for f, v in values.items() if not _same(getattr(obj, f), v)]
                if changed:
                    for f in changed:
                        setattr(obj, f, values[f])
                    obj.save(update_fields=changed)
                    self.changes.append(
                        {"op": "changed", "kind": kind, "key": k, "fields": sorted(changed)}
                    )
            out[k] = obj
        self.leftovers.extend((kind, obj) for obj in by_key.values())
        return out


def _same(current: Any, new: Any) -> bool:
    if isinstance(current, models.Model) or isinstance(new, models.Model):
        return getattr(current, "pk", None) == getattr(new, "pk", None)
    return current == new


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def strategy_check(*, path: str | Path) -> StrategyDoc:
    """Validate only; raises StrategyFileError with every problem found."""
    return parse_strategy_file(path)


@transaction.atomic
def strategy_load(
    *,
    doc: StrategyDoc,
    actor: Any,
    source_sha256: str = "",
    make_current: bool = False,
) -> LoadResult:
    """Create or update the strategy described by `doc`, all or nothing."""
    strategy = Strategy.objects.select_for_update().filter(code=doc.code).first()
    created = strategy is None
    sync = _Sync()

    header = {
        "code": doc.code,
        "municipality_code": doc.municipality.code,
        **_t(doc.municipality.name, "municipality_name"),
        **_t(doc.municipality.prefecture, "prefecture"),
        **_t(doc.title, "title"),
        "start_fy": doc.period.start_fy,
        "end_fy": doc.period.end_fy,
        "adopted": doc.adopted,
        **_t(doc.publisher, "publisher"),
        **_t(doc.slogan, "slogan"),
        **_t(doc.sub_slogan, "sub_slogan"),
        "situation": doc.situation.model_dump(mode="json"),
        "stance": doc.stance.model_dump(mode="json"),
        "ordinance": doc.ordinance.model_dump(mode="json") if doc.ordinance else {},
    }
    strategy = sync.rows("strategy", Strategy.objects.filter(code=doc.code), "code", [header])[
        doc.code
    ]

    visions = sync.rows(
        "vision",
        Vision.objects.filter(strategy=strategy),
        "code",
        [
            {
                "strategy": strategy,
                "code": v.code,
                "label": v.label,
                **_t(v.name, "name"),
                **_t(v.target_state, "target_state"),
                "order": i,
            }
            for i, v in enumerate(doc.visions)
        ],
    )
    # Matched by code across the whole strategy, so a KPI moved to another vision is an
    # update, not a removal and an addition.
    sync.rows(
        "kpi",
        Kpi.objects.filter(vision__strategy=strategy),
        "code",
        [
            {
                "vision": visions[v.code],
                "code": k.code,
                **_t(k.name, "name"),
                **_t(k.unit, "unit"),
                "kind": k.kind,
                "direction": k.direction,
                "baseline_value": k.baseline.value,
                "baseline_fy": None
                if k.baseline.fiscal_year == "not_stated"
                else k.baseline.fiscal_year,
                **_t(k.baseline.note, "baseline_note"),
                "target_value": k.target.value,
                "target_fy": k.target.fiscal_year,
                "printed_baseline": k.printed.baseline,
                "printed_target": k.printed.target,
                **_t(k.source, "source"),
                **_t(k.note, "note"),
                "order": j,
            }
            for v in doc.visions
            for j, k in enumerate(v.kpis)
        ],
    )
    themes = sync.rows(
        "theme",
        Theme.objects.filter(strategy=strategy),
        "code",
        [
            {
                "strategy": strategy,
                "vision": visions[t.vision],
                "code": t.code,
                **_t(t.name, "name"),
                "order": i,
            }
            for i, t in enumerate(doc.themes)
        ],
    )
    sub_themes = sync.rows(
        "sub_theme",
        SubTheme.objects.filter(theme__strategy=strategy),
        "code",
        [
            {
                "theme": themes[t.code],
                "code": st.code,
                **_t(st.name, "name"),
                **_t(st.aim, "aim"),
                **_t(st.note, "note"),
                "order": j,
            }
            for t in doc.themes
            for j, st in enumerate(t.sub_themes)
        ],
    )
    measures = sync.rows(
        "measure",
        Measure.objects.filter(strategy=strategy),
        "number",
        [
            {
                "strategy": strategy,
                "sub_theme": sub_themes[m.sub_theme],
                "number": m.number,
                **_t(m.name, "name"),
                **_t(m.description, "description"),
            }
            for m in doc.measures
        ],
    )
    sync.rows(
        "program",
        Program.objects.filter(measure__strategy=strategy),
        "code",
        [
            {"measure": measures[m.number], "code": p.code, **_t(p.name, "name"), "order": j}
            for m in doc.measures
            for j, p in enumerate(m.programs)
        ],
    )

    _remove_leftovers(strategy, sync)

    # The first strategy loaded becomes current by itself; later ones only when asked.
    others_current = Strategy.objects.filter(is_current=True).exclude(pk=strategy.pk).exists()
    if not strategy.is_current and (make_current or not others_current):
        Strategy.objects.filter(is_current=True).update(is_current=False)
        strategy.is_current = True
        strategy.save(update_fields=["is_current"])
        sync.changes.append(
            {"op": "changed", "kind": "strategy", "key": doc.code, "fields": ["is_current"]}
        )

    for hook in _AFTER_LOAD:
        hook(strategy=strategy, actor=actor)

    if created or sync.changes:
        strategy.source_sha256 = source_sha256
        strategy.loaded_at = timezone.now()
        strategy.save(update_fields=["source_sha256", "loaded_at"])
        audit(
            "strategy.strategy.created" if created else "strategy.strategy.updated",
            actor=actor,
            target=strategy,
            data={"sha256": source_sha256, "changes": [] if created else sync.changes},
        )
    return LoadResult(strategy=strategy, created=created, changes=[] if created else sync.changes)


def _remove_leftovers(strategy: Strategy, sync: _Sync) -> None:
    """Delete what the file no longer has, children first; refuse if records depend on it."""
    gone = {kind: [o.pk for k, o in sync.leftovers if k == kind] for kind, _o in sync.leftovers}
    doomed_programs = Program.objects.filter(
        models.Q(pk__in=gone.get("program", [])) | models.Q(measure_id__in=gone.get("measure", []))
    )
    problems = [msg for guard in _REMOVAL_GUARDS for msg in guard(doomed_programs)]
    if problems:
        raise StrategyLoadError(
            _("この変更は既存の記録を孤立させるため読み込めません:") + "\n" + "\n".join(problems)
        )
    for kind in ("program", "measure", "sub_theme", "theme", "kpi", "vision"):
        for obj in [o for k, o in sync.leftovers if k == kind]:
            try:
                obj.delete()
            except (ProtectedError, RestrictedError) as exc:
                raise StrategyLoadError(
                    _("「%(obj)s」は他の記録から参照されているため削除できません（%(count)s件）")
                    % {
                        "obj": obj,
                        "count": len(
                            exc.protected_objects
                            if isinstance(exc, ProtectedError)
                            else exc.restricted_objects
                        ),
                    }
                ) from exc
            sync.changes.append({"op": "removed", "kind": kind, "key": _key_of(obj)})


def _key_of(obj: models.Model) -> str:
    for attr in ("number", "code"):
        if hasattr(obj, attr):
            return str(getattr(obj, attr))
    return str(obj.pk)


@transaction.atomic
def strategy_make_current(*, strategy: Strategy, actor: Any) -> Strategy:
    if strategy.is_current:
        return strategy
    previous = Strategy.objects.select_for_update().filter(is_current=True).first()
    Strategy.objects.filter(is_current=True).update(is_current=False)
    strategy.is_current = True
    strategy.save(update_fields=["is_current"])
    audit(
        "strategy.strategy.made_current",
        actor=actor,
        target=strategy,
        data={"previous": previous.code if previous else None},
    )
    return strategy

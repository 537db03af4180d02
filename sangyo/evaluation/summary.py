"""Pre-aggregated output counts (OutputCount) for national-scale registries.

The evaluation counts, per fiscal year, the support records and distinct businesses of each
measure, program and (program, kind). Live, that is three grouped queries over the support
records: milliseconds for a city, seconds at ten million records. `output_counts_refresh`
stores the same three aggregates for every fiscal year in OutputCount (one transaction, so
readers see the old or the new counts, never a mix); Celery beat runs it hourly
(`sangyo.evaluation.refresh_output_counts`), and the seeder after seeding.

Which one the evaluation reads is `SANGYO_OUTPUT_SUMMARY`:

- `never`: always live;
- `always`: the summary whenever one exists (whatever its age), otherwise live;
- `auto` (default): the summary when it counted more than SANGYO_OUTPUT_SUMMARY_THRESHOLD
  records (1,000,000) and is younger than SANGYO_OUTPUT_SUMMARY_MAX_AGE_HOURS (2), otherwise
  live: a city-sized registry always sees live counts.

Pages that show summary counts say when they were computed (YearFigures.counts_as_of).
"""

from __future__ import annotations

import datetime
import os
import time
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from sangyo.core.audit import audit
from sangyo.registry.models import SupportRecord
from sangyo.strategy.models import Strategy

from .models import OutputCount, OutputCountRefresh

MODES = ("auto", "always", "never")


def _setting(name: str, default):
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return type(default)(value)


def mode() -> str:
    value = str(_setting("SANGYO_OUTPUT_SUMMARY", "auto")).lower()
    return value if value in MODES else "auto"


def live_counts(strategy: Strategy, years: list[int] | None):
    """Records and distinct businesses per (fy, measure), (fy, program), (fy, program, kind),
    counted from the support records: three grouped queries (all years when `years` is None)."""
    base = SupportRecord.objects.filter(program__measure__strategy=strategy).order_by()
    if years is not None:
        base = base.filter(fiscal_year__in=years)
    by_measure = {
        (r["fiscal_year"], r["program__measure_id"]): (r["n"], r["b"])
        for r in base.values("fiscal_year", "program__measure_id").annotate(
            n=Count("id"), b=Count("business_id", distinct=True)
        )
    }
    by_program = {
        (r["fiscal_year"], r["program_id"]): (r["n"], r["b"])
        for r in base.values("fiscal_year", "program_id").annotate(
            n=Count("id"), b=Count("business_id", distinct=True)
        )
    }
    by_kind: dict[tuple[int, int], list[tuple[str, int, int]]] = defaultdict(list)
    for r in (
        base.values("fiscal_year", "program_id", "kind")
        .annotate(n=Count("id"), b=Count("business_id", distinct=True))
        .order_by("fiscal_year", "program_id", "kind")
    ):
        by_kind[(r["fiscal_year"], r["program_id"])].append((r["kind"], r["n"], r["b"]))
    return by_measure, by_program, by_kind


def summary_counts(strategy: Strategy, years: list[int]):
    """The same three mappings as live_counts, read from OutputCount."""
    by_measure, by_program = {}, {}
    by_kind: dict[tuple[int, int], list[tuple[str, int, int]]] = defaultdict(list)
    rows = (
        OutputCount.objects.filter(strategy=strategy, fiscal_year__in=years)
        .order_by("fiscal_year", "program_id", "kind")
        .values_list(
            "level", "fiscal_year", "measure_id", "program_id", "kind", "records", "businesses"
        )
    )
    for level, fy, measure_id, program_id, kind, n, b in rows:
        if level == OutputCount.Level.MEASURE:
            by_measure[(fy, measure_id)] = (n, b)
        elif level == OutputCount.Level.PROGRAM:
            by_program[(fy, program_id)] = (n, b)
        else:
            by_kind[(fy, program_id)].append((kind, n, b))
    return by_measure, by_program, by_kind


def usable_refresh(strategy: Strategy) -> OutputCountRefresh | None:
    """The summary to read for this strategy under the current mode, or None (count live)."""
    current = mode()
    if current == "never":
        return None
    refresh = OutputCountRefresh.objects.filter(strategy=strategy).first()
    if refresh is None or current == "always":
        return refresh
    threshold = _setting("SANGYO_OUTPUT_SUMMARY_THRESHOLD", 1_000_000)
    max_age = datetime.timedelta(hours=_setting("SANGYO_OUTPUT_SUMMARY_MAX_AGE_HOURS", 2.0))
    if refresh.records > threshold and timezone.now() - refresh.refreshed_at <= max_age:
        return refresh
    return None


def support_counts(strategy: Strategy, years: list[int]):
    """(by_measure, by_program, by_kind, as_of): from the summary when usable_refresh says
    so (as_of = when it was computed), otherwise live (as_of = None)."""
    refresh = usable_refresh(strategy)
    if refresh is not None:
        return (*summary_counts(strategy, years), refresh.refreshed_at)
    return (*live_counts(strategy, years), None)


@transaction.atomic
def output_counts_refresh(*, strategy: Strategy | None = None, actor="system") -> dict:
    """Recompute OutputCount of a strategy (default: every strategy) from the support records.
    A system job (beat, the seeder, operators): no user policy applies; audited."""
    done = {}
    strategies = [strategy] if strategy is not None else list(Strategy.objects.all())
    for s in strategies:
        started = time.perf_counter()
        by_measure, by_program, by_kind = live_counts(s, None)
        rows = [
            OutputCount(
                strategy=s, fiscal_year=fy, level=OutputCount.Level.MEASURE, measure_id=m,
                records=n, businesses=b,
            )
            for (fy, m), (n, b) in by_measure.items()
        ] + [
            OutputCount(
                strategy=s, fiscal_year=fy, level=OutputCount.Level.PROGRAM, program_id=p,
                records=n, businesses=b,
            )
            for (fy, p), (n, b) in by_program.items()
        ] + [
            OutputCount(
                strategy=s, fiscal_year=fy, level=OutputCount.Level.KIND, program_id=p, kind=k,
                records=n, businesses=b,
            )
            for (fy, p), kinds in by_kind.items()
            for k, n, b in kinds
        ]  # fmt: skip
        OutputCount.objects.filter(strategy=s).delete()
        OutputCount.objects.bulk_create(rows, batch_size=5000)
        records = sum(n for n, _b in by_measure.values())
        seconds = time.perf_counter() - started
        OutputCountRefresh.objects.update_or_create(
            strategy=s,
            defaults={"refreshed_at": timezone.now(), "records": records, "seconds": seconds},
        )
        done[s.pk] = {"rows": len(rows), "records": records, "seconds": round(seconds, 2)}
        audit(
            "evaluation.output_counts.refreshed",
            actor=actor,
            target=s,
            data={"rows": len(rows), "records": records},
        )
    return done


def output_counts_refresh_later() -> None:
    """Refresh in the background once the current transaction commits (after an import)."""
    from .tasks import refresh_output_counts

    transaction.on_commit(refresh_output_counts.delay)

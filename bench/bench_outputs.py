"""Output counts per measure for one fiscal year (records and distinct businesses), as the
evaluation and the measure pages count them, against the same aggregate written as one
hand-written SQL query (the floor). Target: the ORM query within 1.5 × the floor.

Then the evaluation's year figures (selectors.year_figures: every count of two fiscal years
by measure, program and kind, plus sheets, surveys and indicators) counted live and read
from the pre-aggregated summary (sangyo/evaluation/summary.py), after one refresh; the
floor of the summary is the live count (what it saves).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sangyo_bench \\
        .venv/bin/python bench/bench_outputs.py --businesses 1000000 --records-per-business 10

The database must have a current strategy; missing synthetic data is added first with
`sangyo seed synthetic` (its name must contain "bench" unless --force).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FLOOR_SQL = """
SELECT p.measure_id, COUNT(s.id), COUNT(DISTINCT s.business_id)
FROM registry_supportrecord s
JOIN strategy_program p ON p.id = s.program_id
JOIN strategy_measure m ON m.id = p.measure_id
WHERE m.strategy_id = %s AND s.fiscal_year = %s
GROUP BY p.measure_id
"""


def _emit(*args, **kwargs):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _result import emit

    emit(*args, **kwargs)


def _time(fn, runs: int) -> tuple[list[float], object]:
    fn()  # warm-up
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--businesses", type=int, default=100_000)
    parser.add_argument("--records-per-business", type=int, default=10)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    name = urlparse(url).path.lstrip("/") if url else "sqlite"
    if url and "bench" not in name and not args.force:
        print(f"refusing database {name!r}: its name must contain 'bench' (or --force)")
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from sangyo.core.fiscal import fiscal_year
    from sangyo.registry.models import SupportRecord
    from sangyo.strategy.models import Strategy

    call_command("migrate", verbosity=0)
    if not Strategy.objects.filter(is_current=True).exists():
        call_command(
            "strategy", "load", str(ROOT / "strategies" / "tsukuba-2025.yaml"), "--make-current"
        )
    call_command(
        "seed", "synthetic", "--businesses", str(args.businesses), "--years", str(args.years),
        "--records-per-business", str(args.records_per_business), "--events-per-year", "0",
        "--force",
    )  # fmt: skip
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE registry_supportrecord")
    strategy = Strategy.objects.get(is_current=True)
    from django.utils import timezone

    fy = fiscal_year(timezone.localdate()) - 1
    total = SupportRecord.objects.count()

    def orm():
        return sorted(
            SupportRecord.objects.filter(program__measure__strategy=strategy, fiscal_year=fy)
            .order_by()
            .values_list("program__measure_id")
            .annotate(n=Count("id"), b=Count("business_id", distinct=True))
        )

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [strategy.pk, fy])
            return sorted(tuple(r) for r in cursor.fetchall())

    orm_times, orm_result = _time(orm, args.runs)
    floor_times, floor_result = _time(floor, args.runs)
    assert [tuple(r) for r in orm_result] == floor_result, "the ORM and the SQL disagree"
    o50, f50 = statistics.median(orm_times), statistics.median(floor_times)
    o95 = statistics.quantiles(orm_times, n=20)[18]
    f95 = statistics.quantiles(floor_times, n=20)[18]
    print(f"database: {connection.vendor} {name}; {total:,} support records; FY{fy}")
    print(f"{'query':<34} {'median ms':>10} {'p95 ms':>8}")
    print(f"{'outputs per measure (ORM)':<34} {o50:>10.1f} {o95:>8.1f}")
    print(f"{'the same in hand-written SQL':<34} {f50:>10.1f} {f95:>8.1f}")
    ratio = o50 / f50
    print(
        f"ratio ORM ÷ SQL (median): {ratio:.2f} — target ≤ 1.5: {'met' if ratio <= 1.5 else 'NOT met'}"
    )
    _emit(
        "output counts per measure, one FY",
        f"{total:,} support records",
        median=o50,
        p95=o95,
        floor=f50,
        target="≤ 1.5 × SQL",
        met=ratio <= 1.5,
    )

    # Pre-aggregated output counts: refresh once, then the year figures both ways.
    from django.conf import settings

    from sangyo.evaluation import selectors
    from sangyo.evaluation.summary import output_counts_refresh

    started = time.perf_counter()
    output_counts_refresh(strategy=strategy, actor="bench")
    refresh_s = time.perf_counter() - started
    print(f"summary refresh (every fiscal year): {refresh_s:.1f} s")

    def figures(mode):
        settings.SANGYO_OUTPUT_SUMMARY = mode
        year = selectors.year_figures(strategy, fy, public=True)
        return [(m.records, m.businesses, m.programs) for m in year.measures]

    live_runs = max(3, min(args.runs, 5))
    live_times, live = _time(lambda: figures("never"), live_runs)
    summary_times, summary = _time(lambda: figures("always"), args.runs)
    assert live == summary, "the summary and the live counts disagree"
    l50, s50 = statistics.median(live_times), statistics.median(summary_times)
    print(f"{'year figures, live counts':<34} {l50:>10.1f}")
    print(f"{'year figures, summary':<34} {s50:>10.1f}")
    _emit(
        "evaluation year figures (summary)",
        f"{total:,} support records",
        median=s50,
        p95=statistics.quantiles(summary_times, n=20)[18] if len(summary_times) > 1 else None,
        floor=l50,
        target="≤ 300 ms",
        met=s50 <= 300,
    )
    _emit(
        "evaluation year figures (live)",
        f"{total:,} support records",
        median=l50,
        target=f"summary refresh {refresh_s:.1f} s",
    )
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())

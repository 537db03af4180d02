"""Benchmark of the public indicator dashboard (/indicators/) with SYNTHETIC data.

A fresh test database (SQLite in memory by default; DATABASE_URL selects another, as in the
test suite) gets the Tsukuba strategy and 200 indicators — its 4 vision KPIs plus 196
measure-level indicators named 「合成データ指標 001」… — each with a target revision and 10
fiscal years of observations (FY2016–FY2025; some preliminary, some revised). The dashboard is
then rendered with Django's test Client: 3 warm-ups, then 50 timed requests.

    .venv/bin/python bench/bench_dashboard.py [--indicators 200] [--years 10] [--runs 50]

Prints the median and p95 time in milliseconds and the number of queries per request.
The target is < 200 ms on SQLite.

Importable from tests (bench/ is not a package):

    spec = importlib.util.spec_from_file_location("bench_dashboard", path)
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    mod.create_synthetic(strategy, total=200, years=10)
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

LAST_FY = 2025
SYNTHETIC_PREFIX = "合成データ指標"

# Synthetic yearly values of the four Tsukuba KPIs, around their printed baselines.
KPI_START = {
    "gross-municipal-product": (Decimal(13500), Decimal(150)),
    "certification-applications": (Decimal(14), Decimal(1)),
    "new-founders": (Decimal(70), Decimal(1)),
    "employed-persons": (Decimal(138000), Decimal(900)),
}


def _emit(*args, **kwargs):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _result import emit

    emit(*args, **kwargs)


def _wiggle(i: int, fy: int) -> Decimal:
    """A deterministic, small irregularity so fitted lines have residuals."""
    return Decimal(((i * 7 + fy * 13) % 11) - 5) / Decimal(10)


def create_synthetic(strategy, *, total: int = 200, years: int = 10, last_fy: int = LAST_FY):
    """Add measure-level indicators so the strategy has `total` indicators in all, and give
    every indicator `years` fiscal years of observations up to `last_fy`. Bulk inserts:
    a handful of queries whatever the size. Returns the number of indicators."""
    from sangyo.indicators.models import (
        Indicator,
        Observation,
        ObservationRevision,
        TargetRevision,
    )
    from sangyo.strategy.models import Measure

    measures = list(Measure.objects.filter(strategy=strategy).order_by("number"))
    existing = Indicator.objects.filter(strategy=strategy).count()
    # Numbering continues, so calling again with a larger total adds to the same strategy.
    done = Indicator.objects.filter(strategy=strategy, code__startswith="synthetic-").count()
    new = []
    for n in range(done, done + max(0, total - existing)):
        measure = measures[n % len(measures)]
        new.append(
            Indicator(
                strategy=strategy,
                measure=measure,
                code=f"synthetic-{n + 1:04d}",
                level=Indicator.Level.MEASURE_OUTPUT if n % 3 else Indicator.Level.MEASURE_OUTCOME,
                name_ja=f"{SYNTHETIC_PREFIX} {n + 1:03d}（施策{measure.number}）",
                name_en=f"Synthetic indicator {n + 1:03d} (measure {measure.number})",
                unit_ja="件",
                unit_en="cases",
                kind=Indicator.Kind.FLOW,
                direction=Indicator.Direction.INCREASE,
                method=Indicator.Method.BASELINE_RELATIVE,
                source_ja="合成データ（ベンチマーク用）",
                source_en="Synthetic data (benchmark)",
                order=n,
            )
        )
    # bulk_create sets primary keys on PostgreSQL and SQLite ≥ 3.35.
    Indicator.objects.bulk_create(new)
    TargetRevision.objects.bulk_create(
        [
            TargetRevision(
                indicator=ind,
                baseline_value=Decimal(100),
                baseline_fy=2024,
                target_value=Decimal(150),
                target_fy=2029,
                decided_on=datetime.date(2025, 3, 1),
                reason="合成データ（ベンチマーク用の目標）",
                approved_by="合成データ",
            )
            for ind in new
        ]
    )

    first_fy = last_fy - years + 1
    observations = []
    unobserved = Indicator.objects.filter(strategy=strategy, observations__isnull=True)
    for i, ind in enumerate(unobserved.order_by("pk")):
        start, step = KPI_START.get(ind.code, (Decimal(80 + i % 7), Decimal(4 + i % 5)))
        for k, fy in enumerate(range(first_fy, last_fy + 1)):
            observations.append(
                Observation(
                    indicator=ind,
                    fiscal_year=fy,
                    value=start + step * k + _wiggle(i, fy),
                    status=Observation.Status.PRELIMINARY
                    if fy == last_fy
                    else Observation.Status.FINAL,
                    source="合成データ",
                    published_on=datetime.date(fy + 1, 9, 30),
                    note="合成データ",
                )
            )
    Observation.objects.bulk_create(observations, batch_size=500)
    # Every tenth new indicator's previous year was revised once (a vintage to show).
    revised = [o for o in observations if o.fiscal_year == last_fy - 1][::10]
    ObservationRevision.objects.bulk_create(
        [
            ObservationRevision(
                observation=o,
                value=o.value - 1,
                status=Observation.Status.PRELIMINARY,
                source="合成データ（速報）",
                published_on=datetime.date(last_fy, 6, 30),
            )
            for o in revised
        ]
    )
    return Indicator.objects.filter(strategy=strategy).count()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmups", type=int, default=3)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        from sangyo.strategy.schema import parse_strategy_file
        from sangyo.strategy.services import strategy_load

        doc = parse_strategy_file(ROOT / "strategies" / "tsukuba-2025.yaml")
        strategy = strategy_load(doc=doc, actor="bench", source_sha256="bench").strategy
        t0 = time.perf_counter()
        count = create_synthetic(strategy, total=args.indicators, years=args.years)
        setup_ms = (time.perf_counter() - t0) * 1000

        client = Client()
        for _ in range(args.warmups):
            assert client.get("/indicators/").status_code == 200
        times, cpu = [], []
        for _ in range(args.runs):
            t, c = time.perf_counter(), time.process_time()
            response = client.get("/indicators/")
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            assert response.status_code == 200
        # Counted on a separate request: capturing queries slows each one down a little.
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/indicators/").status_code == 200
        queries = len(ctx.captured_queries)
        # Floor: the page's own SELECTs replayed as raw SQL (the same figures, no ORM and
        # no template), measured as many times as the page.
        from _result import floor_ms

        floors = [floor_ms(lambda: client.get("/indicators/")) for _ in range(min(args.runs, 20))]
        floor = statistics.median(floors)
        print(f"floor (the page's SELECTs as raw SQL): median {floor:.1f} ms")
        size_kb = len(response.content) / 1024
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"database: {connection.vendor}")
        print(
            f"data: {count} indicators (synthetic), {args.years} fiscal years each "
            f"(created in {setup_ms:.0f} ms)"
        )
        print(f"page: /indicators/, {size_kb:.0f} KiB, {queries} queries per request")
        print(
            f"render: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
            f"min {times[0]:.1f} ms, max {times[-1]:.1f} ms ({args.runs} runs after "
            f"{args.warmups} warm-ups)"
        )
        # CPU time of this process: less sensitive than wall time to other work on the machine.
        print(
            f"cpu: median {statistics.median(cpu):.1f} ms per request (load {os.getloadavg()[0]:.1f})"
        )
        target = 200.0
        _emit(
            "KPI dashboard page",
            f"{args.indicators} indicators × {args.years} years",
            median=statistics.median(times),
            p95=p95,
            floor=floor,
            target=f"median < {target:.0f} ms",
            met=statistics.median(times) < target,
        )
        verdict = "OK" if statistics.median(times) < target else "SLOWER THAN TARGET"
        print(f"target: median < {target:.0f} ms on SQLite: {verdict}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

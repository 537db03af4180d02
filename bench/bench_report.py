"""Benchmark of the evaluation's annual report (PDF + Excel) for the whole strategy, with
SYNTHETIC data.

A fresh test database (SQLite in memory by default; DATABASE_URL selects another, as in the
test suite) gets the Tsukuba strategy, indicators with 10 years of observations
(bench_dashboard.create_synthetic), synthetic businesses 「合成データ株式会社…」 with support
records spread over every program in FY2025–FY2026 (bulk inserts: this is load, not a test of
the services), and the evaluation demo (settings, committee, sheets for FY2025–FY2026, some
published, one corrected). Then the report of FY2026 is built `--runs` times exactly as the
background job does (`report.build_report`: figures, WeasyPrint PDF, openpyxl workbook,
storage).

    .venv/bin/python bench/bench_report.py [--businesses 300] [--records 6000] [--runs 3]

Prints the time per report (median and p95), the number of pages and the file sizes. The
target is < 30 s on SQLite.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

TARGET_S = 30.0
KINDS = ["consultation", "subsidy", "event", "matching", "information"]


def _emit(*args, **kwargs):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _result import emit

    emit(*args, **kwargs)


def _dashboard_module():
    spec = importlib.util.spec_from_file_location(
        "bench_dashboard", ROOT / "bench" / "bench_dashboard.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def create_support(strategy, *, businesses: int, records: int) -> None:
    from sangyo.core.fiscal import fiscal_year
    from sangyo.registry.models import Business, SupportRecord
    from sangyo.strategy.models import Program

    firms = Business.objects.bulk_create(
        Business(name=f"合成データ株式会社{n:05d}", is_synthetic=True) for n in range(businesses)
    )
    programs = list(Program.objects.filter(measure__strategy=strategy).order_by("pk"))
    start = datetime.date(2025, 4, 1)
    rows = []
    for n in range(records):
        # Deterministic spread; a few programs get only one or two businesses (suppressed).
        program = programs[(n * 7) % len(programs)]
        firm = firms[(n * 13) % (2 if program.pk % 9 == 0 else len(firms))]
        day = start + datetime.timedelta(days=(n * 11) % 730)
        rows.append(
            SupportRecord(
                business=firm,
                program=program,
                date=day,
                fiscal_year=fiscal_year(day),
                kind=KINDS[n % len(KINDS)],
                is_synthetic=True,
            )
        )
    SupportRecord.objects.bulk_create(rows, batch_size=2000)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--businesses", type=int, default=300)
    parser.add_argument("--records", type=int, default=6000)
    parser.add_argument("--indicators", type=int, default=120)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fy", type=int, default=2026)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        from sangyo.evaluation.demo import load_demo
        from sangyo.evaluation.report import build_report
        from sangyo.strategy.schema import parse_strategy_file
        from sangyo.strategy.services import strategy_load

        doc = parse_strategy_file(ROOT / "strategies" / "tsukuba-2025.yaml")
        strategy = strategy_load(doc=doc, actor="bench", source_sha256="bench").strategy
        t0 = time.perf_counter()
        _dashboard_module().create_synthetic(strategy, total=args.indicators, years=10)
        create_support(strategy, businesses=args.businesses, records=args.records)
        summary = load_demo(strategy=strategy)
        setup_s = time.perf_counter() - t0

        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            report = build_report(strategy=strategy, fiscal_year=args.fy, actor="bench")
            times.append(time.perf_counter() - t)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"database: {connection.vendor}")
        print(
            f"data: {args.businesses} businesses, {args.records} support records, "
            f"{args.indicators} indicators, evaluation demo: {summary} (set up in {setup_s:.1f} s)"
        )
        print(
            f"report FY{args.fy}: {report.pages} pages, PDF {report.pdf.size / 1024:.0f} KiB, "
            f"Excel {report.xlsx.size / 1024:.0f} KiB"
        )
        print(
            f"time per report: median {statistics.median(times):.2f} s, p95 {p95:.2f} s, "
            f"min {times[0]:.2f} s, max {times[-1]:.2f} s ({args.runs} runs)"
        )
        _emit(
            "annual report (PDF + Excel)",
            f"{args.records:,} support records",
            median=statistics.median(times),
            p95=p95,
            unit="s",
            target=f"< {TARGET_S:.0f} s",
            met=p95 < TARGET_S,
        )
        verdict = "OK" if p95 < TARGET_S else "SLOWER THAN TARGET"
        print(f"target: < {TARGET_S:.0f} s on SQLite: {verdict}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

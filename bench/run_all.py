"""`make bench`: run every benchmark in bench/ and print one table of what they measured:
operation, scale, database, median, p95, the floor measured in the same run (the same
figures or rows as raw SQL: the page's own SELECTs replayed on the driver's cursor, the
aggregate as hand-written SQL, or COPY of the same rows into a scratch table), the ratio
(time ÷ the floor's time; for rows/s the floor's rate ÷ ours), the load average while it
ran (the machine may be busy: compare CPU time in each script's own output), and whether
the target is met. The annual report has no floor: it renders a PDF and a workbook, whose
cost is not in any query.

    make bench                                   # the default scales below
    BENCH_DATABASE_URL=postgres://…/sangyo_bench make bench
    .venv/bin/python bench/run_all.py --large    # 1,000,000 businesses, 10,000,000 records

Benchmarks that need PostgreSQL run on BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/sangyo_bench, created if missing); the others on SQLite
in a temporary data folder. Each script can also be run alone; see its docstring.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PYTHON = ROOT.parent / ".venv" / "bin" / "python"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/sangyo_bench"

# (script, arguments at the default scale, arguments at the large scale, needs PostgreSQL)
RUNS = [
    ("bench_dashboard.py", [], [], False),
    ("bench_report.py", ["--runs", "2"], ["--runs", "2"], False),
    (
        "bench_nta_import.py",
        ["--rows", "100000"],
        ["--rows", "100000", "--existing", "1000000"],
        True,
    ),
    ("bench_navigator_search.py", [], [], True),
    ("bench_matching.py", [], [], True),
    ("bench_search.py", ["--businesses", "100000"], ["--businesses", "1000000"], True),
    (
        "bench_outputs.py",
        ["--businesses", "100000"],
        ["--businesses", "1000000", "--records-per-business", "10"],
        True,
    ),
]


def _ensure_database(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", action="store_true")
    parser.add_argument("--only", default="", help="run only scripts whose name contains this")
    args = parser.parse_args()
    pg = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)
    _ensure_database(pg)
    results, failures = [], []
    for script, default, large, needs_pg in RUNS:
        if args.only and args.only not in script:
            continue
        with tempfile.TemporaryDirectory() as data:
            env = {**os.environ, "SANGYO_DATA_DIR": data, "PYTHONUNBUFFERED": "1"}
            env.pop("DATABASE_URL", None)
            if needs_pg:
                env["DATABASE_URL"] = pg
            started = time.monotonic()
            print(f"== {script}", flush=True)
            done = subprocess.run(
                [str(PYTHON), str(ROOT / script), *(large if args.large else default)],
                env=env,
                capture_output=True,
                text=True,
            )
            lines = [
                json.loads(line.removeprefix("BENCH-RESULT "))
                for line in done.stdout.splitlines()
                if line.startswith("BENCH-RESULT ")
            ]
            results += lines
            print(f"   {time.monotonic() - started:.0f} s, {len(lines)} figure(s)", flush=True)
            if not lines:
                failures.append(script)
                print(done.stdout[-1500:], done.stderr[-1500:], sep="\n")
    print()
    head = (
        f"{'operation':<36} {'scale':<34} {'db':<10} {'median':>9} {'p95':>9} {'floor':>9} "
        f"{'ratio':>6} {'load':>5}  target"
    )
    print(head)
    print("-" * len(head))
    for r in results:
        unit = r["unit"]
        med = f"{r['median']:.1f} {unit}"
        p95 = f"{r['p95']:.1f} {unit}" if r["p95"] is not None else "—"
        floor = f"{r['floor']:.1f} {unit}" if r["floor"] is not None else "—"
        # How many times the floor's time it takes: for a throughput (rows/s) the inverse.
        ratio = "—"
        if r["floor"]:
            value = r["floor"] / r["median"] if unit.endswith("/s") else r["median"] / r["floor"]
            ratio = f"{value:.2f}"
        verdict = "" if r["met"] is None else (" met" if r["met"] else " NOT met")
        print(
            f"{r['operation']:<36} {r['scale']:<34} {r['database']:<10} {med:>9} {p95:>9} "
            f"{floor:>9} {ratio:>6} {r.get('load', 0):>5.1f}  {r['target']}{verdict}"
        )
    if failures:
        print(f"\nno figures from: {', '.join(failures)}")
    return 1 if failures or any(r["met"] is False for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())

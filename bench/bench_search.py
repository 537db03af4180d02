"""Staff search over a large registry: is the first page of a search answered in < 100 ms
(95th percentile) on PostgreSQL?

It fills a SEPARATE database with synthetic businesses (sangyo/registry/synthetic.py: COPY,
derived fields computed by the services' own functions), runs ANALYZE, then times
representative searches through `search_businesses` + `page_of` (the first page, exactly what
the staff list runs) and prints the median and p95 per query type and overall, with the number
of SQL queries each search ran.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sangyo_bench \\
        .venv/bin/python bench/bench_search.py --businesses 1000000

The database is created when missing and migrated; businesses already there are reused (the
generator only adds the missing ones), `--reset` deletes the synthetic ones first. A database
whose name does not contain "bench" is refused unless `--force` is given, so the benchmark
cannot fill a working database with a million invented businesses.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sangyo_bench"
TARGET_MS = 100.0


def replay_ms(sqls):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _result import replay_ms as replay

    return replay([s for s in sqls if s.lstrip().upper().startswith(("SELECT", "WITH"))])


def _emit(*args, **kwargs):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _result import emit

    emit(*args, **kwargs)


def _load_generator():
    from sangyo.registry import synthetic

    return synthetic


def ensure_database(url: str) -> None:
    """CREATE DATABASE when the PostgreSQL database in `url` does not exist."""
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        return
    import psycopg
    from psycopg import sql

    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0–100)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil
    return ordered[int(rank) - 1]


def build_queries(rng: random.Random, gen, count: int, sample) -> list[tuple[str, dict]]:
    """(type, BusinessFilter fields) for `count` searches, spread evenly over the types."""
    import jaconv

    stems = [s for s in gen.STEMS if len(s[0]) >= 2]
    districts = sample["districts"]
    numbers = sample["numbers"]
    serials = sample["serials"]
    makers = {
        # One kanji stem: about 1/15 of all rows match.
        "name_kanji": lambda: {"q": rng.choice(stems)[0]},
        # Two stems: about 1/900 of all rows.
        "name_kanji_pair": lambda: {"q": rng.choice(stems)[0] + rng.choice(stems)[0]},
        "name_katakana": lambda: {"q": rng.choice(stems)[1]},
        "name_hiragana": lambda: {"q": jaconv.kata2hira(rng.choice(stems)[1])},
        "name_halfwidth": lambda: {"q": jaconv.z2h(rng.choice(stems)[1], kana=True)},
        # A serial number: one row (the case a trigram index must answer alone).
        "name_rare": lambda: {"q": rng.choice(serials)},
        "corporate_number_prefix": lambda: {"corporate_number": rng.choice(numbers)[: rng.randint(4, 9)]},
        "district_size": lambda: {
            "district": rng.choice(districts),
            "size": rng.choice(["small", "sme", "large"]),
        },
        "jsic_stage": lambda: {
            "jsic": rng.choice(gen.JSIC_CODES)[: rng.choice([2, 4])],
            "stage": rng.choice(["young", "established", "pre_founding"]),
        },
        "tag": lambda: {"tag": rng.choice([t for t, _ in gen.TAGS])},
        # The list's 大分類 select (the staff path only: search_businesses has no such filter).
        "jsic_major_size": lambda: {
            "extra": {"jsic_major": rng.choice(["E", "G", "I", "M", "N"])},
            "size": rng.choice(["small", "sme"]),
        },
        # Three or more characters that no name contains (a typo): the trigram index answers.
        "no_match": lambda: {"q": rng.choice(["ぬぬぬ", "存在しない社名", "ｷﾞﾝｶﾞ", "zzz"])},
        "kana_and_filters": lambda: {
            "q": rng.choice(stems)[1],
            "district": rng.choice(districts),
            "status": "active",
        },
    }  # fmt: skip
    types = list(makers)
    return [(types[i % len(types)], makers[types[i % len(types)]]()) for i in range(count)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--businesses", type=int, default=1_000_000)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--database-url", default=None, help=f"default: $DATABASE_URL or {DEFAULT_URL}"
    )
    parser.add_argument("--reset", action="store_true", help="delete synthetic businesses first")
    parser.add_argument("--force", action="store_true", help="allow a database not named *bench*")
    parser.add_argument(
        "--mode",
        choices=["staff", "baseline", "both"],
        default="both",
        help="time the staff list's query, search_businesses in kana order, or both",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print EXPLAIN ANALYZE of the slowest search per type",
    )
    args = parser.parse_args(argv)

    url = args.database_url or os.environ.get("DATABASE_URL") or DEFAULT_URL
    db_name = urlparse(url).path.lstrip("/")
    if "bench" not in db_name and not args.force:
        print(f"refusing to fill database {db_name!r}: its name must contain 'bench' (or --force)")
        return 2
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sangyo.registry.models import Business
    from sangyo.registry.selectors import (
        DEFAULT_SEARCH_SORT,
        BusinessFilter,
        page_of,
        search_businesses,
        staff_search,
    )

    print(f"database: {connection.vendor} {db_name}")
    call_command("migrate", verbosity=0)
    gen = _load_generator()

    if args.reset:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("TRUNCATE registry_business_tags, registry_business CASCADE")
            else:
                Business.tags.through.objects.all().delete()
                Business.objects.filter(is_synthetic=True).delete()
        print(f"reset in {time.perf_counter() - started:.1f} s")

    have = Business.objects.count()
    missing = args.businesses - have
    if missing > 0:
        print(f"{have:,} businesses present; generating {missing:,} …")

        def progress(done: int, seconds: float) -> None:
            print(
                f"  {done:>10,} rows  {seconds:7.1f} s  ({done / seconds:,.0f} rows/s)", flush=True
            )

        result = gen.load(missing, seed=args.seed, progress=progress)
        print(
            f"loaded {result.rows:,} businesses and {result.tags:,} tag links "
            f"in {result.seconds:.1f} s"
        )
    else:
        print(f"{have:,} businesses present; nothing to generate")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"ANALYZE in {time.perf_counter() - started:.1f} s")

    rng = random.Random(args.seed)
    sample_ids = [rng.randint(1, max(1, have + max(missing, 0))) for _ in range(200)]
    rows = list(Business.objects.filter(id__in=sample_ids).values_list("corporate_number", "name"))
    sample = {
        "districts": list(
            Business.objects.exclude(district=None)
            .values_list("district_id", flat=True)
            .distinct()
            .order_by("district_id")
        ),
        "numbers": [n for n, _ in rows if n] or ["1"],
        # The 7-digit serial in a synthetic name, e.g. 合成筑波精密工業0001234株式会社.
        "serials": ["".join(c for c in name if c.isdigit())[-7:] for _, name in rows] or ["1"],
    }
    queries = build_queries(rng, gen, args.searches, sample)

    def staff(fields: dict, sort: str | None = None):
        """What the staff list runs: its default order for a search unless one is given."""
        f = BusinessFilter(sort=sort or DEFAULT_SEARCH_SORT, **fields)
        qs = staff_search(f)
        return qs, page_of(qs, 1)

    def baseline(fields: dict, sort: str = "kana"):
        """`search_businesses` as it is, in kana order."""
        qs = search_businesses(Business.objects.all(), BusinessFilter(sort=sort, **fields))
        return qs, page_of(qs, 1)

    runners = {"staff": staff, "baseline": baseline}
    modes = ["staff", "baseline"] if args.mode == "both" else [args.mode]
    for _, fields in queries[:20]:  # warm the cache and the connection
        staff(fields)
    total = Business.objects.count()
    overall_p95 = {}
    slowest: dict[str, tuple[float, dict]] = {}
    for mode in modes:
        run = runners[mode]
        timings: dict[str, list[float]] = {}
        counts: dict[str, list[int]] = {}
        floors: list[float] = []
        for kind, fields in queries:
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                run(fields)
                ms = (time.perf_counter() - t0) * 1000
            # Floor: the same search's SELECTs (page and count) as raw SQL.
            floors.append(replay_ms([q["sql"] for q in ctx.captured_queries]))
            timings.setdefault(kind, []).append(ms)
            counts.setdefault(kind, []).append(len(ctx.captured_queries))
            if mode == modes[0] and ms > slowest.get(kind, (0.0, {}))[0]:
                slowest[kind] = (ms, fields)
        label = {
            "staff": f"staff list: staff_search + page_of, order {DEFAULT_SEARCH_SORT}",
            "baseline": "baseline: search_businesses + page_of, order kana",
        }[mode]
        print(f"\n{label}")
        print(f"{len(queries)} searches over {total:,} businesses, first page of 50")
        print(
            f"{'query type':<26}{'n':>4}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}{'queries':>9}"
        )
        everything = []
        for kind, values in timings.items():
            everything += values
            print(
                f"{kind:<26}{len(values):>4}{statistics.median(values):>11.1f}"
                f"{percentile(values, 95):>9.1f}{max(values):>9.1f}{max(counts[kind]):>9}"
            )
        overall_p95[mode] = percentile(everything, 95)
        print(
            f"{'overall':<26}{len(everything):>4}{statistics.median(everything):>11.1f}"
            f"{overall_p95[mode]:>9.1f}{max(everything):>9.1f}"
            f"{max(max(c) for c in counts.values()):>9}"
        )
        _emit(
            f"business search ({mode})",
            f"{total:,} businesses",
            median=statistics.median(everything),
            p95=overall_p95[mode],
            floor=statistics.median(floors),
            target=f"p95 < {TARGET_MS:.0f} ms",
            met=overall_p95[mode] < TARGET_MS,
        )
        verdict = "meets" if overall_p95[mode] < TARGET_MS else "MISSES"
        print(f"p95 {overall_p95[mode]:.1f} ms {verdict} the target of {TARGET_MS:.0f} ms")
    run = runners[modes[0]]

    if args.explain and connection.vendor == "postgresql":
        for kind, (ms, fields) in slowest.items():
            qs, _ = run(fields)
            print(f"\n--- {kind} ({ms:.1f} ms) {fields}")
            print(qs.select_related("district")[:51].explain(analyze=True, buffers=True))
    return 0 if overall_p95[modes[0]] < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())

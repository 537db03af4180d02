"""Suggested matches on a large board: does `selectors.suggestions_for` answer in < 100 ms
(95th percentile) with 50,000 published postings?

It fills a SEPARATE database with synthetic businesses and postings (bulk inserts, each
posting's term vector computed by the same `similarity.vector_of` the services use), builds
the in-memory index once (timed separately: it is rebuilt only when a posting changes), then
times suggestions for random postings and prints the median and p95 and the SQL queries per
call.

    .venv/bin/python bench/bench_matching.py                      # SQLite file in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sangyo_matching_bench \\
        .venv/bin/python bench/bench_matching.py --postings 50000

A database whose name does not contain "bench" is refused unless `--force` is given.
Postings already there are reused; `--reset` deletes the synthetic ones first.
"""

from __future__ import annotations

import argparse
import datetime
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

DEFAULT_URL = "sqlite:////tmp/sangyo_matching_bench.sqlite3"
TARGET_MS = 100.0

PHRASES = [
    "切削加工",
    "精密部品",
    "アルミ",
    "ステンレス",
    "樹脂成形",
    "金型",
    "溶接",
    "板金",
    "表面処理",
    "めっき",
    "塗装",
    "試作",
    "小ロット",
    "量産",
    "検査装置",
    "画像処理",
    "センサー",
    "IoT",
    "AI",
    "機械学習",
    "データ分析",
    "クラウド",
    "アプリ開発",
    "ウェブサイト制作",
    "組込みソフト",
    "電子回路",
    "基板設計",
    "ロボット",
    "自動化",
    "省力化",
    "食品加工",
    "賞味期限",
    "包装",
    "冷凍",
    "農産物",
    "米粉",
    "菓子",
    "酒造",
    "成分分析",
    "保存試験",
    "微生物",
    "医療機器",
    "バイオ",
    "創薬",
    "試薬",
    "分析機器",
    "計測",
    "光学",
    "レーザー",
    "真空",
    "半導体",
    "材料開発",
    "炭素繊維",
    "セラミックス",
    "電池",
    "水素",
    "太陽光",
    "省エネ",
    "断熱",
    "リフォーム",
    "設備工事",
    "配管",
    "物流",
    "配送",
    "倉庫",
    "翻訳",
    "通訳",
    "デザイン",
    "パッケージ",
    "ロゴ",
    "広報",
    "動画制作",
    "写真撮影",
    "人材育成",
    "研修",
    "経理",
    "労務",
    "知的財産",
    "特許",
    "補助金申請",
    "販路開拓",
    "輸出",
    "観光",
    "宿泊",
]
VERBS = {
    "order": "を発注したい",
    "research": "の共同研究先を探しています",
    "tech_consult": "について技術相談したい",
    "take_order": "を受注できます",
    "offer": "の技術を提供できます",
}
CATEGORIES = ["manufacturing", "it", "research", "food", "construction", "design", "services"]
REGIONS = ["city", "prefecture", "kanto", "nationwide"]


def replay_ms(sqls):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _result import replay_ms as replay

    return replay([s for s in sqls if s.lstrip().upper().startswith(("SELECT", "WITH"))])


def _emit(*args, **kwargs):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _result import emit

    emit(*args, **kwargs)


def ensure_database(url: str) -> None:
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        return
    import psycopg
    from psycopg import sql

    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def generate(n: int, rng: random.Random, business_ids: list[int]) -> list:
    from sangyo.matching.models import Posting
    from sangyo.matching.similarity import vector_of

    today = datetime.date.today()
    rows = []
    for i in range(n):
        purpose = rng.choice(list(VERBS))
        words = rng.sample(PHRASES, 6)
        title = f"合成データ {words[0]}・{words[1]}{VERBS[purpose]}"
        body = "、".join(words[1:5]) + f"に関する{rng.choice(['案件', '相談', 'ご提案'])}です。"
        keywords = "、".join(words[:3])
        rows.append(
            Posting(
                business_id=business_ids[i % len(business_ids)],
                kind="need" if purpose in Posting.NEED_PURPOSES else "seed",
                purpose=purpose,
                category=rng.choice(CATEGORIES),
                region=rng.choice(REGIONS),
                title_ja=title,
                body_ja=body,
                keywords=keywords,
                starts_on=today - datetime.timedelta(days=rng.randint(0, 60)),
                ends_on=today + datetime.timedelta(days=rng.randint(1, 120)),
                contact_consent=True,
                status="published",
                vector=vector_of(title, body, keywords),
                is_synthetic=True,
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postings", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--database-url", default="")
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
    from django.utils.timezone import now as django_now

    from sangyo.matching import selectors, services
    from sangyo.matching.models import Posting
    from sangyo.registry.models import Business

    print(f"database: {connection.vendor} {db_name}")
    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    if args.reset:
        Posting.objects.filter(is_synthetic=True).delete()
    have = Posting.objects.filter(status="published").count()
    if have < args.postings:
        businesses = list(
            Business.objects.filter(is_synthetic=True).values_list("pk", flat=True)[:500]
        )
        if len(businesses) < 500:
            Business.objects.bulk_create(
                Business(name=f"合成データ ベンチ株式会社{i:04d}", is_synthetic=True)
                for i in range(500 - len(businesses))
            )
            businesses = list(
                Business.objects.filter(is_synthetic=True).values_list("pk", flat=True)[:500]
            )
        started = time.perf_counter()
        todo = args.postings - have
        for start in range(0, todo, 5000):
            Posting.objects.bulk_create(generate(min(5000, todo - start), rng, businesses))
        print(f"generated {todo} postings in {time.perf_counter() - started:.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE matching_posting")
    total = Posting.objects.filter(status="published").count()
    print(f"published postings: {total}")

    services.bump_index_version()
    started = time.perf_counter()
    built = selectors.indexes()
    build_s = time.perf_counter() - started
    print(
        f"full index build: {build_s * 1000:.0f} ms "
        f"({', '.join(f'{k} {v.size}' for k, v in built.items())})"
    )

    pks = list(Posting.objects.filter(status="published").values_list("pk", flat=True))
    sample = Posting.objects.in_bulk(rng.sample(pks, min(args.queries, len(pks))))
    timings, queries, found, floors = [], [], [], []
    for posting in sample.values():
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            result = selectors.suggestions_for(posting)
            timings.append((time.perf_counter() - started) * 1000)
        queries.append(len(ctx.captured_queries))
        # Floor: the candidates' query (what suggestions_for reads) as raw SQL.
        floors.append(replay_ms([q["sql"] for q in ctx.captured_queries]))
        found.append(len(result))
    median, p95 = statistics.median(timings), percentile(timings, 95)
    print(
        f"suggestions_for × {len(timings)}: median {median:.1f} ms, p95 {p95:.1f} ms, "
        f"max {max(timings):.1f} ms; queries per call {min(queries)}–{max(queries)}; "
        f"suggestions per call {min(found)}–{max(found)}"
    )

    # After a change (a posting published elsewhere): the next call applies the change to
    # the index instead of rebuilding it.
    after = []
    for posting in list(sample.values())[:20]:
        changed = Posting.objects.filter(pk=rng.choice(pks)).first()
        Posting.objects.filter(pk=changed.pk).update(updated_at=django_now())
        services.bump_index_version()
        started = time.perf_counter()
        selectors.suggestions_for(posting)
        after.append((time.perf_counter() - started) * 1000)
    print(
        f"first call after a change × {len(after)}: median {statistics.median(after):.1f} ms, "
        f"p95 {percentile(after, 95):.1f} ms"
    )
    _emit(
        "matching suggestions",
        f"{total:,} postings",
        median=median,
        p95=p95,
        floor=statistics.median(floors),
        target=f"p95 < {TARGET_MS:.0f} ms",
        met=p95 < TARGET_MS,
    )
    verdict = "OK" if p95 < TARGET_MS else "TOO SLOW"
    print(f"target p95 < {TARGET_MS:.0f} ms: {verdict}")
    return 0 if p95 < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())

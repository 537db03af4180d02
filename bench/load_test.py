"""Load test of the production profile on loopback (issue: 50 users for 5 minutes, no
errors, p99 < 500 ms, memory flat; requests per second and the ratio to a minimal view).

    .tools/bin/uv sync --group bench      # locust is in the optional "bench" group
    .venv/bin/python bench/load_test.py                     # 50 users, 300 s
    .venv/bin/python bench/load_test.py --users 20 --duration 60

It fills a SEPARATE PostgreSQL database (default sangyo_loadtest; its name must contain
"loadtest" or "bench") with the synthetic demo data, starts `scripts/serve-prod.sh` (gunicorn,
Celery worker and beat on Redis) and runs locust headless against it in three phases:

1. the public mix (bench/locustfile.py: pages, navigator, search, API) with think time,
   for the duration: errors, latency percentiles, memory of the web workers over time;
2. the same mix without think time for --saturate seconds: the most requests per second;
3. `/healthz` only, without think time: the floor (the same server, no database, no
   template), so 2 ÷ 3 says how much of the capacity the pages themselves cost.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _rss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def _web_pids(port: int) -> list[int]:
    master = subprocess.run(
        ["pgrep", "-f", f"gunicorn config.wsgi --bind 127.0.0.1:{port}"],
        capture_output=True,
        text=True,
    ).stdout.split()
    pids = [int(p) for p in master]
    for m in master:
        pids += [
            int(p)
            for p in subprocess.run(
                ["pgrep", "-P", m], capture_output=True, text=True
            ).stdout.split()
        ]
    return sorted(set(pids))


def _locust(
    site: str, users: int, seconds: int, user_class: str, prefix: Path, no_wait: bool
) -> list[dict]:
    env = dict(os.environ)
    if no_wait:
        env["LOCUST_NO_WAIT"] = "1"
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            user_class,
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(1, users // 5)),
            "--run-time",
            f"{seconds}s",
            "--host",
            site,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env=env,
        check=False,
        capture_output=True,
    )
    with open(f"{prefix}_stats.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def _row(r: dict) -> tuple:
    return (
        r["Name"],
        int(r["Request Count"]),
        int(r["Failure Count"]),
        float(r["Requests/s"]),
        float(r["50%"] or 0),
        float(r["95%"] or 0),
        float(r["99%"] or 0),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=300, help="seconds of the main phase")
    parser.add_argument("--saturate", type=int, default=30, help="seconds of each saturation phase")
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/sangyo_loadtest"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    args = parser.parse_args()
    name = urlparse(args.database_url).path.lstrip("/")
    if "loadtest" not in name and "bench" not in name:
        print(f"refusing database {name!r}: its name must contain 'loadtest' or 'bench'")
        return 2
    if not (BIN / "locust").exists():
        print("locust is not installed: .tools/bin/uv sync --group bench")
        return 2
    _ensure_database(args.database_url)
    work = Path(os.environ.get("TMPDIR", "/tmp")) / f"sangyo-loadtest-{os.getpid()}"
    work.mkdir(parents=True)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "SANGYO_DATA_DIR": str(work / "data"),
        "PORT": str(port),
        "WEB_WORKERS": str(args.web_workers),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "load-test-only",
        "LOG_LEVEL": "WARNING",
        # Every simulated user comes from 127.0.0.1, so the per-IP limits that protect the
        # public forms, search and API would turn the load into 429s: lift them for the run.
        "SANGYO_RATELIMIT_PUBLIC_FORM": "1000000/m",
        "SANGYO_RATELIMIT_SEARCH": "1000000/m",
        "SANGYO_RATELIMIT_API": "1000000/m",
    }
    print("== synthetic demo data (合成データ) …", flush=True)
    subprocess.run(
        [str(BIN / "sangyo"), "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
    )
    demo = subprocess.run(
        [str(BIN / "sangyo"), "demo"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if demo.returncode:  # say why: the output is otherwise only the demo's summary
        sys.stderr.write(demo.stdout[-4000:] + demo.stderr[-4000:])
        raise SystemExit(f"sangyo demo failed (exit {demo.returncode})")
    log = (work / "serve.log").open("w")
    server = subprocess.Popen(
        [str(ROOT / "scripts" / "serve-prod.sh")],
        env={k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"},
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    site = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{site}/readyz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(1)
        else:
            print((work / "serve.log").read_text()[-3000:])
            return 1
        pids = _web_pids(port)
        memory: list[tuple[float, int]] = []
        stop = threading.Event()

        def sample():
            started = time.monotonic()
            while not stop.wait(5):
                memory.append((time.monotonic() - started, _rss_kib(pids)))

        print(f"== phase 1: {args.users} users with think time, {args.duration} s", flush=True)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        main_rows = _locust(site, args.users, args.duration, "Public", work / "main", False)
        stop.set()
        print(f"== phase 2: the same mix without think time, {args.saturate} s", flush=True)
        sat_rows = _locust(site, args.users, args.saturate, "Public", work / "sat", True)
        print(f"== phase 3: /healthz without think time, {args.saturate} s", flush=True)
        floor_rows = _locust(site, args.users, args.saturate, "Floor", work / "floor", True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        log.close()

    print()
    print(
        f"{'endpoint':<28} {'requests':>9} {'errors':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    )
    total = None
    for r in main_rows:
        row = _row(r)
        if r["Name"] == "Aggregated":
            total = row
            continue
        print(
            f"{row[0]:<28} {row[1]:>9,} {row[2]:>7} {row[3]:>7.1f} {row[4]:>7.0f} {row[5]:>7.0f} {row[6]:>7.0f}"
        )
    print(
        f"{'ALL':<28} {total[1]:>9,} {total[2]:>7} {total[3]:>7.1f} {total[4]:>7.0f} {total[5]:>7.0f} {total[6]:>7.0f}"
    )
    sat = next(_row(r) for r in sat_rows if r["Name"] == "Aggregated")
    floor = next(_row(r) for r in floor_rows if r["Name"] == "Aggregated")
    print()
    print(
        f"saturation: public mix {sat[3]:.0f} req/s (p99 {sat[6]:.0f} ms); minimal view /healthz {floor[3]:.0f} req/s"
    )
    print(f"ratio public mix ÷ minimal view: {sat[3] / floor[3]:.2f}")
    if memory:
        third = max(1, len(memory) // 3)
        first = statistics.mean(m for _, m in memory[:third]) / 1024
        last = statistics.mean(m for _, m in memory[-third:]) / 1024
        print(
            f"web workers' memory (RSS, {len(pids)} processes): first third {first:.0f} MiB, "
            f"last third {last:.0f} MiB ({(last - first) / first * 100:+.1f} %)"
        )
    ok = total[2] == 0 and total[6] < 500
    print(f"target (no errors, p99 < 500 ms): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

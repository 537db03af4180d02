"""The production profile end to end, on PostgreSQL and Redis (CI): `scripts/serve-prod.sh`
starts gunicorn, a Celery worker and Celery beat; the test serves pages, runs a background job
through Redis and the worker, stops the stack cleanly, then backs the database and uploaded
files up and restores them into an empty database, comparing every table and file checksum.

Skipped unless DATABASE_URL points at PostgreSQL and REDIS_URL is set (`.ci/run` sets both).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = pytest.mark.skipif(
    not (DATABASE_URL.startswith("postgres") and REDIS_URL),
    reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL), as in CI",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 10) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


def _psql(sql: str) -> None:
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def _db_fingerprint(url: str) -> dict:
    import psycopg

    from sangyo.core.backup import fingerprint_tables

    with psycopg.connect(url) as conn, conn.cursor() as cur:
        return fingerprint_tables(cur, "postgresql")


@pytest.fixture
def stack(tmp_path):
    """A fresh database and data folder for the production profile; dropped afterwards."""
    suffix = f"{os.getpid()}_{int(time.time())}"
    names = {"main": f"sangyo_smoke_{suffix}", "restore": f"sangyo_restore_{suffix}"}
    base = DATABASE_URL.rsplit("/", 1)[0]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
        "DATABASE_URL": f"{base}/{names['main']}",
        "REDIS_URL": REDIS_URL.rsplit("/", 1)[0] + "/9",
        "SANGYO_DATA_DIR": str(tmp_path / "data"),
        "PORT": str(_free_port()),
        "WEB_WORKERS": "2",
        "LOG_FORMAT": "json",
    }
    yield env, names, base
    for name in names.values():
        _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _sangyo(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "sangyo"), *args],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": "t"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_production_profile_serves_runs_a_job_stops_and_restores(stack, tmp_path):
    env, names, base = stack
    site = f"http://127.0.0.1:{env['PORT']}"
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [str(ROOT / "scripts" / "serve-prod.sh")],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        ready = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                ready = _get(f"{site}/readyz", timeout=2)
            except OSError:
                ready = None
            if ready and ready[0] == 200:
                break
            time.sleep(1)
        assert ready and ready[0] == 200, (tmp_path / "serve.log").read_text()[-3000:]
        checks = json.loads(ready[1])["checks"]
        assert checks["database"]["ok"] and checks["redis"]["ok"]

        # Pages, static files (whitenoise, compressed and cached) and the API.
        pages = {
            "/": "つくば",
            "/strategy/": "施策",
            "/strategy/measures/01/": "施策01",
            "/indicators/": "指標",
            "/events/": "イベント",
        }
        for path, text in pages.items():
            status, body, _ = _get(site + path)
            assert status == 200, path
            assert text in body.decode(), path
        status, body, headers = _get(f"{site}/api/v1/strategy")
        assert status == 200 and json.loads(body)["code"] == "tsukuba-2025"
        status, body, headers = _get(f"{site}/healthz")
        assert status == 200
        status, _, _ = _get(f"{site}/no-such-page/")
        assert status == 404
        import re

        css = re.search(
            r'href="(/static/sangyo/sangyo\.[0-9a-f]+\.css)"', _get(site + "/")[1].decode()
        )
        assert css, "the stylesheet is served under its hashed name"
        css = css.group(1)
        status, _, headers = _get(site + css)
        assert status == 200 and "max-age" in headers.get("Cache-Control", "")

        # A background job goes through Redis to the Celery worker and back.
        done = _sangyo(env, "jobs", "ping", "--wait", "60")
        assert done.returncode == 0, done.stderr
        assert "succeeded: pong from" in done.stdout

        # An uploaded file, so the backup has files to carry.
        media = Path(env["SANGYO_DATA_DIR"]) / "media" / "uploads"
        media.mkdir(parents=True)
        (media / "合成データ.pdf").write_bytes(b"%PDF-1.4 synthetic\n" * 100)
    finally:
        os.killpg(proc.pid, signal.SIGTERM) if proc.poll() is None else None
        try:
            code = proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
        log.close()
    text = (tmp_path / "serve.log").read_text()
    assert "== stopped" in text, text[-3000:]
    assert code in (0, 143), text[-3000:]
    # Nothing of the stack is left running.
    leftover = subprocess.run(
        ["pgrep", "-f", f"--bind 127.0.0.1:{env['PORT']}"], capture_output=True, text=True
    )
    assert leftover.stdout.strip() == ""
    # Logs of the app are structured: one JSON object a line.
    json_lines = [json.loads(line) for line in text.splitlines() if line.startswith('{"time"')]
    assert json_lines and all({"level", "logger", "message"} <= set(j) for j in json_lines)

    # Backup, then restore into an empty database and an empty data folder.
    before = _db_fingerprint(f"{base}/{names['main']}")
    backup_dir = tmp_path / "backup"
    done = _sangyo(env, "backup", str(backup_dir))
    assert done.returncode == 0, done.stderr
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    assert manifest["tables"]["strategy_measure"]["rows"] == 17
    assert "uploads/合成データ.pdf" in manifest["files"]

    _psql(f'CREATE DATABASE "{names["restore"]}"')
    restored_env = {
        **env,
        "DATABASE_URL": f"{base}/{names['restore']}",
        "SANGYO_DATA_DIR": str(tmp_path / "restored"),
    }
    done = _sangyo(restored_env, "restore", str(backup_dir))
    assert done.returncode == 0, done.stderr
    assert "すべて一致します" in done.stdout
    # Independently of the manifest: the restored database holds the rows the source held
    # when it was backed up (the backup's own audit event came after), table by table.
    assert _db_fingerprint(f"{base}/{names['restore']}") == before
    restored_file = tmp_path / "restored" / "media" / "uploads" / "合成データ.pdf"
    assert restored_file.read_bytes() == (media / "合成データ.pdf").read_bytes()

    # A second restore into the now non-empty database is refused, and writes nothing.
    done = _sangyo(restored_env, "restore", str(backup_dir))
    assert done.returncode != 0
    assert "空ではありません" in done.stderr

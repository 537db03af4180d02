"""Backups carry every table and file with checksums that catch any difference; readiness
reports each dependency; structured logs are one JSON object a line."""

import json
import logging
import sqlite3

import pytest
from django.db import connection

from sangyo.core import backup
from sangyo.core.jobs import PING_JOB, execute, job_start
from sangyo.core.logging import JsonFormatter

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite copy path")
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_copies_every_table_and_file_and_a_changed_row_is_caught(
    tsukuba, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "a").mkdir(parents=True)
    (tmp_path / "media" / "a" / "合成.txt").write_text("合成データ")
    manifest = backup.backup(tmp_path / "out")
    assert manifest["tables"]["strategy_measure"]["rows"] == 17
    assert list(manifest["files"]) == ["a/合成.txt"]

    copy = sqlite3.connect(tmp_path / "out" / "database.sqlite3")
    cursor = copy.cursor()
    assert backup.fingerprint_tables(cursor, "sqlite") == manifest["tables"]
    cursor.execute(
        "UPDATE strategy_measure SET name_ja = name_ja || '!' WHERE id = (SELECT min(id) FROM strategy_measure)"
    )
    problems = backup.compare(manifest["tables"], backup.fingerprint_tables(cursor, "sqlite"))
    assert len(problems) == 1 and problems[0].startswith("strategy_measure:")
    copy.close()

    with pytest.raises(backup.BackupError, match="空ではありません"):
        backup.backup(tmp_path / "out")


def test_row_order_does_not_change_a_fingerprint_but_a_value_does():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (id INTEGER, v TEXT)")
    db.executemany("INSERT INTO t VALUES (?, ?)", [(1, "あ"), (2, "い")])
    first = backup.fingerprint_tables(db.cursor(), "sqlite")
    db.execute("DELETE FROM t")
    db.executemany("INSERT INTO t VALUES (?, ?)", [(2, "い"), (1, "あ")])
    assert backup.fingerprint_tables(db.cursor(), "sqlite") == first
    db.execute("UPDATE t SET v = 'う' WHERE id = 2")
    assert backup.fingerprint_tables(db.cursor(), "sqlite") != first


def test_restore_refuses_a_missing_or_foreign_backup(tmp_path):
    with pytest.raises(backup.BackupError, match=r"manifest\.json"):
        backup.restore(tmp_path)
    (tmp_path / "manifest.json").write_text(json.dumps({"format": 99}))
    with pytest.raises(backup.BackupError, match="形式"):
        backup.restore(tmp_path)


def test_readyz_reports_a_broken_redis_with_503(client, settings):
    assert client.get("/readyz").json()["checks"]["database"]["ok"] is True
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"]["ok"] is False
    assert "127.0.0.1:1" not in response.content.decode()  # no connection details


def test_ping_job_runs_and_reports(settings):
    job = job_start(kind=PING_JOB, actor="test")
    job = execute(job.pk)
    assert job.status == "succeeded"
    assert job.message.startswith("pong from ")


def test_json_log_lines_carry_level_logger_message_and_extras():
    record = logging.makeLogRecord(
        {"name": "sangyo.x", "levelname": "WARNING", "msg": "合成 %s", "args": ("データ",)}
    )
    record.job = 7
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "WARNING" and line["logger"] == "sangyo.x"
    assert line["message"] == "合成 データ" and line["job"] == 7

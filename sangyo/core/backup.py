"""Backup and restore of the database and the uploaded files, with checksums.

`sangyo backup DIR` writes DIR/database.dump (PostgreSQL, `pg_dump --format=custom`) or
DIR/database.sqlite3 (SQLite, the online backup API), DIR/media.tar.gz (MEDIA_ROOT) and
DIR/manifest.json: the row count and a SHA-256 of every table's rows, and the SHA-256 of
every uploaded file. `sangyo restore DIR` loads them into an EMPTY database and media
folder, then recomputes every checksum and compares it with the manifest; any difference
is reported table by table and file by file, and the command fails.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or restore could not be made; the message says why and what to do."""


# --- fingerprints ---------------------------------------------------------------------


def _value(v: Any) -> str:
    """A text form of a column value that is the same whichever database returned it."""
    if v is None:
        return "\\N"
    if isinstance(v, memoryview | bytes | bytearray):
        return "b:" + bytes(v).hex()
    if isinstance(v, bool):
        return "t" if v else "f"
    if isinstance(v, datetime.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(datetime.UTC).replace(tzinfo=None)
        return v.isoformat()
    if isinstance(v, datetime.date | datetime.time | uuid.UUID | decimal.Decimal):
        return str(v)
    if isinstance(v, dict | list):
        return json.dumps(v, sort_keys=True, ensure_ascii=False)
    return str(v)


def table_names(cursor, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        )
    return [r[0] for r in cursor.fetchall()]


def _columns(cursor, vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
            [table],
        )
        return [r[0] for r in cursor.fetchall()]
    cursor.execute(f'PRAGMA table_info("{table}")')
    return [r[1] for r in cursor.fetchall()]


def fingerprint_tables(cursor, vendor: str) -> dict[str, dict]:
    """{table: {"rows": n, "sha256": …}} over every row and column. Each row is hashed and
    the hashes are added modulo 2^256, so the result does not depend on the order rows come
    back in, and a table of millions of rows streams through in constant memory."""
    out = {}
    for table in table_names(cursor, vendor):
        cols = _columns(cursor, vendor, table)
        if vendor == "sqlite":
            # As stored, whatever type conversion the connection was opened with.
            quoted = ", ".join(
                f"""CASE typeof("{c}") WHEN 'blob' THEN 'b:' || hex("{c}") """
                f"""ELSE typeof("{c}") || ':' || CAST("{c}" AS TEXT) END"""
                for c in cols
            )
        else:
            quoted = ", ".join(f'"{c}"' for c in cols)
        cursor.execute(f'SELECT {quoted} FROM "{table}"')
        total, rows = 0, 0
        while batch := cursor.fetchmany(5000):
            for row in batch:
                line = "\t".join(_value(v) for v in row).encode("utf-8")
                total = (total + int.from_bytes(hashlib.sha256(line).digest())) % _MODULUS
                rows += 1
        out[table] = {"rows": rows, "sha256": f"{total:064x}"}
    return out


_MODULUS = 1 << 256


def fingerprint_files(root: Path) -> dict[str, str]:
    out = {}
    if not root.exists():
        return out
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        out[path.relative_to(root).as_posix()] = digest.hexdigest()
    return out


def compare(expected: dict, found: dict) -> list[str]:
    """Differences between two fingerprint maps, as sentences (empty when identical)."""
    problems = []
    for key in sorted(set(expected) | set(found)):
        if key not in found:
            problems.append(f"{key}: 復元先にありません")
        elif key not in expected:
            problems.append(f"{key}: バックアップにないものが復元先にあります")
        elif expected[key] != found[key]:
            problems.append(f"{key}: 内容が一致しません（{expected[key]} ≠ {found[key]}）")
    return problems


# --- database commands ----------------------------------------------------------------


@dataclass
class Target:
    vendor: str
    name: str
    env: dict[str, str]


def _target() -> Target:
    db = settings.DATABASES["default"]
    vendor = connection.vendor
    env = dict(os.environ)
    if vendor == "postgresql":
        for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
            if db.get(key):
                env[var] = str(db[key])
        if db.get("PASSWORD"):
            env["PGPASSWORD"] = str(db["PASSWORD"])
        env["PGDATABASE"] = db["NAME"]
    elif vendor != "sqlite":
        raise BackupError(f"対応していないデータベースです: {vendor}")
    return Target(vendor, str(db["NAME"]), env)


def _run(args: list[str], env: dict[str, str]) -> None:
    if shutil.which(args[0]) is None:
        raise BackupError(
            f"{args[0]} が見つかりません。PostgreSQL のクライアント（postgresql-client）を入れてください"
        )
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{args[0]} が失敗しました: {done.stderr.strip()[:2000]}")


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def backup(dest: Path) -> dict:
    """Write a backup into `dest` (created; must be empty). Returns the manifest."""
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} は空ではありません。新しいフォルダを指定してください")
    dest.mkdir(parents=True, exist_ok=True)
    target = _target()
    with connection.cursor() as cursor:
        tables = fingerprint_tables(cursor, target.vendor)
    if target.vendor == "postgresql":
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(dest / "database.dump"),
            ],
            target.env,
        )
        database_file = "database.dump"
    else:
        if connection.in_atomic_block:
            # SQLite's backup would wait for our own open transaction forever.
            raise BackupError("トランザクションの中ではバックアップできません")
        connection.ensure_connection()
        out = sqlite3.connect(dest / "database.sqlite3")
        try:
            connection.connection.backup(out)
        finally:
            out.close()
        database_file = "database.sqlite3"
    media = _media_root()
    files = fingerprint_files(media)
    with tarfile.open(dest / "media.tar.gz", "w:gz") as tar:
        for rel in files:
            tar.add(media / rel, arcname=rel)
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "vendor": target.vendor,
        "database_file": database_file,
        "tables": tables,
        "files": files,
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), "utf-8")
    return manifest


def read_manifest(src: Path) -> dict:
    path = Path(src) / MANIFEST
    if not path.exists():
        raise BackupError(f"{path} がありません。sangyo backup で作ったフォルダを指定してください")
    manifest = json.loads(path.read_text("utf-8"))
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError("このバックアップの形式には対応していません")
    return manifest


def _database_is_empty(target: Target) -> bool:
    with connection.cursor() as cursor:
        return not table_names(cursor, target.vendor)


def restore(src: Path) -> list[str]:
    """Restore `src` into the configured, EMPTY database and media folder, then verify.
    Returns the differences found (empty: every table and file is identical)."""
    src = Path(src)
    manifest = read_manifest(src)
    target = _target()
    if manifest["vendor"] != target.vendor:
        raise BackupError(
            f"バックアップは {manifest['vendor']} 用です。復元先は {target.vendor} です"
        )
    if not _database_is_empty(target):
        raise BackupError(
            "復元先のデータベースが空ではありません。空のデータベースを用意してから復元してください"
        )
    media = _media_root()
    if media.exists() and any(p.is_file() for p in media.rglob("*")):
        raise BackupError(f"アップロードファイルの保存先 {media} が空ではありません")
    if target.vendor == "postgresql":
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--dbname",
                target.name,
                str(src / manifest["database_file"]),
            ],
            target.env,
        )
    else:
        connection.close()
        source = sqlite3.connect(src / manifest["database_file"])
        out = sqlite3.connect(target.name)
        try:
            source.backup(out)
        finally:
            source.close()
            out.close()
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(src / "media.tar.gz", "r:gz") as tar:
        tar.extractall(media, filter="data")
    return verify(manifest)


def verify(manifest: dict) -> list[str]:
    """Compare the live database and media folder with a manifest."""
    connection.close()
    with connection.cursor() as cursor:
        tables = fingerprint_tables(cursor, connection.vendor)
    return compare(manifest["tables"], tables) + compare(
        manifest["files"], fingerprint_files(_media_root())
    )

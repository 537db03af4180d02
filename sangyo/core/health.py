"""Readiness checks for `/readyz` and `sangyo check-ready`: each returns ok and how long it
took, never raises, and never shows connection strings or passwords."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection


def _timed(fn) -> dict:
    started = time.perf_counter()
    try:
        fn()
    except Exception as exc:  # a readiness probe reports, it does not crash
        return {"ok": False, "error": type(exc).__name__, "ms": _ms(started)}
    return {"ok": True, "ms": _ms(started)}


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _redis() -> None:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def readiness() -> dict[str, dict]:
    checks = {"database": _timed(_database)}
    if settings.REDIS_URL:
        checks["redis"] = _timed(_redis)
    return checks

"""Read-replica routing (docs/operations.md, "Read replica").

When `DATABASE_REPLICA_URL` is set, settings define a second database alias, `replica`, and
turn `SANGYO_READ_REPLICA` on. Then:

- writes always go to `default` (the primary);
- reads go to the replica, except
  - inside a transaction on the primary (services are @transaction.atomic: what they read
    decides what they write, and select_for_update must lock the primary's rows),
  - for the rest of a request that is not GET/HEAD/OPTIONS, or once anything was written
    during the request (read-your-writes within the request),
  - for SANGYO_REPLICA_PIN_SECONDS (default 10) after a request that wrote, by a cookie,
    so that the page a form redirects to shows what was just saved even when the replica
    lags a little behind;
- background jobs and management commands read from the replica until they write once,
  then from the primary for the rest of the task (ReplicaPinMiddleware is for requests;
  `pinned_to_primary()` is the same for code that is not).

Migrations run on the primary only; the replica follows by replication.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Iterator

from django.conf import settings
from django.db import connections

REPLICA = "replica"
PRIMARY = "default"
COOKIE = "sangyo_primary"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

_pinned: contextvars.ContextVar[bool] = contextvars.ContextVar("sangyo_db_pinned", default=False)
_wrote: contextvars.ContextVar[bool] = contextvars.ContextVar("sangyo_db_wrote", default=False)


def replica_enabled() -> bool:
    return bool(getattr(settings, "SANGYO_READ_REPLICA", False)) and REPLICA in settings.DATABASES


def pin_seconds() -> int:
    return int(getattr(settings, "SANGYO_REPLICA_PIN_SECONDS", 10))


@contextlib.contextmanager
def pinned_to_primary() -> Iterator[None]:
    """Every read inside goes to the primary."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not replica_enabled() or _pinned.get() or _wrote.get():
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        if replica_enabled():
            _wrote.set(True)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the very same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class ReplicaPinMiddleware:
    """Pins a request's reads to the primary when it must read its own writes (see above)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_enabled():
            return self.get_response(request)
        recent = _cookie_until(request) > time.time()
        pinned = _pinned.set(request.method not in SAFE_METHODS or recent)
        wrote = _wrote.set(False)
        try:
            response = self.get_response(request)
            if _wrote.get() or request.method not in SAFE_METHODS:
                seconds = pin_seconds()
                response.set_cookie(
                    COOKIE,
                    str(int(time.time()) + seconds),
                    max_age=seconds,
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
            return response
        finally:
            _wrote.reset(wrote)
            _pinned.reset(pinned)


def _cookie_until(request) -> float:
    try:
        return float(request.COOKIES.get(COOKIE, "0"))
    except ValueError:
        return 0.0

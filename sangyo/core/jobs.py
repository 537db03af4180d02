"""Background jobs with progress.

An app registers a handler for a job kind (`register_job("registry.nta_import", fn)`); a
service starts a job with `job_start(...)`; the handler receives the job and a `progress`
callable. Handlers must be safe to retry: a failed job can be started again with the same
input and either completes or fails the same way, never half-applies (handlers do their
writes in one transaction).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from .audit import audit
from .models import Job

Handler = Callable[[Job, "Progress"], dict[str, Any]]
_HANDLERS: dict[str, Handler] = {}


def register_job(kind: str, handler: Handler) -> None:
    _HANDLERS[kind] = handler


class Progress:
    """Reports progress to the cache, at most a few times a second."""

    def __init__(self, job: Job):
        self.job = job
        self._last = 0.0

    def __call__(self, done: int, total: int, message: str = "", *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < 0.3 and done < total:
            return
        self._last = now
        cache.set(progress_key(self.job.pk), (done, total, message), timeout=24 * 3600)


def progress_key(job_id: int) -> str:
    return f"sangyo:job:{job_id}:progress"


def job_progress(job: Job) -> tuple[int, int, str]:
    """Live progress when running, the stored outcome otherwise."""
    if job.status == Job.Status.RUNNING:
        live = cache.get(progress_key(job.pk))
        if live:
            return live
    return job.progress_done, job.progress_total, job.message


def job_start(
    *,
    kind: str,
    actor: Any,
    params: dict[str, Any] | None = None,
    data: bytes | None = None,
    filename: str = "",
) -> Job:
    """Create a job (saving its input file) and queue it once the caller's transaction commits."""
    if kind not in _HANDLERS:
        raise ValueError(f"no handler registered for job kind {kind!r}")
    path = ""
    if data is not None:
        path = default_storage.save(f"jobs/{uuid.uuid4().hex}", ContentFile(data))
    job = Job.objects.create(
        kind=kind,
        params=params or {},
        input_file=path,
        input_name=filename[:300],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit("core.job.started", actor=actor, target=job, data={"kind": kind, "file": filename})
    from .tasks import run_job

    transaction.on_commit(lambda: run_job.delay(job.pk))
    return job


def job_input(job: Job) -> bytes:
    with default_storage.open(job.input_file, "rb") as fh:
        return fh.read()


def execute(job_id: int) -> Job:
    """Run one job now, in this process (the Celery task calls this)."""
    job = Job.objects.get(pk=job_id)
    if job.finished:
        return job
    job.status, job.started_at = Job.Status.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    progress = Progress(job)
    try:
        result = _HANDLERS[job.kind](job, progress)
    except Exception as exc:
        job.status, job.error = Job.Status.FAILED, str(exc)[:5000]
        job.message = str(exc)[:300]
    else:
        job.status, job.result = Job.Status.SUCCEEDED, result or {}
        job.message = (result or {}).get("message", "")[:300]
    done, total, _msg = cache.get(progress_key(job.pk)) or (0, 0, "")
    job.progress_done, job.progress_total = (
        (total, total) if job.status == "succeeded" else (done, total)
    )
    job.finished_at = timezone.now()
    job.save()
    cache.delete(progress_key(job.pk))
    audit(f"core.job.{job.status}", actor="system", target=job, data={"kind": job.kind})
    return job


PING_JOB = "core.ping"


def ping_job(job: Job, progress: Progress) -> dict[str, Any]:
    """A job that proves the queue works end to end: it runs in the worker, reads the
    database, reports progress and returns which process ran it."""
    import os
    import socket

    from django.db import connection

    progress(0, 2, "database", force=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM core_job")
        jobs = cursor.fetchone()[0]
    progress(1, 2, "done", force=True)
    return {"message": f"pong from {socket.gethostname()}:{os.getpid()}", "jobs": jobs}


register_job(PING_JOB, ping_job)

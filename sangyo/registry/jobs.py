"""Background job handlers of the registry: the two importers.

An import of a prefecture's 法人番号 file takes tens of seconds, too long for a request, so
the views start a job and show its progress; the handler only reads the stored file and calls
the service. Both kinds serve the dry run and the apply (`params["dry_run"]`). An apply reuses
the dry run's stored file (`params["input_file"]`) instead of a second upload, and checks that
the file still has the hash the dry run recorded (`params["sha256"]`).

Handlers are safe to retry: the service writes in one transaction or not at all, and a
re-run of an applied file finds everything unchanged.
"""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.translation import gettext as _

from sangyo.core.jobs import job_input, register_job
from sangyo.core.models import Job

from . import imports
from .models import ImportRun
from .services import RegistryError


def _input(job: Job) -> bytes:
    if job.input_file:
        data = job_input(job)
    else:
        path = job.params.get("input_file", "")
        if not path or not default_storage.exists(path):
            raise RegistryError(
                _("取り込むファイルが残っていません。もう一度アップロードしてください")
            )
        with default_storage.open(path, "rb") as fh:
            data = fh.read()
    expected = job.params.get("sha256")
    if expected and imports.file_sha256(data) != expected:
        raise RegistryError(
            _("ファイルが試行したときと変わっているため反映できません。もう一度試行してください")
        )
    return data


def _actor(job: Job) -> Any:
    return job.created_by or "system"


def _summary(run: ImportRun) -> str:
    c = run.counts
    if not run.succeeded:
        return _("取り込めませんでした（エラー %(n)s件）。何も書き込んでいません") % {
            "n": c.get("rejected") or len(run.errors)
        }
    parts = {
        "new": c.get("new", 0),
        "updated": c.get("updated", 0),
        "closed": c.get("closed", 0),
        "unchanged": c.get("unchanged", 0),
        "rejected": c.get("rejected", 0),
    }
    if run.mode == ImportRun.Mode.DRY_RUN:
        text = _(
            "試行しました（書き込みなし）: 新規 %(new)s件、更新 %(updated)s件、閉鎖 %(closed)s件、"
            "変更なし %(unchanged)s件、取り込まない行 %(rejected)s件"
        )
    else:
        text = _(
            "反映しました: 新規 %(new)s件、更新 %(updated)s件、閉鎖 %(closed)s件、"
            "変更なし %(unchanged)s件、取り込まない行 %(rejected)s件"
        )
    return text % parts


def _result(run: ImportRun) -> dict[str, Any]:
    return {
        "message": _summary(run),
        "next_url": reverse("registry:import_detail", args=[run.pk]),
        "import_run": run.pk,
    }


def _refused(job: Job, kind: str, exc: RegistryError) -> dict[str, Any]:
    run = imports.record_refused_attempt(
        kind=kind,
        dry_run=job.params.get("dry_run", True),
        filename=job.input_name,
        actor=_actor(job),
        job=job,
        message=str(exc),
    )
    return _result(run)


def nta_import_job(job: Job, progress) -> dict[str, Any]:
    try:
        data = _input(job)
    except RegistryError as exc:
        return _refused(job, ImportRun.Kind.NTA, exc)
    run = imports.nta_import(
        data=data,
        filename=job.input_name,
        actor=_actor(job),
        dry_run=job.params.get("dry_run", True),
        progress=progress,
        municipality_code=job.params.get("municipality_code"),
        job=job,
    )
    return _result(run)


def generic_import_job(job: Job, progress) -> dict[str, Any]:
    try:
        data = _input(job)
    except RegistryError as exc:
        return _refused(job, ImportRun.Kind.GENERIC, exc)
    run = imports.generic_import(
        data=data,
        filename=job.input_name,
        mapping=job.params.get("mapping", {}),
        actor=_actor(job),
        dry_run=job.params.get("dry_run", True),
        progress=progress,
        job=job,
    )
    return _result(run)


register_job(imports.NTA_JOB, nta_import_job)
register_job(imports.GENERIC_JOB, generic_import_job)

"""Background job handlers of the indicators app; importing this module registers them.

`indicators.import` reads an uploaded observation file (params: `strategy` id, `dry_run`).
A dry run reports what would change and writes nothing; an apply writes every row in one
transaction or nothing. Row errors are part of the result (the job itself succeeds), so the
result page can list them; `next_url` points at that page.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sangyo.core.jobs import job_input, register_job

from .imports import parse_observation_file, plan_changes
from .services import observations_apply, observations_plan

IMPORT_KIND = "indicators.import"
# Errors kept in a job's result; the count says how many there were in all.
MAX_ERRORS_KEPT = 500


def import_observations(job, progress) -> dict:
    from sangyo.strategy.models import Strategy

    strategy = Strategy.objects.get(pk=job.params["strategy"])
    dry_run = bool(job.params.get("dry_run", True))
    parsed = parse_observation_file(
        job_input(job), job.input_name or "upload.csv", strategy, progress=progress
    )
    result: dict = {
        "dry_run": dry_run,
        "strategy": strategy.code,
        "encoding": parsed.encoding,
        "rows": parsed.rows,
        "skipped": parsed.skipped,
        "skipped_computed": parsed.skipped_computed,
        "warnings": parsed.warnings,
        "errors": [str(e) for e in parsed.errors[:MAX_ERRORS_KEPT]],
        "error_count": len(parsed.errors),
        "counts": None,
        "changes": [],
        "next_url": reverse("indicators_staff:import_result", args=[job.pk]),
    }
    if parsed.errors:
        result["message"] = ngettext(
            "%(n)s件のエラーがあります。何も書き込んでいません。",
            "%(n)s件のエラーがあります。何も書き込んでいません。",
            len(parsed.errors),
        ) % {"n": len(parsed.errors)}
        return result
    if dry_run:
        counts = observations_plan(parsed.items)
        result["changes"] = plan_changes(parsed.items)
    else:
        counts = observations_apply(
            items=parsed.items,
            actor=job.created_by or "system",
            source_label=parsed.source,
            progress=progress,
        )
    result["counts"] = counts.as_dict()
    template = (
        _("確認のみ: 追加%(added)s件、改定%(revised)s件、変更なし%(unchanged)s件")
        if dry_run
        else _("取り込みました: 追加%(added)s件、改定%(revised)s件、変更なし%(unchanged)s件")
    )
    result["message"] = template % counts.as_dict()
    return result


register_job(IMPORT_KIND, import_observations)

"""Staff screens of the registry imports: upload, map columns, follow the job, read the
dry run, apply. Every upload is tried first (dry run); applying is a separate, explicit step
on the very file that was tried."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sangyo.core.decorators import require_policy
from sangyo.core.jobs import job_start

from . import imports
from .forms_imports import GenericUploadForm, MappingForm, NtaUploadForm
from .models import ImportRun
from .policies import can_import
from .services import RegistryError, home_municipality_code

# The order and wording of the counts table.
COUNT_LABELS = {
    "rows": gettext_lazy("読み込んだ行"),
    "superseded": gettext_lazy("過去の履歴の行（同じ法人番号の新しい行があるもの）"),
    "skipped_other_city": gettext_lazy("他の市区町村の法人（対象外）"),
    "new": gettext_lazy("新規登録"),
    "new_closed": gettext_lazy("うち登録時点で閉鎖済み"),
    "updated": gettext_lazy("更新"),
    "closed": gettext_lazy("閉鎖"),
    "unchanged": gettext_lazy("変更なし"),
    "stale": gettext_lazy("台帳より古いデータのため変更せず"),
    "rejected": gettext_lazy("取り込まない行・エラー"),
}


def _job_redirect(job):
    return redirect("job_detail", pk=job.pk)


@require_policy(can_import)
def import_list(request):
    page = Paginator(imports.import_runs(), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/imports/list.html",
        {
            "page": page,
            "nta_form": NtaUploadForm(),
            "generic_form": GenericUploadForm(),
            "municipality_code": home_municipality_code(),
        },
    )


@require_policy(can_import)
def nta_upload(request):
    form = NtaUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = job_start(
            kind=imports.NTA_JOB,
            actor=request.user,
            params={"dry_run": True},
            data=form.cleaned_data["data"],
            filename=form.cleaned_data["filename"],
        )
        return _job_redirect(job)
    return render(request, "registry/imports/nta_upload.html", {"form": form})


@require_policy(can_import)
def generic_upload(request):
    form = GenericUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            pending = imports.pending_upload_save(
                data=form.cleaned_data["data"],
                filename=form.cleaned_data["filename"],
                actor=request.user,
            )
        except RegistryError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("registry:import_generic_map", token=pending.token)
    return render(request, "registry/imports/generic_upload.html", {"form": form})


@require_policy(can_import)
def generic_map(request, token):
    pending = imports.pending_upload_get(token, request.user)
    if pending is None:
        raise Http404
    guesses = imports.guess_mapping(pending.headers)
    form = MappingForm(request.POST or None, headers=pending.headers, guesses=guesses)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.pending_upload_start(
                pending=pending, mapping=form.cleaned_data["mapping"], actor=request.user
            )
        except RegistryError as exc:
            form.add_error(None, str(exc))
        else:
            return _job_redirect(job)
    rows = [
        {"field": form[f], "required": f in imports.REQUIRED_GENERIC_FIELDS}
        for f in imports.GENERIC_FIELDS
    ]
    return render(
        request,
        "registry/imports/generic_map.html",
        {"form": form, "pending": pending, "rows": rows, "guessed": len(guesses)},
    )


@require_policy(can_import)
def import_detail(request, pk):
    run = imports.import_run_detail(pk)
    if run is None:
        raise Http404
    counts = [(label, run.counts[key]) for key, label in COUNT_LABELS.items() if key in run.counts]
    rejected = run.counts.get("rejected", len(run.errors))
    can_apply = (
        run.mode == ImportRun.Mode.DRY_RUN and run.succeeded and imports.run_file_available(run)
    )
    return render(
        request,
        "registry/imports/detail.html",
        {
            "run": run,
            "counts": counts,
            "hidden_errors": max(rejected - len(run.errors), 0),
            "can_apply": can_apply,
            "applied": imports.applied_from(run),
            "mapping": [
                (imports.field_label(f), h)
                for f, h in (run.job.params.get("mapping", {}) if run.job else {}).items()
            ],
        },
    )


@require_POST
@require_policy(can_import)
def import_apply(request, pk):
    run = imports.import_run_detail(pk)
    if run is None:
        raise Http404
    try:
        job = imports.import_apply(run=run, actor=request.user)
    except RegistryError as exc:
        messages.error(request, _("エラー：") + str(exc))
        return redirect(reverse("registry:import_detail", args=[run.pk]))
    return _job_redirect(job)

"""Staff pages for indicators: figures, targets, definitions and imports.

Each view parses the request, authorises it with `policies`, calls one service (or starts
one job) and renders. The observation import runs as a background job, so a large file
does not hold a request; the e-Stat import is small (one indicator, one area) and previews
in the request, keeping the uploaded file in storage until it is applied.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangyo.accounts.policies import can_manage_strategy
from sangyo.core.decorators import require_policy
from sangyo.core.jobs import job_input, job_start
from sangyo.core.models import Job
from sangyo.core.tabular import write_csv, write_xlsx
from sangyo.strategy.models import Strategy
from sangyo.strategy.selectors import get_strategy

from . import policies
from .computed import get_computation
from .forms import (
    EstatImportForm,
    IndicatorForm,
    ObservationForm,
    ObservationImportForm,
    TargetRevisionForm,
)
from .imports import IMPORT_COLUMNS, parse_estat_json, plan_changes
from .jobs import IMPORT_KIND
from .models import Indicator, Observation, ObservationRevision, TargetRevision
from .services import (
    IndicatorError,
    current_target,
    indicator_create,
    indicator_refresh_computed,
    observation_record,
    observations_apply,
    observations_plan,
    target_revise,
)

ESTAT_SALT = "sangyo.indicators.estat"
ESTAT_MAX_AGE = 24 * 3600


# --------------------------------------------------------------------------- reads


def _definition(indicator: Indicator) -> str:
    """The computed indicator's definition in words (Japanese), or ""."""
    if indicator.obtained != Indicator.Obtained.COMPUTED:
        return ""
    computation = get_computation(indicator.computation)
    if computation is None:
        return _("集計定義「%(code)s」は登録されていません") % {"code": indicator.computation}
    return computation.describe(indicator.computation_params)[0]


def _staff_rows(strategy) -> list[dict]:
    """Every indicator of the strategy with its latest figure and target in force:
    three queries whatever the number of indicators."""
    indicators = (
        Indicator.objects.filter(strategy=strategy)
        .select_related("measure")
        .prefetch_related(
            Prefetch("observations", queryset=Observation.objects.order_by("-fiscal_year")),
            Prefetch("revisions", queryset=TargetRevision.objects.order_by("-decided_on", "-id")),
        )
    )
    # Outcome KPIs of the plan first, then the measures' indicators by measure number.
    ordered = sorted(
        indicators,
        key=lambda i: (
            i.level != Indicator.Level.OUTCOME_KPI,
            i.measure.number if i.measure else "",
            i.level,
            i.order,
            i.code,
        ),
    )
    rows = []
    for ind in ordered:
        observations = list(ind.observations.all())
        revisions = list(ind.revisions.all())
        rows.append(
            {
                "indicator": ind,
                "latest": observations[0] if observations else None,
                "target": revisions[0] if revisions else None,
                "definition": _definition(ind),
            }
        )
    return rows


def _indicator(pk: int) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related("strategy", "measure"), pk=pk)


def _observations_with_history(indicator: Indicator) -> list[Observation]:
    history = Prefetch(
        "history",
        queryset=ObservationRevision.objects.select_related("replaced_by").order_by(
            "-replaced_at", "-id"
        ),
    )
    return list(
        Observation.objects.filter(indicator=indicator)
        .select_related("recorded_by")
        .prefetch_related(history)
        .order_by("-fiscal_year")
    )


def _form_error(form, exc: Exception) -> None:
    """Put a service's error on the form: field errors where the form has the field."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        messages_ = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        form.add_error(None, messages_)


# --------------------------------------------------------------------------- pages


@require_policy(policies.can_view_staff_indicators)
def index(request):
    strategy = get_strategy()
    user = request.user
    return render(
        request,
        "indicators/staff/index.html",
        {
            "strategy": strategy,
            "rows": _staff_rows(strategy),
            "can_enter": policies.can_enter_observations(user),
            "can_revise": policies.can_revise_targets(user),
            "can_define": policies.can_define_indicators(user),
            "can_import": policies.can_import_observations(user),
        },
    )


@require_policy(policies.can_enter_observations)
def observe(request, pk):
    indicator = _indicator(pk)
    strategy = indicator.strategy
    form = ObservationForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            obs, change = observation_record(
                indicator=indicator, data=form.to_input(), actor=request.user
            )
        except IndicatorError as exc:
            _form_error(form, exc)
        else:
            fy = form.cleaned_data["fiscal_year"]
            if change == "unchanged":
                messages.info(
                    request,
                    _("%(fy)s年度の値は登録済みの内容と同じです。変更はありません。") % {"fy": fy},
                )
            elif change == "revised":
                old = obs.history.order_by("-replaced_at", "-id").first()
                messages.success(
                    request,
                    _("%(fy)s年度の値を改定しました。以前の値（%(old)s）は履歴に残しています。")
                    % {"fy": fy, "old": _plain(old.value) if old else ""},
                )
            else:
                messages.success(request, _("%(fy)s年度の値を登録しました。") % {"fy": fy})
            return redirect("indicators_staff:observe", pk=indicator.pk)
    return render(
        request,
        "indicators/staff/observe.html",
        {
            "strategy": strategy,
            "indicator": indicator,
            "form": form,
            "computed": indicator.obtained == Indicator.Obtained.COMPUTED,
            "definition": _definition(indicator),
            "observations": _observations_with_history(indicator),
            "target": current_target(indicator),
            "can_revise": policies.can_revise_targets(request.user),
        },
    )


def _plain(value: Decimal) -> str:
    d = Decimal(value).normalize()
    return f"{int(d):,}" if d == d.to_integral() else f"{d:,f}"


@require_policy(policies.can_revise_targets)
def revise(request, pk):
    indicator = _indicator(pk)
    strategy = indicator.strategy
    current = current_target(indicator)
    initial = {}
    if current is not None:
        initial = {
            "baseline_value": _plain(current.baseline_value),
            "baseline_fy": current.baseline_fy,
            "baseline_fy_not_stated": current.baseline_fy is None,
            "target_value": _plain(current.target_value),
            "target_fy": current.target_fy,
        }
    form = TargetRevisionForm(request.POST or None, strategy=strategy, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            target_revise(indicator=indicator, actor=request.user, **form.target_values())
        except IndicatorError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request, _("目標値の改定を記録しました。以前の目標値は履歴に残しています。")
            )
            return redirect("indicators_staff:revise", pk=indicator.pk)
    revisions = list(
        TargetRevision.objects.filter(indicator=indicator)
        .select_related("recorded_by")
        .order_by("-decided_on", "-id")
    )
    return render(
        request,
        "indicators/staff/revise.html",
        {"strategy": strategy, "indicator": indicator, "form": form, "revisions": revisions},
    )


@require_policy(policies.can_define_indicators)
def create(request):
    strategy = get_strategy()
    form = IndicatorForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            # The indicator and its first target stand or fall together.
            with transaction.atomic():
                indicator = indicator_create(
                    strategy=strategy, actor=request.user, **form.indicator_values()
                )
                target_revise(indicator=indicator, actor=request.user, **form.target_values())
        except (IndicatorError, ValidationError) as exc:
            _form_error(form, exc)
        else:
            text = _("指標「%(name)s」を登録しました。") % {"name": indicator.name_ja}
            definition = _definition(indicator)
            if definition:
                text += _("集計の定義: %(definition)s") % {"definition": definition}
            messages.success(request, text)
            return redirect("indicators_staff:observe", pk=indicator.pk)
    return render(
        request,
        "indicators/staff/create.html",
        {"strategy": strategy, "form": form, "support_records": "registry.support_records"},
    )


@require_policy(policies.can_enter_observations)
@require_POST
def refresh(request, pk):
    indicator = _indicator(pk)
    try:
        result = indicator_refresh_computed(indicator=indicator, actor=request.user)
    except IndicatorError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("再集計しました: 追加%(added)s件、改定%(revised)s件、変更なし%(unchanged)s件")
            % result.as_dict(),
        )
    return redirect("indicators_staff:observe", pk=indicator.pk)


# --------------------------------------------------------------------------- imports


@require_policy(policies.can_import_observations)
def import_file(request):
    strategy = get_strategy()
    form = ObservationImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_start(
            kind=IMPORT_KIND,
            actor=request.user,
            params={"strategy": strategy.pk, "dry_run": form.cleaned_data["dry_run"]},
            data=upload.read(),
            filename=upload.name,
        )
        return redirect("job_detail", pk=job.pk)
    return render(
        request,
        "indicators/staff/import.html",
        {"strategy": strategy, "form": form, "columns": IMPORT_COLUMNS},
    )


def _import_job(request, job_id) -> Job:
    job = Job.objects.filter(pk=job_id, kind=IMPORT_KIND).first()
    # Staff see their own imports; administrators see every import.
    if job is None or (
        job.created_by_id != request.user.pk and not can_manage_strategy(request.user)
    ):
        raise Http404
    return job


def _can_apply(job: Job) -> bool:
    r = job.result or {}
    counts = r.get("counts") or {}
    return (
        job.status == Job.Status.SUCCEEDED
        and r.get("dry_run")
        and not r.get("error_count")
        and bool(counts.get("added") or counts.get("revised"))
    )


@require_policy(policies.can_import_observations)
def import_result(request, job_id):
    job = _import_job(request, job_id)
    applied = (
        Job.objects.filter(kind=IMPORT_KIND, params__dry_run_job=job.pk).order_by("-pk").first()
    )
    if request.method == "POST":
        if not _can_apply(job) or applied is not None:
            messages.error(
                request, _("この確認結果は反映できません。ファイルを取り込み直してください。")
            )
            return redirect("indicators_staff:import_result", job_id=job.pk)
        new = job_start(
            kind=IMPORT_KIND,
            actor=request.user,
            params={"strategy": job.params["strategy"], "dry_run": False, "dry_run_job": job.pk},
            data=job_input(job),
            filename=job.input_name,
        )
        return redirect("job_detail", pk=new.pk)
    result = job.result or {}
    return render(
        request,
        "indicators/staff/import_result.html",
        {
            "strategy": Strategy.objects.filter(pk=job.params.get("strategy")).first(),
            "job": job,
            "result": result,
            "more_errors": max(
                0, (result.get("error_count") or 0) - len(result.get("errors") or [])
            ),
            "can_apply": _can_apply(job) and applied is None,
            "applied": applied,
        },
    )


@require_policy(policies.can_import_observations)
def import_template(request):
    """The current figures of every entered or imported indicator in the import layout:
    fill in and upload it back (rows left without a value are skipped)."""
    strategy = get_strategy()
    indicators = (
        Indicator.objects.filter(strategy=strategy)
        .exclude(obtained=Indicator.Obtained.COMPUTED)
        .prefetch_related("observations")
        .order_by("level", "order", "code")
    )
    rows = []
    for ind in indicators:
        by_year = {o.fiscal_year: o for o in ind.observations.all()}
        for fy in sorted(set(range(strategy.start_fy, strategy.end_fy + 1)) | set(by_year)):
            o = by_year.get(fy)
            rows.append(
                [
                    strategy.code,
                    ind.code,
                    fy,
                    "" if o is None else Decimal(o.value).normalize().__format__("f"),
                    "" if o is None else o.status,
                    "" if o is None else o.source,
                    "" if o is None or o.published_on is None else o.published_on.isoformat(),
                    "" if o is None else o.note,
                ]
            )
    name = f"{strategy.code}-observations-{datetime.date.today():%Y%m%d}"
    if request.GET.get("format") == "xlsx":
        body = write_xlsx(IMPORT_COLUMNS, rows, sheet_title="observations")
        response = HttpResponse(
            body,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = HttpResponse(write_csv(IMPORT_COLUMNS, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@require_policy(policies.can_import_observations)
def import_estat(request):
    strategy = get_strategy()
    if request.method == "POST" and "token" in request.POST:
        return _estat_apply(request, strategy)
    form = EstatImportForm(request.POST or None, request.FILES or None, strategy=strategy)
    context = {"strategy": strategy, "form": form}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        upload = d["file"]
        data = upload.read()
        parsed = parse_estat_json(
            data,
            indicator=d["indicator"],
            area_code=d["area_code"],
            year_type=d["year_type"],
            cat_filters=d["cat_filters"],
            filename=upload.name,
        )
        context |= {"parsed": parsed, "estat_indicator": d["indicator"]}
        if parsed.ok:
            context["counts"] = observations_plan(parsed.items).as_dict()
            _mark_changes(parsed)
            path = default_storage.save(
                f"indicators/estat/{uuid.uuid4().hex}.json", ContentFile(data)
            )
            context["token"] = signing.dumps(
                {
                    "path": path,
                    "name": upload.name,
                    "user": request.user.pk,
                    "indicator": d["indicator"].pk,
                    "area": d["area_code"],
                    "year_type": d["year_type"],
                    "cats": d["cat_filters"],
                },
                salt=ESTAT_SALT,
            )
    return render(request, "indicators/staff/import_estat.html", context)


def _mark_changes(parsed) -> None:
    """Tell each previewed year whether it would be added, revised or left unchanged."""
    changes = {c["fiscal_year"]: c for c in plan_changes(parsed.items, limit=len(parsed.items))}
    accepted = {data.fiscal_year for _ind, data in parsed.items}
    for row in parsed.preview:
        fy = row["fiscal_year"]
        if row["value"] is None or fy not in accepted:
            continue
        change = changes.get(fy)
        row["change"] = change["change"] if change else "unchanged"
        row["old"] = change["old"] if change else ""


def _estat_apply(request, strategy):
    try:
        payload = signing.loads(request.POST["token"], salt=ESTAT_SALT, max_age=ESTAT_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("確認の有効期限が切れました。もう一度ファイルを選んでください。"))
        return redirect("indicators_staff:import_estat")
    if payload.get("user") != request.user.pk:
        raise Http404
    indicator = get_object_or_404(Indicator, pk=payload["indicator"], strategy=strategy)
    try:
        with default_storage.open(payload["path"], "rb") as fh:
            data = fh.read()
    except (FileNotFoundError, OSError):
        messages.error(
            request, _("確認したファイルが見つかりません。もう一度ファイルを選んでください。")
        )
        return redirect("indicators_staff:import_estat")
    parsed = parse_estat_json(
        data,
        indicator=indicator,
        area_code=payload["area"],
        year_type=payload["year_type"],
        cat_filters=payload["cats"],
        filename=payload["name"],
    )
    if not parsed.ok:
        for error in parsed.errors:
            messages.error(request, str(error))
        return redirect("indicators_staff:import_estat")
    try:
        result = observations_apply(
            items=parsed.items, actor=request.user, source_label=parsed.source
        )
    except IndicatorError as exc:
        messages.error(request, str(exc))
        return redirect("indicators_staff:import_estat")
    default_storage.delete(payload["path"])
    messages.success(
        request,
        _(
            "e-Stat の値を取り込みました: 追加%(added)s件、改定%(revised)s件、変更なし%(unchanged)s件"
        )
        % result.as_dict(),
    )
    return redirect(reverse("indicators_staff:observe", kwargs={"pk": indicator.pk}))

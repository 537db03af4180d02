"""Public pages (years, published sheets, report downloads, open data) and staff pages
(sheets by year, editing, workflow, committee, settings, reports)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sangyo.core.decorators import require_policy
from sangyo.core.fiscal import fiscal_year
from sangyo.indicators.selectors import current_strategy

from . import opendata, policies, selectors, services
from .forms import (
    CorrectionForm,
    FollowUpForm,
    MemberForm,
    OpinionForm,
    ReportForm,
    SheetForm,
    YearSettingForm,
)
from .models import CommitteeMember, Report, Sheet


def _year_ok(strategy, fy: int) -> None:
    if not (strategy.start_fy - 1 <= fy <= strategy.end_fy + 1):
        raise Http404


def _rows(year):
    return [(mf, year.previous[mf.measure.pk]) for mf in year.measures]


# --- public -----------------------------------------------------------------------------


def index(request):
    strategy = current_strategy()
    return render(
        request,
        "evaluation/index.html",
        {"strategy": strategy, "years": selectors.published_years(strategy)},
    )


def year_page(request, fy: int):
    strategy = current_strategy()
    _year_ok(strategy, fy)
    year = selectors.year_figures(strategy, fy, public=True)
    return render(
        request,
        "evaluation/year.html",
        {
            "strategy": strategy,
            "year": year,
            "rows": _rows(year),
            "report": selectors.latest_report(strategy, fy),
        },
    )


def sheet_page(request, pk: int):
    sheet = selectors.sheet_or_none(pk, public=True)
    if sheet is None:
        raise Http404
    year, mf = selectors.figures_for_sheet(sheet, public=True)
    return render(
        request,
        "evaluation/sheet.html",
        {
            "sheet": sheet,
            "year": year,
            "mf": mf,
            "prev": year.previous[sheet.measure_id],
            "versions": selectors.sheet_versions(sheet, public=True),
            "strategy": sheet.strategy,
        },
    )


def opendata_csv(request, fy: int):
    strategy = current_strategy()
    _year_ok(strategy, fy)
    year = selectors.year_figures(strategy, fy, public=True)
    response = HttpResponse(opendata.csv_bytes(year), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{opendata.filename(year, "csv")}"'
    return response


def opendata_json(request, fy: int):
    strategy = current_strategy()
    _year_ok(strategy, fy)
    year = selectors.year_figures(strategy, fy, public=True)
    response = HttpResponse(opendata.json_bytes(year), content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="{opendata.filename(year, "json")}"'
    return response


def schema(request):
    data = json.loads(opendata.SCHEMA_FILE.read_text(encoding="utf-8"))
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1), content_type="application/schema+json"
    )


def report_file(request, pk: int, kind: str):
    report = get_object_or_404(Report, pk=pk)
    f = report.pdf if kind == "pdf" else report.xlsx
    if not f:
        raise Http404
    name = f"sangyo-evaluation-{report.strategy.code}-FY{report.fiscal_year}.{kind}"
    return FileResponse(f.open("rb"), as_attachment=kind == "xlsx", filename=name)


# --- staff ------------------------------------------------------------------------------


def _default_fy(strategy) -> int:
    latest = Sheet.objects.filter(strategy=strategy).order_by("-fiscal_year").first()
    return latest.fiscal_year if latest else fiscal_year(timezone.now()) - 1


def _fy_param(request, strategy) -> int:
    try:
        fy = int(request.GET.get("fy") or _default_fy(strategy))
    except ValueError:
        raise Http404 from None
    _year_ok(strategy, fy)
    return fy


def _staff_sheet(pk: int) -> Sheet:
    sheet = selectors.sheet_or_none(pk, public=False)
    if sheet is None:
        raise Http404
    return sheet


@require_policy(policies.can_view_evaluation_staff)
def staff_list(request):
    strategy = current_strategy()
    fy = _fy_param(request, strategy)
    page = Paginator(selectors.staff_sheets(strategy, fy), 50).get_page(request.GET.get("page"))
    years = list(range(strategy.start_fy, strategy.end_fy + 1))
    return render(
        request,
        "evaluation/staff/list.html",
        {
            "strategy": strategy,
            "fy": fy,
            "years": years,
            "page": page,
            "can_draft": policies.can_draft(request.user),
            "can_admin": policies.can_manage_committee(request.user),
            "setting": selectors.year_setting(strategy, fy),
        },
    )


@require_POST
@require_policy(policies.can_draft)
def staff_prepare(request):
    strategy = current_strategy()
    try:
        fy = int(request.POST.get("fiscal_year", ""))
    except ValueError:
        fy = 0
    if not (strategy.start_fy <= fy <= strategy.end_fy):
        messages.error(request, _("年度を選んでください。"))
        return redirect("evaluation_staff:list")
    created = services.sheets_prepare(strategy=strategy, fiscal_year=fy, actor=request.user)
    messages.success(request, _("評価シートを%(n)s件作成しました。") % {"n": len(created)})
    return redirect(reverse("evaluation_staff:list") + f"?fy={fy}")


@require_policy(policies.can_view_evaluation_staff)
def staff_sheet(request, pk: int):
    sheet = _staff_sheet(pk)
    year, mf = selectors.figures_for_sheet(sheet, public=False)
    return render(
        request,
        "evaluation/staff/sheet.html",
        {
            "sheet": sheet,
            "year": year,
            "mf": mf,
            "prev": year.previous[sheet.measure_id],
            "versions": selectors.sheet_versions(sheet, public=False),
            "transitions": services.transitions_for(sheet, request.user),
            "can_draft": policies.can_draft(request.user) and not sheet.is_frozen,
            "can_correct": policies.can_draft(request.user)
            and sheet.is_frozen
            and not hasattr(sheet, "correction"),
            "can_opinion": policies.can_draft(request.user)
            and sheet.status == Sheet.Status.REVIEWED,
        },
    )


@require_http_methods(["GET", "POST"])
@require_policy(policies.can_draft)
def staff_edit(request, pk: int):
    sheet = _staff_sheet(pk)
    if sheet.is_frozen:
        messages.error(
            request, _("公表済みの評価シートは変更できません。訂正版を作成してください。")
        )
        return redirect("evaluation_staff:sheet", pk=sheet.pk)
    form = SheetForm(request.POST or None, instance=sheet)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.EDITABLE_FIELDS}
        try:
            services.sheet_update(
                sheet=sheet, data=data, improvements=form.improvement_lines(), actor=request.user
            )
        except services.EvaluationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("評価シートを保存しました。"))
            return redirect("evaluation_staff:sheet", pk=sheet.pk)
    return render(request, "evaluation/staff/edit.html", {"sheet": sheet, "form": form})


@require_POST
@require_policy(policies.can_view_evaluation_staff)
def staff_transition(request, pk: int):
    sheet = _staff_sheet(pk)
    try:
        services.sheet_transition(
            sheet=sheet, target=request.POST.get("to", ""), actor=request.user
        )
    except services.EvaluationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("評価シートの状態を更新しました。"))
    return redirect("evaluation_staff:sheet", pk=sheet.pk)


@require_http_methods(["GET", "POST"])
@require_policy(policies.can_draft)
def staff_opinion(request, pk: int):
    sheet = _staff_sheet(pk)
    form = OpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.opinion_save(
                sheet=sheet,
                member=form.cleaned_data["member"],
                text=form.cleaned_data["text"],
                actor=request.user,
            )
        except services.EvaluationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("委員の意見を記録しました。"))
            return redirect("evaluation_staff:sheet", pk=sheet.pk)
    return render(
        request,
        "evaluation/staff/form.html",
        {"sheet": sheet, "form": form, "title": _("委員の意見を記録")},
    )


@require_http_methods(["GET", "POST"])
@require_policy(policies.can_draft)
def staff_correct(request, pk: int):
    sheet = _staff_sheet(pk)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.sheet_correct(
                sheet=sheet, reason=form.cleaned_data["reason"], actor=request.user
            )
        except services.EvaluationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("訂正版（第%(v)s版）を作成しました。") % {"v": new.version})
            return redirect("evaluation_staff:edit", pk=new.pk)
    return render(
        request,
        "evaluation/staff/form.html",
        {"sheet": sheet, "form": form, "title": _("訂正版を作成")},
    )


@require_http_methods(["GET", "POST"])
@require_policy(policies.can_draft)
def staff_followup(request, pk: int):
    sheet = _staff_sheet(pk)
    _year, mf = selectors.figures_for_sheet(sheet, public=False)
    form = FollowUpForm(request.POST or None, follow_ups=mf.follow_ups)
    if request.method == "POST" and form.is_valid():
        try:
            for improvement, status, note in form.items:
                if form.cleaned_data[status.name]:
                    services.follow_up_save(
                        sheet=sheet,
                        improvement=improvement,
                        status=form.cleaned_data[status.name],
                        note=form.cleaned_data[note.name],
                        actor=request.user,
                    )
        except services.EvaluationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("対応状況を記録しました。"))
            return redirect("evaluation_staff:sheet", pk=sheet.pk)
    return render(request, "evaluation/staff/followup.html", {"sheet": sheet, "form": form})


@require_http_methods(["GET", "POST"])
@require_policy(policies.can_manage_committee)
def staff_members(request):
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.member_save(member=None, data=form.cleaned_data, actor=request.user)
        messages.success(request, _("委員を登録しました。"))
        return redirect("evaluation_staff:members")
    page = Paginator(CommitteeMember.objects.all(), 50).get_page(request.GET.get("page"))
    return render(request, "evaluation/staff/members.html", {"page": page, "form": form})


@require_http_methods(["GET", "POST"])
@require_policy(policies.can_manage_committee)
def staff_member_edit(request, pk: int):
    member = get_object_or_404(CommitteeMember, pk=pk)
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        services.member_save(member=member, data=form.cleaned_data, actor=request.user)
        messages.success(request, _("委員の情報を保存しました。"))
        return redirect("evaluation_staff:members")
    return render(
        request,
        "evaluation/staff/form.html",
        {"form": form, "title": _("委員の編集"), "back": "members"},
    )


@require_http_methods(["GET", "POST"])
@require_policy(policies.can_manage_committee)
def staff_settings(request, fy: int):
    strategy = current_strategy()
    _year_ok(strategy, fy)
    form = YearSettingForm(request.POST or None, instance=selectors.year_setting(strategy, fy))
    if request.method == "POST" and form.is_valid():
        try:
            services.year_setting_save(
                strategy=strategy,
                fiscal_year=fy,
                hourly_cost=form.cleaned_data["hourly_cost"],
                suppression_threshold=form.cleaned_data["suppression_threshold"],
                actor=request.user,
            )
        except services.EvaluationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("年度の設定を保存しました。"))
            return redirect(reverse("evaluation_staff:list") + f"?fy={fy}")
    return render(
        request,
        "evaluation/staff/form.html",
        {"form": form, "title": _("%(fy)s年度の設定") % {"fy": fy}, "back": "list"},
    )


@require_http_methods(["GET", "POST"])
@require_policy(policies.can_view_evaluation_staff)
def staff_reports(request):
    strategy = current_strategy()
    years = list(range(strategy.start_fy, strategy.end_fy + 1))
    can_generate = policies.can_generate_report(request.user)
    form = ReportForm(request.POST or None, years=years)
    if request.method == "POST":
        if not can_generate:
            raise Http404
        if form.is_valid():
            job = services.report_generate(
                strategy=strategy, fiscal_year=form.cleaned_data["fiscal_year"], actor=request.user
            )
            return redirect("job_detail", pk=job.pk)
    page = Paginator(
        Report.objects.filter(strategy=strategy).select_related("created_by"), 20
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/staff/reports.html",
        {"page": page, "form": form, "can_generate": can_generate},
    )

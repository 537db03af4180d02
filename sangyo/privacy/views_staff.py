"""Staff pages for personal-data requests (/staff/privacy/): list, file on someone's
behalf, handle (status, notes), preview and apply a deletion, download an export."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sangyo.accounts.elevation import elevation_required
from sangyo.core.decorators import require_policy
from sangyo.core.errors import DomainError

from . import selectors, services
from .forms import StaffFileForm, StaffUpdateForm, StatusFilterForm
from .models import PersonalDataRequest as Req
from .policies import can_handle_requests


@require_GET
@require_policy(can_handle_requests)
def request_list(request):
    filter_form = StatusFilterForm(request.GET or None)
    status = filter_form.cleaned_data["status"] if filter_form.is_valid() else ""
    context = {
        "page": selectors.staff_requests(status=status, page=request.GET.get("page")),
        "filter_form": filter_form if request.GET else StatusFilterForm(),
        "status": status,
        "rules": selectors.retention_rules(),
    }
    return render(request, "privacy/staff/list.html", context)


@require_policy(can_handle_requests)
def request_new(request):
    form = StaffFileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            req = services.request_file_for(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("請求（%(n)s）を登録しました") % {"n": req.number})
            return redirect("privacy_staff:detail", pk=req.pk)
    return render(request, "privacy/staff/new.html", {"form": form})


def _get(pk: int) -> Req:
    req = selectors.request_get(pk)
    if req is None:
        raise Http404
    return req


@require_policy(can_handle_requests)
def request_detail(request, pk: int):
    req = _get(pk)
    form = StaffUpdateForm(
        request.POST or None, initial={"status": req.status, "staff_notes": req.staff_notes}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_update(req=req, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("請求を更新しました"))
            return redirect("privacy_staff:detail", pk=req.pk)
    plan = services.preview(req) if req.kind == Req.Kind.DELETION and req.is_open else None
    context = {
        "req": req,
        "form": form,
        "plan": plan,
        "overdue": req.overdue(),
        "self_request": req.requester_id == request.user.pk,
    }
    return render(request, "privacy/staff/detail.html", context)


@require_POST
@require_policy(can_handle_requests)
@elevation_required
def request_apply(request, pk: int):
    req = _get(pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("確認のチェックを入れてから実行してください"))
        return redirect("privacy_staff:detail", pk=req.pk)
    try:
        plan = services.request_apply(req=req, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("匿名化しました（%(n)s件の記録を変更）") % {"n": plan.total})
    return redirect("privacy_staff:detail", pk=req.pk)


@require_GET
@require_policy(can_handle_requests)
def download(request, pk: int):
    req = _get(pk)
    try:
        data, name = services.export_download(req=req, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("privacy_staff:detail", pk=req.pk)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response

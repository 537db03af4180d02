"""The person's own page (「個人情報の開示・削除」): request a copy of their data and download
it, ask for deletion, follow their requests."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sangyo.core.decorators import require_policy
from sangyo.core.errors import DomainError

from . import policies, selectors, services
from .forms import DeletionForm
from .models import PersonalDataRequest as Req


def _render(request, form=None, status=200):
    context = {
        "page": selectors.own_requests(request.user, request.GET.get("page")),
        "form": form or DeletionForm(),
        "response_days": services.response_days(),
        "rules": selectors.retention_rules(),
    }
    return render(request, "privacy/index.html", context, status=status)


@require_GET
@require_policy(policies.can_file_own_requests)
def index(request):
    return _render(request)


@require_POST
@require_policy(policies.can_file_own_requests)
def export_request(request):
    try:
        req = services.request_file_own(user=request.user, kind=Req.Kind.EXPORT)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("開示の請求（%(n)s）を受け付けました。下の一覧からダウンロードできます")
            % {"n": req.number},
        )
    return redirect("privacy:index")


@require_POST
@require_policy(policies.can_file_own_requests)
def deletion_request(request):
    form = DeletionForm(request.POST)
    if not form.is_valid():
        return _render(request, form)
    try:
        req = services.request_file_own(
            user=request.user, kind=Req.Kind.DELETION, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        form.add_error(None, str(exc))
        return _render(request, form)
    messages.success(
        request,
        _("削除の請求（%(n)s）を受け付けました。%(due)sまでに対応します")
        % {"n": req.number, "due": req.due_on.isoformat()},
    )
    return redirect("privacy:index")


@require_GET
@require_policy(policies.can_file_own_requests)
def download(request, pk: int):
    req = selectors.request_get(pk)
    if req is None or not policies.can_view_own_request(request.user, req):
        raise Http404
    try:
        data, name = services.export_download(req=req, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("privacy:index")
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response

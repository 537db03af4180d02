from urllib.parse import urlencode

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sangyo.accounts import policies
from sangyo.strategy.selectors import strategies_list

from .decorators import require_policy
from .menu import staff_links_for
from .models import AuditEvent


def healthz(request):
    """The process answers (liveness): no database or Redis involved."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    """Ready to serve (readiness): the database answers, and Redis too when configured.
    503 with the failing checks otherwise, so a load balancer stops sending traffic."""
    from .health import readiness

    checks = readiness()
    ok = all(c["ok"] for c in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503
    )


@require_policy(policies.can_view_staff_area)
def staff_home(request):
    recent = (
        list(AuditEvent.objects.select_related("actor")[:10])
        if policies.can_view_audit_log(request.user)
        else []
    )
    return render(
        request,
        "core/staff_home.html",
        {
            "strategies": strategies_list(),
            "recent_events": recent,
            "links": staff_links_for(request.user),
        },
    )


@require_policy(policies.can_view_audit_log)
def audit_log(request):
    """Search the audit log: filters in the query string, keyset pages, data shown as JSON."""
    from . import auditlog

    form = auditlog.AuditFilterForm(request.GET or None)
    filters = form.filters()
    if form.is_bound and not form.is_valid():
        page = {"rows": [], "older": None, "newer": None, "is_first": True}
    else:
        events = auditlog.search(form.cleaned_data if form.is_bound else {})
        page = auditlog.page_of(events.select_related("actor"), request.GET.get("cursor", ""))
    rows = [{"event": e, "data": auditlog.pretty(e.data) if e.data else ""} for e in page["rows"]]
    query = urlencode(filters)
    return render(
        request,
        "core/audit_log.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query,
            "formats": auditlog.FORMATS,
        },
    )


@require_GET
@require_policy(policies.can_view_audit_log)
def audit_export(request):
    """The filtered events as a file: CSV (UTF-8 with BOM, streamed) or Excel. The export is
    audited before the first byte leaves."""
    from . import auditlog
    from .tabular import TabularError

    fmt = request.GET.get("format", "csv")
    form = auditlog.AuditFilterForm(request.GET)
    if fmt not in auditlog.FORMATS or not form.is_valid():
        return render(
            request,
            "core/audit_export_error.html",
            {"form": form, "message": _("出力の条件が正しくありません。"), "query": ""},
            status=400,
        )
    filters = form.filters()
    events = auditlog.search(form.cleaned_data)
    count = events.count()
    today = timezone.localdate()
    if fmt == "xlsx":
        if count > auditlog.XLSX_MAX_ROWS:
            message = _(
                "Excel で出力できるのは %(max)s 件までです（該当 %(count)s 件）。"
                "条件を絞るか、CSV で出力してください。"
            ) % {"max": f"{auditlog.XLSX_MAX_ROWS:,}", "count": f"{count:,}"}
            return render(
                request,
                "core/audit_export_error.html",
                {"message": message, "query": urlencode(filters)},
                status=400,
            )
        try:
            content = auditlog.build_xlsx(auditlog.export_rows(events))
        except TabularError as exc:
            return render(
                request,
                "core/audit_export_error.html",
                {"message": str(exc), "query": urlencode(filters)},
                status=400,
            )
        auditlog.record_export(actor=request.user, filters=filters, fmt=fmt, count=count)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        auditlog.record_export(actor=request.user, filters=filters, fmt=fmt, count=count)
        response = StreamingHttpResponse(
            auditlog.stream_csv(auditlog.export_rows(events)),
            content_type="text/csv; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{auditlog.filename(fmt, today)}"'
    response["Cache-Control"] = "private, no-store"
    return response


def not_found(request, exception=None):
    return render(request, "core/404.html", status=404)


@require_policy(policies.can_view_staff_area)
def job_detail(request, pk):
    from .jobs import job_progress
    from .models import Job

    job = Job.objects.filter(pk=pk).first()
    # Staff see their own jobs; administrators see every job.
    if job is None or (
        job.created_by_id != request.user.pk and not policies.can_manage_strategy(request.user)
    ):
        from django.http import Http404

        raise Http404
    done, total, message = job_progress(job)
    percent = int(done * 100 / total) if total else (100 if job.finished else 0)
    context = {"job": job, "done": done, "total": total, "message": message, "percent": percent}
    template = "core/_job_status.html" if request.headers.get("HX-Request") else "core/job.html"
    return render(request, template, context)

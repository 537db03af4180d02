from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render

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
    events = AuditEvent.objects.select_related("actor")
    code = request.GET.get("code", "").strip()
    if code:
        events = events.filter(code__startswith=code)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page, "code": code})


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

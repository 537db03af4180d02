"""Staff pages of matching (/staff/matching/): moderation queue, postings with their
interests and introductions, jobs and placements, properties with enquiries and proposals,
abuse reports, and the counting rules. Viewers see lists without people; officers and
administrators act and see personal data."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sangyo.core.decorators import require_policy

from . import forms, policies, selectors, services
from .models import (
    DEFAULT_PROGRAMS,
    AbuseReport,
    CountingRule,
    Interest,
    Job,
    JobApplication,
    Moderation,
    Posting,
    Property,
)


@require_policy(policies.can_view_staff)
def queue(request):
    postings, jobs = selectors.moderation_queue()
    return render(
        request,
        "matching/staff/queue.html",
        {
            "postings": selectors.page(postings, request.GET.get("page")),
            "jobs": list(jobs[:50]),
            "open_reports": AbuseReport.objects.filter(status=AbuseReport.Status.OPEN).count(),
            "can_manage": policies.can_manage(request.user),
        },
    )


@require_policy(policies.can_view_staff)
def posting_list(request):
    status = request.GET.get("status", "")
    return render(
        request,
        "matching/staff/postings.html",
        {
            "page": selectors.page(selectors.staff_postings(status), request.GET.get("page")),
            "status": status,
            "statuses": Moderation.choices,
        },
    )


@require_policy(policies.can_view_staff)
def posting_detail(request, pk: int):
    posting = Posting.objects.select_related("business").filter(pk=pk).first()
    if posting is None:
        raise Http404
    return render(
        request,
        "matching/staff/posting.html",
        {
            "posting": posting,
            "interests": selectors.interests_for_staff(posting),
            "suggestions": selectors.suggestions_for(posting)
            if services.posting_is_public(posting)
            else [],
            "can_manage": policies.can_manage(request.user),
            "moderate_form": forms.ModerateForm(),
        },
    )


def _moderate(request, moderate, **target):
    """Apply the moderation form (publish, return with a reason, hide …) through `moderate`."""
    form = forms.ModerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("操作を選んでください"))
        return
    try:
        moderate(
            **target,
            action=form.cleaned_data["action"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except services.MatchingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("掲載の状態を更新しました"))


@require_policy(policies.can_manage)
@require_POST
def posting_moderate(request, pk: int):
    posting = Posting.objects.filter(pk=pk).first()
    if posting is None:
        raise Http404
    _moderate(request, services.posting_moderate, posting=posting)
    return redirect("matching_staff:posting", pk=pk)


@require_policy(policies.can_manage)
@require_POST
def introduce(request, pk: int):
    interest = Interest.objects.select_related("posting").filter(pk=pk).first()
    if interest is None:
        raise Http404
    try:
        services.introduction_create(
            interest=interest, actor=request.user, note=request.POST.get("note", "")
        )
    except services.MatchingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("紹介を記録しました"))
    return redirect("matching_staff:posting", pk=interest.posting_id)


@require_policy(policies.can_view_staff)
def introductions(request):
    return render(
        request,
        "matching/staff/introductions.html",
        {"page": selectors.page(selectors.introductions(), request.GET.get("page"))},
    )


# --- jobs and placements ----------------------------------------------------------------


@require_policy(policies.can_view_staff)
def job_list(request):
    status = request.GET.get("status", "")
    return render(
        request,
        "matching/staff/jobs.html",
        {
            "page": selectors.page(selectors.staff_jobs(status), request.GET.get("page")),
            "status": status,
            "statuses": Moderation.choices,
        },
    )


@require_policy(policies.can_view_staff)
def job_detail(request, pk: int):
    job = Job.objects.select_related("business").filter(pk=pk).first()
    if job is None:
        raise Http404
    show_people = policies.can_view_personal_data(request.user)
    return render(
        request,
        "matching/staff/job.html",
        {
            "job": job,
            "applications": list(selectors.applications_for(job)[:200]) if show_people else None,
            "n_applications": job.applications.count(),
            "can_manage": policies.can_manage(request.user),
            "moderate_form": forms.ModerateForm(),
            "statuses": JobApplication.Status.choices,
        },
    )


@require_policy(policies.can_manage)
@require_POST
def job_moderate(request, pk: int):
    job = Job.objects.filter(pk=pk).first()
    if job is None:
        raise Http404
    _moderate(request, services.job_moderate, job=job)
    return redirect("matching_staff:job", pk=pk)


@require_policy(policies.can_manage)
@require_POST
def application_update(request, pk: int):
    application = JobApplication.objects.filter(pk=pk).first()
    if application is None:
        raise Http404
    form = forms.StatusForm(request.POST)
    if form.is_valid():
        try:
            services.application_set_status(
                application=application, status=form.cleaned_data["status"], actor=request.user
            )
        except services.MatchingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("応募の状態を更新しました"))
    else:
        messages.error(request, _("状態を選んでください"))
    return redirect("matching_staff:job", pk=application.job_id)


@require_policy(policies.can_view_personal_data)
def placements(request):
    return render(
        request,
        "matching/staff/placements.html",
        {
            "page": selectors.page(selectors.placements(), request.GET.get("page")),
            "tours": selectors.tours(),
        },
    )


# --- properties -------------------------------------------------------------------------


@require_policy(policies.can_view_staff)
def property_list(request):
    return render(
        request,
        "matching/staff/properties.html",
        {
            "page": selectors.page(selectors.staff_properties(), request.GET.get("page")),
            "can_manage": policies.can_manage(request.user),
        },
    )


@require_policy(policies.can_manage)
@require_http_methods(["GET", "POST"])
def property_edit(request, pk: int | None = None):
    prop = None
    if pk is not None:
        prop = Property.objects.filter(pk=pk).first()
        if prop is None:
            raise Http404
    form = forms.PropertyForm(request.POST or None, instance=prop)
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in forms.PropertyForm.Meta.fields}
        try:
            prop = services.property_save(property=prop, actor=request.user, **fields)
        except services.MatchingError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("matching_staff:property", pk=prop.pk)
    return render(request, "matching/staff/property_form.html", {"form": form, "property": prop})


@require_policy(policies.can_view_staff)
@require_http_methods(["GET", "POST"])
def property_detail(request, pk: int):
    prop = Property.objects.select_related("district", "partner").filter(pk=pk).first()
    if prop is None:
        raise Http404
    can_manage = policies.can_manage(request.user)
    form = forms.ProposalForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            from sangyo.registry.models import Business

            business = Business.objects.filter(pk=form.cleaned_data["business"]).first()
            if business is None:
                form.add_error("business", _("該当する事業者がありません"))
            else:
                services.property_propose(
                    property=prop,
                    business=business,
                    actor=request.user,
                    note=form.cleaned_data["note"],
                    date=form.cleaned_data["date"],
                )
                messages.success(request, _("物件の提案を記録しました"))
                return redirect("matching_staff:property", pk=prop.pk)
    return render(
        request,
        "matching/staff/property.html",
        {
            "property": prop,
            "enquiries": list(prop.enquiries.all()[:200]) if can_manage else None,
            "n_enquiries": prop.enquiries.count(),
            "proposals": list(prop.proposals.select_related("business", "staff")[:200]),
            "form": form,
            "can_manage": can_manage,
        },
    )


# --- reports and rules ------------------------------------------------------------------


@require_policy(policies.can_manage)
def reports(request):
    return render(
        request,
        "matching/staff/reports.html",
        {"page": selectors.page(selectors.open_reports(), request.GET.get("page"))},
    )


@require_policy(policies.can_manage)
@require_POST
def report_resolve(request, pk: int):
    report = AbuseReport.objects.filter(pk=pk).first()
    if report is None:
        raise Http404
    try:
        services.report_resolve(
            report=report,
            actor=request.user,
            resolution=request.POST.get("resolution", ""),
            hide=request.POST.get("hide") == "1",
        )
    except services.MatchingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("報告を対応済みにしました"))
    return redirect("matching_staff:reports")


@require_policy(policies.can_view_staff)
@require_http_methods(["GET", "POST"])
def rules(request):
    from sangyo.strategy.models import Program, Strategy

    strategy = Strategy.objects.filter(is_current=True).first()
    if strategy is None:
        raise Http404
    if request.method == "POST":
        if not policies.can_edit_rules(request.user):
            raise Http404
        try:
            services.counting_rule_set(
                strategy=strategy,
                event=request.POST.get("event", ""),
                program_code=request.POST.get("program_code", "").strip(),
                actor=request.user,
            )
        except services.MatchingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("計上先を保存しました"))
        return redirect("matching_staff:rules")
    saved = dict(
        CountingRule.objects.filter(strategy=strategy).values_list("event", "program_code")
    )
    programs = {
        p.code: p
        for p in Program.objects.filter(measure__strategy=strategy).select_related("measure")
    }
    rows = []
    for event, label in CountingRule.Event.choices:
        code = saved.get(event, DEFAULT_PROGRAMS.get(event, ""))
        rows.append(
            {
                "event": event,
                "label": label,
                "code": code,
                "program": programs.get(code),
                "is_default": event not in saved,
            }
        )
    return render(
        request,
        "matching/staff/rules.html",
        {
            "rows": rows,
            "programs": sorted(programs.values(), key=lambda p: p.code),
            "can_edit": policies.can_edit_rules(request.user),
        },
    )

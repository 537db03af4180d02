"""Staff pages: dashboard, desks and slots, cases, booking on behalf of a business."""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sangyo.core.decorators import require_policy

from . import forms, policies, selectors, services
from .models import Desk, FollowUp, Referral, Slot

view_required = require_policy(policies.can_view_consultations)
manage_required = require_policy(policies.can_manage_consultations)


@view_required
def index(request):
    ctx = selectors.dashboard()
    ctx["desks"] = selectors.desk_list()
    ctx["can_manage"] = policies.can_manage_consultations(request.user)
    return render(request, "consultations/staff/index.html", ctx)


@view_required
@require_http_methods(["GET", "POST"])
def desk(request, pk):
    obj = selectors.desk_detail(pk)
    if obj is None:
        raise Http404
    can_manage = policies.can_manage_consultations(request.user)
    form = forms.SlotForm(request.POST or None, desk=obj)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.slot_create(
                    desk=obj,
                    starts=d["starts"],
                    ends=d["starts"] + datetime.timedelta(minutes=d["minutes"]),
                    expert=d["expert"],
                    online=d["online"],
                    place=d["place"],
                    actor=request.user,
                )
            except services.ConsultationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("相談枠を追加しました。"))
                return redirect("consultations_staff:desk", pk=obj.pk)
    return render(
        request,
        "consultations/staff/desk.html",
        {"desk": obj, "form": form, "can_manage": can_manage},
    )


@manage_required
@require_http_methods(["GET", "POST"])
def book(request, pk):
    slot = get_object_or_404(Slot.objects.select_related("desk", "expert"), pk=pk)
    form = forms.StaffBookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        business = d["business"]
        if business is not None:
            try:
                services.booking_create(
                    slot=slot,
                    business=business,
                    actor=request.user,
                    name=d["name"],
                    email=d["email"],
                    topic=d["topic"],
                )
            except services.ConsultationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("代理で予約しました。"))
                return redirect("consultations_staff:desk", pk=slot.desk_id)
    return render(request, "consultations/staff/book.html", {"slot": slot, "form": form})


@view_required
@require_http_methods(["GET", "POST"])
def cases(request):
    can_manage = policies.can_manage_consultations(request.user)
    form = forms.CaseForm(request.POST or None, initial={"business": request.GET.get("business")})
    programs = Desk.objects.select_related("program").order_by("id")
    if request.method == "POST":
        if not can_manage:
            raise Http404
        desk_obj = programs.filter(pk=request.POST.get("desk") or 0).first()
        if form.is_valid():
            d = form.cleaned_data
            if desk_obj is None:
                form.add_error(None, _("窓口を選んでください"))
            else:
                case = services.case_create(
                    business=d["business"],
                    program=desk_obj.program,
                    title=d["title"],
                    categories=d["categories"],
                    plan=d["plan"],
                    owner=request.user,
                    actor=request.user,
                )
                return redirect("consultations_staff:case", pk=case.pk)
    status = request.GET.get("status", "open")
    return render(
        request,
        "consultations/staff/cases.html",
        {
            "cases": selectors.case_list(status=status),
            "status": status,
            "form": form,
            "desks": programs,
            "can_manage": can_manage,
        },
    )


def _case_forms(case_obj, data=None, action=None):
    def bound(name, cls, **kw):
        return cls(data if action == name else None, prefix=name, **kw)

    return {
        "session_form": bound("session", forms.SessionForm, case=case_obj),
        "follow_up_form": bound("follow_up", forms.FollowUpForm),
        "plan_form": bound(
            "plan", forms.PlanForm, initial={"plan": forms.plan_text(case_obj.plan)}
        ),
        "referral_form": bound("referral", forms.ReferralForm),
        "close_form": bound("close", forms.CloseForm),
    }


@view_required
def case(request, pk, _forms=None):
    obj = selectors.case_detail(pk)
    if obj is None:
        raise Http404
    ctx = {
        "case": obj,
        "today": timezone.localdate(),
        "can_manage": policies.can_manage_consultations(request.user),
        "outcome_form": forms.ReferralOutcomeForm(),
        **(_forms or _case_forms(obj)),
    }
    return render(request, "consultations/staff/case.html", ctx)


ACTIONS = {
    "session",
    "follow_up",
    "plan",
    "referral",
    "close",
    "follow_up_done",
    "referral_outcome",
}


@manage_required
@require_POST
def case_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    obj = get_object_or_404(selectors.case_detail_qs(), pk=pk)
    user = request.user
    bound = _case_forms(obj, request.POST, action)
    try:
        if action == "follow_up_done":
            fu = get_object_or_404(FollowUp, pk=request.POST.get("id") or 0, case=obj)
            services.follow_up_done(follow_up=fu, actor=user)
        elif action == "referral_outcome":
            ref = get_object_or_404(Referral, pk=request.POST.get("id") or 0, case=obj)
            f = forms.ReferralOutcomeForm(request.POST)
            if not f.is_valid():
                raise services.ConsultationError(_("結果を選んでください"))
            services.referral_outcome(referral=ref, outcome=f.cleaned_data["outcome"], actor=user)
        else:
            form = bound[f"{action}_form"]
            if not form.is_valid():
                return case(request, pk, _forms=bound)
            d = form.cleaned_data
            if action == "session":
                services.session_record(
                    case=obj,
                    booking=d["booking"],
                    date=d["date"],
                    expert=d["expert"],
                    notes=d["notes"],
                    areas=d["areas"],
                    follow_up_days=d["follow_up_days"],
                    actor=user,
                )
            elif action == "follow_up":
                services.follow_up_add(
                    case=obj,
                    due=d["due"],
                    note=d["note"],
                    kind=d["kind"],
                    assignee=d["assignee"],
                    actor=user,
                )
            elif action == "plan":
                services.case_plan_set(case=obj, plan=d["plan"], actor=user)
            elif action == "referral":
                services.referral_create(
                    case=obj, partner=d["partner"], date=d["date"], note=d["note"], actor=user
                )
            elif action == "close":
                services.case_close(case=obj, outcome=d["outcome"], actor=user)
    except services.ConsultationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("保存しました。"))
    return redirect("consultations_staff:case", pk=obj.pk)

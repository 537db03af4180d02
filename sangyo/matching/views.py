"""Public and business pages of matching: the needs/seeds board, conversations, properties,
jobs and the seeker's token page. Views parse, authorise (policies), call one service and
render; every refusal of a policy is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sangyo.core.decorators import require_policy
from sangyo.core.security import public_ratelimit

from . import forms, policies, selectors, services
from .models import AbuseReport, Job, Posting, Property, Region


def _page_query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _acting_businesses(user):
    from sangyo.registry.models import Business

    ids = policies.acting_business_ids(user)
    return list(Business.objects.filter(pk__in=ids).order_by("name", "pk"))


def _chosen_business(request, businesses, exclude_id=None):
    candidates = [b for b in businesses if b.pk != exclude_id]
    wanted = request.POST.get("business")
    for b in candidates:
        if str(b.pk) == wanted:
            return b
    return candidates[0] if candidates else None


# --- needs and seeds --------------------------------------------------------------------


def board(request):
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    category = request.GET.get("category", "")
    region = request.GET.get("region", "")
    qs = selectors.search_postings(q=q, kind=kind, category=category, region=region)
    return render(
        request,
        "matching/board.html",
        {
            "page": selectors.page(qs, request.GET.get("page")),
            "q": q,
            "kind": kind,
            "category": category,
            "region": region,
            "kinds": Posting.Kind.choices,
            "categories": Posting.Category.choices,
            "regions": Region.choices,
            "query": _page_query(request),
            "is_business": policies.is_business_user(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@public_ratelimit("public_form")
def posting_detail(request, pk: int):
    posting = selectors.public_posting(pk)
    if posting is None:
        raise Http404
    businesses = _acting_businesses(request.user)
    own = any(b.pk == posting.business_id for b in businesses)
    can_express = bool(businesses) and not own
    form = forms.InterestForm(request.POST or None)
    if request.method == "POST":
        if not can_express:
            raise Http404
        if form.is_valid():
            try:
                interest = services.interest_create(
                    posting=posting,
                    business=_chosen_business(request, businesses, posting.business_id),
                    actor=request.user,
                    message=form.cleaned_data["message"],
                )
            except services.MatchingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("関心を伝えました。掲載者からの返信をお待ちください。"))
                return redirect("matching:interest", pk=interest.pk)
    return render(
        request,
        "matching/posting_detail.html",
        {
            "posting": posting,
            "form": form,
            "can_express": can_express,
            "own": own,
            "businesses": [b for b in businesses if b.pk != posting.business_id],
        },
    )


@require_policy(policies.is_business_user)
@require_http_methods(["GET", "POST"])
def posting_create(request):
    businesses = _acting_businesses(request.user)
    form = forms.PostingForm(request.POST or None, businesses=businesses)
    if request.method == "POST" and form.is_valid():
        business = next(
            (b for b in businesses if b.pk == form.cleaned_data.get("business")), businesses[0]
        )
        fields = {f: form.cleaned_data[f] for f in forms.PostingForm.Meta.fields}
        try:
            posting = services.posting_create(business=business, actor=request.user, **fields)
        except services.MatchingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("掲載を受け付けました。市の確認後に公開されます。"))
            return redirect("matching:posting_manage", pk=posting.pk)
    return render(request, "matching/posting_form.html", {"form": form})


@require_policy(policies.is_business_user)
def posting_manage(request, pk: int):
    posting = Posting.objects.select_related("business").filter(pk=pk).first()
    if posting is None or not policies.can_act_for(request.user, posting.business_id):
        raise Http404
    suggestions = selectors.suggestions_for(posting) if services.posting_is_public(posting) else []
    return render(
        request,
        "matching/posting_manage.html",
        {
            "posting": posting,
            "suggestions": suggestions,
            "interests": list(posting.interests.select_related("business").order_by("-created_at")),
        },
    )


@require_policy(policies.is_business_user)
def mine(request):
    ids = policies.acting_business_ids(request.user)
    return render(
        request,
        "matching/mine.html",
        {
            "postings": selectors.page(selectors.postings_of(ids), request.GET.get("page")),
            "interests": list(selectors.interests_of(ids)[:50]),
            "jobs": list(selectors.jobs_of(ids)[:50]),
            "business_ids": ids,
        },
    )


def _interest_or_404(request, pk: int):
    interest = selectors.interest_for_page(pk)
    if interest is None or not policies.can_view_interest(request.user, interest):
        raise Http404
    return interest


def _side(request, interest):
    """The business the user speaks for in this conversation (None for staff)."""
    ids = policies.acting_business_ids(request.user)
    if interest.posting.business_id in ids:
        return interest.posting.business
    if interest.business_id in ids:
        return interest.business
    return None


@require_http_methods(["GET", "POST"])
def interest_thread(request, pk: int):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    interest = _interest_or_404(request, pk)
    side = _side(request, interest)
    form = forms.MessageForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("share") and side is not None:
            services.contact_share(interest=interest, business=side, actor=request.user)
            messages.success(request, _("連絡先の開示に同意しました"))
            return redirect("matching:interest", pk=interest.pk)
        if form.is_valid():
            try:
                services.message_send(
                    interest=interest,
                    actor=request.user,
                    body=form.cleaned_data["body"],
                    business=side,
                )
            except services.MatchingError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("matching:interest", pk=interest.pk)
    interest = selectors.interest_for_page(pk)
    shared = interest.contact_shared
    return render(
        request,
        "matching/interest.html",
        {
            "interest": interest,
            "messages_list": selectors.messages_of(interest),
            "form": form,
            "deal_form": forms.DealForm(),
            "side": side,
            "is_owner": side is not None and side.pk == interest.posting.business_id,
            "shared": shared,
            "i_shared": side is not None
            and (
                interest.owner_shares_contact
                if side.pk == interest.posting.business_id
                else interest.interested_shares_contact
            ),
            "owner_contact": interest.posting.created_by if shared else None,
            "interested_contact": interest.created_by if shared else None,
            "has_deal": hasattr(interest, "deal"),
        },
    )


@require_POST
def deal_report(request, pk: int):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    interest = _interest_or_404(request, pk)
    if _side(request, interest) is None and not policies.can_manage(request.user):
        raise Http404
    form = forms.DealForm(request.POST)
    if form.is_valid():
        try:
            services.deal_report(
                interest=interest,
                actor=request.user,
                summary=form.cleaned_data["summary"],
                date=form.cleaned_data["date"],
            )
        except services.MatchingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("成約を報告しました"))
    else:
        messages.error(request, _("成約の内容と成約日を入力してください"))
    return redirect("matching:interest", pk=interest.pk)


@require_http_methods(["GET", "POST"])
@public_ratelimit("public_form")
def report(request, target: str, pk: int):
    model = {"posting": Posting, "job": Job, "property": Property}.get(target)
    if model is None or not model.objects.filter(pk=pk).exists():
        raise Http404
    form = forms.ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_create(
            target_type=target,
            target_id=pk,
            reason=form.cleaned_data["reason"],
            actor=request.user if request.user.is_authenticated else "public",
        )
        messages.success(request, _("ご報告ありがとうございました。市の担当者が確認します。"))
        return redirect("matching:board")
    return render(
        request,
        "matching/report.html",
        {"form": form, "target_label": AbuseReport.Target(target).label},
    )


# --- properties -------------------------------------------------------------------------


def property_list(request):
    from sangyo.registry.models import District

    districts = list(District.objects.order_by("order", "name_ja"))
    form = forms.PropertyFilterForm(request.GET or None, districts=districts)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.search_properties(
        use=filters.get("use") or "",
        district=filters.get("district") or "",
        rent_max=filters.get("rent_max"),
        area_min=filters.get("area_min"),
    )
    return render(
        request,
        "matching/properties.html",
        {
            "form": form,
            "page": selectors.page(qs, request.GET.get("page")),
            "query": _page_query(request),
        },
    )


@require_http_methods(["GET", "POST"])
@public_ratelimit("public_form")
def property_detail(request, pk: int):
    prop = (
        Property.objects.select_related("district", "partner")
        .filter(pk=pk, is_published=True)
        .first()
    )
    if prop is None:
        raise Http404
    form = forms.EnquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.property_enquire(property=prop, **form.cleaned_data)
        except services.MatchingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("お問い合わせを受け付けました。担当者からご連絡します。"))
            return redirect("matching:property", pk=prop.pk)
    return render(request, "matching/property_detail.html", {"property": prop, "form": form})


# --- jobs -------------------------------------------------------------------------------


def job_list(request):
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    english = request.GET.get("english") == "1"
    target = request.GET.get("target", "")
    qs = selectors.search_jobs(q=q, kind=kind, english=english, target=target)
    return render(
        request,
        "matching/jobs.html",
        {
            "page": selectors.page(qs, request.GET.get("page")),
            "q": q,
            "kind": kind,
            "english": english,
            "target": target,
            "kinds": Job.Kind.choices,
            "targets": Job.Target.choices,
            "query": _page_query(request),
            "is_business": policies.is_business_user(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@public_ratelimit("public_form")
def job_detail(request, pk: int):
    job = selectors.public_jobs().filter(pk=pk).first()
    if job is None:
        raise Http404
    form = forms.ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.job_apply(
                job=job, language=translation.get_language() or "ja", **form.cleaned_data
            )
        except services.MatchingError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("matching:application_status", token=application.token)
    return render(request, "matching/job_detail.html", {"job": job, "form": form})


@require_policy(policies.is_business_user)
@require_http_methods(["GET", "POST"])
def job_create(request):
    businesses = _acting_businesses(request.user)
    form = forms.JobForm(request.POST or None, businesses=businesses)
    if request.method == "POST" and form.is_valid():
        business = next(
            (b for b in businesses if b.pk == form.cleaned_data.get("business")), businesses[0]
        )
        fields = {f: form.cleaned_data[f] for f in forms.JobForm.Meta.fields}
        try:
            job = services.job_create(business=business, actor=request.user, **fields)
        except services.MatchingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("求人を受け付けました。市の確認後に公開されます。"))
            return redirect("matching:job_applications", pk=job.pk)
    return render(request, "matching/job_form.html", {"form": form})


@require_policy(policies.is_business_user)
def job_applications(request, pk: int):
    job = Job.objects.select_related("business").filter(pk=pk).first()
    if job is None or not policies.can_act_for(request.user, job.business_id):
        raise Http404
    return render(
        request,
        "matching/job_applications.html",
        {
            "job": job,
            "page": selectors.page(selectors.applications_for(job), request.GET.get("page")),
            "statuses": forms.StatusForm.base_fields["status"].choices,
        },
    )


@require_policy(policies.is_business_user)
@require_POST
def application_update(request, pk: int):
    from .models import JobApplication

    application = JobApplication.objects.select_related("job").filter(pk=pk).first()
    if application is None or not policies.can_act_for(request.user, application.job.business_id):
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
    return redirect("matching:job_applications", pk=application.job_id)


def application_status(request, token: str):
    application = selectors.application_by_token(token)
    if application is None:
        raise Http404
    return render(request, "matching/application_status.html", {"application": application})

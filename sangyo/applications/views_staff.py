"""Staff and reviewer screens of applications: calls and their applications, the staff view
of one application with its workflow steps, reviews, the ranking, the budget.

Views parse, authorise (`staff_policies`), call one service or selector and render. Staff
see the internal (staff) labels of workflow states; applicants never see these pages.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangyo.core.decorators import require_policy
from sangyo.core.errors import DomainError
from sangyo.core.fiscal import fiscal_year as fiscal_year_of
from sangyo.core.i18n import pick_text
from sangyo.strategy.models import Program

from . import reviews, services
from .forms_staff import (
    AssignReviewerForm,
    CallForm,
    CoiForm,
    ReviewForm,
    TransitionForm,
)
from .models import Application, Call, Review, ReviewerAssignment
from .reviews import ReviewError
from .staff_policies import (
    STAGES,
    can_decide,
    can_download_documents,
    can_manage_calls,
    can_open_application_page,
    can_review,
    can_see_all_reviews,
    can_view_applications,
    can_view_budget,
    can_view_ranking,
    can_view_staff_application,
    is_reviewer,
)
from .workflows import get_workflow

BUSINESS_URL = "/staff/businesses/{business}/"


def _lang() -> str:
    return "en" if (get_language() or "ja")[:2] == "en" else "ja"


def _workflow_of(call: Call):
    detail = getattr(call.program, "detail", None)
    if detail is None:
        return None
    try:
        return get_workflow(detail.workflow)
    except KeyError:
        return None


def _state_label(workflow, code: str, lang: str) -> str:
    state = workflow.states.get(code) if workflow else None
    if state is None:
        return code
    return state.staff_en if lang == "en" else state.staff_ja


def _app_workflow(application: Application, cache: dict):
    key = (application.workflow, application.workflow_version)
    if key not in cache:
        try:
            cache[key] = get_workflow(*key)
        except KeyError:
            cache[key] = None
    return cache[key]


def _transition_label(transition) -> str:
    return transition.label_en if _lang() == "en" else transition.label_ja


def _stage_label(stage: str) -> str:
    return dict(Review.Stage.choices).get(stage, stage)


# --- calls -----------------------------------------------------------------------------------


@require_policy(can_view_applications)
def index(request):
    strategy = reviews.current_strategy()
    lang = _lang()
    groups = reviews.calls_by_fiscal_year(strategy)
    for _fy, rows in groups:
        for row in rows:
            workflow = _workflow_of(row.call)
            order = list(workflow.states) if workflow else []
            codes = sorted(row.counts, key=lambda c: (order.index(c) if c in order else 99, c))
            row.count_labels = [(_state_label(workflow, c, lang), row.counts[c]) for c in codes]
    return render(
        request,
        "applications/staff/index.html",
        {
            "strategy": strategy,
            "groups": groups,
            "can_manage": can_manage_calls(request.user),
            "can_budget": can_view_budget(request.user),
        },
    )


def _programs(call: Call | None = None):
    qs = Program.objects.filter(detail__isnull=False)
    scope = Q(measure__strategy__is_current=True)
    if call is not None:
        scope |= Q(pk=call.program_id)
    return qs.filter(scope).select_related("measure", "detail").order_by("measure__number", "order")


@require_policy(can_manage_calls)
def call_new(request):
    form = CallForm(request.POST or None, programs=_programs())
    if request.method == "POST" and form.is_valid():
        try:
            call = reviews.call_create(**form.cleaned_data, actor=request.user)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("募集を作成しました（準備中）。"))
            return redirect("applications_staff:call", pk=call.pk)
    return render(
        request,
        "applications/staff/call_form.html",
        {"form": form, "call": None, "strategy": reviews.current_strategy()},
    )


@require_policy(can_manage_calls)
def call_edit(request, pk: int):
    call = reviews.call_for_staff(pk)
    if call is None:
        raise Http404
    initial = {
        "program": call.program_id,
        "title_ja": call.title_ja,
        "title_en": call.title_en,
        "fiscal_year": call.fiscal_year,
        "opens_at": call.opens_at,
        "closes_at": call.closes_at,
        "budget_yen": call.budget_yen,
        "form": call.form_id,
    }
    form = CallForm(request.POST or None, initial=initial, programs=_programs(call))
    if request.method == "POST" and form.is_valid():
        try:
            reviews.call_update(call=call, **form.cleaned_data, actor=request.user)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("募集を更新しました。"))
            return redirect("applications_staff:call", pk=call.pk)
    return render(
        request,
        "applications/staff/call_form.html",
        {"form": form, "call": call, "strategy": call.program.measure.strategy},
    )


@require_policy(can_view_applications)
def call_detail(request, pk: int):
    call = reviews.call_for_staff(pk)
    if call is None:
        raise Http404
    lang = _lang()
    workflow = _workflow_of(call)
    counts = reviews.call_status_counts(call)
    status = request.GET.get("status", "")
    known = list(workflow.states) if workflow else []
    for code in counts:
        if code not in known:
            known.append(code)
    if status not in known:
        status = ""
    page = Paginator(reviews.call_applications(call, status or None), 100).get_page(
        request.GET.get("page")
    )
    cache: dict = {}
    rows = []
    for a in page:
        rows.append(
            {
                "application": a,
                "status_label": _state_label(_app_workflow(a, cache), a.status, lang),
                "content_average": reviews.two_places(a.content_average),
                "money_average": reviews.two_places(a.money_average),
            }
        )
    manage = can_manage_calls(request.user)
    return render(
        request,
        "applications/staff/call_detail.html",
        {
            "strategy": call.program.measure.strategy,
            "call": call,
            "detail": getattr(call.program, "detail", None),
            "rows": rows,
            "page": page,
            "status": status,
            "status_options": [
                (code, _state_label(workflow, code, lang), counts.get(code, 0)) for code in known
            ],
            "total": sum(counts.values()),
            "assignments": reviews.call_assignments(call),
            "assign_form": AssignReviewerForm() if manage else None,
            "can_manage": manage,
            "can_rank": can_view_ranking(request.user),
            "max_total": sum(
                i["max"] for i in reviews.rubric_of(getattr(call.program, "detail", None))
            ),
        },
    )


def _call_action(request, pk: int, service, done: str):
    call = get_object_or_404(Call, pk=pk)
    try:
        service(call=call, actor=request.user)
    except DomainError as exc:
        messages.error(request, _("エラー：%(message)s") % {"message": exc})
    else:
        messages.success(request, done)
    return redirect("applications_staff:call", pk=call.pk)


@require_policy(can_manage_calls)
@require_POST
def call_open(request, pk: int):
    return _call_action(request, pk, reviews.call_open, _("募集を開始しました。"))


@require_policy(can_manage_calls)
@require_POST
def call_close(request, pk: int):
    return _call_action(request, pk, reviews.call_close, _("募集を終了しました。"))


@require_policy(can_manage_calls)
@require_POST
def assign_reviewer(request, pk: int):
    call = get_object_or_404(Call, pk=pk)
    form = AssignReviewerForm(request.POST)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, _("エラー：%(message)s") % {"message": error})
        return redirect(reverse("applications_staff:call", args=[call.pk]) + "#reviewers")
    try:
        reviews.reviewer_assign(
            call=call,
            reviewer=form.cleaned_data["reviewer"],
            stage=form.cleaned_data["stage"],
            actor=request.user,
        )
    except DomainError as exc:
        messages.error(request, _("エラー：%(message)s") % {"message": exc})
    else:
        messages.success(
            request,
            _("%(name)s さんを%(stage)sの審査員に割り当てました。")
            % {
                "name": form.cleaned_data["reviewer"],
                "stage": _stage_label(form.cleaned_data["stage"]),
            },
        )
    return redirect(reverse("applications_staff:call", args=[call.pk]) + "#reviewers")


@require_policy(can_manage_calls)
@require_POST
def unassign_reviewer(request, pk: int, assignment_pk: int):
    assignment = get_object_or_404(
        ReviewerAssignment.objects.select_related("reviewer", "call"), pk=assignment_pk, call_id=pk
    )
    try:
        reviews.reviewer_unassign(assignment=assignment, actor=request.user)
    except DomainError as exc:
        messages.error(request, _("エラー：%(message)s") % {"message": exc})
    else:
        messages.success(request, _("審査員の割当を解除しました。"))
    return redirect(reverse("applications_staff:call", args=[pk]) + "#reviewers")


@require_policy(can_view_ranking)
def call_ranking(request, pk: int):
    call = reviews.call_for_staff(pk)
    if call is None:
        raise Http404
    stage = request.GET.get("stage", "content")
    if stage not in STAGES:
        stage = "content"
    lang = _lang()
    rows = reviews.ranking(call, stage)
    allocation = reviews.trial_allocation(rows, call.remaining_yen)
    cache: dict = {}
    for r in rows:
        r.status_label = _state_label(
            _app_workflow(r.application, cache), r.application.status, lang
        )
    detail = getattr(call.program, "detail", None)
    return render(
        request,
        "applications/staff/ranking.html",
        {
            "strategy": call.program.measure.strategy,
            "call": call,
            "stage": stage,
            "stages": [(s, _stage_label(s)) for s in STAGES],
            "stage_label": _stage_label(stage),
            "rows": rows,
            "allocation": allocation,
            # Trial allocation is about money: only for subsidies.
            "show_allocation": detail is not None and detail.workflow == "subsidy",
            "max_total": sum(i["max"] for i in reviews.rubric_of(detail)),
        },
    )


@require_policy(can_view_budget)
def budget(request):
    try:
        fy = int(request.GET.get("fy", ""))
    except ValueError:
        fy = fiscal_year_of(timezone.now())
    if not 2000 <= fy <= 2100:
        fy = fiscal_year_of(timezone.now())
    return render(
        request,
        "applications/staff/budget.html",
        {"summary": reviews.budget_summary(fy), "strategy": reviews.current_strategy()},
    )


# --- one application -------------------------------------------------------------------------


def _display_answer(field: dict, value, lang: str) -> str:
    if value in (None, "", []):
        return ""
    kind = field.get("type")
    choices = {str(c.get("value")): c for c in field.get("choices") or []}

    def choice_label(v):
        c = choices.get(str(v))
        if c is None:
            return str(v)
        return (c.get("en") if lang == "en" else None) or c.get("ja") or str(v)

    if kind == "choice":
        return choice_label(value)
    if kind == "multi":
        values = value if isinstance(value, list) else [value]
        return "、".join(choice_label(v) for v in values)
    if kind == "bool":
        truthy = value is True or str(value).lower() in ("true", "on", "1", "yes")
        return _("はい") if truthy else _("いいえ")
    if kind == "money":
        try:
            return _("%(amount)s円") % {"amount": f"{int(value):,}"}
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def answer_rows(application: Application, lang: str) -> list[dict]:
    """The answers, labelled by the form version the applicant answered. Fields hidden by
    their "show when" condition and left empty are skipped; answers to names the form does
    not know are listed under their raw name, so nothing stored is hidden from staff."""
    answers = application.answers or {}
    rows, seen = [], set()
    for field in application.form.fields or []:
        name = field.get("name", "")
        seen.add(name)
        cond = field.get("show_when")
        shown = not cond or answers.get(cond.get("field")) == cond.get("equals")
        value = answers.get(name)
        if not shown and value in (None, "", [], False):
            continue
        rows.append(
            {
                "name": name,
                "label": pick_text(field.get("label")) or name,
                "value": _display_answer(field, value, lang),
                "missing": value in (None, "", []),
                "required": bool(field.get("required")) and shown,
                "long": field.get("type") == "textarea",
            }
        )
    for name, value in answers.items():
        if name not in seen:
            rows.append(
                {
                    "name": name,
                    "label": name,
                    "value": _display_answer({}, value, lang),
                    "missing": value in (None, "", []),
                    "required": False,
                    "long": False,
                    "unknown": True,
                }
            )
    return rows


def cost_rows(application: Application, detail, lang: str) -> list[dict]:
    types = {t.get("code"): t for t in (detail.eligible_cost_types if detail else []) or []}
    rows = []
    for cost in application.costs or []:
        t = types.get(cost.get("type"))
        label = ((t.get("en") if lang == "en" else None) or t.get("ja")) if t else cost.get("type")
        rows.append(
            {
                "type": label or "",
                "description": cost.get("description", ""),
                "amount": cost.get("amount") or 0,
            }
        )
    return rows


def _timeline(application: Application, workflow, lang: str) -> list[dict]:
    labels = {}
    if workflow:
        for t in workflow.transitions:
            labels[t.action] = t.label_en if lang == "en" else t.label_ja
    labels.setdefault("start", _("申請書の作成"))
    return [
        {
            "at": h.at,
            "actor": h.actor,
            "action": labels.get(h.action, h.action),
            "source": _state_label(workflow, h.source, lang) if h.source else "",
            "target": _state_label(workflow, h.target, lang),
            "note": h.note,
        }
        for h in application.history.all()
    ]


def _transition_forms(request, application: Application, workflow, bound=None):
    if not can_decide(request.user) or workflow is None:
        return []
    role = services.actor_role(request.user, application)
    if role is None:
        return []
    remaining = application.call.remaining_yen
    forms = []
    for t in workflow.allowed(application.status, role):
        if bound is not None and bound.transition.action == t.action:
            form = bound
        else:
            form = TransitionForm(transition=t, application=application, remaining_yen=remaining)
        form.label = _transition_label(t)
        form.danger = t.action in ("reject", "withdraw", "return", "return_report")
        forms.append(form)
    return forms


def _application_body(request, application: Application) -> dict:
    """What staff and reviewers read about an application: answers, costs with the
    computed amount and its working, eligibility with reasons, documents."""
    lang = _lang()
    detail = getattr(application.call.program, "detail", None)
    calculation = eligibility = None
    if detail is not None:
        try:
            calculation = services.calculate(application)
        except (DomainError, ValueError):
            calculation = None
        try:
            eligibility = services.eligibility_results(application)
        except DomainError:
            eligibility = None
    staff = can_view_applications(request.user)
    documents = []
    if can_download_documents(request.user, application):
        documents = [
            {
                "doc": d,
                # The portal's download view serves staff too (it checks
                # `policies.can_view_application`, as `can_download_documents` does).
                "url": reverse("portal:document_download", args=[application.pk, d.pk]),
            }
            for d in application.documents.all()
        ]
    return {
        "application": application,
        "call": application.call,
        "detail": detail,
        "business_url": BUSINESS_URL.format(business=application.business_id) if staff else "",
        "answers": answer_rows(application, lang),
        "costs": cost_rows(application, detail, lang),
        "calculation": calculation,
        "working": (calculation.steps_en if lang == "en" else calculation.steps_ja)
        if calculation
        else (),
        "eligibility": [
            {
                "label": r.label_en if lang == "en" else r.label_ja,
                "reason": r.reason_en if lang == "en" else r.reason_ja,
                "status": r.status,
            }
            for r in eligibility or []
        ],
        "eligibility_known": eligibility is not None,
        "documents": documents,
        "documents_total": len(application.documents.all()),
        "language_label": "English" if application.language == "en" else "日本語",
    }


def _render_application(request, application: Application, bound=None):
    lang = _lang()
    workflow = _app_workflow(application, {})
    context = _application_body(request, application)
    rubric = reviews.rubric_of(context["detail"])
    summaries = reviews.review_summaries(application, rubric)
    all_reviews = can_see_all_reviews(request.user)
    if not all_reviews:
        for s in summaries:
            s.reviews = [r for r in s.reviews if r.reviewer_id == request.user.pk]
    for s in summaries:
        s.label = _stage_label(s.stage)
        s.criteria = [
            {
                "label": reviews.criterion_label(item, lang),
                "max": item["max"],
                "average": s.criterion_averages.get(item["code"]),
            }
            for item in rubric
        ]
        s.rows = [
            {
                "review": r,
                "scores": [r.scores.get(item["code"]) for item in rubric],
                "recused": r.conflict_declared,
                "draft": r.submitted_at is None,
            }
            for r in s.reviews
        ]
    context.update(
        {
            "strategy": application.call.program.measure.strategy,
            "status_label": _state_label(workflow, application.status, lang),
            "submitted_at": application.submitted_at
            or next((h.at for h in application.history.all() if h.action == "submit"), None),
            "summaries": summaries,
            "show_averages": all_reviews,
            "max_total": sum(i["max"] for i in rubric),
            "timeline": _timeline(application, workflow, lang),
            "transition_forms": _transition_forms(request, application, workflow, bound),
            "remaining_yen": application.call.remaining_yen,
            "staff": can_view_applications(request.user),
            "review_stages": [
                (s, _stage_label(s)) for s in STAGES if can_review(request.user, application, s)
            ]
            if is_reviewer(request.user)
            else [],
        }
    )
    return render(request, "applications/staff/application_detail.html", context)


def _application_or_404(request, pk: int) -> Application:
    application = reviews.application_for_staff(pk)
    if application is None or not can_view_staff_application(request.user, application):
        raise Http404
    return application


@require_policy(can_open_application_page)
def application_detail(request, pk: int):
    return _render_application(request, _application_or_404(request, pk))


@require_policy(can_decide)
@require_POST
def application_transition(request, pk: int):
    application = _application_or_404(request, pk)
    action = request.POST.get("action", "")
    url = reverse("applications_staff:application", args=[pk])
    try:
        workflow = get_workflow(application.workflow, application.workflow_version)
    except KeyError:
        raise Http404 from None
    role = services.actor_role(request.user, application)
    transition = next(
        (t for t in workflow.allowed(application.status, role or "") if t.action == action), None
    )
    if role is None or transition is None:
        messages.error(
            request,
            _("エラー：この申請の現在の状態（%(state)s）では、その操作はできません。")
            % {"state": _state_label(workflow, application.status, _lang())},
        )
        return redirect(url)
    form = TransitionForm(
        request.POST,
        transition=transition,
        application=application,
        remaining_yen=application.call.remaining_yen,
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.application_transition(
                application=application,
                action=action,
                actor=request.user,
                note=data.get("note", ""),
                decided_yen=data.get("decided_yen"),
                fixed_yen=data.get("fixed_yen"),
                paid_on=data.get("paid_on"),
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            target = _state_label(workflow, transition.target, _lang())
            messages.success(
                request,
                _("「%(action)s」を実行しました。状態：%(state)s")
                % {"action": _transition_label(transition), "state": target},
            )
            return redirect(url)
    # The service rolled back; show the page again with the step's errors.
    application = _application_or_404(request, pk)
    return _render_application(request, application, bound=form)


# --- reviewers -------------------------------------------------------------------------------


@require_policy(is_reviewer)
def my_reviews(request):
    lang = _lang()
    queue = reviews.reviewer_queue(request.user)
    cache: dict = {}
    groups = []
    for assignment, items in queue:
        rows = []
        for app, review in items:
            if review is None:
                state = _("未着手")
            elif review.conflict_declared:
                state = _("辞退（利害関係あり）")
            elif review.submitted_at:
                state = _("提出済み")
            else:
                state = _("下書き")
            rows.append(
                {
                    "application": app,
                    "status_label": _state_label(_app_workflow(app, cache), app.status, lang),
                    "review_state": state,
                }
            )
        groups.append(
            {"assignment": assignment, "stage_label": _stage_label(assignment.stage), "rows": rows}
        )
    return render(
        request,
        "applications/staff/my_reviews.html",
        {"groups": groups, "strategy": reviews.current_strategy()},
    )


@require_policy(is_reviewer)
def review(request, application_pk: int, stage: str):
    if stage not in STAGES:
        raise Http404
    application = reviews.application_for_staff(application_pk)
    if application is None or not can_review(request.user, application, stage):
        raise Http404
    existing = next(
        (
            r
            for r in application.reviews.all()
            if r.reviewer_id == request.user.pk and r.stage == stage
        ),
        None,
    )
    detail = getattr(application.call.program, "detail", None)
    rubric = reviews.rubric_of(detail)
    url = reverse("applications_staff:review", args=[application.pk, stage])
    coi_form = CoiForm()
    review_form = None
    if existing is not None and existing.submitted_at is None and not existing.conflict_declared:
        initial = {f"score_{k}": v for k, v in (existing.scores or {}).items()}
        initial |= {"recommendation": existing.recommendation, "comment": existing.comment}
        review_form = ReviewForm(initial=initial, rubric=rubric)

    if request.method == "POST":
        step = request.POST.get("step")
        if step == "coi":
            coi_form = CoiForm(request.POST)
            if coi_form.is_valid():
                conflict = coi_form.cleaned_data["conflict_declared"]
                if existing is not None and not conflict:
                    return redirect(url)
                try:
                    reviews.review_save(
                        application=application,
                        reviewer=request.user,
                        stage=stage,
                        conflict_declared=conflict,
                        conflict_note=coi_form.cleaned_data["conflict_note"],
                        scores={},
                        recommendation="",
                        comment="",
                        submit=conflict,
                    )
                except DomainError as exc:
                    coi_form.add_error(None, str(exc))
                else:
                    messages.success(
                        request,
                        _("利害関係を申告しました。この申請の審査は辞退として記録されました。")
                        if conflict
                        else _("利害関係がないことを記録しました。審査項目を採点してください。"),
                    )
                    return redirect(url)
        elif step == "scores" and review_form is not None:
            submit = "submit_review" in request.POST
            review_form = ReviewForm(request.POST, rubric=rubric, submit=submit)
            if review_form.is_valid():
                data = review_form.cleaned_data
                try:
                    reviews.review_save(
                        application=application,
                        reviewer=request.user,
                        stage=stage,
                        conflict_declared=False,
                        conflict_note=existing.conflict_note,
                        scores=data["scores"],
                        recommendation=data.get("recommendation") or "",
                        comment=data.get("comment") or "",
                        submit=submit,
                    )
                except ReviewError as exc:
                    for code, message in exc.errors.items():
                        name = f"score_{code}" if f"score_{code}" in review_form.fields else None
                        if code == "recommendation":
                            name = "recommendation"
                        review_form.add_error(name, message)
                except DomainError as exc:
                    review_form.add_error(None, str(exc))
                else:
                    messages.success(
                        request,
                        _("審査を提出しました。提出後は変更できません。")
                        if submit
                        else _("審査を下書き保存しました。"),
                    )
                    return redirect(url)
        elif existing is not None:
            messages.error(request, _("エラー：提出済みの審査は変更できません。"))
            return redirect(url)
        else:
            messages.error(request, _("エラー：先に利害関係の有無を申告してください。"))
            return redirect(url)

    context = _application_body(request, application)
    context.update(
        {
            "strategy": application.call.program.measure.strategy,
            "stage": stage,
            "stage_label": _stage_label(stage),
            "review": existing,
            "coi_form": coi_form,
            "review_form": review_form,
            "rubric": rubric,
            "max_total": sum(i["max"] for i in rubric),
            "frozen_scores": [
                {
                    "label": reviews.criterion_label(item, _lang()),
                    "max": item["max"],
                    "value": (existing.scores or {}).get(item["code"]) if existing else None,
                }
                for item in rubric
            ],
        }
    )
    return render(request, "applications/staff/review.html", context)

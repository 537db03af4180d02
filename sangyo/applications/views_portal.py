"""The applicant portal (/apply/): business users, or their proxies, find open calls, see
whether they are eligible and why, fill the form, upload documents, submit, answer a return,
follow the status, report results and download decisions.

Only business-role users get in (staff use the staff screens); an application is reachable
only by someone who may act for its business today (`policies.can_act_for_application`).
Everything else answers 404, so another business's application cannot be told from a
missing one. Each POST calls one service (submitting a filled form saves it first);
domain errors become a message on the page, never a 500.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET, require_POST

from sangyo.core.decorators import require_policy
from sangyo.core.errors import DomainError
from sangyo.core.i18n import pick_text
from sangyo.core.wareki import format_date_ja, tokyo_date

from . import eligibility, policies, services, uploads
from .forms_dynamic import (
    CostFormSet,
    DynamicForm,
    ReportForm,
    display_answers,
    missing_labels,
    type_label,
)
from .models import Application, Call, Document, StatusChange
from .workflows import get_workflow

PAGE_CALLS = 10
PAGE_APPLICATIONS = 20
# Above this many businesses (a proxy with many clients) the calls list summarises
# eligibility for the one chosen business only, so the page stays a bounded amount of work.
SUMMARY_BUSINESSES = 5
# Actions whose note is written for the applicant (return reasons, decisions).
NOTE_ACTIONS = frozenset({"return", "return_report", "reject", "withdraw"})
FORM_MARKER = "form_version"

portal = require_policy(policies.is_applicant_user)


def _lang() -> str:
    return (get_language() or "ja")[:2]


# --- reads ------------------------------------------------------------------------------


def _calls_with_detail():
    return Call.objects.filter(program__detail__isnull=False).select_related(
        "program__detail", "form"
    )


def _open_calls():
    now = timezone.now()
    return (
        _calls_with_detail()
        .filter(status=Call.Status.OPEN, opens_at__lte=now, closes_at__gte=now)
        .order_by("closes_at", "pk")
    )


def _is_accepting(call: Call) -> bool:
    now = timezone.now()
    return call.status == Call.Status.OPEN and call.opens_at <= now <= call.closes_at


def _application_for(request, pk: int) -> Application:
    application = (
        Application.objects.select_related("call__program__detail", "business", "form")
        .filter(pk=pk)
        .first()
    )
    if application is None or not policies.can_act_for_application(request.user, application):
        raise Http404
    if getattr(application.call.program, "detail", None) is None:
        raise Http404  # the program lost its details: nothing can be shown or done here
    return application


def _selected_business(request, businesses: list, source=None):
    source = request.GET if source is None else source
    wanted = source.get("business", "")
    for business in businesses:
        if str(business.pk) == wanted:
            return business
    return businesses[0] if businesses else None


def state_label(application: Application, code: str) -> str:
    """The applicant's label of a state (staff labels are for staff screens)."""
    state = get_workflow(application.workflow, application.workflow_version).states.get(code)
    if state is None:
        return code
    return state.applicant_en if _lang() == "en" else state.applicant_ja


def _rule_rows(results) -> list[dict]:
    en = _lang() == "en"
    return [
        {
            "code": r.code,
            "status": r.status,
            "label": r.label_en if en else r.label_ja,
            "reason": r.reason_en if en else r.reason_ja,
        }
        for r in results
    ]


def _summary(results) -> dict:
    counts = {"pass": 0, "fail": 0, "unknown": 0}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    return counts


def money_summary(detail) -> str:
    """補助率 1/2・上限 500,000円, or 要確認 while the city has not confirmed the rule."""
    has_money = detail.kind == detail.Kind.SUBSIDY or detail.rate_numerator or detail.cap_yen
    if not has_money:
        return gettext("金銭の交付はありません")
    if not detail.rate_confirmed or not (detail.rate_numerator and detail.rate_denominator):
        return gettext("要確認")
    rate = detail.rate_text or f"{detail.rate_numerator}/{detail.rate_denominator}"
    if detail.cap_yen is None:
        return gettext("補助率 %(rate)s・上限なし") % {"rate": rate}
    return gettext("補助率 %(rate)s・上限 %(cap)s円") % {"rate": rate, "cap": f"{detail.cap_yen:,}"}


def _required_documents(detail) -> list[dict]:
    out = []
    for item in detail.required_documents or []:
        if isinstance(item, str):
            out.append({"code": item, "label": item, "note": "", "required": False})
        else:
            code = str(item.get("code") or item.get("ja") or "")
            out.append(
                {
                    "code": code,
                    "label": pick_text(item) or code,
                    "note": pick_text(item.get("note"))
                    if isinstance(item.get("note"), dict)
                    else "",
                    "required": bool(item.get("required")),
                }
            )
    return out


def _document_kinds(detail) -> list[tuple[str, str]]:
    kinds = [(d["code"], d["label"]) for d in _required_documents(detail) if d["code"]]
    return kinds + [("other", gettext("その他の書類"))]


# --- calls ------------------------------------------------------------------------------


@portal
@require_GET
def calls(request):
    businesses = list(policies.acting_businesses_for(request.user))
    selected = _selected_business(request, businesses)
    summarised = businesses if len(businesses) <= SUMMARY_BUSINESSES else [selected]
    page = Paginator(_open_calls(), PAGE_CALLS).get_page(request.GET.get("page"))
    rows = []
    for call in page:
        detail = call.program.detail
        summaries = [
            {
                "business": business,
                "counts": _summary(
                    eligibility.evaluate(
                        detail.eligibility,
                        eligibility.Context(business=business, call=call, answers={}),
                    )
                ),
            }
            for business in summarised
        ]
        rows.append(
            {
                "call": call,
                "detail": detail,
                "money": money_summary(detail),
                "summaries": summaries,
                "has_rules": bool(detail.eligibility),
            }
        )
    return render(
        request,
        "applications/portal/calls.html",
        {
            "rows": rows,
            "page": page,
            "businesses": businesses,
            "selected": selected,
            "chooser": len(businesses) > SUMMARY_BUSINESSES,
        },
    )


@portal
@require_GET
def call(request, call_id: int):
    call = get_object_or_404(_calls_with_detail().exclude(status=Call.Status.DRAFT), pk=call_id)
    detail = call.program.detail
    businesses = list(policies.acting_businesses_for(request.user))
    selected = _selected_business(request, businesses)
    rules = []
    existing = []
    if selected is not None:
        rules = _rule_rows(
            eligibility.evaluate(
                detail.eligibility, eligibility.Context(business=selected, call=call, answers={})
            )
        )
        existing = [
            {"application": a, "label": state_label(a, a.status)}
            for a in policies.visible_applications_for(request.user)
            .filter(call=call, business=selected)
            .order_by("-created_at")
        ]
    return render(
        request,
        "applications/portal/call.html",
        {
            "call": call,
            "detail": detail,
            "money": money_summary(detail),
            "required_documents": _required_documents(detail),
            "cost_types": [
                {"label": type_label(detail, str(t.get("code"))), "max_yen": t.get("max_yen")}
                if isinstance(t, dict)
                else {"label": t, "max_yen": None}
                for t in detail.eligible_cost_types or []
            ],
            "businesses": businesses,
            "selected": selected,
            "rules": rules,
            "failing": sum(1 for r in rules if r["status"] == eligibility.FAIL),
            "existing": existing,
            "continuing": next(
                (
                    e["application"]
                    for e in existing
                    if e["application"].status in policies.EDITABLE_STATES
                ),
                None,
            ),
            "accepting": _is_accepting(call),
        },
    )


@portal
@require_POST
def start(request, call_id: int):
    call = get_object_or_404(_calls_with_detail().exclude(status=Call.Status.DRAFT), pk=call_id)
    businesses = list(policies.acting_businesses_for(request.user))
    if "business" in request.POST:
        business = next((b for b in businesses if str(b.pk) == request.POST["business"]), None)
        if business is None:
            raise Http404
    elif len(businesses) == 1:
        business = businesses[0]
    else:
        messages.error(request, gettext("申請する事業者を選んでください"))
        return redirect("portal:call", call_id=call.pk)
    # One open application per business and call: a second click continues the first.
    current = (
        Application.objects.filter(call=call, business=business, status__in=("draft", "returned"))
        .order_by("-created_at")
        .first()
    )
    if current is not None:
        messages.info(request, gettext("作成中の申請があります。続きから入力してください"))
        return redirect("portal:application", pk=current.pk)
    try:
        application = services.application_start(
            call=call, business=business, actor=request.user, language=_lang()
        )
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('portal:call', args=[call.pk])}?business={business.pk}")
    messages.success(
        request,
        gettext("申請を作成しました（申請番号 %(number)s）。下書きとして保存できます")
        % {"number": application.number},
    )
    return redirect("portal:application", pk=application.pk)


# --- my applications ---------------------------------------------------------------------


@portal
@require_GET
def my_applications(request):
    applications = (
        policies.visible_applications_for(request.user)
        .select_related("call__program__detail", "business")
        .prefetch_related(
            Prefetch(
                "history",
                queryset=StatusChange.objects.filter(action="submit").order_by("at", "pk"),
                to_attr="submissions",
            )
        )
        .order_by("-created_at", "-pk")
    )
    page = Paginator(applications, PAGE_APPLICATIONS).get_page(request.GET.get("page"))
    rows = [
        {
            "application": a,
            "label": state_label(a, a.status),
            "submitted": a.submitted_at or (a.submissions[0].at if a.submissions else None),
        }
        for a in page
    ]
    return render(request, "applications/portal/my_applications.html", {"rows": rows, "page": page})


# --- one application ---------------------------------------------------------------------


def _calculation(application: Application):
    try:
        calc = services.calculate(application)
    except (DomainError, ValueError):
        return None
    return {
        "eligible_total": calc.eligible_total,
        "amount": calc.amount,
        "steps": calc.steps_en if _lang() == "en" else calc.steps_ja,
    }


def _timeline(application: Application, history) -> list[dict]:
    return [
        {
            "at": change.at,
            "label": state_label(application, change.target),
            "note": change.note if change.action in NOTE_ACTIONS else "",
            "by_applicant": change.actor_id is not None
            and change.actor_id == application.applicant_id,
        }
        for change in history
    ]


def _return_note(application: Application, history) -> str:
    last = history[-1] if history else None
    if last and last.action in ("return", "return_report") and last.target == application.status:
        return last.note or gettext("（理由の記載はありません）")
    return ""


def _application_page(
    request,
    application: Application,
    *,
    form=None,
    costs=None,
    form_error: str = "",
    upload_error: str = "",
    report_form=None,
    report_costs=None,
    withdraw_error: str = "",
):
    detail = application.call.program.detail
    workflow = get_workflow(application.workflow, application.workflow_version)
    actions = {t.action for t in workflow.allowed(application.status, "applicant")}
    editable = application.status in policies.EDITABLE_STATES
    documents = list(application.documents.order_by("uploaded_at", "pk"))
    history = list(application.history.all())
    if editable:
        if form is None:
            form = DynamicForm(
                form_version=application.form, answers=application.answers, documents=documents
            )
        if costs is None:
            costs = CostFormSet(detail=detail, lines=application.costs)
    if "report" in actions:
        if report_form is None:
            report_form = ReportForm(initial={"text": (application.report or {}).get("text", "")})
        if report_costs is None:
            report_costs = CostFormSet(
                detail=detail, lines=(application.report or {}).get("costs") or [], prefix="report"
            )
    results = services.eligibility_results(application)
    blockers = {r.code for r in eligibility.blocking(results, detail.eligibility)}
    rules = _rule_rows(results)
    for rule in rules:
        rule["blocking"] = rule["code"] in blockers
    errors_present = bool(
        form_error
        or upload_error
        or withdraw_error
        or (form is not None and form.is_bound and not form.is_valid())
        or (costs is not None and costs.is_bound and not costs.is_valid())
        or (report_form is not None and report_form.is_bound and not report_form.is_valid())
        or (report_costs is not None and report_costs.is_bound and not report_costs.is_valid())
    )
    context = {
        "application": application,
        "detail": detail,
        "status_label": state_label(application, application.status),
        "timeline": _timeline(application, history),
        "return_note": _return_note(application, history),
        "business": application.business,
        "editable": editable,
        "actions": actions,
        "form": form,
        "costs": costs,
        "form_marker": FORM_MARKER,
        "form_error": form_error,
        "answers": display_answers(application.form, application.answers, documents),
        "cost_lines": [
            {
                "type": type_label(detail, line.get("type", "")),
                "description": line.get("description", ""),
                "amount": line.get("amount", 0),
            }
            for line in application.costs or []
        ],
        "calculation": _calculation(application),
        "rules": rules,
        "blocked": bool(blockers),
        "missing": missing_labels(application.form, application.answers),
        "documents": documents,
        "uploaded_kinds": {d.kind for d in documents},
        "document_kinds": _document_kinds(detail),
        "required_documents": _required_documents(detail),
        "accept": uploads.ACCEPT,
        "max_mb": uploads.MAX_BYTES // (1024 * 1024),
        "upload_error": upload_error,
        "report_form": report_form,
        "report_costs": report_costs,
        "report": application.report or {},
        "report_cost_lines": [
            {
                "type": type_label(detail, line.get("type", "")),
                "description": line.get("description", ""),
                "amount": line.get("amount", 0),
            }
            for line in (application.report or {}).get("costs") or []
        ],
        "withdraw_error": withdraw_error,
        "decided": application.decided_at is not None,
        "errors_present": errors_present,
        "accepting": _is_accepting(application.call),
    }
    return render(request, "applications/portal/application.html", context)


@portal
@require_GET
def application(request, pk: int):
    return _application_page(request, _application_for(request, pk))


def _to_page(application: Application, anchor: str = ""):
    url = reverse("portal:application", args=[application.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _bound_forms(request, application: Application, *, require: bool):
    documents = list(application.documents.all())
    form = DynamicForm(
        request.POST, form_version=application.form, require=require, documents=documents
    )
    costs = CostFormSet(request.POST, detail=application.call.program.detail)
    return form, costs


def _form_posted(request, application: Application) -> bool:
    return request.POST.get(FORM_MARKER) == str(application.form_id)


@portal
@require_POST
def save(request, pk: int):
    application = _application_for(request, pk)
    if application.status not in policies.EDITABLE_STATES:
        messages.error(request, gettext("この申請は現在編集できません"))
        return _to_page(application)
    if not _form_posted(request, application):
        return _application_page(
            request,
            application,
            form_error=gettext("フォームの内容を受け取れませんでした。もう一度入力してください"),
        )
    form, costs = _bound_forms(request, application, require=False)
    if not (form.is_valid() and costs.is_valid()):
        return _application_page(request, application, form=form, costs=costs)
    try:
        services.application_save(
            application=application,
            actor=request.user,
            answers=form.answers(),
            costs=costs.lines(),
        )
    except DomainError as exc:
        messages.error(request, str(exc))
        return _application_page(request, application, form=form, costs=costs)
    messages.success(request, gettext("下書きを保存しました"))
    return _to_page(application, "form")


def _move(request, pk: int, action: str, done: str):
    """Submit or resubmit: save the posted form (when there is one), then take the step."""
    application = _application_for(request, pk)
    workflow = get_workflow(application.workflow, application.workflow_version)
    if action not in {t.action for t in workflow.allowed(application.status, "applicant")}:
        messages.error(request, gettext("この申請は現在この操作ができません"))
        return _to_page(application)
    if _form_posted(request, application):
        form, costs = _bound_forms(request, application, require=True)
        if not (form.is_valid() and costs.is_valid()):
            return _application_page(request, application, form=form, costs=costs)
        try:
            application = services.application_save(
                application=application,
                actor=request.user,
                answers=form.answers(),
                costs=costs.lines(),
            )
        except DomainError as exc:
            messages.error(request, str(exc))
            return _application_page(request, application, form=form, costs=costs)
    try:
        services.application_transition(application=application, action=action, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
        return _to_page(application)
    messages.success(request, done)
    return _to_page(application)


@portal
@require_POST
def submit(request, pk: int):
    return _move(
        request, pk, "submit", gettext("申請しました。審査の状況はこのページで確認できます")
    )


@portal
@require_POST
def resubmit(request, pk: int):
    return _move(request, pk, "resubmit", gettext("修正した内容で再申請しました"))


@portal
@require_POST
def withdraw(request, pk: int):
    application = _application_for(request, pk)
    workflow = get_workflow(application.workflow, application.workflow_version)
    if "withdraw" not in {t.action for t in workflow.allowed(application.status, "applicant")}:
        messages.error(request, gettext("この申請は現在取り下げられません"))
        return _to_page(application)
    if request.POST.get("confirm") != "yes":
        return _application_page(
            request,
            application,
            withdraw_error=gettext("取り下げる場合は、確認欄にチェックしてください"),
        )
    try:
        services.application_transition(
            application=application,
            action="withdraw",
            actor=request.user,
            note=request.POST.get("note", "")[:1000],
        )
    except DomainError as exc:
        messages.error(request, str(exc))
        return _to_page(application)
    messages.success(request, gettext("申請を取り下げました"))
    return _to_page(application)


@portal
@require_POST
def report(request, pk: int):
    application = _application_for(request, pk)
    workflow = get_workflow(application.workflow, application.workflow_version)
    if "report" not in {t.action for t in workflow.allowed(application.status, "applicant")}:
        messages.error(request, gettext("この申請は現在実績報告を受け付けていません"))
        return _to_page(application)
    form = ReportForm(request.POST)
    costs = CostFormSet(request.POST, detail=application.call.program.detail, prefix="report")
    if not (form.is_valid() and costs.is_valid()):
        return _application_page(request, application, report_form=form, report_costs=costs)
    lines = costs.lines()
    try:
        services.application_transition(
            application=application,
            action="report",
            actor=request.user,
            report={
                "text": form.cleaned_data["text"].strip(),
                "costs": lines,
                "total": sum(line["amount"] for line in lines),
                "reported_on": timezone.localdate().isoformat(),
            },
        )
    except DomainError as exc:
        messages.error(request, str(exc))
        return _application_page(request, application, report_form=form, report_costs=costs)
    messages.success(request, gettext("実績報告を提出しました"))
    return _to_page(application)


# --- documents ---------------------------------------------------------------------------


@portal
@require_POST
def document_upload(request, pk: int):
    application = _application_for(request, pk)
    kinds = dict(_document_kinds(application.call.program.detail))
    kind = request.POST.get("kind", "other")
    if kind not in kinds:
        kind = "other"
    try:
        document = uploads.document_add(
            application=application,
            actor=request.user,
            upload=request.FILES.get("file"),
            kind=kind,
        )
    except DomainError as exc:
        return _application_page(request, application, upload_error=str(exc))
    messages.success(
        request, gettext("「%(name)s」を提出しました") % {"name": document.original_name}
    )
    return _to_page(application, "documents")


def _document_for(request, pk: int, doc_id: int) -> tuple[Application, Document]:
    application = _application_for(request, pk)
    document = Document.objects.filter(pk=doc_id, application=application).first()
    if document is None:
        raise Http404
    return application, document


@require_GET
def document_download(request, pk: int, doc_id: int):
    """The one way a document leaves the system, for the applicant side and for staff
    screens alike (they link here): whoever `policies.can_view_application` allows."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    document = (
        Document.objects.select_related("application").filter(pk=doc_id, application_id=pk).first()
    )
    if document is None or not policies.can_view_application(request.user, document.application):
        raise Http404
    try:
        return uploads.document_response(document)
    except (FileNotFoundError, OSError):
        raise Http404 from None


@portal
@require_POST
def document_delete(request, pk: int, doc_id: int):
    application, document = _document_for(request, pk, doc_id)
    try:
        uploads.document_delete(document=document, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
        return _to_page(application, "documents")
    messages.success(
        request, gettext("「%(name)s」を削除しました") % {"name": document.original_name}
    )
    return _to_page(application, "documents")


# --- decisions ---------------------------------------------------------------------------


def _date(value) -> str:
    if not value:
        return ""
    if _lang() == "en":
        return tokyo_date(value).strftime("%-d %B %Y")
    return format_date_ja(value)


def decision_text(application: Application) -> str:
    """A plain-text notice of the decision (the formal PDF letter is made elsewhere)."""
    detail = application.call.program.detail
    lines = [
        gettext("決定通知"),
        "",
        gettext("申請番号：%(v)s") % {"v": application.number},
        gettext("申請者：%(v)s") % {"v": application.business.name},
        gettext("制度：%(v)s") % {"v": detail.t("title")},
        gettext("募集：%(v)s") % {"v": application.call.t("title")},
        gettext("決定日：%(v)s") % {"v": _date(application.decided_at)},
        gettext("現在の状態：%(v)s") % {"v": state_label(application, application.status)},
    ]
    if application.decided_yen is not None:
        lines.append(gettext("交付決定額：%(v)s円") % {"v": f"{application.decided_yen:,}"})
    if application.fixed_yen is not None:
        lines.append(gettext("確定額：%(v)s円") % {"v": f"{application.fixed_yen:,}"})
    if application.certificate_number:
        lines.append(gettext("証明書番号：%(v)s") % {"v": application.certificate_number})
    if application.certified_from:
        lines.append(
            gettext("認定期間：%(start)s〜%(end)s")
            % {
                "start": _date(application.certified_from),
                "end": _date(application.certified_until),
            }
        )
    if application.decision_reason:
        lines += ["", gettext("決定の理由・付記事項："), application.decision_reason]
    lines += [
        "",
        gettext("この通知は申請者ポータルから出力したものです。正式な通知書は市から送付されます。"),
        detail.institution,
    ]
    return "\n".join(lines).rstrip() + "\n"


@portal
@require_GET
def decision(request, pk: int):
    application = _application_for(request, pk)
    if application.decided_at is None:
        raise Http404
    response = HttpResponse(decision_text(application), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="decision-{application.number}.txt"'
    return uploads.harden(response)

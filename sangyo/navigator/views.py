"""Public pages (questionnaire, results, search) and staff pages (counts, mapping,
synonyms, import of outside programs, index rebuild)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sangyo.core.decorators import require_policy
from sangyo.core.security import public_ratelimit

from . import engine, policies, search, selectors, services
from .forms import ImportForm, NeedForm, QuestionnaireForm, SynonymForm, industry_choices
from .models import Need, OutsideProgram, Synonym

ANSWER_KEYS = ("stage", "industry", "employees", "capital", "in_city", "challenge")


def _lang() -> str:
    return "en" if (get_language() or "ja").startswith("en") else "ja"


def _registry_answers(user) -> engine.Answers | None:
    """A business user's answers pre-filled from the registry (their first business)."""
    if not (user.is_authenticated and getattr(user, "role", "") == "business"):
        return None
    from sangyo.applications.policies import acting_businesses_for

    business = acting_businesses_for(user).first()
    return engine.answers_from_business(business) if business else None


# --- public ------------------------------------------------------------------------------


def questionnaire(request):
    needs = engine.active_needs()
    initial, prefilled = {}, False
    if any(k in request.GET for k in ANSWER_KEYS):
        answers = engine.parse_answers(request.GET, needs=needs)
    else:
        answers = _registry_answers(request.user)
        prefilled = answers is not None
    if answers is not None:
        initial = {
            "stage": answers.stage,
            "industry": answers.industry,
            "employees": answers.employees,
            "capital": answers.capital,
            "in_city": answers.in_city,
            "challenge": answers.challenges,
        }
    form = QuestionnaireForm(initial=initial, needs=needs)
    return render(request, "navigator/questionnaire.html", {"form": form, "prefilled": prefilled})


def results(request):
    needs = engine.active_needs()
    form = QuestionnaireForm(request.GET or None, needs=needs)
    form.is_valid()  # only to show errors beside the answers; parsing never guesses
    answers = engine.parse_answers(request.GET, needs=needs)
    lang = _lang()
    result = engine.suggest(answers, lang=lang)
    qs = answers.query_string()
    if answers.challenges and request.session.get("navigator_counted") != qs:
        services.challenges_count(codes=answers.challenges)
        request.session["navigator_counted"] = qs
    return render(
        request,
        "navigator/results.html",
        {
            "form": form,
            "answers": answers,
            "result": result,
            "lang": lang,
            "query_string": qs,
            "stage_text": engine.STAGE_TEXT.get(answers.stage),
            "industry_label": dict(industry_choices()).get(answers.industry, ""),
        },
    )


@public_ratelimit("search", method="GET")
def search_page(request):
    q = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    lang = request.GET.get("lang") or _lang()
    found = search.search(q, lang=lang, page=page, kinds=[kind] if kind else None)
    return render(
        request,
        "navigator/search.html",
        {
            "q": q,
            "kind": kind,
            "found": found,
            "kinds": [
                (k, v[1] if _lang() == "en" else v[0]) for k, v in search.KIND_LABELS.items()
            ],
        },
    )


# --- staff -------------------------------------------------------------------------------


@require_policy(policies.can_view_navigator_staff)
def staff_index(request):
    years = selectors.fiscal_years()
    try:
        fy = int(request.GET.get("fy", "")) if request.GET.get("fy") else None
    except ValueError:
        fy = None
    fy = fy if fy in years else (years[0] if years else None)
    missed = Paginator(selectors.missed_searches(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "navigator/staff/index.html",
        {
            "years": years,
            "fy": fy,
            "counts": selectors.challenge_counts(fy) if fy else [],
            "missed": missed,
            "can_manage": policies.can_manage_navigator(request.user),
            "outside_count": OutsideProgram.objects.count(),
        },
    )


@require_policy(policies.can_view_navigator_staff)
def staff_needs(request):
    needs = Need.objects.order_by("kind", "order", "code")
    return render(
        request,
        "navigator/staff/needs.html",
        {"needs": needs, "can_manage": policies.can_manage_navigator(request.user)},
    )


def _measure_numbers() -> set[str]:
    from sangyo.strategy.models import Measure

    return set(Measure.objects.filter(strategy__is_current=True).values_list("number", flat=True))


@require_http_methods(["GET", "POST"])
@require_policy(policies.can_manage_navigator)
def staff_need_edit(request, pk: int):
    need = get_object_or_404(Need, pk=pk)
    form = NeedForm(request.POST or None, instance=need, valid_numbers=_measure_numbers())
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in NeedForm.Meta.fields}
        values["measures"] = form.cleaned_data["measures_text"]
        need.refresh_from_db()
        services.need_update(need=need, actor=request.user, **values)
        messages.success(request, _("対応を保存しました。"))
        return redirect("navigator_staff:needs")
    return render(request, "navigator/staff/need_edit.html", {"form": form, "need": need})


@require_policy(policies.can_view_navigator_staff)
def staff_synonyms(request):
    page = Paginator(Synonym.objects.order_by("id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "navigator/staff/synonyms.html",
        {"page": page, "can_manage": policies.can_manage_navigator(request.user)},
    )


@require_http_methods(["GET", "POST"])
@require_policy(policies.can_manage_navigator)
def staff_synonym_edit(request, pk: int | None = None):
    synonym = get_object_or_404(Synonym, pk=pk) if pk else None
    initial = {"terms": synonym.terms, "note": synonym.note} if synonym else None
    form = SynonymForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if request.POST.get("delete") and synonym is not None:
            services.synonym_delete(actor=request.user, synonym=synonym)
            messages.success(request, _("同義語を削除しました。"))
            return redirect("navigator_staff:synonyms")
        if form.is_valid():
            try:
                services.synonym_save(
                    actor=request.user,
                    synonym=synonym,
                    terms=form.cleaned_data["terms"],
                    note=form.cleaned_data["note"],
                )
            except services.NavigatorError as exc:
                form.add_error("terms", str(exc))
            else:
                messages.success(request, _("同義語を保存しました。"))
                return redirect("navigator_staff:synonyms")
    return render(request, "navigator/staff/synonym_edit.html", {"form": form, "synonym": synonym})


@require_http_methods(["GET", "POST"])
@require_policy(policies.can_manage_navigator)
def staff_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            form.add_error("file", _("ファイルが大きすぎます（20MBまで）"))
        else:
            try:
                result = services.outside_import(
                    raw=upload.read(), actor=request.user, source=form.cleaned_data["source"]
                )
            except services.NavigatorError as exc:
                form.add_error("file", str(exc))
    return render(request, "navigator/staff/import.html", {"form": form, "result": result})


@require_policy(policies.can_view_navigator_staff)
def staff_outside(request):
    page = Paginator(OutsideProgram.objects.order_by("-imported_at", "id"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "navigator/staff/outside.html", {"page": page})


@require_http_methods(["GET", "POST"])
@require_policy(policies.can_manage_navigator)
def staff_reindex(request):
    from .models import SearchDocument

    if request.method == "POST":
        count = services.reindex(actor=request.user)
        messages.success(request, _("検索の索引を作り直しました（%(n)s件）。") % {"n": count})
        return redirect("navigator_staff:reindex")
    return render(
        request, "navigator/staff/reindex.html", {"documents": SearchDocument.objects.count()}
    )

"""Staff pages for diagnostics: list, ロカベン form, 事業承継 check, result, PDF."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation

from sangyo.core.decorators import require_policy
from sangyo.core.errors import DomainError

from . import locaben, selectors, services, succession
from .forms import LocabenForm, SuccessionForm
from .models import Diagnosis
from .policies import can_create_diagnoses, can_view_diagnoses


@require_policy(can_view_diagnoses)
def diagnosis_list(request):
    business = selectors.business_get(request.GET.get("business"))
    q = request.GET.get("q", "")
    context = {
        "diagnoses": selectors.diagnoses_list(business_id=business.pk if business else None),
        "business": business,
        "q": q,
        "matches": selectors.businesses_matching(q),
        "can_create": can_create_diagnoses(request.user),
    }
    return render(request, "diagnostics/list.html", context)


def _business_or_404(request):
    business = selectors.business_get(request.GET.get("business"))
    if business is None:
        raise Http404
    return business


@require_policy(can_create_diagnoses)
def locaben_new(request):
    business = _business_or_404(request)
    form = LocabenForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            diagnosis = services.diagnosis_create(
                business=business,
                kind=Diagnosis.Kind.LOCABEN,
                actor=request.user,
                periods=form.cleaned_data["periods"],
                notes=form.cleaned_data["notes"],
            )
        except DomainError as e:
            error = str(e)
        else:
            return redirect("diagnostics:detail", pk=diagnosis.pk)
    return render(
        request,
        "diagnostics/locaben_form.html",
        {"business": business, "form": form, "error": error, "indicators": locaben.INDICATORS},
    )


@require_policy(can_create_diagnoses)
def succession_new(request):
    business = _business_or_404(request)
    form = SuccessionForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            diagnosis = services.diagnosis_create(
                business=business,
                kind=Diagnosis.Kind.SUCCESSION,
                actor=request.user,
                answers=form.answers(),
                notes={"note_owner": form.cleaned_data["note_owner"]},
            )
        except DomainError as e:
            error = str(e)
        else:
            return redirect("diagnostics:detail", pk=diagnosis.pk)
    return render(
        request,
        "diagnostics/succession_form.html",
        {"business": business, "form": form, "error": error},
    )


def _result_context(diagnosis: Diagnosis) -> dict:
    context: dict = {"diagnosis": diagnosis, "business": diagnosis.business}
    if diagnosis.kind == Diagnosis.Kind.LOCABEN:
        bench = selectors.benchmark_of(diagnosis)
        context["bench"] = bench
        context["rows"] = [
            {
                "indicator": ind,
                "values": bench.row(ind.code),
                "changes": bench.changes[ind.code],
            }
            for ind in locaben.INDICATORS
        ]
        context["figure_rows"] = [
            {
                "label": label,
                "unit": unit,
                "values": [
                    locaben.to_decimal(p.get("figures", {}).get(key)) for p in diagnosis.periods
                ],
            }
            for key, label, unit in locaben.FIGURES
        ]
        context["notes"] = [
            (Diagnosis._meta.get_field(name).verbose_name, getattr(diagnosis, name))
            for name in services.NOTE_FIELDS
        ]
    else:
        answers = diagnosis.answers or {}
        context["readiness"] = succession.assess(answers)
        context["answers"] = [
            (question, answers.get(key)) for key, question in succession.QUESTIONS
        ]
        context["owner_age"] = answers.get("owner_age")
    return context


@require_policy(can_view_diagnoses)
def diagnosis_detail(request, pk: int):
    diagnosis = selectors.diagnosis_get(pk)
    if diagnosis is None:
        raise Http404
    context = _result_context(diagnosis)
    context["pdf_url"] = reverse("diagnostics:pdf", args=[diagnosis.pk])
    return render(request, "diagnostics/detail.html", context)


@require_policy(can_view_diagnoses)
def diagnosis_pdf(request, pk: int):
    from .pdf import diagnosis_pdf as render_pdf

    diagnosis = selectors.diagnosis_get(pk)
    if diagnosis is None:
        raise Http404
    with translation.override("ja"):
        context = _result_context(diagnosis)
    response = HttpResponse(render_pdf(diagnosis, context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="diagnosis-{diagnosis.pk}.pdf"'
    return response

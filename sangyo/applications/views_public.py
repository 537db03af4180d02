"""Public pages of programs (what a business can apply for, with open calls) and the
certified product catalogue. The same for every visitor: no policy beyond "published"."""

from django.shortcuts import render
from django.utils.translation import get_language

from sangyo.strategy.selectors import get_strategy

from . import catalogue


def _lang() -> str:
    return (get_language() or "ja")[:2]


def _card(detail) -> dict:
    return {
        "detail": detail,
        "program": detail.program,
        "rate": catalogue.rate_text(detail),
        "cap_yen": catalogue.cap_yen(detail),
        "rules": catalogue.eligibility_texts(detail, _lang()),
        "calls": [
            {"call": c, "apply_url": catalogue.apply_url(c)} for c in detail.program.open_calls
        ],
    }


def program_list(request):
    strategy = get_strategy(None)
    details = catalogue.program_details()
    groups = [
        (measure, [_card(d) for d in items])
        for measure, items in catalogue.grouped_by_measure(details)
    ]
    return render(
        request, "applications/public/program_list.html", {"strategy": strategy, "groups": groups}
    )


def program_detail(request, pk: int):
    detail = catalogue.program_detail(pk)
    return render(
        request,
        "applications/public/program_detail.html",
        {
            "strategy": detail.program.measure.strategy,
            "card": _card(detail),
            "industries": catalogue.industry_names(detail),
        },
    )


def certified_catalogue(request):
    strategy = get_strategy(None)
    products = [
        {"product": p, "scheme": catalogue.scheme_name(p)} for p in catalogue.certified_products()
    ]
    return render(
        request,
        "applications/public/catalogue.html",
        {"strategy": strategy, "products": products},
    )

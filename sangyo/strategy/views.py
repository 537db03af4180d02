"""Public pages of the strategy. They work without JavaScript and are the same for every
visitor, so they need no policy beyond "published"."""

from django.shortcuts import render

from . import selectors
from .panels import measure_panels


def _ctx(request, strategy_code, **extra):
    strategy = selectors.get_strategy(strategy_code)
    return {"strategy": strategy, **extra}


def home(request):
    strategy = selectors.get_strategy(None)
    return render(
        request,
        "strategy/home.html",
        {"strategy": strategy, "visions": selectors.visions_with_kpis(strategy)},
    )


def tree(request, strategy_code=None):
    ctx = _ctx(request, strategy_code)
    ctx["visions"] = selectors.visions_tree(ctx["strategy"])
    return render(request, "strategy/tree.html", ctx)


def vision_detail(request, code, strategy_code=None):
    ctx = _ctx(request, strategy_code)
    ctx["vision"] = selectors.get_vision(ctx["strategy"], code)
    return render(request, "strategy/vision.html", ctx)


def measure_detail(request, number, strategy_code=None):
    ctx = _ctx(request, strategy_code)
    measure = selectors.get_measure(ctx["strategy"], number)
    ctx["measure"] = measure
    ctx["previous"], ctx["next"] = selectors.neighbour_measures(measure)
    ctx["panels"] = measure_panels(measure)
    return render(request, "strategy/measure.html", ctx)


def ordinance(request, strategy_code=None):
    return render(request, "strategy/ordinance.html", _ctx(request, strategy_code))


def situation(request, strategy_code=None):
    return render(request, "strategy/situation.html", _ctx(request, strategy_code))


def strategy_list(request):
    return render(
        request, "strategy/strategy_list.html", {"strategies": selectors.strategies_list()}
    )

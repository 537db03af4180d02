"""Extra sections on a measure's page, contributed by apps above this one (support counts
from the registry, output indicators from indicators) without the strategy app importing
them. A panel is `fn(measure) -> (template_name, context) | None`; each panel's selector
must run a fixed number of queries."""

from collections.abc import Callable
from typing import Any

MeasurePanel = Callable[[Any], tuple[str, dict] | None]
_MEASURE_PANELS: list[tuple[int, MeasurePanel]] = []


def register_measure_panel(panel: MeasurePanel, *, order: int = 100) -> MeasurePanel:
    if all(p is not panel for _o, p in _MEASURE_PANELS):
        _MEASURE_PANELS.append((order, panel))
        _MEASURE_PANELS.sort(key=lambda item: item[0])
    return panel


def measure_panels(measure) -> list[tuple[str, dict]]:
    return [out for _o, panel in _MEASURE_PANELS if (out := panel(measure)) is not None]

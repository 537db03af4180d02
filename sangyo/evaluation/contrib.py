"""What apps above (or beside) evaluation contribute to an evaluation sheet, registered at
start-up so the arrow of imports still points down (DESIGN.md: layers).

A *signal source* is a function `fn(*, strategy, fiscal_year) -> list[Signal]`: for example
the navigator registers how often each challenge was chosen (demand signals), the events app
registers survey results per measure.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Signal:
    source: str  # e.g. "navigator.challenges", "events.surveys"
    measure_code: str | None  # "01".."17" or None when it concerns the whole strategy
    label: str  # already translated, human readable
    value: float | int | None
    unit: str = ""
    detail: dict = field(default_factory=dict)


_SOURCES: dict[str, Callable] = {}


def register_signal_source(name: str, fn: Callable) -> None:
    _SOURCES[name] = fn


def signals_for(*, strategy, fiscal_year: int) -> list[Signal]:
    found: list[Signal] = []
    for name in sorted(_SOURCES):
        found.extend(_SOURCES[name](strategy=strategy, fiscal_year=fiscal_year))
    return found

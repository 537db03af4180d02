"""Computed indicators: an indicator whose yearly values are counted from records.

Apps above this one register a `Computation` at start-up (the registry registers counts of
support records, for instance). An indicator names the computation and its parameters;
`services.indicator_refresh_computed` stores the counts as observations, so a computed
figure is traced like any other and its definition is shown in words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Computation:
    code: str
    label_ja: str
    label_en: str
    # (params) -> (ja, en) definition in words, e.g. 「施策06の事業への申請の件数（年度ごと）」
    describe: Callable[[dict[str, Any]], tuple[str, str]]
    # (strategy, params) -> {fiscal_year: value}
    compute: Callable[[Any, dict[str, Any]], dict[int, Decimal]]
    # (params) -> list of problems (Japanese), empty when the parameters are valid
    validate: Callable[[dict[str, Any]], list[str]] = lambda params: []


_COMPUTATIONS: dict[str, Computation] = {}


def register_computation(computation: Computation) -> Computation:
    _COMPUTATIONS[computation.code] = computation
    return computation


def get_computation(code: str) -> Computation | None:
    return _COMPUTATIONS.get(code)


def computations() -> list[Computation]:
    return sorted(_COMPUTATIONS.values(), key=lambda c: c.code)

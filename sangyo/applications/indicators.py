"""Indicators counted from applications (registered with the indicators app at start-up).

`applications.applications` counts submitted applications (those with `submitted_at`) per
fiscal year of submission: the fiscal year of the Tokyo date of `submitted_at`, as
`sangyo.core.fiscal.fiscal_year` defines it (an application sent at 2026-03-31T15:30Z, i.e.
1 April 00:30 in Tokyo, counts in FY2026). Withdrawn and rejected applications still count:
they were applications. Parameters narrow the count:

- `program_kinds`: kinds of program detail, e.g. ["certification"]
- `programs`: program codes of the strategy, e.g. ["06-1"]
- `statuses`: only applications now in these workflow states (optional)
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from sangyo.core.fiscal import fiscal_year
from sangyo.indicators.computed import Computation, register_computation

from .models import Application, ProgramDetail
from .workflows import WORKFLOWS

ALLOWED = {"program_kinds", "programs", "statuses"}


def _states() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for wf in WORKFLOWS.values():
        for code, state in wf.states.items():
            out.setdefault(code, (state.staff_ja, state.staff_en))
    return out


def _filtered(strategy, params: dict[str, Any]):
    qs = Application.objects.filter(
        call__program__measure__strategy=strategy, submitted_at__isnull=False
    )
    if params.get("program_kinds"):
        qs = qs.filter(call__program__detail__kind__in=params["program_kinds"])
    if params.get("programs"):
        qs = qs.filter(call__program__code__in=params["programs"])
    if params.get("statuses"):
        qs = qs.filter(status__in=params["statuses"])
    return qs


def _compute(strategy, params: dict[str, Any]) -> dict[int, Decimal]:
    # Grouped in Python so the fiscal year is exactly `fiscal_year()` of the Tokyo date on
    # every database (SQLite has no time zones); one column of one query.
    counts = Counter(
        fiscal_year(at) for at in _filtered(strategy, params).values_list("submitted_at", flat=True)
    )
    return {fy: Decimal(n) for fy, n in sorted(counts.items())}


def _describe(params: dict[str, Any]) -> tuple[str, str]:
    kinds = dict(ProgramDetail.Kind.choices)
    states = _states()
    parts_ja, parts_en = [], []
    if params.get("program_kinds"):
        parts_ja.append(
            "種類「" + "・".join(str(kinds.get(k, k)) for k in params["program_kinds"]) + "」の制度"
        )
        parts_en.append("programs of kind " + ", ".join(params["program_kinds"]))
    if params.get("programs"):
        parts_ja.append("事業 " + "・".join(params["programs"]))
        parts_en.append("program " + ", ".join(params["programs"]))
    scope_ja = "、".join(parts_ja) or "すべての制度"
    scope_en = "; ".join(parts_en) or "all programs"
    status_ja = status_en = ""
    if params.get("statuses"):
        status_ja = (
            "のうち、現在の状態が「"
            + "・".join(states.get(s, (s, s))[0] for s in params["statuses"])
            + "」のもの"
        )
        status_en = ", now in state " + ", ".join(
            states.get(s, (s, s))[1] for s in params["statuses"]
        )
    return (
        f"{scope_ja}への申請（提出済み）{status_ja}の件数（申請日の年度ごと）",
        f"Number of submitted applications to {scope_en}{status_en}, per fiscal year of submission",
    )


def _validate(params: dict[str, Any]) -> list[str]:
    problems = []
    if not isinstance(params, dict):
        return ["集計条件は項目のまとまりで指定してください"]
    unknown = set(params) - ALLOWED
    if unknown:
        problems.append(f"未知の条件: {', '.join(sorted(unknown))}")
    for key in ALLOWED & set(params):
        value = params[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f"{key} は文字列の一覧で指定してください")
    if problems:
        return problems
    bad_kinds = set(params.get("program_kinds", [])) - set(ProgramDetail.Kind.values)
    if bad_kinds:
        problems.append(f"未知の制度の種類: {', '.join(sorted(bad_kinds))}")
    bad_states = set(params.get("statuses", [])) - set(_states())
    if bad_states:
        problems.append(f"未知の申請の状態: {', '.join(sorted(bad_states))}")
    return problems


APPLICATIONS = register_computation(
    Computation(
        code="applications.applications",
        label_ja="申請の件数",
        label_en="Applications",
        describe=_describe,
        compute=_compute,
        validate=_validate,
    )
)

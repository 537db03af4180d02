"""Indicators counted from support records (registered with the indicators app)."""

from decimal import Decimal

from django.db.models import Count

from sangyo.indicators.computed import Computation, register_computation

from .models import SupportRecord


def _filtered(strategy, params):
    qs = SupportRecord.objects.filter(program__measure__strategy=strategy)
    if params.get("measures"):
        qs = qs.filter(program__measure__number__in=params["measures"])
    if params.get("programs"):
        qs = qs.filter(program__code__in=params["programs"])
    if params.get("kinds"):
        qs = qs.filter(kind__in=params["kinds"])
    return qs


def _compute(strategy, params) -> dict[int, Decimal]:
    counted = Count("business", distinct=True) if params.get("distinct_businesses") else Count("id")
    rows = (
        _filtered(strategy, params)
        .values("fiscal_year")
        .annotate(n=counted)
        .order_by("fiscal_year")
    )
    return {r["fiscal_year"]: Decimal(r["n"]) for r in rows}


def _describe(params) -> tuple[str, str]:
    kinds = dict(SupportRecord.Kind.choices)
    parts_ja, parts_en = [], []
    if params.get("measures"):
        parts_ja.append("施策" + "・".join(params["measures"]))
        parts_en.append("measure " + ", ".join(params["measures"]))
    if params.get("programs"):
        parts_ja.append("事業 " + "・".join(params["programs"]))
        parts_en.append("program " + ", ".join(params["programs"]))
    if params.get("kinds"):
        parts_ja.append("種類「" + "・".join(str(kinds.get(k, k)) for k in params["kinds"]) + "」")
        parts_en.append("kind " + ", ".join(params["kinds"]))
    scope_ja = "、".join(parts_ja) or "すべて"
    scope_en = "; ".join(parts_en) or "all"
    if params.get("distinct_businesses"):
        return (
            f"支援実績（{scope_ja}）を受けた事業者の数（年度ごと、重複を除く）",
            f"Number of distinct businesses with support records ({scope_en}) per fiscal year",
        )
    return (
        f"支援実績（{scope_ja}）の件数（年度ごと）",
        f"Number of support records ({scope_en}) per fiscal year",
    )


def _validate(params) -> list[str]:
    problems = []
    allowed = {"measures", "programs", "kinds", "distinct_businesses"}
    unknown = set(params) - allowed
    if unknown:
        problems.append(f"未知の条件: {', '.join(sorted(unknown))}")
    bad_kinds = set(params.get("kinds", [])) - set(SupportRecord.Kind.values)
    if bad_kinds:
        problems.append(f"未知の支援の種類: {', '.join(sorted(bad_kinds))}")
    return problems


SUPPORT_RECORDS = register_computation(
    Computation(
        code="registry.support_records",
        label_ja="支援実績の件数",
        label_en="Support records",
        describe=_describe,
        compute=_compute,
        validate=_validate,
    )
)

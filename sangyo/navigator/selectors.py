"""Reads for the staff pages and the yearly evaluation: anonymous counts of challenges chosen
and of searches that found nothing."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import ChallengeCount, MissedSearch, Need


def challenge_counts(fiscal_year: int | None = None) -> list[dict]:
    needs = {n.code: n for n in Need.objects.filter(kind=Need.Kind.CHALLENGE)}
    qs = ChallengeCount.objects.all()
    if fiscal_year is not None:
        qs = qs.filter(fiscal_year=fiscal_year)
    return [
        {
            "fiscal_year": c.fiscal_year,
            "code": c.code,
            "need": needs.get(c.code),
            "count": c.count,
            "measures": (needs[c.code].measures if c.code in needs else []),
        }
        for c in qs.order_by("-fiscal_year", "-count", "code")
    ]


def fiscal_years() -> list[int]:
    return list(
        ChallengeCount.objects.values_list("fiscal_year", flat=True)
        .distinct()
        .order_by("-fiscal_year")
    )


def missed_searches():
    return MissedSearch.objects.order_by("-count", "-last_seen")


def evaluation_signals(*, strategy, fiscal_year: int) -> list:
    """Demand signals for the yearly evaluation: for each measure, how many questionnaires
    chose a challenge mapped to it in `fiscal_year` (a questionnaire choosing two challenges
    of the same measure counts twice)."""
    from sangyo.evaluation.contrib import Signal

    numbers = set(strategy.measures.values_list("number", flat=True)) if strategy else set()
    per_measure: dict[str, dict] = {}
    for row in challenge_counts(fiscal_year):
        need = row["need"]
        if need is None:
            continue
        for number in need.measures or []:
            if numbers and number not in numbers:
                continue
            entry = per_measure.setdefault(number, {"count": 0, "challenges": {}})
            entry["count"] += row["count"]
            entry["challenges"][need.label_ja] = row["count"]
    return [
        Signal(
            source="navigator.challenges",
            measure_code=number,
            label=_("支援ナビで選ばれた課題の件数"),
            value=entry["count"],
            unit=_("件"),
            detail={"challenges": entry["challenges"]},
        )
        for number, entry in sorted(per_measure.items())
    ]

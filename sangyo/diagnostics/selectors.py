"""Reads for the diagnostics pages, each a fixed number of queries."""

import datetime

from django.db.models import Q

from sangyo.registry.models import Business

from . import locaben
from .models import Diagnosis


def diagnoses_list(*, business_id: int | None = None, limit: int = 200):
    qs = Diagnosis.objects.select_related("business", "created_by")
    if business_id:
        qs = qs.filter(business_id=business_id)
    return list(qs[:limit])


def diagnosis_get(pk: int) -> Diagnosis | None:
    return Diagnosis.objects.select_related("business", "created_by").filter(pk=pk).first()


def business_get(pk) -> Business | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return Business.objects.filter(pk=pk).first()


def businesses_matching(q: str, limit: int = 20) -> list[Business]:
    q = (q or "").strip()
    if not q:
        return []
    return list(
        Business.objects.filter(Q(name__icontains=q) | Q(kana__icontains=q)).order_by("name")[
            :limit
        ]
    )


def benchmark_of(diagnosis: Diagnosis) -> locaben.Benchmark:
    """The indicators of a saved ローカルベンチマーク (recomputed: formulas are code)."""
    periods = {}
    for period in diagnosis.periods or []:
        try:
            end = datetime.date.fromisoformat(period["end"])
        except (KeyError, TypeError, ValueError):
            continue
        periods[end] = period.get("figures") or {}
    return locaben.compute(periods)

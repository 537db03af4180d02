"""Pre-aggregated output counts (summary.py): the evaluation's figures are identical whether
counted live or read from the summary, suppression included, and the summary is read only
when the mode, its size and its age say so."""

import dataclasses
import datetime
import random

import pytest
from django.utils import timezone

from sangyo.evaluation import selectors
from sangyo.evaluation.models import OutputCount, OutputCountRefresh
from sangyo.evaluation.summary import output_counts_refresh, usable_refresh
from sangyo.registry.tests.factories import business, support_record
from sangyo.strategy.models import Program

KINDS = ["consultation", "event", "subsidy", "information"]


def _random_records(strategy, n: int, seed: int) -> None:
    """Records over two fiscal years, few businesses per program so that many cells fall
    under the suppression threshold and complementary suppression kicks in."""
    rng = random.Random(seed)
    programs = list(Program.objects.filter(measure__strategy=strategy))
    firms = [business() for _ in range(8)]
    for _ in range(n):
        day = datetime.date(2025, 4, 1) + datetime.timedelta(days=rng.randrange(730))
        support_record(
            business_obj=rng.choice(firms),
            program=rng.choice(programs[:6]),
            date=day,
            kind=rng.choice(KINDS),
        )


def _figures(strategy, fy, public, mode, settings):
    settings.SANGYO_OUTPUT_SUMMARY = mode
    return selectors.year_figures(strategy, fy, public=public)


@pytest.mark.parametrize("public", [True, False])
def test_summary_and_live_figures_are_identical(evaluation_data, settings, public):
    _random_records(evaluation_data, 80, seed=3)
    output_counts_refresh(strategy=evaluation_data)
    assert OutputCount.objects.filter(strategy=evaluation_data).exists()
    for fy in (2025, 2026):
        live = _figures(evaluation_data, fy, public, "never", settings)
        summary = _figures(evaluation_data, fy, public, "always", settings)
        assert live.counts_as_of is None and summary.counts_as_of is not None
        assert dataclasses.replace(summary, counts_as_of=None) == live
        if public:  # the data does suppress something, so the test covers it
            programs = [p for m in live.measures for p in m.programs]
            cells = [m.records for m in live.measures] + [p.records for p in programs]
            cells += [k.records for p in programs for k in p.kinds]
            assert any(c.suppressed for c in cells)


def test_auto_reads_the_summary_only_when_large_and_fresh(evaluation_data, settings):
    settings.SANGYO_OUTPUT_SUMMARY = "auto"
    assert usable_refresh(evaluation_data) is None  # never refreshed
    output_counts_refresh(strategy=evaluation_data)
    assert usable_refresh(evaluation_data) is None  # a city's few records: live
    settings.SANGYO_OUTPUT_SUMMARY_THRESHOLD = 5
    assert usable_refresh(evaluation_data) is not None
    OutputCountRefresh.objects.update(refreshed_at=timezone.now() - datetime.timedelta(hours=3))
    assert usable_refresh(evaluation_data) is None  # too old: live
    settings.SANGYO_OUTPUT_SUMMARY = "always"
    assert usable_refresh(evaluation_data) is not None
    settings.SANGYO_OUTPUT_SUMMARY = "never"
    assert usable_refresh(evaluation_data) is None


def test_the_year_page_says_when_summary_counts_were_made(evaluation_data, settings, client):
    settings.SANGYO_OUTPUT_SUMMARY = "always"
    page = client.get("/evaluation/2026/").content.decode()
    assert "時点の集計" not in page  # no summary yet: live, nothing to say
    output_counts_refresh(strategy=evaluation_data)
    page = client.get("/evaluation/2026/").content.decode()
    assert "時点の集計" in page


def test_refresh_replaces_the_counts_and_is_audited(evaluation_data):
    from sangyo.core.models import AuditEvent

    output_counts_refresh(strategy=evaluation_data)
    first = OutputCount.objects.count()
    _random_records(evaluation_data, 10, seed=9)
    output_counts_refresh(strategy=evaluation_data)
    refresh = OutputCountRefresh.objects.get(strategy=evaluation_data)
    assert refresh.records == sum(
        OutputCount.objects.filter(level="measure").values_list("records", flat=True)
    )
    assert OutputCount.objects.count() >= first
    assert AuditEvent.objects.filter(code="evaluation.output_counts.refreshed").count() == 2

"""Scheduled work: refresh the pre-aggregated output counts (hourly under Celery beat, and
on demand: summary.output_counts_refresh_later)."""

from celery import shared_task


@shared_task(name="sangyo.evaluation.refresh_output_counts")
def refresh_output_counts() -> dict:
    from .summary import output_counts_refresh

    return output_counts_refresh(actor="celery")

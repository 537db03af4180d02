"""Scheduled work for privacy (Celery beat, see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(name="sangyo.privacy.apply_retention")
def apply_retention() -> dict:
    from .retention import apply_rules

    return apply_rules(actor="scheduler")

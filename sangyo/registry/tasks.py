"""Scheduled work for the registry (Celery beat, see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(name="sangyo.registry.purge_pending_uploads")
def purge_pending_uploads() -> int:
    from .imports import pending_uploads_purge

    return pending_uploads_purge()

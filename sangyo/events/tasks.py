"""Scheduled work for events (Celery beat, see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.conf import settings


@shared_task(name="sangyo.events.purge_registrations")
def purge_registrations(days: int | None = None) -> int:
    from .services import registrations_purge

    return registrations_purge(days=days or settings.SANGYO_EVENT_RETENTION_DAYS, actor="scheduler")

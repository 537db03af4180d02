"""Scheduled work (Celery beat, see CELERY_BEAT_SCHEDULE): reminder mails before bookings
and events. The same work runs by hand with `sangyo reminders send`."""

from celery import shared_task
from django.conf import settings


@shared_task(name="sangyo.consultations.send_reminders")
def send_reminders(hours: int | None = None) -> dict:
    from sangyo.events.services import registrations_remind

    from .services import bookings_remind

    hours = hours or settings.SANGYO_REMINDER_HOURS
    return {
        "bookings": bookings_remind(actor="scheduler", hours=hours),
        "registrations": registrations_remind(actor="scheduler", hours=hours),
    }

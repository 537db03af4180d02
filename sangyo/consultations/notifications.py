"""Booking mail, in the booker's language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import Booking


def _city_name() -> str:
    from sangyo.strategy.models import Strategy

    strategy = Strategy.objects.filter(is_current=True).first()
    return strategy.t("municipality_name") if strategy else ""


def send_booking_mail(*, booking_id: int, action: str) -> None:
    booking = Booking.objects.select_related("slot__desk", "slot__expert", "business").get(
        pk=booking_id
    )
    if not booking.email:
        return
    with translation.override(booking.language):
        context = {
            "booking": booking,
            "slot": booking.slot,
            "action": action,
            "site_url": settings.SANGYO_SITE_URL,
            "city": _city_name(),
        }
        subject = render_to_string("consultations/mail/booking_subject.txt", context).strip()
        body = render_to_string("consultations/mail/booking_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [booking.email])

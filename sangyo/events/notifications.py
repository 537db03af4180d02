"""Mail to registrants, in the language they registered in."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import Registration


def send_registration_mail(*, registration_id: int, what: str) -> None:
    registration = Registration.objects.select_related("event").get(pk=registration_id)
    if not registration.email:
        return
    with translation.override(registration.language):
        context = {
            "registration": registration,
            "event": registration.event,
            "what": what,
            "site_url": settings.SANGYO_SITE_URL,
        }
        subject = render_to_string("events/mail/subject.txt", context).strip()
        body = render_to_string("events/mail/body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [registration.email])

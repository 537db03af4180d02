"""Mail that tells people something happened on the platform. No mail carries another
person's personal data or message text: it names the posting and links to the page where
the signed-in recipient reads the rest. Seekers get their private status link."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import JobApplication

# what → (subject line msgid is chosen in the template)
BUSINESS_EVENTS = {
    "interest",
    "message",
    "introduced",
    "deal",
    "published",
    "rejected",
    "application",
}


def business_recipients(business_id: int) -> list[str]:
    from sangyo.registry.models import Membership

    return sorted(
        set(
            Membership.objects.filter(business_id=business_id, user__is_active=True).values_list(
                "user__email", flat=True
            )
        )
    )


def notify_business(*, business_id: int, what: str, title: str, path: str) -> int:
    """Tell the members of a business; returns the number of recipients."""
    if what not in BUSINESS_EVENTS:
        raise ValueError(what)
    recipients = business_recipients(business_id)
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {"what": what, "title": title, "url": settings.SANGYO_SITE_URL + path}
        subject = render_to_string("matching/mail/business_subject.txt", context).strip()
        body = render_to_string("matching/mail/business_body.txt", context)
    # One mail per recipient: members of a business do not see each other's addresses.
    for email in recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    return len(recipients)


def notify_seeker(*, application_id: int) -> None:
    application = JobApplication.objects.select_related("job__business").get(pk=application_id)
    with translation.override(application.language or "ja"):
        context = {
            "application": application,
            "job": application.job,
            "url": settings.SANGYO_SITE_URL
            + reverse("matching:application_status", args=[application.token]),
        }
        subject = render_to_string("matching/mail/seeker_subject.txt", context).strip()
        body = render_to_string("matching/mail/seeker_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [application.email])

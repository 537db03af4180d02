"""Mail to applicants about their application's status, in the applicant's language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import Application
from .workflows import get_workflow


def send_status_mail(*, application_id: int, action: str) -> None:
    application = Application.objects.select_related("applicant", "call", "business").get(
        pk=application_id
    )
    if not application.applicant.email:
        return
    workflow = get_workflow(application.workflow, application.workflow_version)
    state = workflow.states[application.status]
    with translation.override(application.language):
        label = state.applicant_en if application.language == "en" else state.applicant_ja
        latest = application.history.order_by("-at", "-id").first()
        context = {
            "application": application,
            "status_label": label,
            "action": action,
            # The officer's note on this step (e.g. what to fix after a return).
            "note": latest.note if latest else "",
        }
        subject = render_to_string("applications/mail/status_subject.txt", context).strip()
        body = render_to_string("applications/mail/status_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [application.applicant.email])

"""Reads for the privacy pages."""

from django.core.paginator import Paginator

from .models import PersonalDataRequest, RetentionRule


def own_requests(user, page=None):
    qs = PersonalDataRequest.objects.filter(requester=user).order_by("-created_at", "-id")
    return Paginator(qs, 20).get_page(page)


def staff_requests(*, status: str = "", page=None):
    qs = PersonalDataRequest.objects.select_related("requester", "filed_by").order_by(
        "due_on", "id"
    )
    if status:
        qs = qs.filter(status=status)
    return Paginator(qs, 50).get_page(page)


def request_get(pk: int) -> PersonalDataRequest | None:
    return (
        PersonalDataRequest.objects.select_related("requester", "filed_by", "handled_by")
        .filter(pk=pk)
        .first()
    )


def retention_rules() -> list[RetentionRule]:
    return list(RetentionRule.objects.order_by("kind"))

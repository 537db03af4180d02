"""The staff menu, assembled from what each app registers at start-up, so the core app
does not import the apps above it. An entry shows to users its policy allows."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class StaffLink:
    order: int
    label: str  # lazy gettext
    description: str
    url_name: str
    policy: Callable


_LINKS: list[StaffLink] = []


def register_staff_link(*, order: int, label, description, url_name: str, policy) -> None:
    if all(link.url_name != url_name for link in _LINKS):
        _LINKS.append(StaffLink(order, label, description, url_name, policy))
        _LINKS.sort(key=lambda link: link.order)


def staff_links_for(user) -> list[dict]:
    return [
        {"label": link.label, "description": link.description, "url": reverse(link.url_name)}
        for link in _LINKS
        if link.policy(user)
    ]

"""Who a request is about, and where their personal data lives.

A person is an account, one or more e-mail addresses, or both: people without an account
(job seekers, event registrants, property enquirers) are found by the address they gave.
Every place that holds personal data is listed here once; the export and the anonymisation
both read these querysets, so neither can forget a place the other knows.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Q, QuerySet

ANON_DOMAIN = "invalid"  # RFC 2606: never delivered
# What replaces a name: stored data, so one fixed Japanese text (not translated per reader).
PLACEHOLDER = "匿名化済み"


@dataclass
class Person:
    user: object | None = None
    emails: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, *, user=None, email: str = "", name: str = "") -> Person:
        emails = {e.strip().lower() for e in (email,) if e and e.strip()}
        names = {n.strip() for n in (name,) if n and n.strip()}
        if user is not None:
            if user.email and not is_anonymised_email(user.email):
                emails.add(user.email.lower())
            if user.name:
                names.add(user.name.strip())
        return cls(user=user, emails=emails, names=names)

    @property
    def empty(self) -> bool:
        return self.user is None and not self.emails

    def email_q(self, field_name: str = "email") -> Q:
        """Rows whose `field_name` is one of the person's addresses (Q that matches nothing
        when there is none)."""
        if not self.emails:
            return Q(pk__in=[])
        return reduce(or_, (Q(**{f"{field_name}__iexact": e}) for e in sorted(self.emails)))

    def user_q(self, field_name: str) -> Q:
        if self.user is None:
            return Q(pk__in=[])
        return Q(**{field_name: self.user})

    @property
    def pseudonym(self) -> str:
        """Stable for the same person (keyed by the account, or else by the first address),
        so records anonymised on different days still read as one person."""
        key = (
            f"user:{self.user.pk}"
            if self.user is not None
            else f"email:{min(self.emails, default='')}"
        )
        digest = hmac.new(settings.SECRET_KEY.encode(), key.encode(), hashlib.sha256)
        return "P-" + digest.hexdigest()[:8].upper()


def is_anonymised_email(email: str) -> bool:
    return email.lower().endswith("@" + ANON_DOMAIN)


def anonymised_email(kind: str, pk: int) -> str:
    return f"anonymised-{kind}-{pk}@{ANON_DOMAIN}"


# --- where the data lives -----------------------------------------------------------------


def memberships(p: Person) -> QuerySet:
    from sangyo.registry.models import Membership

    return Membership.objects.filter(p.user_q("user")).select_related("business")


def delegations(p: Person) -> QuerySet:
    from sangyo.registry.models import Delegation

    return Delegation.objects.filter(p.user_q("proxy")).select_related("business")


def contacts(p: Person) -> QuerySet:
    from sangyo.registry.models import Contact

    return Contact.objects.filter(p.email_q()).select_related("business")


def applications(p: Person) -> QuerySet:
    from sangyo.applications.models import Application

    return (
        Application.objects.filter(p.user_q("applicant"))
        .select_related("call", "business")
        .prefetch_related("documents")
        .order_by("id")
    )


def bookings(p: Person) -> QuerySet:
    from sangyo.consultations.models import Booking

    return (
        Booking.objects.filter(p.user_q("booked_by") | p.email_q())
        .select_related("slot__desk", "business")
        .order_by("id")
    )


def registrations(p: Person) -> QuerySet:
    from sangyo.events.models import Registration

    return Registration.objects.filter(p.email_q()).select_related("event", "survey").order_by("id")


def job_applications(p: Person) -> QuerySet:
    from sangyo.matching.models import JobApplication

    return JobApplication.objects.filter(p.email_q()).select_related("job").order_by("id")


def property_enquiries(p: Person) -> QuerySet:
    from sangyo.matching.models import PropertyEnquiry

    return PropertyEnquiry.objects.filter(p.email_q()).select_related("property").order_by("id")


def interests(p: Person) -> QuerySet:
    from sangyo.matching.models import Interest

    return Interest.objects.filter(p.user_q("created_by")).select_related("posting").order_by("id")


def messages(p: Person) -> QuerySet:
    from sangyo.matching.models import Message

    return Message.objects.filter(p.user_q("sender")).select_related("interest").order_by("id")


def requests(p: Person) -> QuerySet:
    from .models import PersonalDataRequest

    return PersonalDataRequest.objects.filter(
        p.user_q("requester") | p.email_q("subject_email")
    ).order_by("id")


def identifiers(p: Person) -> tuple[set[str], set[str]]:
    """Every name and telephone number the person gave anywhere (with the addresses, what
    the redaction of free text looks for)."""
    names = set(p.names)
    phones: set[str] = set()
    for qs in (
        bookings(p),
        registrations(p),
        job_applications(p),
        property_enquiries(p),
        contacts(p),
    ):
        # Only rows given with the person's own address: a booking they made for a
        # colleague names the colleague, who is not the one asking.
        qs = qs.filter(p.email_q())
        model = qs.model
        fields = [f for f in ("name", "phone") if any(x.name == f for x in model._meta.fields)]
        for row in qs.values(*fields):
            if row.get("name"):
                names.add(row["name"].strip())
            if row.get("phone"):
                phones.add(row["phone"].strip())
    # A name of one character would redact half a text; such a name is left to staff.
    names = {n for n in names if len(n) >= 2 and not is_placeholder(n)}
    return names, {ph for ph in phones if len(ph) >= 6}


def placeholder(p: Person) -> str:
    return f"{PLACEHOLDER} {p.pseudonym}"


def is_placeholder(text: str) -> bool:
    from sangyo.events.services import ANONYMIZED_NAME

    return (
        text.startswith(PLACEHOLDER) or text == ANONYMIZED_NAME or text.startswith("（匿名化済み")
    )

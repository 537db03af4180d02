"""Who may see and change applications.

A business user sees the applications of the businesses they act for (as a member or an
unexpired proxy, `registry.policies.can_act_for`); administrators and program officers see
every application; a reviewer sees the applications of the calls they are assigned to.
Everyone else sees none — and views answer 404, so another business's application cannot
be told from a missing one.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from sangyo.accounts.models import Role

from .models import Application, ReviewerAssignment

# States in which the applicant edits answers, costs and documents.
EDITABLE_STATES = frozenset({"draft", "returned"})
UNSUBMITTED_STATES = frozenset({"draft"})


def _role(user) -> str | None:
    if not (user and user.is_authenticated and user.is_active):
        return None
    return user.role


def is_applicant_user(user) -> bool:
    """The applicant portal is for business users (members or proxies) only."""
    return _role(user) == Role.BUSINESS


def acting_business_ids(user, *, on=None) -> set[int]:
    """Ids of the businesses `user` may act for today: memberships and unexpired, unrevoked
    delegations (the same rule as `registry.policies.can_act_for`), in two queries."""
    from sangyo.registry.models import Delegation, Membership

    if not is_applicant_user(user):
        return set()
    today = on or timezone.localdate()
    ids = set(Membership.objects.filter(user=user).values_list("business_id", flat=True))
    ids |= set(
        Delegation.objects.filter(
            proxy=user, revoked_at__isnull=True, valid_until__gte=today
        ).values_list("business_id", flat=True)
    )
    return ids


def acting_businesses_for(user, *, on=None) -> QuerySet:
    from sangyo.registry.models import Business

    return Business.objects.filter(pk__in=acting_business_ids(user, on=on)).order_by("name", "pk")


def can_act_for_application(user, application: Application) -> bool:
    """`user` is the applicant side of `application`: a business user acting for its
    business. Staff are never applicants, whatever else they may see."""
    from sangyo.registry.policies import can_act_for

    return is_applicant_user(user) and can_act_for(user, application.business)


def can_view_application(user, application: Application) -> bool:
    role = _role(user)
    if role is None:
        return False
    if role in (Role.ADMIN, Role.OFFICER):
        return True
    if role == Role.REVIEWER:
        # A draft has not been given to the city yet: reviewers never see one.
        return (
            application.status not in UNSUBMITTED_STATES
            and ReviewerAssignment.objects.filter(
                call_id=application.call_id, reviewer=user
            ).exists()
        )
    if role == Role.BUSINESS:
        return can_act_for_application(user, application)
    return False


def can_edit_application(user, application: Application) -> bool:
    """Answers, costs and documents change only by the applicant side, only while the
    application is a draft or has been returned for changes."""
    return application.status in EDITABLE_STATES and can_act_for_application(user, application)


def visible_applications_for(user) -> QuerySet:
    role = _role(user)
    if role in (Role.ADMIN, Role.OFFICER):
        return Application.objects.all()
    if role == Role.REVIEWER:
        return Application.objects.filter(
            call__in=ReviewerAssignment.objects.filter(reviewer=user).values("call_id")
        ).exclude(status__in=UNSUBMITTED_STATES)
    if role == Role.BUSINESS:
        return Application.objects.filter(Q(business_id__in=acting_business_ids(user)))
    return Application.objects.none()

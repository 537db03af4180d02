"""Who may do what on the staff and reviewer screens of applications.

Administrators and program officers run calls and decide; viewers read calls, applications
and budgets but change nothing; reviewers (審査員・専門家) see only the calls they are
assigned to, only while an application is in a state their stage reviews, and only their
own reviews. Everything else answers 404 (`sangyo.core.decorators.require_policy`).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from sangyo.accounts.models import Role

from .models import Application, ReviewerAssignment

# The states in which each review stage works on an application. The money review (経費審査)
# looks at the costs before the grant is decided, so it also covers adopted applications.
REVIEW_STATES: dict[str, tuple[str, ...]] = {
    "content": ("submitted", "resubmitted", "under_review"),
    "money": ("submitted", "resubmitted", "under_review", "adopted"),
}
STAGES = tuple(REVIEW_STATES)


def _role(user) -> str | None:
    if not (user and user.is_authenticated and user.is_active):
        return None
    return user.role


def can_view_applications(user) -> bool:
    """Calls, their applications and the staff application page (read-only for viewers)."""
    return _role(user) in {Role.ADMIN, Role.OFFICER, Role.VIEWER}


def can_manage_calls(user) -> bool:
    """Create and edit calls, open and close them, set budgets, assign reviewers."""
    return _role(user) in {Role.ADMIN, Role.OFFICER}


def can_decide(user) -> bool:
    """Move applications along their workflow (the workflow table has the last word)."""
    return _role(user) in {Role.ADMIN, Role.OFFICER}


def can_view_ranking(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER}


def can_view_budget(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER, Role.VIEWER}


def is_reviewer(user) -> bool:
    return _role(user) == Role.REVIEWER


def can_open_application_page(user) -> bool:
    """The coarse gate of the staff application page; `can_view_staff_application` decides
    for the record."""
    return can_view_applications(user) or is_reviewer(user)


def can_see_all_reviews(user) -> bool:
    """Every reviewer's scores and the averages are for staff; a reviewer sees their own."""
    return can_view_applications(user)


def assigned_stages(user, call) -> set[str]:
    if not is_reviewer(user):
        return set()
    return set(
        ReviewerAssignment.objects.filter(call=call, reviewer=user).values_list("stage", flat=True)
    )


def _reviewer_filter(user) -> Q:
    """Applications a reviewer may see: assigned call and stage, and a state of that stage."""
    q = Q(pk__in=[])
    for stage, states in REVIEW_STATES.items():
        calls = ReviewerAssignment.objects.filter(reviewer=user, stage=stage).values("call_id")
        q |= Q(call_id__in=calls, status__in=states)
    return q


def visible_review_applications_for(user) -> QuerySet[Application]:
    if not is_reviewer(user):
        return Application.objects.none()
    return Application.objects.filter(_reviewer_filter(user))


def can_review(user, application: Application, stage: str) -> bool:
    if stage not in REVIEW_STATES or not is_reviewer(user):
        return False
    return application.status in REVIEW_STATES[stage] and stage in assigned_stages(
        user, application.call
    )


def can_view_staff_application(user, application: Application) -> bool:
    """Staff see every application; a reviewer only one they may review now."""
    if can_view_applications(user):
        return True
    if not is_reviewer(user):
        return False
    stages = assigned_stages(user, application.call)
    return any(application.status in REVIEW_STATES[s] for s in stages if s in REVIEW_STATES)


def can_download_documents(user, application: Application) -> bool:
    """Documents may carry personal data: the portal's download view decides with the
    applications policy (admins, officers, assigned reviewers, the applicant side)."""
    from .policies import can_view_application

    return can_view_application(user, application)

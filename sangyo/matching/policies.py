"""Who may do what in matching.

- Anyone reads published, unexpired postings, properties and jobs, reports abuse, enquires
  about a property and applies for a job (without an account).
- A business user acts for the businesses they are a member of (or an unexpired proxy of):
  posts needs/seeds and jobs, expresses interest, talks with the other side, reports deals,
  sees the applications to its own jobs.
- Officers and administrators moderate, introduce, manage properties, record proposals and
  placements, and see seekers' and enquirers' personal data. Viewers see the staff lists
  without people; reviewers see nothing here.
"""

from __future__ import annotations

from sangyo.accounts.models import Role


def _role(user) -> str | None:
    if not (user and user.is_authenticated and user.is_active):
        return None
    return user.role


def acting_business_ids(user) -> set[int]:
    if _role(user) != Role.BUSINESS:
        return set()
    from sangyo.applications.policies import acting_business_ids as ids

    return ids(user)


def is_business_user(user) -> bool:
    return bool(acting_business_ids(user))


def can_act_for(user, business_id: int | None) -> bool:
    return business_id is not None and business_id in acting_business_ids(user)


def can_view_staff(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER, Role.VIEWER}


def can_manage(user) -> bool:
    """Moderate, introduce, manage properties, record proposals and placements."""
    return _role(user) in {Role.ADMIN, Role.OFFICER}


def can_view_personal_data(user) -> bool:
    return can_manage(user)


def can_edit_rules(user) -> bool:
    return _role(user) == Role.ADMIN


def can_view_interest(user, interest) -> bool:
    """The two businesses of a conversation, and officers and administrators."""
    if can_manage(user):
        return True
    ids = acting_business_ids(user)
    return interest.business_id in ids or interest.posting.business_id in ids


def can_view_job_applications(user, job) -> bool:
    return can_manage(user) or can_act_for(user, job.business_id)


def can_update_application(user, application) -> bool:
    return can_view_job_applications(user, application.job)

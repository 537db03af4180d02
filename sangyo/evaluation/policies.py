"""Who may do what with evaluation sheets.

Everybody reads published sheets, reports and open data. Staff (viewers, officers,
administrators) read every sheet. Officers and administrators draft sheets and record
follow-ups; the section head's review (確認) and publication are the administrators' (課長);
administrators also manage the committee, the year settings and the reports."""

from sangyo.accounts.models import Role


def _role(user):
    if not (user and user.is_authenticated and user.is_active):
        return None
    return user.role


def can_view_evaluation_staff(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER, Role.VIEWER}


def can_draft(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER}


def can_review(user) -> bool:
    """The section head (課長) confirms and publishes: the administrator role."""
    return _role(user) == Role.ADMIN


def can_manage_committee(user) -> bool:
    return _role(user) == Role.ADMIN


def can_generate_report(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER}

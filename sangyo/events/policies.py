"""Who may see and run events. Anyone may read published events and register; staff
(administrators and officers) create events, see registrants and check people in; viewers
see events and counts but not people."""

from sangyo.accounts.models import Role


def _role(user):
    if not (user and user.is_authenticated and user.is_active):
        return None
    return user.role


def can_view_events_staff(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER, Role.VIEWER}


def can_manage_events(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER}


def can_view_registrants(user) -> bool:
    return can_manage_events(user)

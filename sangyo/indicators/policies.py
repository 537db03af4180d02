"""Who may do what with indicators. Published figures are public; changing them is staff
work, and revising a target (a decision of the plan) is for administrators and officers."""

from sangyo.accounts.models import Role


def _role(user):
    if not (user and user.is_authenticated and user.is_active):
        return None
    return user.role


def can_view_staff_indicators(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER, Role.VIEWER}


def can_enter_observations(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER}


def can_import_observations(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER}


def can_revise_targets(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER}


def can_define_indicators(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER}

"""Who may see and write diagnoses: administrators and officers write; viewers read."""

from sangyo.accounts.models import Role


def _role(user) -> str | None:
    if not (user and user.is_authenticated and user.is_active):
        return None
    return user.role


def can_view_diagnoses(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER, Role.VIEWER}


def can_create_diagnoses(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER}

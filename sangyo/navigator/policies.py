"""Who may do what in the navigator. The questionnaire, results and search are public;
staff viewers read the anonymous counts; officers and administrators edit the mapping and
synonyms, import outside programs and rebuild the index."""

from sangyo.accounts.models import Role


def _role(user):
    if not (user and user.is_authenticated and user.is_active):
        return None
    return user.role


def can_view_navigator_staff(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER, Role.VIEWER}


def can_manage_navigator(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER}

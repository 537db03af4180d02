"""Who may see and change consultations."""

from sangyo.accounts.models import Role


def _role(user):
    if not (user and user.is_authenticated and user.is_active):
        return None
    return user.role


def can_view_consultations(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER, Role.VIEWER}


def can_manage_consultations(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER}


def can_book(user) -> bool:
    return _role(user) is not None


def can_cancel_booking(user, booking) -> bool:
    from sangyo.registry.policies import can_act_for

    if can_manage_consultations(user):
        return True
    if _role(user) is None:
        return False
    return booking.booked_by_id == user.pk or can_act_for(user, booking.business)

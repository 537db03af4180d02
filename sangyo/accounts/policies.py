"""Who may do what with accounts and staff pages."""

from .models import Role


def is_staff_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_city_staff)


def can_view_staff_area(user) -> bool:
    return is_staff_member(user)


def can_view_audit_log(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.role in {Role.ADMIN, Role.OFFICER}
    )


def can_manage_strategy(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role == Role.ADMIN)

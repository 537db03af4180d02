"""Who may see and change the business registry.

Personal data (contacts, representatives' names in exports) is shown only to roles whose
work needs it: administrators and program officers. Viewers see businesses without people.
"""

from sangyo.accounts.models import Role

from .models import Business, Delegation, Membership


def _role(user) -> str | None:
    if not (user and user.is_authenticated and user.is_active):
        return None
    return user.role


def can_view_businesses(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER, Role.VIEWER}


def can_view_personal_data(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER}


def can_edit_businesses(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER}


def can_import(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.OFFICER}


def can_merge(user) -> bool:
    return _role(user) == Role.ADMIN


def can_export_personal_data(user) -> bool:
    return can_view_personal_data(user)


def can_act_for(user, business: Business, *, on=None) -> bool:
    """A business user may act for a business as its member or as an unexpired proxy."""
    from django.utils import timezone

    if _role(user) is None:
        return False
    if Membership.objects.filter(user=user, business=business).exists():
        return True
    today = on or timezone.localdate()
    return Delegation.objects.filter(
        proxy=user, business=business, revoked_at__isnull=True, valid_until__gte=today
    ).exists()


def can_manage_delegations(user, business: Business) -> bool:
    """Only the business's representative (GビズID プライム) names or revokes proxies; a proxy
    or an ordinary member cannot. Officers and administrators may revoke (not grant) one."""
    if _role(user) == Role.BUSINESS:
        return Membership.objects.filter(
            user=user, business=business, role=Membership.Role.REPRESENTATIVE
        ).exists()
    return False


def visible_businesses_for(user):
    if can_view_businesses(user):
        return Business.objects.all()
    if _role(user) is None:
        return Business.objects.none()
    return Business.objects.filter(memberships__user=user)

"""Who may manage API tokens, and which scopes a token's owner may hold.

A scope is granted only to an owner whose role may do the same thing on the staff pages,
and it is checked again at every use, so a token never outlives its owner's role."""

from sangyo.accounts.models import Role
from sangyo.applications import staff_policies as applications
from sangyo.evaluation import policies as evaluation
from sangyo.indicators import policies as indicators
from sangyo.registry import policies as registry

from .models import Scope


def can_manage_tokens(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role == Role.ADMIN)


SCOPE_POLICIES = {
    Scope.REGISTRY_READ: registry.can_view_businesses,
    Scope.REGISTRY_PERSONAL: registry.can_view_personal_data,
    Scope.SUPPORT_RECORDS_READ: registry.can_view_businesses,
    Scope.SUPPORT_RECORDS_WRITE: registry.can_edit_businesses,
    Scope.APPLICATIONS_READ: applications.can_view_applications,
    Scope.INDICATORS_WRITE: indicators.can_enter_observations,
    Scope.EVALUATION_READ: evaluation.can_view_evaluation_staff,
}


def can_own_tokens(user) -> bool:
    return bool(user and user.is_active and getattr(user, "is_city_staff", False))


def owner_may_hold(user, scope: str) -> bool:
    policy = SCOPE_POLICIES.get(scope)
    return bool(policy and can_own_tokens(user) and policy(user))


def scopes_for(user) -> list[str]:
    return [s for s in Scope.values if owner_may_hold(user, s)]

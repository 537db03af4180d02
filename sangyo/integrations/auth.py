"""Bearer-token authentication for /api/v1/staff/…: `auth=require_scope("registry:read")`.

A missing, unknown, revoked or expired token, or one whose owner is no longer active city
staff, answers 401; a valid token without the operation's scope (or whose owner's role no
longer allows it) answers 403. Refusals of known tokens are audited
(`integrations.token.denied`)."""

from __future__ import annotations

from django.utils import timezone
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer

from . import policies, services
from .models import ApiToken


class ScopedToken(HttpBearer):
    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()
        # One security scheme in the OpenAPI document for every scope.
        self.openapi_scheme = "bearer"

    def authenticate(self, request, token: str):
        found = (
            ApiToken.objects.select_related("owner")
            .filter(token_hash=services.hash_token(token or ""))
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.revoked_at is not None:
            return self._deny(request, found, "revoked")
        if found.expires_at is not None and found.expires_at <= now:
            return self._deny(request, found, "expired")
        if not policies.can_own_tokens(found.owner):
            return self._deny(request, found, "owner_not_staff")
        if self.scope not in found.scopes:
            self._deny(request, found, "missing_scope")
            raise AuthorizationError(
                message=f"このトークンにはスコープ「{self.scope}」がありません。"
                f" / The token lacks the scope {self.scope!r}."
            )
        if not policies.owner_may_hold(found.owner, self.scope):
            self._deny(request, found, "owner_role")
            raise AuthorizationError(
                message="トークンの所有者の役割では、この操作はできません。"
                " / The token owner's role does not allow this."
            )
        services.token_used(token=found, now=now)
        request.user = found.owner
        return found

    def _deny(self, request, token, reason: str):
        services.token_denied(token=token, reason=reason, scope=self.scope, path=request.path)
        return None


_CACHE: dict[str, ScopedToken] = {}


def require_scope(scope: str) -> ScopedToken:
    from .models import Scope

    assert scope in Scope.values, scope
    return _CACHE.setdefault(scope, ScopedToken(scope))


def has_scope(request, scope: str) -> bool:
    """Whether the request's token also holds `scope` (and its owner may still use it)."""
    token = getattr(request, "auth", None)
    return bool(
        isinstance(token, ApiToken)
        and scope in token.scopes
        and policies.owner_may_hold(token.owner, scope)
    )

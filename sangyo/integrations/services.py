"""Writes for API tokens: create, revoke, and what a use leaves behind (last use, refusals)."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangyo.core.audit import audit
from sangyo.core.errors import DomainError, PermissionDenied

from . import policies
from .models import ApiToken, Scope

TOKEN_PREFIX = "sgy_"
# A use is written to last_used_at at most this often, so a busy integration does not
# turn every read into a write.
LAST_USED_EVERY = datetime.timedelta(minutes=5)


class TokenError(DomainError):
    pass


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def token_create(
    *,
    name: str,
    owner,
    scopes: list[str],
    actor: Any,
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Make a token; returns it with the raw secret, which is never stored or shown again."""
    if not policies.can_manage_tokens(actor):
        raise PermissionDenied(_("APIトークンを発行する権限がありません"))
    name = (name or "").strip()
    if not name:
        raise TokenError(_("トークンの名前を入力してください"))
    scopes = sorted(set(scopes))
    if not scopes:
        raise TokenError(_("スコープを一つ以上選んでください"))
    unknown = [s for s in scopes if s not in Scope.values]
    if unknown:
        raise TokenError(_("スコープ「%(scope)s」は定義されていません") % {"scope": unknown[0]})
    if not policies.can_own_tokens(owner):
        raise TokenError(_("所有者は有効な職員アカウントである必要があります"))
    refused = [s for s in scopes if not policies.owner_may_hold(owner, s)]
    if refused:
        raise TokenError(
            _("所有者の役割ではスコープ「%(scope)s」を持てません") % {"scope": refused[0]}
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise TokenError(_("有効期限は未来の日時にしてください"))
    raw = new_raw_token()
    token = ApiToken.objects.create(
        name=name[:100],
        owner=owner,
        scopes=scopes,
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(raw),
        created_by=actor if getattr(actor, "pk", None) else None,
        expires_at=expires_at,
    )
    audit(
        "integrations.token.created",
        actor=actor,
        target=token,
        data={
            "owner": owner.pk,
            "scopes": scopes,
            "prefix": token.prefix,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Any) -> ApiToken:
    if not policies.can_manage_tokens(actor):
        raise PermissionDenied(_("APIトークンを失効させる権限がありません"))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit(
        "integrations.token.revoked",
        actor=actor,
        target=token,
        data={"prefix": token.prefix, "owner": token.owner_id},
    )
    return token


def token_used(*, token: ApiToken, now=None) -> None:
    """Note a use, at most once per LAST_USED_EVERY (one UPDATE, no audit event: uses are
    many; refusals are audited)."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def token_denied(*, token: ApiToken, reason: str, scope: str = "", path: str = "") -> None:
    """Record a refused use of a known token (revoked, expired, owner no longer staff, or a
    scope it lacks)."""
    audit(
        "integrations.token.denied",
        actor=f"api-token:{token.prefix}",
        target=token,
        data={"reason": reason, "scope": scope, "path": path[:200]},
    )

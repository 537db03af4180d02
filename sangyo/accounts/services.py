"""Writes to accounts. Every change is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from sangyo.core.audit import audit

from .models import Role, User


@transaction.atomic
def user_create(
    *, email: str, role: str, actor: Any, name: str = "", password: str | None = None
) -> User:
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    user = User(email=User.objects.normalize_email(email).lower(), name=name, role=role)
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit("accounts.user.created", actor=actor, target=user, data={"role": role})
    return user


@transaction.atomic
def user_set_role(*, user: User, role: str, actor: Any) -> User:
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    if user.role == role:
        return user
    previous, user.role = user.role, role
    user.save(update_fields=["role"])
    audit(
        "accounts.user.role_changed", actor=actor, target=user, data={"from": previous, "to": role}
    )
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str, actor: Any) -> User:
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit("accounts.user.password_changed", actor=actor, target=user)
    return user

"""The one helper every service uses to record an audit event."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEvent


def audit(
    code: str,
    *,
    actor: Any = None,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that `actor` did `code` to `target`.

    `actor` is a user, or a string naming a non-human actor ("cli", "system"). Call this
    inside the service's transaction so the event exists exactly when the change does.
    """
    if code.count(".") < 2:
        raise ValueError(f"audit code must be dotted <app>.<object>.<verb>: {code!r}")
    user = actor if isinstance(actor, models.Model) else None
    label = str(actor) if actor is not None else "system"
    return AuditEvent.objects.create(
        code=code,
        actor=user,
        actor_label=label[:200],
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:300] if target is not None else "",
        data=data or {},
    )

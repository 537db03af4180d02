"""Send something at most once per row, even when two workers run the same job at once."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


def send_once(model, ids: Iterable[int], *, stamp: str, send: Callable[[int], None]) -> int:
    """For each row id, claim the row by setting its `stamp` time field, then `send(id)`.

    Each row is claimed in its own short transaction with SKIP LOCKED (PostgreSQL), so a
    second worker skips rows the first holds and finds them stamped afterwards. When `send`
    fails, the claim rolls back with it and the next run retries that row. Returns how many
    were sent."""
    sent = 0
    for pk in list(ids):
        try:
            with transaction.atomic():
                claimed = (
                    model.objects.select_for_update(skip_locked=True)
                    .filter(pk=pk, **{f"{stamp}__isnull": True})
                    .first()
                )
                if claimed is None:
                    continue
                setattr(claimed, stamp, timezone.now())
                claimed.save(update_fields=[stamp])
                send(claimed.pk)
        except Exception:  # the claim is rolled back; the next run retries this row
            logger.exception("sending failed for %s %s", model._meta.label, pk)
            continue
        sent += 1
    return sent

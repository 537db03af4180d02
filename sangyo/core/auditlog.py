"""Searching and exporting the audit log (the staff page /staff/audit/).

Filters: code prefix, actor (name or e-mail), target type and id, a date range in Japan time,
and free text in the labels. Pages are keyset-paginated on (created_at, id), newest first, so
a page costs the same on the millionth event as on the first. The export streams the filtered
events as CSV (UTF-8 with BOM) or builds an Excel workbook (up to XLSX_MAX_ROWS), and is itself
audited as `core.audit.exported` with the filters and the row count.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import audit
from .models import AuditEvent
from .tabular import chunked, write_csv, write_xlsx

PAGE_SIZE = 50
EXPORT_CHUNK = 2000
XLSX_MAX_ROWS = 100_000
FORMATS = ("csv", "xlsx")
HEADER = (
    "ID",
    "日時（日本時間）",
    "種別コード",
    "実行者",
    "実行者ID",
    "対象の種類",
    "対象ID",
    "対象",
    "内容（JSON）",
)


class AuditFilterForm(forms.Form):
    code = forms.CharField(
        label=_("種別コード（前方一致）"),
        required=False,
        max_length=120,
        help_text=_("例: registry. または applications.application."),
    )
    actor = forms.CharField(
        label=_("実行者（名前の一部またはメールアドレス）"), required=False, max_length=200
    )
    target_type = forms.CharField(
        label=_("対象の種類"),
        required=False,
        max_length=100,
        help_text=_("例: registry.business"),
    )
    target_id = forms.CharField(label=_("対象ID"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("期間（から）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("期間（まで）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    q = forms.CharField(
        label=_("キーワード（対象・実行者の表示名）"), required=False, max_length=200
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip()

    def clean_target_type(self):
        return self.cleaned_data["target_type"].strip().lower()

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to",
                _("期間の終わりは始まり（%(start)s）以降の日付にしてください")
                % {"start": start.isoformat()},
            )
        return data

    def filters(self) -> dict[str, str]:
        """The filters in use, as strings (for links and for the export's audit event)."""
        if not self.is_valid():
            return {}
        out = {}
        for name, value in self.cleaned_data.items():
            if value not in (None, ""):
                out[name] = value.isoformat() if isinstance(value, datetime.date) else str(value)
        return out


def _jst_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in Japan time (the project's TIME_ZONE)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def search(data: dict[str, Any]) -> QuerySet[AuditEvent]:
    """Events matching the cleaned filters of AuditFilterForm, newest first."""
    events = AuditEvent.objects.all()
    if data.get("code"):
        events = events.filter(code__startswith=data["code"])
    if data.get("actor"):
        actor = data["actor"].strip()
        events = events.filter(Q(actor_label__icontains=actor) | Q(actor__email__iexact=actor))
    if data.get("target_type"):
        events = events.filter(target_type=data["target_type"])
    if data.get("target_id"):
        events = events.filter(target_id=data["target_id"].strip())
    if data.get("date_from"):
        events = events.filter(created_at__gte=_jst_start(data["date_from"]))
    if data.get("date_to"):
        end = data["date_to"] + datetime.timedelta(days=1)
        events = events.filter(created_at__lt=_jst_start(end))
    if data.get("q"):
        for word in data["q"].split():
            events = events.filter(
                Q(target_label__icontains=word)
                | Q(actor_label__icontains=word)
                | Q(code__icontains=word)
            )
    return events.order_by("-created_at", "-id")


# --- keyset pages ------------------------------------------------------------------------


def page_of(events: QuerySet[AuditEvent], cursor: str = "", size: int | None = None) -> dict:
    """One page of `events` (newest first) from a cursor: "" (the newest), "o<id>" (the events
    older than event <id>) or "n<id>" (the events newer than it). Returns the rows and the
    cursors of the neighbouring pages (None at either end)."""
    size = size or PAGE_SIZE
    direction, pivot = (cursor[:1], cursor[1:]) if cursor else ("", "")
    anchor = None
    if direction in ("o", "n") and pivot.isdigit():
        anchor = AuditEvent.objects.filter(pk=int(pivot)).values("created_at", "id").first()
    if anchor is None:
        direction = ""
    if direction == "o":
        older = Q(created_at__lt=anchor["created_at"]) | Q(
            created_at=anchor["created_at"], id__lt=anchor["id"]
        )
        rows = list(events.filter(older)[: size + 1])
        has_older, has_newer = len(rows) > size, True
        rows = rows[:size]
    elif direction == "n":
        newer = Q(created_at__gt=anchor["created_at"]) | Q(
            created_at=anchor["created_at"], id__gt=anchor["id"]
        )
        rows = list(events.filter(newer).order_by("created_at", "id")[: size + 1])
        has_newer, has_older = len(rows) > size, True
        rows = list(reversed(rows[:size]))
    else:
        rows = list(events[: size + 1])
        has_older, has_newer = len(rows) > size, False
        rows = rows[:size]
    if not rows:
        has_older = False
        has_newer = direction != ""
    return {
        "rows": rows,
        "older": f"o{rows[-1].pk}" if rows and has_older else None,
        "newer": f"n{rows[0].pk}" if rows and has_newer else None,
        "is_first": not has_newer,
    }


def pretty(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, cls=DjangoJSONEncoder)


# --- export ------------------------------------------------------------------------------


def _row(event: AuditEvent) -> list[Any]:
    return [
        event.pk,
        timezone.localtime(event.created_at).replace(tzinfo=None),
        event.code,
        event.actor_label,
        event.actor_id or "",
        event.target_type,
        event.target_id,
        event.target_label,
        json.dumps(event.data, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder),
    ]


def export_rows(events: QuerySet[AuditEvent]) -> Iterator[list[Any]]:
    """Rows of the export, read from the database a chunk at a time."""
    for event in events.iterator(chunk_size=EXPORT_CHUNK):
        yield _row(event)


def stream_csv(rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """UTF-8 CSV with one BOM at the start (Excel opens it as UTF-8), CRLF line endings."""
    yield write_csv(HEADER, [], encoding="utf-8-sig")
    bom = len(write_csv(None, [], encoding="utf-8-sig"))
    for chunk in chunked(rows, EXPORT_CHUNK):
        yield write_csv(None, chunk, encoding="utf-8-sig")[bom:]


def build_xlsx(rows: Iterable[list[Any]]) -> bytes:
    return write_xlsx(HEADER, list(rows), sheet_title="監査ログ")


@transaction.atomic
def record_export(*, actor, filters: dict[str, str], fmt: str, count: int) -> AuditEvent:
    """Exporting the log is itself an audited act (who took which events out, how many)."""
    from sangyo.accounts.policies import can_view_audit_log

    if not can_view_audit_log(actor):
        raise PermissionError("only administrators and officers export the audit log")
    return audit(
        "core.audit.exported",
        actor=actor,
        data={"filters": filters, "format": fmt, "count": count},
    )


def filename(fmt: str, today: datetime.date) -> str:
    return f"audit-{today:%Y%m%d}.{'xlsx' if fmt == 'xlsx' else 'csv'}"

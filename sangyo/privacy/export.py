"""A person's data as a ZIP: `data.json` with everything, one CSV per kind (UTF-8 with BOM,
so Excel opens it in Japanese) and a short README. Built in memory: one person's records are
a few hundred rows at most, so the download is produced synchronously.

Uploaded documents are listed (name, kind, size, SHA-256), not included: the applicant
uploaded them and can download each one on the application's page.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from . import person as where
from .person import Person


def _dt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def collect(p: Person) -> dict[str, list[dict[str, Any]]]:
    """Every record tied to the person, kind → rows (only fields about them)."""
    data: dict[str, list[dict[str, Any]]] = {}
    u = p.user
    data["account"] = (
        [
            {
                "email": u.email,
                "name": u.name,
                "role": u.role,
                "is_active": u.is_active,
                "date_joined": _dt(u.date_joined),
                "last_login": _dt(u.last_login),
            }
        ]
        if u is not None
        else []
    )
    data["memberships"] = [
        {"business": m.business.name, "role": m.role, "since": _dt(m.created_at)}
        for m in where.memberships(p)
    ]
    data["delegations"] = [
        {
            "business": d.business.name,
            "valid_until": _dt(d.valid_until),
            "scope": d.scope,
            "revoked_at": _dt(d.revoked_at),
        }
        for d in where.delegations(p)
    ]
    data["contacts"] = [
        {
            "business": c.business.name,
            "name": c.name,
            "kana": c.kana,
            "role": c.role,
            "email": c.email,
            "phone": c.phone,
            "consent_at": _dt(c.consent_at),
            "consent_scope": c.consent_scope,
        }
        for c in where.contacts(p)
    ]
    apps = list(where.applications(p))
    data["applications"] = [
        {
            "number": a.number,
            "call": a.call.title_ja,
            "business": a.business.name,
            "status": a.status,
            "submitted_at": _dt(a.submitted_at),
            "decided_at": _dt(a.decided_at),
            "requested_yen": a.requested_yen,
            "decided_yen": a.decided_yen,
            "paid_yen": a.paid_yen,
            "answers": a.answers,
            "costs": a.costs,
        }
        for a in apps
    ]
    data["documents"] = [
        {
            "application": a.number,
            "kind": d.kind,
            "file_name": d.original_name,
            "size": d.size,
            "sha256": d.sha256,
            "uploaded_at": _dt(d.uploaded_at),
        }
        for a in apps
        for d in a.documents.all()
    ]
    data["bookings"] = [
        {
            "desk": b.slot.desk.name_ja,
            "starts": _dt(b.slot.starts),
            "business": b.business.name,
            "name": b.name,
            "email": b.email,
            "topic": b.topic,
            "status": b.status,
            "created_at": _dt(b.created_at),
        }
        for b in where.bookings(p)
    ]
    regs = list(where.registrations(p))
    data["event_registrations"] = [
        {
            "code": r.code,
            "event": r.event.title_ja,
            "starts_at": _dt(r.event.starts_at),
            "name": r.name,
            "email": r.email,
            "phone": r.phone,
            "answers": r.answers,
            "status": r.status,
            "created_at": _dt(r.created_at),
        }
        for r in regs
    ]
    data["survey_answers"] = [
        {
            "registration": r.code,
            "event": r.event.title_ja,
            "rating": r.survey.rating,
            "comment": r.survey.comment,
            "created_at": _dt(r.survey.created_at),
        }
        for r in regs
        if hasattr(r, "survey")
    ]
    data["job_applications"] = [
        {
            "job": j.job.title_ja,
            "name": j.name,
            "email": j.email,
            "seeker_type": j.seeker_type,
            "message": j.message,
            "status": j.status,
            "created_at": _dt(j.created_at),
        }
        for j in where.job_applications(p)
    ]
    data["property_enquiries"] = [
        {
            "property": e.property.title_ja,
            "name": e.name,
            "email": e.email,
            "phone": e.phone,
            "message": e.message,
            "created_at": _dt(e.created_at),
        }
        for e in where.property_enquiries(p)
    ]
    data["matching_interests"] = [
        {"posting": i.posting.title_ja, "message": i.message, "created_at": _dt(i.created_at)}
        for i in where.interests(p)
    ]
    data["matching_messages"] = [
        {"conversation": m.interest_id, "body": m.body, "created_at": _dt(m.created_at)}
        for m in where.messages(p)
    ]
    data["privacy_requests"] = [
        {
            "number": r.number,
            "kind": r.kind,
            "status": r.status,
            "received_on": _dt(r.received_on),
            "due_on": _dt(r.due_on),
            "reason": r.reason,
        }
        for r in where.requests(p)
    ]
    return data


README = """個人情報の開示（{when}）

このファイルは、Sangyo（{city}の産業振興の基盤）が保有するあなたの個人情報の写しです。
data.json にすべての項目を、種類ごとの CSV（UTF-8、BOM付き）に同じ内容を収めています。
提出書類は一覧（ファイル名・大きさ・SHA-256）のみです。書類そのものは各申請の画面から
ダウンロードできます。

Your personal data held by Sangyo, as of {when}: data.json holds everything; one CSV per
kind (UTF-8 with BOM) holds the same. Uploaded documents are listed, not included.
"""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    return str(value)


def _csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = list(rows[0]) if rows else []
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(row.get(h)) for h in header])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def build_zip(p: Person, *, city: str = "") -> tuple[bytes, dict[str, int]]:
    """The ZIP and the number of rows per kind (what the audit event records)."""
    data = collect(p)
    when = timezone.localtime().isoformat(timespec="seconds")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("README.txt", README.format(when=when, city=city or "市"))
        zf.writestr(
            "data.json",
            json.dumps(
                {"generated_at": when, **data}, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder
            ),
        )
        for kind, rows in data.items():
            if rows:
                zf.writestr(f"{kind}.csv", _csv(rows))
    return buf.getvalue(), {kind: len(rows) for kind, rows in data.items()}

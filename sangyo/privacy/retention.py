"""Retention periods (保存期間): after how many days each kind of personal data is anonymised
or deleted, applied daily by `sangyo.privacy.apply_retention` (Celery beat) and by
`sangyo privacy retention [--dry-run]`.

The periods live in `RetentionRule` rows, seeded by the app's migration with the defaults
below and edited by administrators; the figures are the city's decision. Two older purges
are driven from here rather than duplicated: the events app's `registrations_purge` and the
registry's `pending_uploads_purge` (which keeps its own check on every upload).

Every kind is idempotent: a row once anonymised no longer matches, so a second run the same
day counts 0.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sangyo.core.audit import audit

from .person import ANON_DOMAIN, PLACEHOLDER, anonymised_email

Handler = Callable[..., int]


@dataclass(frozen=True)
class Kind:
    code: str
    label: Any
    actions: frozenset[str]
    default_days: int
    default_action: str
    basis: str
    handler: Handler | None  # None: applied only when a deletion request is handled
    enabled: bool = True


def _cutoff(now: datetime.datetime, days: int) -> datetime.datetime:
    return now - datetime.timedelta(days=days)


def _events(days: int, *, dry_run: bool, now: datetime.datetime, actor: Any) -> int:
    from sangyo.events.models import Registration
    from sangyo.events.services import registrations_purge

    if dry_run:
        return Registration.objects.filter(
            event__ends_at__lt=_cutoff(now, days), anonymized_at__isnull=True
        ).count()
    return registrations_purge(days=days, actor=actor, now=now)


def _job_applications(days: int, *, dry_run: bool, now: datetime.datetime, actor: Any) -> int:
    from sangyo.matching.models import JobApplication

    rows = JobApplication.objects.filter(updated_at__lt=_cutoff(now, days)).exclude(
        email__endswith="@" + ANON_DOMAIN
    )
    ids = list(rows.values_list("pk", flat=True))
    if not dry_run:
        for pk in ids:
            JobApplication.objects.filter(pk=pk).update(
                name=PLACEHOLDER, email=anonymised_email("jobapplication", pk), message=PLACEHOLDER
            )
    return len(ids)


def _enquiries(days: int, *, dry_run: bool, now: datetime.datetime, actor: Any) -> int:
    from sangyo.matching.models import PropertyEnquiry

    rows = PropertyEnquiry.objects.filter(created_at__lt=_cutoff(now, days)).exclude(
        email__endswith="@" + ANON_DOMAIN
    )
    ids = list(rows.values_list("pk", flat=True))
    if not dry_run:
        for pk in ids:
            PropertyEnquiry.objects.filter(pk=pk).update(
                name=PLACEHOLDER,
                email=anonymised_email("enquiry", pk),
                phone="",
                message=PLACEHOLDER,
            )
    return len(ids)


def _bookings(days: int, *, dry_run: bool, now: datetime.datetime, actor: Any) -> int:
    from sangyo.consultations.models import Booking

    rows = Booking.objects.filter(slot__starts__lt=_cutoff(now, days)).exclude(
        name__startswith=PLACEHOLDER
    )
    ids = list(rows.values_list("pk", flat=True))
    if not dry_run and ids:
        Booking.objects.filter(pk__in=ids).update(name=PLACEHOLDER, email="", topic="")
    return len(ids)


def _inactive_users(days: int, *, dry_run: bool, now: datetime.datetime, actor: Any) -> int:
    """Business accounts nobody has logged in to for `days`: the whole person is anonymised,
    as for a deletion request (staff accounts are never touched)."""
    from sangyo.accounts.models import Role, User

    from . import anonymise
    from .person import Person

    users = list(
        User.objects.filter(role=Role.BUSINESS)
        .annotate(seen=Coalesce(F("last_login"), F("date_joined")))
        .filter(seen__lt=_cutoff(now, days))
        .exclude(email__endswith="@" + ANON_DOMAIN)
        .order_by("pk")
    )
    if not dry_run:
        for user in users:
            anonymise.run(Person.of(user=user), apply=True, actor=actor, reason="retention")
    return len(users)


def _login_logs(days: int, *, dry_run: bool, now: datetime.datetime, actor: Any) -> int:
    """The lock-out app's login records (django-axes: e-mail and IP address of each login and
    failure) past the period are deleted."""
    from django.apps import apps

    if not apps.is_installed("axes"):
        return 0
    total = 0
    for label in ("axes.AccessLog", "axes.AccessFailureLog"):
        rows = apps.get_model(label).objects.filter(attempt_time__lt=_cutoff(now, days))
        total += rows.count()
        if not dry_run:
            rows.delete()
    return total


def _import_uploads(days: int, *, dry_run: bool, now: datetime.datetime, actor: Any) -> int:
    """The registry deletes abandoned upload files older than its PENDING_MAX_AGE; shifting
    the clock it is given makes that age `days` instead."""
    from sangyo.registry import imports

    cutoff = _cutoff(now, days)
    return imports.pending_uploads_purge(now=cutoff + imports.PENDING_MAX_AGE, dry_run=dry_run)


CITY = "期間は市が定めるもの（既定値は仮の値、管理者が変更できます）。"
KINDS: dict[str, Kind] = {
    k.code: k
    for k in [
        Kind(
            "events.registration",
            _("イベントの申込（氏名・連絡先・回答・感想）"),
            frozenset({"anonymise"}),
            getattr(settings, "SANGYO_EVENT_RETENTION_DAYS", 365),
            "anonymise",
            "イベント終了からの日数。出欠・満足度は統計のため残す。" + CITY,
            _events,
        ),
        Kind(
            "matching.jobapplication",
            _("求人への応募（氏名・メールアドレス・メッセージ）"),
            frozenset({"anonymise"}),
            365,
            "anonymise",
            "最後の更新からの日数。状態・採用日は統計のため残す。" + CITY,
            _job_applications,
        ),
        Kind(
            "matching.propertyenquiry",
            _("物件への問い合わせ"),
            frozenset({"anonymise"}),
            365,
            "anonymise",
            "問い合わせからの日数。" + CITY,
            _enquiries,
        ),
        Kind(
            "consultations.booking",
            _("相談予約（相談者名・メールアドレス・相談内容）"),
            frozenset({"anonymise"}),
            3 * 365,
            "anonymise",
            "相談日からの日数。相談記録・支援実績は事業者の記録として残す。" + CITY,
            _bookings,
        ),
        Kind(
            "accounts.inactive_user",
            _("使われていない事業者アカウント"),
            frozenset({"anonymise"}),
            3 * 365,
            "anonymise",
            "最後のログイン（なければ登録）からの日数。職員のアカウントは対象外。" + CITY,
            _inactive_users,
        ),
        Kind(
            "accounts.login_log",
            _("ログインの記録（メールアドレス・IPアドレス）"),
            frozenset({"delete"}),
            365,
            "delete",
            "ログイン・失敗の日時からの日数。不正アクセスの調査に必要な期間。" + CITY,
            _login_logs,
        ),
        Kind(
            "registry.import_upload",
            _("取込の途中で放置されたファイル"),
            frozenset({"delete"}),
            1,
            "delete",
            "アップロードからの日数。個人情報を含みうるため短期で削除。" + CITY,
            _import_uploads,
        ),
        Kind(
            "applications.document",
            _("採択・交付決定を受けた申請の提出書類"),
            frozenset({"delete"}),
            5 * 365,
            "delete",
            "決定からの日数。補助金等の交付に関する書類の保存期間（市の規則・要綱による）。"
            "削除の請求に対応するときに、この期間内の書類は保存を続ける（毎日の処理では削除しない）。",
            None,
            enabled=False,
        ),
    ]
}


def ensure_rules() -> int:
    """Create the rules that do not exist yet with their defaults (never overwrites)."""
    from .models import RetentionRule

    created = 0
    for kind in KINDS.values():
        _rule, made = RetentionRule.objects.get_or_create(
            kind=kind.code,
            defaults={
                "days": kind.default_days,
                "action": kind.default_action,
                "legal_basis": kind.basis,
                "enabled": kind.enabled,
            },
        )
        created += made
    return created


def apply_rules(
    *, dry_run: bool = False, actor: Any = "scheduler", now: datetime.datetime | None = None
) -> dict[str, int]:
    """Apply every enabled rule; returns (and audits) the count per kind."""
    from .models import RetentionRule

    now = now or timezone.now()
    counts: dict[str, int] = {}
    for rule in RetentionRule.objects.filter(enabled=True).order_by("kind"):
        kind = KINDS.get(rule.kind)
        if kind is None or kind.handler is None or rule.action not in kind.actions:
            continue
        with transaction.atomic():
            counts[rule.kind] = kind.handler(rule.days, dry_run=dry_run, now=now, actor=actor)
    audit(
        "privacy.retention.previewed" if dry_run else "privacy.retention.applied",
        actor=actor,
        data={"dry_run": dry_run, "counts": counts},
    )
    return counts

"""Retention rules: seeded with defaults, applied daily; a dry run counts without changing
anything, a run changes only what is past its period, and a second run changes nothing."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from sangyo.core.models import AuditEvent
from sangyo.privacy.models import RetentionRule
from sangyo.privacy.retention import KINDS, apply_rules

DAY = datetime.timedelta(days=1)


@pytest.fixture
def old_world(tsukuba, make_user):
    """One record of each kind past its default period, and one of each still inside it."""
    from sangyo.consultations.models import Booking, Slot
    from sangyo.consultations.services import booking_create
    from sangyo.consultations.tests.factories import desk, slot
    from sangyo.events import services as ev
    from sangyo.events.tests.factories import event
    from sangyo.matching import services as ms
    from sangyo.matching.models import JobApplication
    from sangyo.matching.tests.factories import job
    from sangyo.registry.tests.factories import business

    now = timezone.now()
    company = business(name="合成データ保存期間株式会社")
    # Event registrations: one event ended 400 days ago, one 10 days ago.
    old_event = event(strategy=tsukuba, starts_at=now - 401 * DAY, ends_at=now - 400 * DAY)
    new_event = event(strategy=tsukuba, starts_at=now - 11 * DAY, ends_at=now - 10 * DAY)
    old_reg = ev.registration_create(
        event=old_event, name="古井 参加者", email="old-reg@example.test", check_window=False
    )
    new_reg = ev.registration_create(
        event=new_event, name="新田 参加者", email="new-reg@example.test", check_window=False
    )
    # Job applications: one untouched for 400 days, one recent.
    j = job()
    old_app = ms.job_apply(
        job=j, name="古井 応募者", email="old-seeker@example.test", message="応募", consent=True
    )
    new_app = ms.job_apply(
        job=j, name="新田 応募者", email="new-seeker@example.test", message="応募", consent=True
    )
    JobApplication.objects.filter(pk=old_app.pk).update(updated_at=now - 400 * DAY)
    # Bookings: one for a slot four years ago, one upcoming.
    d = desk(tsukuba)
    old_booking = booking_create(
        slot=slot(d, days=2),
        business=company,
        actor="test",
        name="古井 相談者",
        email="ob@example.test",
    )
    Slot.objects.filter(pk=old_booking.slot_id).update(starts=now - 4 * 365 * DAY)
    new_booking = booking_create(
        slot=slot(d, days=3),
        business=company,
        actor="test",
        name="新田 相談者",
        email="nb@example.test",
    )
    # Accounts: a business user not seen for four years, a recent one, an old staff account.
    dormant = make_user("business", email="dormant@example.test", name="眠田 太郎")
    active = make_user("business", email="active@example.test", name="元気 花子")
    old_staff = make_user("officer", email="old-officer@example.test", name="古参 職員")
    from sangyo.accounts.models import User

    User.objects.filter(pk__in=[dormant.pk, old_staff.pk]).update(
        last_login=now - 4 * 365 * DAY, date_joined=now - 5 * 365 * DAY
    )
    User.objects.filter(pk=active.pk).update(last_login=now - 30 * DAY)
    return {
        "old_reg": old_reg,
        "new_reg": new_reg,
        "old_app": old_app,
        "new_app": new_app,
        "old_booking": Booking.objects.get(pk=old_booking.pk),
        "new_booking": new_booking,
        "dormant": dormant,
        "active": active,
        "old_staff": old_staff,
    }


@pytest.mark.django_db
def test_the_migration_seeds_one_rule_per_kind_with_the_defaults():
    rules = {r.kind: r for r in RetentionRule.objects.all()}
    assert set(rules) == set(KINDS)
    assert rules["events.registration"].days == settings.SANGYO_EVENT_RETENTION_DAYS
    assert rules["registry.import_upload"].action == "delete"
    assert not rules["applications.document"].enabled  # applied on requests only
    assert all("市" in r.legal_basis for r in rules.values())  # marked as the city's decision


@pytest.mark.django_db
def test_dry_run_counts_then_apply_changes_only_what_is_past_its_period_and_twice_is_once(
    old_world,
):
    w = old_world
    expected = {
        "events.registration": 1,
        "matching.jobapplication": 1,
        "consultations.booking": 1,
        "accounts.inactive_user": 1,
    }
    preview = apply_rules(dry_run=True, actor="test")
    assert {k: preview[k] for k in expected} == expected
    w["old_reg"].refresh_from_db()
    assert w["old_reg"].email == "old-reg@example.test"  # the dry run changed nothing

    applied = apply_rules(actor="test")
    assert {k: applied[k] for k in expected} == expected

    for key in ("old_reg", "new_reg", "old_app", "new_app", "old_booking", "new_booking"):
        w[key].refresh_from_db()
    assert w["old_reg"].email == "" and w["old_reg"].anonymized_at is not None
    assert w["new_reg"].email == "new-reg@example.test"
    assert w["old_app"].email.endswith("@invalid") and "古井" not in w["old_app"].name
    assert w["old_app"].status == "received"  # statistics keep the status
    assert w["new_app"].email == "new-seeker@example.test"
    assert w["old_booking"].email == "" and w["old_booking"].topic == ""
    assert w["old_booking"].status == "booked"
    assert w["new_booking"].email == "nb@example.test"
    for key in ("dormant", "active", "old_staff"):
        w[key].refresh_from_db()
    assert not w["dormant"].is_active and w["dormant"].email.endswith("@invalid")
    assert w["active"].email == "active@example.test"
    assert w["old_staff"].email == "old-officer@example.test"  # staff are never touched

    again = apply_rules(actor="test")
    assert set(again.values()) == {0}
    runs = AuditEvent.objects.filter(code__startswith="privacy.retention.").order_by("id")
    assert [(e.code, e.data["dry_run"]) for e in runs] == [
        ("privacy.retention.previewed", True),
        ("privacy.retention.applied", False),
        ("privacy.retention.applied", False),
    ]
    assert runs[1].data["counts"]["events.registration"] == 1
    # The events app's own purge ran (and recorded itself) once, not twice.
    assert AuditEvent.objects.filter(code="events.registration.purged").count() == 1


@pytest.mark.django_db
def test_a_rule_changed_by_the_admin_is_what_the_run_uses(old_world):
    RetentionRule.objects.filter(kind="events.registration").update(days=5)
    RetentionRule.objects.filter(kind="matching.jobapplication").update(enabled=False)
    counts = apply_rules(actor="test")
    assert counts["events.registration"] == 2  # both events ended more than 5 days ago
    assert "matching.jobapplication" not in counts
    assert "applications.document" not in counts  # never applied by the daily run


@pytest.mark.django_db
def test_abandoned_import_uploads_are_deleted_by_the_rule_period():
    from sangyo.registry import imports

    path = default_storage.save(f"{imports.PENDING_DIR}/abandoned.bin", ContentFile(b"a,b\n1,2\n"))
    RetentionRule.objects.filter(kind="registry.import_upload").update(days=3)
    now = timezone.now()
    assert apply_rules(actor="test", now=now + 2 * DAY)["registry.import_upload"] == 0
    assert default_storage.exists(path)
    assert apply_rules(dry_run=True, actor="test", now=now + 4 * DAY)["registry.import_upload"] == 1
    assert default_storage.exists(path)
    assert apply_rules(actor="test", now=now + 4 * DAY)["registry.import_upload"] == 1
    assert not default_storage.exists(path)
    assert apply_rules(actor="test", now=now + 4 * DAY)["registry.import_upload"] == 0


@pytest.mark.django_db
def test_the_command_and_the_scheduled_task(old_world):
    from config.celery import app
    from sangyo.privacy.tasks import apply_retention

    out = StringIO()
    call_command("privacy", "retention", "--dry-run", stdout=out)
    assert "events.registration: 1" in out.getvalue()
    old_world["old_reg"].refresh_from_db()
    assert old_world["old_reg"].email  # dry run
    assert apply_retention.delay().get()["events.registration"] == 1
    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "sangyo.privacy.apply_retention" in entries
    # The two purges it drives are not scheduled a second time on their own.
    assert "sangyo.events.purge_registrations" not in entries
    assert "sangyo.registry.purge_pending_uploads" not in entries
    assert "sangyo.privacy.apply_retention" in app.tasks


@pytest.mark.django_db
def test_the_admin_refuses_an_action_the_kind_does_not_allow():
    from sangyo.privacy.admin import RetentionRuleForm

    rule = RetentionRule.objects.get(kind="events.registration")
    form = RetentionRuleForm(
        {"kind": rule.kind, "days": 30, "action": "delete", "enabled": True, "legal_basis": "x"},
        instance=rule,
    )
    assert not form.is_valid()
    assert "action" in form.errors
    form = RetentionRuleForm(
        {"kind": "unknown.kind", "days": 30, "action": "delete", "enabled": True},
    )
    assert not form.is_valid() and "kind" in form.errors


@pytest.mark.django_db
def test_login_records_past_the_period_are_deleted():
    from axes.models import AccessFailureLog, AccessLog

    now = timezone.now()
    old = AccessLog.objects.create(username="old@example.test", ip_address="192.0.2.1")
    AccessLog.objects.filter(pk=old.pk).update(attempt_time=now - 400 * DAY)
    recent = AccessLog.objects.create(username="new@example.test", ip_address="192.0.2.2")
    failure = AccessFailureLog.objects.create(username="old@example.test", ip_address="192.0.2.1")
    AccessFailureLog.objects.filter(pk=failure.pk).update(attempt_time=now - 400 * DAY)
    assert apply_rules(dry_run=True, actor="test")["accounts.login_log"] == 2
    assert apply_rules(actor="test")["accounts.login_log"] == 2
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not AccessFailureLog.objects.exists()
    assert apply_rules(actor="test")["accounts.login_log"] == 0

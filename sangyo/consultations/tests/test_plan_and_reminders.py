"""Case follow-up plans and actions, reminder mails, and the business picker of staff forms."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from sangyo.consultations import forms, services
from sangyo.consultations.models import Booking, FollowUp
from sangyo.consultations.tests import factories as f
from sangyo.core.models import AuditEvent
from sangyo.registry.forms import business_lookup
from sangyo.registry.tests.factories import business

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(tsukuba):
    return f.desk(tsukuba)


def _case(desk, company=None, plan=None):
    return services.case_create(
        business=company or business(),
        program=desk.program,
        title="合成データ 販路開拓の相談",
        categories=["sales"],
        plan=plan,
        actor="test",
    )


# --- follow-up plan ---------------------------------------------------------------------


def test_first_session_schedules_the_plan_once_counted_from_its_date(desk):
    case = _case(desk, plan=[{"days": 90, "note": "成果確認"}, {"days": 30, "note": ""}])
    assert [s["days"] for s in case.plan] == [30, 90]
    first = datetime.date(2026, 4, 10)
    services.session_record(case=case, date=first, actor="test")
    dues = list(case.follow_ups.order_by("due").values_list("due", "plan_days", "note"))
    assert dues == [
        (datetime.date(2026, 5, 10), 30, "初回相談から30日後のフォローアップ"),
        (datetime.date(2026, 7, 9), 90, "成果確認"),
    ]
    # A second session does not schedule the plan again.
    services.session_record(case=case, date=datetime.date(2026, 4, 20), actor="test")
    assert case.follow_ups.count() == 2


def test_changing_the_plan_schedules_only_new_offsets(desk):
    case = _case(desk, plan=[{"days": 30, "note": "状況確認"}])
    services.session_record(case=case, date=datetime.date(2026, 6, 1), actor="test")
    services.case_plan_set(
        case=case,
        plan=[{"days": 30, "note": "状況確認"}, {"days": 180, "note": "半年後"}],
        actor="u",
    )
    assert sorted(case.follow_ups.values_list("plan_days", flat=True)) == [30, 180]
    assert case.follow_ups.get(plan_days=180).due == datetime.date(2026, 11, 28)
    assert AuditEvent.objects.filter(code="consultations.case.plan_set").exists()


def test_a_plan_before_any_session_waits_for_the_first_session(desk):
    case = _case(desk)
    services.case_plan_set(case=case, plan=[{"days": 14, "note": ""}], actor="u")
    assert case.follow_ups.count() == 0
    services.session_record(case=case, date=datetime.date(2026, 6, 1), actor="test")
    assert case.follow_ups.get().due == datetime.date(2026, 6, 15)


@pytest.mark.parametrize(
    "plan, message",
    [
        ([{"days": 0}], "1から730日"),
        ([{"days": 731}], "1から730日"),
        ([{"days": "x"}], "整数"),
        ([{"days": 30}, {"days": 30}], "30日後"),
    ],
)
def test_bad_plans_are_refused_with_the_reason(desk, plan, message):
    with pytest.raises(services.ConsultationError, match=message):
        _case(desk, plan=plan)


def test_plan_field_reads_one_step_a_line_and_names_the_bad_line():
    field = forms.PlanField()
    assert field.clean("30 1か月後の状況確認\n\n９０日後　成果確認") == [
        {"days": 30, "note": "1か月後の状況確認"},
        {"days": 90, "note": "成果確認"},
    ]
    with pytest.raises(forms.forms.ValidationError, match="2行目"):
        field.clean("30 確認\n来月 確認")


def test_actions_need_what_is_to_be_done_and_who_does_it(desk):
    case = _case(desk)
    with pytest.raises(services.ConsultationError, match="アクションの内容"):
        services.follow_up_add(
            case=case, due=datetime.date(2026, 12, 1), note=" ", kind="action", actor="u"
        )
    action = services.follow_up_add(
        case=case,
        due=datetime.date(2026, 12, 1),
        note="見積書を3社から取る",
        kind="action",
        assignee="business",
        actor="u",
    )
    assert (action.kind, action.assignee) == (FollowUp.Kind.ACTION, FollowUp.Assignee.BUSINESS)
    with pytest.raises(services.ConsultationError, match="実施者"):
        services.follow_up_add(
            case=case, due=datetime.date(2026, 12, 1), note="x", assignee="mayor", actor="u"
        )


def test_case_page_adds_an_action_and_changes_the_plan(client, users, desk):
    case = _case(desk)
    client.force_login(users["officer"])
    url = f"/staff/consultations/cases/{case.pk}/"
    response = client.post(
        f"{url}follow_up/",
        {
            "follow_up-kind": "action",
            "follow_up-due": "2026-12-24",
            "follow_up-assignee": "expert",
            "follow_up-note": "事業計画書の添削",
        },
    )
    assert response.status_code == 302
    assert case.follow_ups.get().get_assignee_display() == "専門家"
    response = client.post(f"{url}plan/", {"plan-plan": "0 すぐ"})
    assert response.status_code == 200
    assert "1から730日" in response.content.decode()
    client.post(f"{url}plan/", {"plan-plan": "45 受注状況の確認"})
    case.refresh_from_db()
    assert case.plan == [{"days": 45, "note": "受注状況の確認"}]
    page = client.get(url).content.decode()
    assert "45日後" in page and "事業計画書の添削" in page


# --- reminders ------------------------------------------------------------------------


def _booked(desk, *, hours_ahead, email="taro@example.test"):
    slot = f.slot(desk, days=0)
    start = timezone.now() + datetime.timedelta(hours=hours_ahead)
    slot.starts, slot.ends = start, start + datetime.timedelta(hours=1)
    slot.save()
    return services.booking_create(
        slot=slot, business=business(), actor="t", name="合成データ花子", email=email
    )


def test_booking_reminders_go_once_to_bookings_starting_within_the_window(desk):
    soon = _booked(desk, hours_ahead=5)
    _booked(desk, hours_ahead=40)  # too far ahead
    _booked(desk, hours_ahead=3, email="")  # nobody to tell
    cancelled = _booked(desk, hours_ahead=2)
    services.booking_cancel(booking=cancelled, actor="t")
    mail.outbox.clear()
    assert services.bookings_remind(actor="t", hours=24) == 1
    assert [m.to for m in mail.outbox] == [["taro@example.test"]]
    assert "リマインダー" in mail.outbox[0].subject
    assert "http://" in mail.outbox[0].body  # absolute link to the bookings page
    soon.refresh_from_db()
    assert soon.reminder_sent_at is not None
    assert services.bookings_remind(actor="t", hours=24) == 0
    assert len(mail.outbox) == 1


def test_a_failed_reminder_is_retried_by_the_next_run(desk):
    booking = _booked(desk, hours_ahead=5)
    mail.outbox.clear()
    with mock.patch(
        "sangyo.consultations.notifications.send_mail", side_effect=OSError("smtp down")
    ):
        assert services.bookings_remind(actor="t", hours=24) == 0
    booking.refresh_from_db()
    assert booking.reminder_sent_at is None
    assert services.bookings_remind(actor="t", hours=24) == 1
    assert len(mail.outbox) == 1


def test_reminders_command_covers_bookings_and_events(desk, tsukuba):
    from sangyo.events import services as event_services
    from sangyo.events.tests.factories import event

    _booked(desk, hours_ahead=6)
    soon = event(strategy=tsukuba, starts_at=timezone.now() + datetime.timedelta(hours=20))
    soon.ends_at = soon.starts_at + datetime.timedelta(hours=2)
    soon.save()
    event_services.registration_create(
        event=soon, name="合成データ次郎", email="jiro@example.test", actor="t"
    )
    mail.outbox.clear()
    out = __import__("io").StringIO()
    call_command("reminders", "send", "--hours", "24", stdout=out)
    assert "相談予約 1件、イベント 1件" in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == ["jiro@example.test", "taro@example.test"]
    assert Booking.objects.filter(reminder_sent_at__isnull=False).count() == 1


def test_every_scheduled_task_exists():
    from django.conf import settings

    from config.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


# --- business picker ------------------------------------------------------------------


def test_business_lookup_by_number_corporate_number_and_name():
    a = business(name="合成データ精機株式会社", corporate_number="4234567890128")
    b = business(name="合成データ精工株式会社")
    assert business_lookup(str(a.pk)) == (a, [a])
    assert business_lookup("4234567890128")[0] == a
    assert business_lookup("合成データ精機株式会社")[0] == a
    found, candidates = business_lookup("合成データ精")
    assert found is None and set(candidates) == {a, b}
    assert business_lookup("存在しない合成データ") == (None, [])


def test_staff_booking_form_explains_an_ambiguous_business(client, users, desk):
    business(name="合成データ食品A")
    business(name="合成データ食品B")
    slot = f.slot(desk)
    client.force_login(users["officer"])
    response = client.post(
        f"/staff/consultations/slots/{slot.pk}/book/",
        {"business": "合成データ食品", "name": "合成 一郎", "email": "", "topic": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "複数あります" in page and "合成データ食品A" in page
    response = client.post(
        f"/staff/consultations/slots/{slot.pk}/book/",
        {"business": "合成データ食品A", "name": "合成 一郎", "email": "", "topic": ""},
    )
    assert response.status_code == 302
    assert Booking.objects.get(slot=slot).business.name == "合成データ食品A"


def test_merging_businesses_moves_bookings_cases_and_registrations(desk, tsukuba):
    from sangyo.events import services as event_services
    from sangyo.events.tests.factories import event
    from sangyo.registry.services import business_merge

    keep, duplicate = business(), business()
    booking = _booked(desk, hours_ahead=30)
    Booking.objects.filter(pk=booking.pk).update(business=duplicate)
    case = _case(desk, company=duplicate)
    registration = event_services.registration_create(
        event=event(strategy=tsukuba), name="合成", business=duplicate, actor="t"
    )
    merged = business_merge(keep=keep, duplicate=duplicate, actor="t")
    booking.refresh_from_db()
    case.refresh_from_db()
    registration.refresh_from_db()
    assert booking.business == case.business == registration.business == merged
    audit = AuditEvent.objects.filter(code="registry.business.merged").latest("id")
    assert audit.data["moved"]["consultations.booking"] == 1
    assert audit.data["moved"]["events.registration"] == 1

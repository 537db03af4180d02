import datetime

import pytest
from django.utils import timezone

from sangyo.consultations import services
from sangyo.consultations.models import Booking, Slot
from sangyo.consultations.tests import factories as f
from sangyo.registry.models import SupportRecord
from sangyo.registry.tests.factories import business

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(tsukuba):
    return f.desk(tsukuba)


def test_public_list_shows_open_slots_in_bounded_queries(
    client, desk, django_assert_max_num_queries
):
    for day in range(1, 8):
        f.slot(desk, days=day)
    taken = f.slot(desk, days=9)
    services.booking_create(slot=taken, business=business(), actor="t", name="合成")
    with django_assert_max_num_queries(8):
        response = client.get("/consult/")
    html = response.content.decode()
    assert html.count("/book/") == 7
    assert f"/consult/slots/{taken.pk}/book/" not in html


def test_a_member_books_for_their_business_and_cancels(client, desk, make_user):
    company = business()
    user = f.member(make_user, company)
    slot = f.slot(desk)
    client.force_login(user)
    response = client.post(
        f"/consult/slots/{slot.pk}/book/",
        {
            "business": company.pk,
            "name": "合成データ花子",
            "email": "h@example.test",
            "topic": "販路",
        },
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.business, booking.booked_by) == (company, user)
    assert "合成データ" in client.get("/consult/bookings/").content.decode()
    client.post(f"/consult/bookings/{booking.pk}/cancel/")
    booking.refresh_from_db()
    slot.refresh_from_db()
    assert booking.status == "cancelled" and slot.status == Slot.Status.OPEN


def test_a_user_cannot_book_for_a_business_they_do_not_act_for(client, desk, make_user):
    mine, other = business(), business()
    user = f.member(make_user, mine)
    slot = f.slot(desk)
    client.force_login(user)
    response = client.post(
        f"/consult/slots/{slot.pk}/book/",
        {"business": other.pk, "name": "合成", "email": "h@example.test"},
    )
    assert response.status_code == 200
    assert "エラー：" in response.content.decode()
    assert not Booking.objects.exists()


def test_staff_record_a_session_that_appears_in_the_business_timeline(client, users, desk):
    from sangyo.registry.selectors import support_counts_for_measure

    company = business()
    case = services.case_create(business=company, program=desk.program, title="合成DX", actor="t")
    client.force_login(users["officer"])
    today = timezone.localdate()
    response = client.post(
        f"/staff/consultations/cases/{case.pk}/session/",
        {
            "session-date": today.isoformat(),
            "session-notes": "合成データ記録",
            "session-follow_up_days": "30",
        },
    )
    assert response.status_code == 302
    record = SupportRecord.objects.get(business=company)
    assert record.kind == "consultation"
    timeline = client.get(f"/staff/businesses/{company.pk}/").content.decode()
    assert "合成DX" in timeline
    counts = support_counts_for_measure(desk.program.measure)
    assert [c["records"] for c in counts] == [1]
    # A viewer may read the case but not record on it.
    client.force_login(users["viewer"])
    assert client.get(f"/staff/consultations/cases/{case.pk}/").status_code == 200
    response = client.post(
        f"/staff/consultations/cases/{case.pk}/session/", {"session-date": today.isoformat()}
    )
    assert response.status_code == 404
    assert SupportRecord.objects.count() == 1


def test_dashboard_lists_overdue_follow_ups_and_waiting_referrals(
    client, users, desk, django_assert_max_num_queries
):
    import datetime

    from sangyo.registry.models import PartnerOrganisation

    partner = PartnerOrganisation.objects.create(
        name="合成データ商工会", kind=PartnerOrganisation.Kind.values[0]
    )
    for n in range(3):
        case = services.case_create(
            business=business(), program=desk.program, title=f"合成案件{n}", actor="t"
        )
        services.follow_up_add(
            case=case, due=timezone.localdate() - datetime.timedelta(days=1), note="", actor="t"
        )
        services.referral_create(case=case, partner=partner, date=timezone.localdate(), actor="t")
    client.force_login(users["viewer"])
    with django_assert_max_num_queries(15):
        html = client.get("/staff/consultations/").content.decode()
    assert html.count("合成案件") == 6
    assert "合成データ商工会" in html


def test_staff_create_slots_and_case(client, users, desk):
    client.force_login(users["officer"])
    response = client.post(
        f"/staff/consultations/desks/{desk.pk}/",
        {
            "starts": (timezone.localdate() + datetime.timedelta(days=5)).isoformat() + " 10:00",
            "minutes": "60",
        },
    )
    assert response.status_code == 302
    assert Slot.objects.filter(desk=desk).count() == 1
    company = business()
    response = client.post(
        "/staff/consultations/cases/",
        {
            "desk": desk.pk,
            "business": company.pk,
            "title": "合成事業承継",
            "categories": ["succession"],
        },
    )
    assert response.status_code == 302
    assert company.consultation_cases.get().categories == ["succession"]


def test_a_session_recorded_from_a_booking_counts_on_the_desks_program(client, users, tsukuba):
    from sangyo.strategy.models import Program

    desk = f.desk(tsukuba, code="01-1", name="合成データDX窓口")
    company = business()
    booking = services.booking_create(slot=f.slot(desk), business=company, actor="t", name="合成")
    other_program = Program.objects.get(measure__strategy=tsukuba, code="01-2")
    case = services.case_create(business=company, program=other_program, title="合成", actor="t")
    client.force_login(users["officer"])
    page = client.get(f"/staff/consultations/cases/{case.pk}/").content.decode()
    assert f'value="{booking.pk}"' in page
    client.post(
        f"/staff/consultations/cases/{case.pk}/session/",
        {"session-booking": booking.pk, "session-date": timezone.localdate().isoformat()},
    )
    assert SupportRecord.objects.get(business=company).program == desk.program
    booking.refresh_from_db()
    assert booking.status == "done"

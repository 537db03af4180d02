import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from sangyo.events import services
from sangyo.events.models import Event, Registration
from sangyo.events.tests.factories import event as make_event
from sangyo.registry.models import SupportRecord
from sangyo.registry.tests.factories import business

pytestmark = pytest.mark.django_db


def test_public_registration_shows_code_and_cancel_link(client, tsukuba):
    event = make_event(
        strategy=tsukuba,
        capacity=1,
        questions=[
            {
                "key": "size",
                "label_ja": "従業員規模",
                "type": "choice",
                "choices": ["1-5", "6-20"],
                "required": True,
            }
        ],
    )
    url = reverse("events:detail", args=[event.pk])
    page = client.get(url)
    assert "従業員規模" in page.content.decode()
    bad = client.post(url, {"name": "合成 太郎", "email": "t@example.test"})
    assert "エラー：" in bad.content.decode() and Registration.objects.count() == 0
    response = client.post(
        url, {"name": "合成 太郎", "email": "t@example.test", "q_size": "1-5"}, follow=True
    )
    reg = Registration.objects.get()
    body = response.content.decode()
    assert reg.code in body and reg.answers == {"size": "1-5"} and reg.status == "confirmed"
    assert reverse("events:cancel", args=[reg.token]) in body
    # A second person waits.
    client.post(url, {"name": "合成 花子", "email": "h@example.test", "q_size": "6-20"})
    assert Registration.objects.filter(status="waitlisted").count() == 1
    # Cancel: GET confirms, POST cancels and promotes.
    cancel = reverse("events:cancel", args=[reg.token])
    assert client.get(cancel).status_code == 200
    assert Registration.objects.get(pk=reg.pk).status == "confirmed"
    client.post(cancel)
    assert Registration.objects.get(pk=reg.pk).status == "cancelled"
    assert Registration.objects.get(name="合成 花子").status == "confirmed"


def test_list_shows_seats_left_in_bounded_queries(client, tsukuba, django_assert_max_num_queries):
    for n in range(5):
        e = make_event(strategy=tsukuba, capacity=3, title_ja=f"合成データ 一覧{n}")
        services.registration_create(event=e, name="合成 参加者", actor="test")
    with django_assert_max_num_queries(8):
        body = client.get(reverse("events:list")).content.decode()
    assert "合成データ 一覧4" in body and "2席" in body


def test_ics_is_a_vevent_in_tokyo_time(client, tsukuba):
    import datetime
    from zoneinfo import ZoneInfo

    starts = datetime.datetime(2031, 5, 1, 14, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    event = make_event(
        strategy=tsukuba,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        title_ja="合成データ, セミナー; 特別",
    )
    response = client.get(reverse("events:ics", args=[event.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert "BEGIN:VEVENT" in text and "END:VCALENDAR\r\n" in text
    assert "DTSTART;TZID=Asia/Tokyo:20310501T140000" in text
    assert "DTEND;TZID=Asia/Tokyo:20310501T160000" in text
    assert "SUMMARY:合成データ\\, セミナー\\; 特別" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_opendata_csv_has_the_32_column_header_with_bom(client, tsukuba):
    from sangyo.events.views import OPENDATA_HEADER

    make_event(strategy=tsukuba, capacity=25, title_ja="合成データ オープンデータ")
    data = client.get(reverse("events:opendata")).content
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(OPENDATA_HEADER) == 32 and rows[0] == OPENDATA_HEADER
    assert rows[0][0] == "都道府県コード又は市区町村コード" and rows[0][-1] == "備考"
    assert rows[1][4] == "合成データ オープンデータ" and rows[1][26] == "25"
    assert all(len(r) == 32 for r in rows)


def test_checkin_by_code_records_support_and_staff_page_summarises_survey(
    client, tsukuba, users, django_assert_max_num_queries
):
    event = make_event(strategy=tsukuba, code="14-1")
    company = business()
    reg = services.registration_create(
        event=event, name="合成 受付", business=company, actor="test"
    )
    client.force_login(users["officer"])
    checkin = reverse("events_staff:checkin", args=[event.pk])
    assert "合成 受付" in client.get(checkin, {"q": "受付"}).content.decode()
    response = client.post(checkin, {"code": reg.code.lower()})
    assert "出席にしました" in response.content.decode()
    assert Registration.objects.get(pk=reg.pk).status == "attended"
    assert (
        SupportRecord.objects.filter(source=f"events.registration:{reg.pk}", kind="event").count()
        == 1
    )

    past = timezone.now() - datetime.timedelta(hours=1)
    Event.objects.filter(pk=event.pk).update(starts_at=past, ends_at=past)
    for n, rating in enumerate([5, 4, 4]):
        r = (
            reg
            if n == 0
            else services.registration_create(
                event=event, name=f"合成 {n}", actor="test", check_window=False
            )
        )
        client.post(
            reverse("events:survey", args=[r.token]), {"rating": rating, "comment": "合成 感想"}
        )
    with django_assert_max_num_queries(15):
        body = client.get(reverse("events_staff:detail", args=[event.pk])).content.decode()
    assert "回答3件、平均4.3点" in body
    # Viewers see the summary but not the people.
    client.force_login(users["viewer"])
    body = client.get(reverse("events_staff:detail", args=[event.pk])).content.decode()
    assert "回答3件" in body and "合成 受付" not in body


def test_officer_creates_an_event(client, tsukuba, users):
    from sangyo.strategy.models import Program

    program = Program.objects.get(measure__strategy=tsukuba, code="03-1")
    client.force_login(users["officer"])
    response = client.post(
        reverse("events_staff:create"),
        {
            "title_ja": "合成データ 新規イベント",
            "kind": "tour",
            "program": program.pk,
            "starts_at": "2031-06-01T10:00",
            "ends_at": "2031-06-01T12:00",
            "capacity": "15",
            "questions": "[]",
        },
    )
    assert response.status_code == 302
    from sangyo.events.models import Event

    assert Event.objects.get(title_ja="合成データ 新規イベント").capacity == 15

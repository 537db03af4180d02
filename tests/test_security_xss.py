"""No user text is rendered as HTML: <script> payloads stored in the fields people type into
(a business's name, a posting's title and text, an event registrant's name and survey comment,
a consultation's notes) come back escaped on the pages that show them.

The few places that do mark HTML safe are justified in docs/security.md (§5): the SVG charts
(built by sangyo.indicators.charts, which escapes every text) and the search snippets
(sangyo.navigator.text.snippet, which escapes the text and adds only <mark>). Their tests are
below too.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"

pytestmark = pytest.mark.django_db


def assert_escaped(response, payload=PAYLOAD):
    assert response.status_code == 200
    html = response.content.decode()
    assert payload not in html
    assert "<script>alert" not in html and "<img src=x" not in html
    return html


def test_business_name_is_escaped(client, tsukuba, users):
    from sangyo.registry.tests.factories import business

    firm = business(name="合成データ" + PAYLOAD)
    client.force_login(users["officer"])
    html = assert_escaped(client.get(f"/staff/businesses/{firm.pk}/"))
    assert ESCAPED in html
    assert_escaped(client.get("/staff/businesses/", {"q": "合成データ"}))


def test_posting_text_is_escaped(client, tsukuba):
    from sangyo.matching.tests.factories import posting

    p = posting(title_ja="合成データ" + PAYLOAD, body_ja="本文" + PAYLOAD)
    html = assert_escaped(client.get(f"/matching/postings/{p.pk}/"))
    assert html.count(ESCAPED) >= 2
    assert_escaped(client.get("/matching/"))


def test_event_registrant_and_survey_comment_are_escaped(client, tsukuba, users):
    from sangyo.events import services
    from sangyo.events.models import Event
    from sangyo.events.tests.factories import event

    ev = event(strategy=tsukuba)
    registration = services.registration_create(
        event=ev, name="合成" + PAYLOAD, email="a@example.test"
    )
    # The survey opens once the event has started.
    Event.objects.filter(pk=ev.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    registration.refresh_from_db()
    services.survey_submit(registration=registration, rating=4, comment="感想" + PAYLOAD)
    client.force_login(users["officer"])
    html = assert_escaped(client.get(f"/staff/events/{ev.pk}/"))
    assert html.count(ESCAPED) >= 2  # the name and the comment


def test_consultation_notes_are_escaped(client, tsukuba, users):
    from sangyo.consultations import services
    from sangyo.registry.tests.factories import business
    from sangyo.strategy.models import Program

    program = Program.objects.filter(measure__strategy=tsukuba).first()
    case = services.case_create(
        business=business(), program=program, title="件名" + PAYLOAD, actor=users["officer"]
    )
    services.session_record(
        case=case, date=timezone.localdate(), actor=users["officer"], notes="記録" + PAYLOAD
    )
    client.force_login(users["officer"])
    html = assert_escaped(client.get(f"/staff/consultations/cases/{case.pk}/"))
    assert html.count(ESCAPED) >= 2  # the title and the notes


def test_search_snippet_escapes_text_and_adds_only_mark():
    from sangyo.navigator.text import snippet

    out = snippet("創業" + PAYLOAD + "創業支援", ["創業"])
    assert "<script" not in out and "<img" not in out
    assert out.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_chart_svg_escapes_labels_and_has_no_style():
    from decimal import Decimal

    from sangyo.indicators.charts import kpi_chart_svg

    svg = kpi_chart_svg(
        title="指標" + PAYLOAD,
        unit="件" + PAYLOAD,
        fiscal_years=[2023, 2024],
        path={2023: Decimal(1), 2024: Decimal(2)},
        observations={2023: Decimal(1), 2024: Decimal(3)},
        chart_id="kpi-1",
    )
    assert "<script" not in svg and "<img" not in svg
    assert "style=" not in svg and "<style" not in svg  # the CSP forbids both

"""Rate limits on public forms (sangyo.core.security.public_ratelimit): per client IP, counted
in the cache, answered 429 with a page in the visitor's language saying when to try again."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import resolve

SMALL = {"public_form": "2/m", "search": "3/m"}

# Every public form that takes input from anyone (login is limited by django-axes).
LIMITED = {
    "/events/1/": "public_form",  # event registration
    "/events/survey/x/": "public_form",  # event survey
    "/events/cancel/x/": "public_form",
    "/matching/postings/1/": "public_form",  # enquiry about a posting
    "/matching/properties/1/": "public_form",  # enquiry about a property
    "/matching/jobs/1/": "public_form",  # job application
    "/matching/report/posting/1/": "public_form",
    "/consult/slots/1/book/": "public_form",  # booking
    "/navigator/search/": "search",
}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(("url", "group"), LIMITED.items())
def test_public_forms_are_rate_limited(url, group):
    assert getattr(resolve(url).func, "sangyo_ratelimit_group", None) == group


@pytest.mark.django_db
@override_settings(SANGYO_RATELIMITS=SMALL)
def test_event_registration_is_limited_per_ip(client, tsukuba):
    from sangyo.events.tests.factories import event

    ev = event(strategy=tsukuba)
    url = f"/events/{ev.pk}/"
    for _ in range(2):
        assert client.post(url, {"name": ""}).status_code == 200  # the form, with its errors
    assert client.get(url).status_code == 200  # reading the page is not counted
    limited = client.post(url, {"name": "合成 太郎"})
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    html = limited.content.decode()
    assert "しばらく時間をおいてから" in html and "約1分後" in html
    assert ev.registrations.count() == 0  # the limited request did nothing
    # Another address has its own allowance.
    assert client.post(url, {"name": ""}, REMOTE_ADDR="192.0.2.7").status_code == 200


@pytest.mark.django_db
@override_settings(SANGYO_RATELIMITS=SMALL)
def test_limited_page_follows_the_visitors_language(client, tsukuba):
    client.cookies["django_language"] = "en"
    for _ in range(2):
        client.post("/consult/slots/999/book/")
    response = client.post("/consult/slots/999/book/")
    assert response.status_code == 429
    assert response["Content-Language"] == "en"


@pytest.mark.django_db
@override_settings(SANGYO_RATELIMITS=SMALL)
def test_search_is_limited_on_get(client, tsukuba):
    for _ in range(3):
        assert client.get("/navigator/search/", {"q": "創業"}).status_code == 200
    assert client.get("/navigator/search/", {"q": "創業"}).status_code == 429


@pytest.mark.django_db
def test_default_limits_leave_people_room(client, tsukuba):
    from config.settings import base

    assert base.SANGYO_RATELIMITS == {"public_form": "20/m", "search": "120/m", "api": "300/m"}
    with override_settings(SANGYO_RATELIMITS=base.SANGYO_RATELIMITS):
        for _ in range(10):  # a person paging through results
            assert client.get("/navigator/search/", {"q": "創業"}).status_code == 200

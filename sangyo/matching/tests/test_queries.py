"""Pages run a fixed number of queries whatever the amount of data (DESIGN.md §6)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sangyo.matching import services
from sangyo.matching.tests import factories as f
from sangyo.registry.tests.factories import business

pytestmark = pytest.mark.django_db

PAGES = [
    ("anon", "/matching/"),
    ("anon", "/matching/jobs/"),
    ("anon", "/matching/properties/"),
    ("anon", "/api/v1/matching/postings"),
    ("anon", "/api/v1/matching/jobs"),
    ("business", "/matching/mine/"),
    ("officer", "/staff/matching/"),
    ("officer", "/staff/matching/postings/"),
    ("officer", "/staff/matching/introductions/"),
    ("officer", "/staff/matching/jobs/"),
    ("officer", "/staff/matching/placements/"),
    ("officer", "/staff/matching/properties/"),
    ("officer", "/staff/matching/reports/"),
]


def _add(n, owner, officer):
    for _ in range(n):
        other = business()
        p = f.posting(business_obj=owner)
        f.posting(publish=False, business_obj=owner)
        interest = services.interest_create(posting=p, business=other, actor="t", message="m")
        services.introduction_create(interest=interest, actor=officer)
        j = f.job(business_obj=owner)
        a = services.job_apply(
            job=j, name="合成", email="a@example.test", message="m", consent=True
        )
        services.application_set_status(application=a, status="hired", actor="t")
        f.property_obj()
        services.report_create(target_type="job", target_id=j.pk, reason="r", actor="t")


def _counts(client, users):
    counts = {}
    for role, path in PAGES:
        client.logout()
        if role != "anon":
            client.force_login(users[role])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200, path
        counts[path] = len(ctx.captured_queries)
    return counts


def test_pages_run_a_fixed_number_of_queries(client, users, tsukuba):
    from sangyo.registry.services import membership_add

    owner = business()
    membership_add(user=users["business"], business=owner, role="member", actor="t")
    _add(2, owner, users["officer"])
    few = _counts(client, users)
    _add(6, owner, users["officer"])
    many = _counts(client, users)
    assert many == few

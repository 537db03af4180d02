"""A seeker's (and an enquirer's) personal data never reaches another business: walk every
matching URL pattern and every matching API route, with every object id we have, as a member
of the interested business and as a member of an unrelated business."""

import pytest
from django.urls import URLPattern, get_resolver

from sangyo.matching.tests import factories as f
from sangyo.registry.services import membership_add
from sangyo.registry.tests.factories import business

pytestmark = pytest.mark.django_db

SECRETS = (f.SEEKER_NAME, f.SEEKER_EMAIL, "問合せ 秘密男", "secret-enquirer@example.test")


def _patterns():
    resolver = get_resolver()
    for prefix, namespace in (("/matching/", "matching"), ("/staff/matching/", "matching_staff")):
        urls = resolver.namespace_dict[namespace][1].url_patterns
        for p in urls:
            assert isinstance(p, URLPattern)
            yield prefix, str(p.pattern)


def _paths(w):
    ids = [w[k].pk for k in ("posting", "interest", "job", "application", "property", "report")]
    for prefix, route in _patterns():
        if "<str:token>" in route:
            yield prefix + route.replace("<str:token>", w["application"].token)
            continue
        if "<str:target>" in route:
            for target in ("posting", "job", "property"):
                for pk in ids:
                    yield prefix + route.replace("<str:target>", target).replace(
                        "<int:pk>", str(pk)
                    )
            continue
        if "<int:pk>" in route:
            for pk in ids:
                yield prefix + route.replace("<int:pk>", str(pk))
        else:
            yield prefix + route
    yield "/api/v1/matching/postings"
    yield "/api/v1/matching/properties"
    yield "/api/v1/matching/jobs"
    for pk in ids:
        for kind in ("postings", "properties", "jobs"):
            yield f"/api/v1/matching/{kind}/{pk}"


def test_no_other_business_sees_a_seekers_personal_data(client, make_user):
    w = f.world()
    interested = make_user("business", email="interested@example.test")
    membership_add(user=interested, business=w["other"], role="member", actor="test")
    stranger = make_user("business", email="stranger@example.test")
    membership_add(user=stranger, business=business(), role="member", actor="test")

    paths = sorted(set(_paths(w)))
    assert len(paths) >= 30
    for user in (interested, stranger):
        client.force_login(user)
        for path in paths:
            for method in ("get", "post"):
                response = getattr(client, method)(path, follow=True)
                body = response.content.decode()
                leaked = [s for s in SECRETS if s in body]
                assert not leaked, f"{user.email} {method.upper()} {path} shows {leaked}"


def test_owner_and_officers_see_applicants_but_viewers_do_not(client, users):
    w = f.world(owner_user=users["business"])
    job = w["job"]
    client.force_login(users["business"])
    assert f.SEEKER_NAME in client.get(f"/matching/jobs/{job.pk}/applications/").content.decode()
    client.force_login(users["officer"])
    assert f.SEEKER_NAME in client.get(f"/staff/matching/jobs/{job.pk}/").content.decode()
    for role in ("viewer", "reviewer"):
        client.force_login(users[role])
        for path in (f"/staff/matching/jobs/{job.pk}/", "/staff/matching/placements/"):
            assert f.SEEKER_NAME not in client.get(path).content.decode()


def test_business_updates_status_of_applications_to_its_own_jobs_only(client, users, tsukuba):
    w = f.world(owner_user=users["business"])
    foreign = f.job()
    from sangyo.matching import services

    other_application = services.job_apply(
        job=foreign, name="合成 他社応募", email="x@example.test", message="m", consent=True
    )
    client.force_login(users["business"])
    url = f"/matching/applications/{other_application.pk}/status/"
    assert client.post(url, {"status": "hired"}).status_code == 404
    response = client.post(
        f"/matching/applications/{w['application'].pk}/status/", {"status": "hired"}
    )
    assert response.status_code == 302
    w["application"].refresh_from_db()
    assert w["application"].status == "hired"
    page = client.get(f"/matching/applied/{w['application'].token}/").content.decode()
    assert "採用・受入決定" in page and f.SEEKER_EMAIL not in page

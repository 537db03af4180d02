"""API tokens: making and revoking them, what a bearer may do with which scope, and what
each use leaves behind (last use, audit events)."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.utils import timezone

from sangyo.core.errors import PermissionDenied
from sangyo.core.models import AuditEvent
from sangyo.integrations import services
from sangyo.integrations.models import ApiToken, Scope

from .factories import api_world, bearer, token

pytestmark = pytest.mark.django_db

BUSINESSES = "/api/v1/staff/businesses"
RECORDS = "/api/v1/staff/support-records"


def codes(prefix: str) -> list[str]:
    return list(
        AuditEvent.objects.filter(code__startswith=prefix)
        .order_by("id")
        .values_list("code", flat=True)
    )


def assert_error(response, status: int, code: str):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code and body["detail"], body


# --- making and revoking --------------------------------------------------------------------


def test_only_a_hash_is_stored_and_creation_is_audited(users):
    made, raw = token(owner=users["officer"], scopes=["registry:read"], actor=users["admin"])
    assert raw.startswith("sgy_") and len(raw) > 40
    assert made.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(made.prefix) and len(made.prefix) < 16
    assert not ApiToken.objects.filter(token_hash=raw).exists()
    event = AuditEvent.objects.get(code="integrations.token.created")
    assert event.data["scopes"] == ["registry:read"] and event.actor == users["admin"]
    assert raw not in str(event.data)


def test_only_administrators_make_tokens(users):
    with pytest.raises(PermissionDenied):
        token(owner=users["officer"], scopes=["registry:read"], actor=users["officer"])


@pytest.mark.parametrize(
    ("role", "scope", "allowed"),
    [
        ("viewer", "registry:read", True),
        ("viewer", "registry:personal", False),
        ("viewer", "support_records:write", False),
        ("officer", "support_records:write", True),
        ("officer", "indicators:write", True),
        ("reviewer", "registry:read", False),
        ("business", "registry:read", False),
    ],
)
def test_a_token_holds_only_what_its_owner_may_do(users, role, scope, allowed):
    if allowed:
        assert token(owner=users[role], scopes=[scope], actor=users["admin"])[0].scopes == [scope]
    else:
        with pytest.raises(services.TokenError):
            token(owner=users[role], scopes=[scope], actor=users["admin"])


def test_staff_page_shows_the_token_once_and_revokes(client, users):
    client.force_login(users["admin"])
    page = client.post(
        "/staff/integrations/tokens/",
        {"name": "合成データCRM", "owner": users["officer"].pk, "scopes": ["registry:read"]},
    )
    assert page.status_code == 200
    made = ApiToken.objects.get(name="合成データCRM")
    html = page.content.decode()
    raw = html.split('id="new-token"')[1].split('value="')[1].split('"')[0]
    assert made.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert "no-cache" in page["Cache-Control"] or "no-store" in page["Cache-Control"]
    again = client.get("/staff/integrations/tokens/").content.decode()
    assert made.prefix in again and raw not in again

    response = client.post(f"/staff/integrations/tokens/{made.pk}/revoke/")
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.revoked_at is not None
    assert codes("integrations.token.") == [
        "integrations.token.created",
        "integrations.token.revoked",
    ]


def test_staff_page_refuses_scopes_beyond_the_owners_role(client, users):
    client.force_login(users["admin"])
    page = client.post(
        "/staff/integrations/tokens/",
        {"name": "x", "owner": users["viewer"].pk, "scopes": ["support_records:write"]},
    )
    assert page.status_code == 200
    assert "support_records:write" in page.content.decode()
    assert not ApiToken.objects.exists()


# --- authentication -------------------------------------------------------------------------


def test_no_or_unknown_token_is_401_in_the_error_shape(client, users):
    response = client.get(BUSINESSES)
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert_error(client.get(BUSINESSES, **bearer("sgy_not-a-token")), 401, "not_authenticated")
    # A signed-in session is not a token.
    client.force_login(users["admin"])
    assert client.get(BUSINESSES).status_code == 401
    assert codes("integrations.token.denied") == []


@pytest.mark.parametrize("how", ["revoked", "expired", "owner_inactive", "owner_not_staff"])
def test_dead_tokens_are_refused_and_audited(client, users, how):
    made, raw = token(owner=users["officer"], scopes=["registry:read"], actor=users["admin"])
    assert client.get(BUSINESSES, **bearer(raw)).status_code == 200
    if how == "revoked":
        services.token_revoke(token=made, actor=users["admin"])
    elif how == "expired":
        ApiToken.objects.filter(pk=made.pk).update(
            expires_at=timezone.now() - datetime.timedelta(seconds=1)
        )
    elif how == "owner_inactive":
        users["officer"].is_active = False
        users["officer"].save()
    else:
        users["officer"].role = "business"
        users["officer"].save()
    assert_error(client.get(BUSINESSES, **bearer(raw)), 401, "not_authenticated")
    denied = AuditEvent.objects.get(code="integrations.token.denied")
    reason = {"owner_inactive": "owner_not_staff"}.get(how, how)
    assert denied.data["reason"] == reason and denied.target_id == str(made.pk)


def test_a_missing_scope_is_403_and_audited(client, users):
    _made, raw = token(owner=users["officer"], scopes=["registry:read"], actor=users["admin"])
    response = client.post(RECORDS, {}, content_type="application/json", **bearer(raw))
    assert_error(response, 403, "permission_denied")
    assert "support_records:write" in response.json()["detail"]
    denied = AuditEvent.objects.get(code="integrations.token.denied")
    assert denied.data == {
        "reason": "missing_scope",
        "scope": "support_records:write",
        "path": RECORDS,
    }


def test_a_scope_the_owner_lost_is_403(client, users):
    _made, raw = token(owner=users["officer"], scopes=["registry:personal", "registry:read"])
    users["officer"].role = "viewer"  # viewers may read the registry, not personal data
    users["officer"].save()
    assert client.get(BUSINESSES, **bearer(raw)).json()["results"] is not None
    response = client.get(BUSINESSES, **bearer(raw))
    assert all(row["personal"] is None for row in response.json()["results"])


def test_use_is_noted_at_most_every_few_minutes(client, users):
    made, raw = token(owner=users["officer"], scopes=["registry:read"], actor=users["admin"])
    assert made.last_used_at is None
    client.get(BUSINESSES, **bearer(raw))
    made.refresh_from_db()
    first = made.last_used_at
    assert first is not None
    client.get(BUSINESSES, **bearer(raw))
    made.refresh_from_db()
    assert made.last_used_at == first
    ApiToken.objects.filter(pk=made.pk).update(last_used_at=first - services.LAST_USED_EVERY)
    client.get(BUSINESSES, **bearer(raw))
    made.refresh_from_db()
    assert made.last_used_at > first


# --- the registry and personal data ---------------------------------------------------------


@pytest.fixture
def world(tsukuba):
    return api_world(tsukuba)


def test_personal_data_only_with_the_personal_scope(client, users, world):
    _t, plain = token(owner=users["officer"], scopes=["registry:read"])
    _t, personal = token(owner=users["officer"], scopes=["registry:read", "registry:personal"])
    rows = {r["id"]: r for r in client.get(BUSINESSES, **bearer(plain)).json()["results"]}
    company, sole = rows[world["business"].pk], rows[world["sole"].pk]
    assert company["personal"] is None and company["location"]
    # A sole proprietor's address is where a person lives.
    assert sole["location"] == "" and sole["postal_code"] == ""
    text = client.get(BUSINESSES, **bearer(plain)).content.decode()
    assert "合成 太郎" not in text and "hanako@example.test" not in text
    assert codes("integrations.personal_data") == []

    rows = {r["id"]: r for r in client.get(BUSINESSES, **bearer(personal)).json()["results"]}
    assert rows[world["business"].pk]["personal"]["representative_name"] == "合成 太郎"
    assert rows[world["business"].pk]["personal"]["contacts"][0]["email"] == "hanako@example.test"
    assert rows[world["sole"].pk]["location"].startswith("茨城県")
    assert codes("integrations.personal_data") == ["integrations.personal_data.read"]
    one = client.get(f"{BUSINESSES}/{world['business'].pk}", **bearer(personal)).json()
    assert one["personal"]["contacts"]
    assert_error(client.get(f"{BUSINESSES}/999999", **bearer(personal)), 404, "not_found")


def test_updated_since_returns_only_later_changes(client, users, world):
    from sangyo.registry.models import Business

    _t, raw = token(owner=users["officer"], scopes=["registry:read"])
    cut = timezone.now()
    Business.objects.filter(pk=world["business"].pk).update(
        updated_at=cut + datetime.timedelta(seconds=5)
    )
    Business.objects.exclude(pk=world["business"].pk).update(
        updated_at=cut - datetime.timedelta(days=1)
    )
    page = client.get(BUSINESSES, {"updated_since": cut.isoformat()}, **bearer(raw)).json()
    assert [r["id"] for r in page["results"]] == [world["business"].pk]


# --- writes --------------------------------------------------------------------------------


def test_support_record_create_is_audited_and_idempotent(client, users, world):
    _t, raw = token(
        owner=users["officer"], scopes=["support_records:write", "support_records:read"]
    )
    body = {
        "business_id": world["business"].pk,
        "program": world["program"].code,
        "date": "2025-07-01",
        "kind": "consultation",
        "summary": "合成データの相談",
        "external_id": "crm-1",
    }
    first = client.post(RECORDS, body, content_type="application/json", **bearer(raw))
    assert first.status_code == 201, first.content
    assert first.json()["fiscal_year"] == 2025 and first.json()["source"] == "api:crm-1"
    again = client.post(RECORDS, body, content_type="application/json", **bearer(raw))
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    event = AuditEvent.objects.get(
        code="registry.support_record.created", target_id=str(first.json()["id"])
    )
    assert event.actor == users["officer"]
    unknown = client.post(
        RECORDS, body | {"business_id": 999999}, content_type="application/json", **bearer(raw)
    )
    assert_error(unknown, 404, "not_found")
    bad = client.post(
        RECORDS, body | {"kind": "bribe"}, content_type="application/json", **bearer(raw)
    )
    assert_error(bad, 422, "validation_error")
    assert bad.json()["errors"][0]["loc"][-1] == "kind"
    listed = client.get(
        RECORDS, {"fiscal_year": 2025, "program": world["program"].code}, **bearer(raw)
    )
    assert first.json()["id"] in [r["id"] for r in listed.json()["results"]]


def test_observation_put_adds_revises_and_refuses_computed(client, users, tsukuba):
    from sangyo.indicators.models import Indicator

    _t, raw = token(owner=users["officer"], scopes=["indicators:write"])
    gmp = Indicator.objects.get(strategy=tsukuba, code="gross-municipal-product")
    url = f"/api/v1/staff/indicators/{gmp.pk}/observations/2025"

    def put(value, **extra):
        return client.put(
            url, {"value": value, **extra}, content_type="application/json", **bearer(raw)
        )

    assert put(14800).json()["change"] == "added"
    assert put(14800).json()["change"] == "unchanged"
    revised = put(14900.5, status="preliminary")
    assert revised.json()["change"] == "revised" and revised.json()["value"] == 14900.5
    assert codes("indicators.observation.") == [
        "indicators.observation.added",
        "indicators.observation.revised",
    ]
    far = client.put(
        f"/api/v1/staff/indicators/{gmp.pk}/observations/1990",
        {"value": 1},
        content_type="application/json",
        **bearer(raw),
    )
    assert_error(far, 422, "rejected")
    computed = Indicator.objects.filter(obtained=Indicator.Obtained.COMPUTED).first()
    if computed is not None:
        response = client.put(
            f"/api/v1/staff/indicators/{computed.pk}/observations/2025",
            {"value": 1},
            content_type="application/json",
            **bearer(raw),
        )
        assert_error(response, 422, "rejected")


# --- scopes are fixed ------------------------------------------------------------------------


def test_every_scope_has_a_policy():
    from sangyo.integrations.policies import SCOPE_POLICIES

    assert set(SCOPE_POLICIES) == set(Scope.values)


def test_applications_without_drafts_or_people(client, users, world):
    from sangyo.applications.models import Application

    _t, raw = token(owner=users["viewer"], scopes=["applications:read"])
    page = client.get("/api/v1/staff/applications", **bearer(raw)).json()
    certified = world["product"].application
    rows = {r["id"]: r for r in page["results"]}
    assert rows[certified.pk]["status"] == "certified"
    assert not Application.objects.filter(pk__in=rows, status="draft").exists()
    text = client.get("/api/v1/staff/applications", **bearer(raw)).content.decode()
    assert certified.applicant.email not in text

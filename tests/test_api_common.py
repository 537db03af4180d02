"""What every operation of /api/v1/ shares: the OpenAPI document (summaries, tags, stable
operation ids, no untyped answers), one error shape, limit/offset pages with bounds, ETags
with 304, Cache-Control; and the public events, calls and certified products."""

from __future__ import annotations

import datetime

import pytest

from sangyo.integrations.tests.factories import api_world, bearer, token

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tsukuba):
    return api_world(tsukuba)


def schema(client) -> dict:
    return client.get("/api/v1/openapi.json").json()


def operations(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            yield method, path, op


# --- the document ----------------------------------------------------------------------------


def test_every_operation_is_documented(client):
    spec = schema(client)
    ids = []
    for method, path, op in operations(spec):
        where = f"{method.upper()} {path}"
        assert op.get("summary") and " / " in op["summary"], f"{where}: summary ja / en"
        assert op.get("description"), f"{where}: description"
        assert len(op.get("tags", [])) == 1, f"{where}: one tag"
        ok = op["responses"].get("200") or op["responses"]["201"]
        assert "$ref" in str(ok["content"]), f"{where}: a named response schema"
        for code in ("422", "429"):
            assert op["responses"][code]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorOut"
            }, where
        if "{" in path:
            assert "404" in op["responses"], f"{where}: unknown ids are 404"
        if path.startswith("/api/v1/staff/"):
            assert op["security"] == [{"ScopedToken": []}], where
            assert {"401", "403"} <= set(op["responses"]), where
        ids.append(op["operationId"])
    assert len(ids) == len(set(ids))
    # Operation ids are the view functions' names: stable, and the access rules use them.
    assert {"list_events", "get_call", "list_certified_products", "staff_businesses"} <= set(ids)
    assert spec["components"]["securitySchemes"]["ScopedToken"]["scheme"] == "bearer"


def test_no_two_schemas_share_a_name():
    """The document names schemas by class name: two classes of one name would overwrite
    each other and the document would describe one answer with the other's shape."""
    import importlib

    import pydantic

    seen: dict[str, type] = {}
    for module in (
        "sangyo.api_common",
        "sangyo.strategy.api",
        "sangyo.indicators.api",
        "sangyo.applications.api",
        "sangyo.events.api",
        "sangyo.matching.api",
        "sangyo.evaluation.api",
        "sangyo.navigator.api",
        "sangyo.integrations.api",
    ):
        for value in vars(importlib.import_module(module)).values():
            model = isinstance(value, type) and issubclass(value, pydantic.BaseModel)
            if model and value.__module__ == module:
                other = seen.setdefault(value.__name__, value)
                assert other is value, f"two schemas named {value.__name__}"


def test_docs_page(client):
    assert client.get("/api/v1/docs").status_code == 200


# --- errors ---------------------------------------------------------------------------------


def test_unknown_ids_are_404_in_the_error_shape(client, tsukuba):
    for url in (
        "/api/v1/events/999999",
        "/api/v1/calls/999999",
        "/api/v1/certified-products/999999",
        "/api/v1/programs/999999",
        "/api/v1/indicators/999999",
        "/api/v1/strategies/nope",
        "/api/v1/evaluation/1900",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "見つかりません。 / Not found.", "code": "not_found"}


def test_validation_errors_name_the_parameter(client, tsukuba):
    response = client.get("/api/v1/events", {"limit": "many"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["errors"][0]["loc"] == ["query", "limit"]
    nul = client.get("/api/v1/search", {"q": "補助\x00金"})
    assert nul.status_code == 422 and nul.json()["code"] == "validation_error"


# --- pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("limit", "status"), [(0, 422), (1, 200), (500, 200), (501, 422)])
def test_limit_is_bounded(client, tsukuba, limit, status):
    assert client.get("/api/v1/indicators", {"limit": limit}).status_code == status


def test_pages_link_to_each_other(client, tsukuba):
    first = client.get("/api/v1/indicators", {"limit": 2, "level": "outcome_kpi"}).json()
    assert first["count"] == 4 and len(first["results"]) == 2 and first["previous"] is None
    assert first["next"].startswith("http://testserver/api/v1/indicators?")
    assert "level=outcome_kpi" in first["next"] and "offset=2" in first["next"]
    second = client.get(first["next"]).json()
    assert second["next"] is None and "offset=0" in second["previous"]
    assert {r["code"] for r in first["results"]}.isdisjoint(r["code"] for r in second["results"])
    beyond = client.get("/api/v1/indicators", {"offset": 100}).json()
    assert beyond["results"] == [] and beyond["next"] is None and beyond["previous"]
    assert client.get("/api/v1/indicators", {"offset": -1}).status_code == 422


# --- ETags ---------------------------------------------------------------------------------


def test_etag_round_trip(client, world):
    first = client.get("/api/v1/events")
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"') and first["Cache-Control"] == "public, max-age=60"
    again = client.get("/api/v1/events", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert client.get("/api/v1/events", HTTP_IF_NONE_MATCH=f'W/{etag}, "x"').status_code == 304
    # A change to what the answer shows changes the tag.
    event = world["event"]
    event.capacity += 1
    event.save()
    changed = client.get("/api/v1/events", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_answers_to_signed_in_browsers_are_private(client, users, world):
    client.force_login(users["officer"])
    response = client.get("/api/v1/events")
    assert response.status_code == 200 and response["Cache-Control"] == "private, max-age=60"


def test_answers_to_tokens_are_private(client, world):
    _t, raw = token(scopes=["registry:read"])
    response = client.get("/api/v1/staff/businesses", **bearer(raw))
    assert response["Cache-Control"] == "private, no-cache"
    assert "Authorization" in response["Vary"]
    again = client.get(
        "/api/v1/staff/businesses", HTTP_IF_NONE_MATCH=response["ETag"], **bearer(raw)
    )
    assert again.status_code == 304
    # Errors are not cached.
    assert "ETag" not in client.get("/api/v1/events/999999")


# --- events, calls, certified products ------------------------------------------------------


def test_events_show_seats_but_no_people(client, world):
    from sangyo.events.services import registration_create

    event = world["event"]
    for n in range(2):
        registration_create(
            event=event, name=f"合成 参加者{n}", email=f"p{n}@example.test", actor="public"
        )
    rows = {e["id"]: e for e in client.get("/api/v1/events").json()["results"]}
    row = rows[event.pk]
    assert row["capacity"] == 5 and row["seats_left"] == 3 and row["registration_open"]
    assert world["past_event"].pk not in rows
    assert "p0@example.test" not in client.get("/api/v1/events").content.decode()
    past = client.get("/api/v1/events", {"when": "past"}).json()["results"]
    assert [e["id"] for e in past] == [world["past_event"].pk]
    assert client.get(f"/api/v1/events/{world['past_event'].pk}").status_code == 200
    fy = (
        world["event"].starts_at.year
        if world["event"].starts_at.month >= 4
        else world["event"].starts_at.year - 1
    )
    assert client.get("/api/v1/events", {"fiscal_year": fy}).json()["count"] >= 1


def test_calls_hide_drafts_and_filter_by_status(client, world):
    from sangyo.applications.models import Call
    from sangyo.applications.tests import factories as f

    draft = f.open_call(world["program"], status=Call.Status.DRAFT)
    closed = f.open_call(world["program"], status=Call.Status.CLOSED)
    ids = {c["id"]: c for c in client.get("/api/v1/calls").json()["results"]}
    assert draft.pk not in ids and ids[world["call"].pk]["status"] == "open"
    assert ids[closed.pk]["status"] == "closed"
    open_ids = [c["id"] for c in client.get("/api/v1/calls", {"status": "open"}).json()["results"]]
    assert world["call"].pk in open_ids and closed.pk not in open_ids
    assert client.get(f"/api/v1/calls/{draft.pk}").status_code == 404


def test_certified_products_only_while_valid(client, world):
    product = world["product"]
    rows = client.get("/api/v1/certified-products").json()["results"]
    assert [p["id"] for p in rows] == [product.pk]
    assert rows[0]["name"] == {"ja": "合成データ筑波うどん", "en": "Synthetic Tsukuba udon"}
    product.valid_until = datetime.date.today() - datetime.timedelta(days=2)
    product.save()
    assert client.get("/api/v1/certified-products").json()["count"] == 0
    assert client.get(f"/api/v1/certified-products/{product.pk}").status_code == 404


# --- rate limit -------------------------------------------------------------------------------


def test_rate_limit_answers_429_in_the_error_shape(client, settings, tsukuba):
    from django.core.cache import cache

    cache.clear()
    settings.SANGYO_RATELIMITS = {"api": "2/m"}
    assert client.get("/api/v1/strategies").status_code == 200
    assert client.get("/api/v1/strategies").status_code == 200
    response = client.get("/api/v1/strategies")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert int(response["Retry-After"]) >= 1
    cache.clear()


def test_a_request_without_a_client_address_is_still_answered(client, tsukuba):
    assert client.get("/api/v1/strategies", REMOTE_ADDR="").status_code == 200


# --- queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "scope"),
    [
        ("/api/v1/events", None),
        ("/api/v1/calls", None),
        ("/api/v1/certified-products", None),
        ("/api/v1/staff/businesses", "registry:personal"),
        ("/api/v1/staff/support-records", "support_records:read"),
        ("/api/v1/staff/applications", "applications:read"),
    ],
)
def test_lists_run_the_same_queries_whatever_the_size(client, tsukuba, url, scope):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sangyo.integrations.tests.factories import certified_product

    headers = {}
    if scope:
        scopes = ["registry:read", scope] if scope.startswith("registry") else [scope]
        headers = bearer(token(scopes=scopes)[1])

    def count():
        api_world(tsukuba)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"when": "all"}, **headers).status_code == 200
        return len(ctx.captured_queries)

    count()  # the token's first use writes last_used_at; later uses within minutes do not
    small = count()
    for n in range(3):
        certified_product(tsukuba, name=f"合成データ追加品{n}")
    assert count() == small

"""Property-based tests of the whole API against its own OpenAPI document (schemathesis).

The document is loaded from the running app (`/api/v1/openapi.json`), and every operation,
the staff ones included (with a bearer token holding every scope), is called with requests
generated from it, in a test database holding one of each thing the API shows. Each answer
must not be a server error, must use a documented status code and content type, and must
match the documented schema. Generation is derandomised, so a failure reproduces.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 8


@pytest.fixture
def wsgi_app(settings):
    """The project's WSGI app, sharing the test's database transaction: Django would close
    the connection at the end of each request (as its own test client also prevents)."""
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    settings.ALLOWED_HOSTS = ["*"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _known_ids(world) -> dict[str, dict]:
    """Path parameters naming rows that exist, per path, so 200 answers are tested too."""
    return {
        "/api/v1/strategies/{code}": {"code": "tsukuba-2025"},
        "/api/v1/indicators/{indicator_id}": {"indicator_id": world["indicator"].pk},
        "/api/v1/programs/{program_id}": {"program_id": world["program"].pk},
        "/api/v1/calls/{call_id}": {"call_id": world["call"].pk},
        "/api/v1/certified-products/{product_id}": {"product_id": world["product"].pk},
        "/api/v1/events/{event_id}": {"event_id": world["event"].pk},
        "/api/v1/evaluation/{fy}": {"fy": 2025},
        "/api/v1/matching/postings/{pk}": {"pk": world["posting"].pk},
        "/api/v1/matching/properties/{pk}": {"pk": world["property"].pk},
        "/api/v1/matching/jobs/{pk}": {"pk": world["job"].pk},
        "/api/v1/staff/businesses/{business_id}": {"business_id": world["business"].pk},
        "/api/v1/staff/indicators/{indicator_id}/observations/{fiscal_year}": {
            "indicator_id": world["indicator"].pk,
            "fiscal_year": 2025,
        },
    }


def _examples(strategy, headers, statuses: set[int]):
    """A Hypothesis test over one operation's generated requests."""

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        statuses.add(response.status_code)

    return run


@pytest.mark.django_db
def test_every_operation_conforms_to_the_schema(wsgi_app, tsukuba):
    from sangyo.indicators.models import Indicator
    from sangyo.integrations.tests.factories import api_world, token

    world = api_world(tsukuba)
    world["indicator"] = Indicator.objects.get(strategy=tsukuba, code="gross-municipal-product")
    _token, raw = token()
    auth = {"Authorization": f"Bearer {raw}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    known = _known_ids(world)

    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    seen: dict[str, set[int]] = {}
    for operation in operations:
        strategies = [operation.as_strategy()]
        if operation.path in known:
            strategies.append(operation.as_strategy(path_parameters=known[operation.path]))
        if operation.method == "post" and operation.path == "/api/v1/staff/support-records":
            body = {
                "business_id": world["business"].pk,
                "program": world["program"].code,
                "date": "2025-06-30",
                "kind": "consultation",
                "external_id": "schemathesis-1",
            }
            strategies.append(operation.as_strategy(body=body))
        key = f"{operation.method.upper()} {operation.path}"
        headers = auth if operation.path.startswith("/api/v1/staff/") else None
        for strategy in strategies:
            _examples(strategy, headers, seen.setdefault(key, set()))()
    # Every operation answered successfully at least once (so the token and the known rows
    # did their part, and the checks saw real bodies), not only with errors.
    unsuccessful = {k: sorted(v) for k, v in seen.items() if not v & {200, 201}}
    assert not unsuccessful, unsuccessful
    assert len(seen) == len(operations)

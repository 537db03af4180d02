"""Walk every URL with every role and check who may see what.

The table below must name every URL pattern of the project: adding a URL without deciding
who may see it makes `test_every_url_is_in_the_matrix` fail. Forbidden pages answer 404 (so
they cannot be told from missing ones); anonymous users are sent to log in (302).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ROLES = ("anon", "business", "viewer", "reviewer", "officer", "admin")
PUBLIC = dict.fromkeys(ROLES, 200)


def staff_only(*allowed):
    return {r: (302 if r == "anon" else 200 if r in allowed else 404) for r in ROLES}


# name → (method, path, {role: status}); a path may be a function of the `objects` fixture
# for URLs that name a record.
MATRIX = {
    "home": ("get", "/", PUBLIC),
    "strategy:tree": ("get", "/strategy/", PUBLIC),
    "strategy:vision": ("get", "/strategy/visions/I/", PUBLIC),
    "strategy:measure": ("get", "/strategy/measures/01/", PUBLIC),
    "strategy:ordinance": ("get", "/strategy/ordinance/", PUBLIC),
    "strategy:situation": ("get", "/strategy/situation/", PUBLIC),
    "strategies:list": ("get", "/strategies/", PUBLIC),
    "strategies_by_code:tree": ("get", "/strategies/tsukuba-2025/", PUBLIC),
    "strategies_by_code:vision": ("get", "/strategies/tsukuba-2025/visions/II/", PUBLIC),
    "strategies_by_code:measure": ("get", "/strategies/tsukuba-2025/measures/17/", PUBLIC),
    "strategies_by_code:ordinance": ("get", "/strategies/tsukuba-2025/ordinance/", PUBLIC),
    "strategies_by_code:situation": ("get", "/strategies/tsukuba-2025/situation/", PUBLIC),
    "staff_home": ("get", "/staff/", staff_only("viewer", "reviewer", "officer", "admin")),
    "audit_log": ("get", "/staff/audit/", staff_only("officer", "admin")),
    # A job is visible to whoever started it (here the officer) and to administrators.
    "job_detail": ("get", lambda o: f"/staff/jobs/{o['job'].pk}/", staff_only("officer", "admin")),
    "accounts:login": ("get", "/accounts/login/", PUBLIC),
    # Logging out is a POST; a GET is refused for everyone.
    "accounts:logout": ("get", "/accounts/logout/", dict.fromkeys(ROLES, 405)),
    "set_language": ("post", "/i18n/setlang/", dict.fromkeys(ROLES, 302)),
    "healthz": ("get", "/healthz", PUBLIC),
    "api:current_strategy": ("get", "/api/v1/strategy", PUBLIC),
    "api:list_strategies": ("get", "/api/v1/strategies", PUBLIC),
    "api:strategy_by_code": ("get", "/api/v1/strategies/tsukuba-2025", PUBLIC),
    "api:openapi-json": ("get", "/api/v1/openapi.json", PUBLIC),
    "api:openapi-view": ("get", "/api/v1/docs", PUBLIC),
    # The bare prefix has no content of its own.
    "api:api-root": ("get", "/api/v1/", dict.fromkeys(ROLES, 404)),
    # Django's admin: only the admin role gets in; everyone else is sent to its login.
    "admin:index": ("get", "/admin/", {**dict.fromkeys(ROLES, 302), "admin": 200}),
}

# URL families checked through one representative entry above: the admin's many generated
# pages all share the admin's own permission check (is_staff follows the admin role).
COVERED_PREFIXES = ("admin:",)


def _names(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _names(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name


def test_every_url_is_in_the_matrix():
    names = set(_names(get_resolver()))
    missing = sorted(n for n in names if n not in MATRIX and not n.startswith(COVERED_PREFIXES))
    assert not missing, f"URLs without an access rule in MATRIX: {missing}"
    stale = sorted(set(MATRIX) - names)
    assert not stale, f"MATRIX names URLs that no longer exist: {stale}"


@pytest.fixture
def objects(tsukuba, users):
    from sangyo.core.models import Job

    return {"job": Job.objects.create(kind="test.kind", created_by=users["officer"])}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(name, client, tsukuba, users, objects):
    method, path, expected = MATRIX[name]
    path = path(objects) if callable(path) else path
    for role in ROLES:
        client.logout()
        if role != "anon":
            client.force_login(users[role])
        response = getattr(client, method)(path)
        assert response.status_code == expected[role], (
            f"{role} {method.upper()} {path}: got {response.status_code}, expected {expected[role]}"
        )

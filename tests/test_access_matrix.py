"""Walk every URL and API operation with every role and check who may do what.

The rules in tests/access_rules/*.py must name every URL pattern of the project and every
operation (method + path) of the OpenAPI schema: adding a URL or an API operation without
deciding who may use it makes `test_every_url_is_in_the_matrix` or
`test_every_api_operation_is_in_the_matrix` fail. Forbidden pages answer 404 (so they cannot
be told from missing ones); anonymous users are sent to log in (302).

Speed: the records the rules refer to are made once per run of this module (inside one
transaction that is rolled back at the end); each URL's test runs in a savepoint of it, so
what one URL's POST changes never leaks into another URL's test.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re

import pytest
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver

import tests.access_rules as access_rules
from tests.access_rules import ROLES

MODULES = [
    importlib.import_module(f"tests.access_rules.{m.name}")
    for m in pkgutil.iter_modules(access_rules.__path__)
]
MATRIX = {name: rule for module in MODULES for name, rule in module.RULES.items()}

# URL families checked through one representative entry: the admin's many generated pages
# all share the admin's own permission check (is_staff follows the admin role).
COVERED_PREFIXES = ("admin:",)


def url_name(key: str) -> str:
    """A rule's URL name: its key up to an optional "|<method>" suffix, which lets one URL
    have a rule per method (an API path with GET and POST operations)."""
    return key.partition("|")[0]


def _names(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _names(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name


def coverage(resolver, matrix) -> tuple[list[str], list[str]]:
    """(URL names without a rule, rules naming no URL)."""
    names = set(_names(resolver))
    ruled = {url_name(k) for k in matrix}
    missing = sorted(n for n in names if n not in ruled and not n.startswith(COVERED_PREFIXES))
    stale = sorted(ruled - names)
    return missing, stale


def api_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation in the API's OpenAPI schema."""
    from sangyo.api import api

    schema = api.get_openapi_schema()
    methods = {"get", "post", "put", "patch", "delete"}
    return sorted(
        (method, path)
        for path, item in schema["paths"].items()
        for method in item
        if method in methods
    )


def _routes(resolver, route="", ns=""):
    """(route, URL name) of every named pattern, the route joined from its prefixes."""
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from _routes(p, route + str(p.pattern), inner)
        elif isinstance(p, URLPattern) and p.name:
            yield route + str(p.pattern), ns + p.name


def _shape(route: str) -> str:
    """A route with its parameters blanked: `api/v1/x/<pk>` and `/api/v1/x/{pk}` agree."""
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", route.strip("^$/"))


def api_coverage(operations, matrix, resolver=None) -> list[str]:
    """Operations of the schema that no rule covers. A rule covers an operation when it uses
    the operation's method and names a URL pattern of the operation's path (django-ninja
    makes one pattern per operation name, several on a path with several methods)."""
    names_of: dict[str, set[str]] = {}
    for route, name in _routes(resolver or get_resolver()):
        names_of.setdefault(_shape(route), set()).add(name)
    ruled = {(url_name(k), rule[0]) for k, rule in matrix.items()}
    missing = []
    for method, path in operations:
        names = names_of.get(_shape(path))
        if not names:
            missing.append(f"{method.upper()} {path} (no URL pattern)")
        elif not any((name, method) in ruled for name in names):
            missing.append(f"{method.upper()} {path} ({', '.join(sorted(names))})")
    return missing


def test_rules_name_every_role():
    bad = sorted(k for k, (_m, _p, expected) in MATRIX.items() if set(expected) != set(ROLES))
    assert not bad, f"rules that do not decide every role {ROLES}: {bad}"


def test_every_url_is_in_the_matrix():
    missing, stale = coverage(get_resolver(), MATRIX)
    assert not missing, f"URLs without an access rule in tests/access_rules: {missing}"
    assert not stale, f"access rules name URLs that no longer exist: {stale}"


def test_every_api_operation_is_in_the_matrix():
    operations = api_operations()
    assert operations, "the OpenAPI schema lists no operation"
    missing = api_coverage(operations, MATRIX)
    assert not missing, f"API operations without an access rule in tests/access_rules: {missing}"


# --- the checks above can fail ---------------------------------------------------------


def test_coverage_reports_a_url_without_a_rule():
    """A URL added without a rule is reported by name (and a rule for a URL that went away
    is reported as stale)."""
    from django.http import HttpResponse
    from django.urls import include, path

    def view(request):
        return HttpResponse("")  # pragma: no cover

    patterns = [
        path("", include(get_resolver().url_patterns)),
        path("matrix-self-test/", view, name="matrix_self_test"),
        path(
            "matrix-ns/",
            include(([path("x/", view, name="inner")], "matrix_ns")),
        ),
    ]
    urlconf = type("urlconf", (), {"urlpatterns": patterns})
    missing_before, stale_before = coverage(get_resolver(), MATRIX)
    missing, stale = coverage(get_resolver(urlconf), MATRIX)
    assert sorted(set(missing) - set(missing_before)) == ["matrix_ns:inner", "matrix_self_test"]
    assert stale == stale_before

    _missing, stale = coverage(get_resolver(), MATRIX | {"gone:page": ("get", "/gone/", {})})
    assert sorted(set(stale) - set(stale_before)) == ["gone:page"]


def test_api_coverage_reports_an_operation_without_a_rule():
    """A POST on an API path whose GET has a rule is still reported, and so is a new path."""
    operations = api_operations()
    _method, api_path = next(op for op in operations if op[0] == "get")
    extra = [("post", api_path), ("get", "/api/v1/matrix-self-test/{id}")]
    before = set(api_coverage(operations, MATRIX))
    added = sorted(set(api_coverage(operations + extra, MATRIX)) - before)
    assert len(added) == 2, added
    assert added[0] == "GET /api/v1/matrix-self-test/{id} (no URL pattern)"
    assert added[1].startswith(f"POST {api_path} (api:")


# --- walking the matrix ----------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tsukuba_doc):
    """Users of every role and the records of every module, made once for this module."""
    from sangyo.accounts.models import User
    from sangyo.registry.models import Business
    from sangyo.strategy.services import strategy_load
    from tests.access_rules import other_business, owner_business

    django_db_blocker.unblock()
    outer = transaction.atomic()
    outer.__enter__()
    try:
        tsukuba = strategy_load(doc=tsukuba_doc, actor="test", source_sha256="test").strategy
        users = {
            role: User.objects.create_user(
                email=f"{role}@example.test",
                password="correct horse battery",
                role="business" if role in ("other_business", "proxy") else role,
            )
            for role in ROLES
            if role != "anon"
        }
        owner_business(users)
        other_business(users)
        objects = {}
        for module in MODULES:
            if hasattr(module, "objects"):
                objects |= module.objects(users, tsukuba)
        users["owned_names"] = sorted(
            Business.objects.filter(memberships__user=users["business"]).values_list(
                "name", flat=True
            )
        )
    except BaseException:
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
        django_db_blocker.restore()
        raise
    django_db_blocker.restore()
    yield users, objects
    django_db_blocker.unblock()
    transaction.set_rollback(True)
    outer.__exit__(None, None, None)
    django_db_blocker.restore()


def _request(client, users, role, method, path, data=None):
    """One request as `role`, in a savepoint rolled back afterwards: every role meets the
    records as `objects()` made them (a POST by one role cannot change what the next
    finds)."""
    with transaction.atomic():
        client.logout()
        if role != "anon":
            client.force_login(users[role])
        response = getattr(client, method)(path, data)
        transaction.set_rollback(True)
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(name, client, world):
    users, objects = world
    method, path, expected = MATRIX[name]
    path = path(objects) if callable(path) else path
    wrong = []
    for role in ROLES:
        response = _request(client, users, role, method, path)
        if response.status_code != expected[role]:
            wrong.append(f"{role}: got {response.status_code}, expected {expected[role]}")
        elif role == "other_business" and response.status_code == 200 and expected["anon"] != 200:
            # A page for business accounts shows another business nothing of the owner's.
            body = b"".join(response) if response.streaming else response.content
            text = body.decode("utf-8", "replace")
            leaked = [n for n in users["owned_names"] if n in text]
            if leaked:
                wrong.append(f"other_business sees the owner's records: {leaked}")
    assert not wrong, f"{method.upper()} {path}: " + "; ".join(wrong)


@functools.cache
def _state_sql() -> str:
    tables = sorted(
        t for t in connection.introspection.table_names() if t not in ("django_session",)
    )
    q = connection.ops.quote_name
    return " UNION ALL ".join(f"SELECT {i}, COUNT(*) FROM {q(t)}" for i, t in enumerate(tables))


def _state() -> tuple:
    """A cheap fingerprint of what a refused request must not change: the number of rows in
    every table but sessions (logging in writes one), in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_state_sql())
        return tuple(sorted(cursor.fetchall()))


def _is_login(location: str) -> bool:
    from urllib.parse import urlsplit

    from django.urls import Resolver404, resolve

    try:
        return resolve(urlsplit(location).path).view_name in ("accounts:login", "admin:login")
    except Resolver404:
        return False


def _refused(role, status) -> bool:
    return status == 404 or (role == "anon" and status == 302)


GET_PAGES = sorted(
    k
    for k, (method, _p, expected) in MATRIX.items()
    if method == "get" and any(_refused(r, s) for r, s in expected.items())
)


@pytest.mark.django_db
@pytest.mark.parametrize("name", GET_PAGES)
def test_refused_roles_cannot_post(name, client, world):
    """A page refused to a role by GET is refused by POST too (a view that takes POST must
    check before acting), and the refused POST changes nothing."""
    users, objects = world
    _method, path, expected = MATRIX[name]
    path = path(objects) if callable(path) else path
    wrong = []
    for role, status in expected.items():
        if not _refused(role, status):
            continue
        with transaction.atomic():
            client.logout()
            if role != "anon":
                client.force_login(users[role])
            before = _state()
            response = client.post(path, {"confirm": "1"})
            changed = _state() != before
            transaction.set_rollback(True)
        if changed:
            wrong.append(f"{role}: a refused POST changed the database")
        if response.status_code == 405:
            continue
        if response.status_code != status:
            wrong.append(f"{role}: got {response.status_code}, expected {status} or 405")
        elif status == 302 and not _is_login(response["Location"]):
            wrong.append(f"{role}: redirected to {response['Location']}, not to log in")
    assert not wrong, f"POST {path}: " + "; ".join(wrong)

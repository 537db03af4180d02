"""Walk every URL with every role and check who may see what.

The rules in tests/access_rules/*.py must name every URL pattern of the project: adding a
URL without deciding who may see it makes `test_every_url_is_in_the_matrix` fail. Forbidden
pages answer 404 (so they cannot be told from missing ones); anonymous users are sent to log
in (302).
"""

import importlib
import pkgutil

import pytest
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
    assert not missing, f"URLs without an access rule in tests/access_rules: {missing}"
    stale = sorted(set(MATRIX) - names)
    assert not stale, f"access rules name URLs that no longer exist: {stale}"


@pytest.fixture
def objects(tsukuba, users):
    found = {}
    for module in MODULES:
        if hasattr(module, "objects"):
            found |= module.objects(users, tsukuba)
    return found


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

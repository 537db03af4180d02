"""Fixtures shared by every app's tests."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Property tests outside tests/fuzz (which sets its own profiles per test) run on a shared
# 2-core CI machine beside browser tests: timing is not what they test, so neither a
# per-example deadline nor the "generation is slow" health check may fail them.
hypothesis_settings.register_profile(
    "sangyo", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("sangyo")

ROOT = Path(__file__).resolve().parent
TSUKUBA_FILE = ROOT / "strategies" / "tsukuba-2025.yaml"
SEED_FILE = ROOT.parent / "shared" / "seeds" / "000_4c8ec9d301475a13.txt"

ROLES = ("admin", "officer", "reviewer", "viewer", "business")


@pytest.fixture(scope="session")
def tsukuba_doc():
    from sangyo.strategy.schema import parse_strategy_file

    return parse_strategy_file(TSUKUBA_FILE)


@pytest.fixture
def tsukuba(db, tsukuba_doc):
    """The Tsukuba strategy loaded into the test database (and current)."""
    from sangyo.strategy.services import strategy_load

    return strategy_load(doc=tsukuba_doc, actor="test", source_sha256="test").strategy


@pytest.fixture
def make_user(db):
    from sangyo.accounts.models import User

    def make(role: str = "business", email: str | None = None, **extra):
        return User.objects.create_user(
            email=email or f"{role}@example.test",
            password="correct horse battery",
            role=role,
            **extra,
        )

    return make


@pytest.fixture
def users(make_user):
    """One active user per role, keyed by role name."""
    return {role: make_user(role) for role in ROLES}

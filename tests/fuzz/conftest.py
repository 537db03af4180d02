"""The fuzz suite's hypothesis profiles are registered in tests/fuzz/common.py and applied per
test (never loaded globally, so the rest of the test suite keeps its own settings)."""

from tests.fuzz import common  # noqa: F401  (registers the profiles)

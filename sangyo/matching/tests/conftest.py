import pytest


@pytest.fixture(autouse=True)
def _fresh_suggestion_index():
    """Each test starts with no in-memory index: the database is rolled back between tests,
    so an index kept from an earlier test would describe postings that no longer exist."""
    from sangyo.matching.selectors import reset_indexes

    reset_indexes()
    yield
    reset_indexes()

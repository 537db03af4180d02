import pytest


@pytest.fixture
def navigator(tsukuba):
    """The Tsukuba strategy with its program details, the needs→measures mapping and the
    synonyms, and the synthetic outside programs (no search index: see `indexed`)."""
    from sangyo.applications.tests.factories import load_programs
    from sangyo.navigator import services

    details = load_programs()
    services.needs_load_file(actor="test")
    services.outside_import(raw=services.SAMPLE_FILE.read_bytes(), actor="test", is_synthetic=True)
    return {"strategy": tsukuba, "details": details}


@pytest.fixture
def indexed(navigator):
    """`navigator` with the search index built."""
    from sangyo.navigator import search

    search.rebuild()
    return navigator


@pytest.fixture(autouse=True)
def _fresh_synonym_cache():
    """Rolled-back test data sends no signals: start every test with no cached synonyms."""
    from sangyo.navigator.search import forget_synonyms

    forget_synonyms()
    yield
    forget_synonyms()

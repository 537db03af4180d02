"""Shared pieces of the fuzz suite: hypothesis profiles, input strategies and the property
every parser must keep ("a valid result, or the declared error with a clear message").

Profiles (see docs/fuzzing.md):

* "ci" (default): derandomised, so a run is repeatable; the suite takes well under a minute.
* "deep": random and many more examples; select with HYPOTHESIS_PROFILE=deep.

They are applied per test with ``@fuzz()`` / ``@fuzz(db=True)`` rather than loaded globally, so
the rest of the test suite keeps its own hypothesis settings.
"""

from __future__ import annotations

import contextlib
import os
import re

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

_SUPPRESS = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.filter_too_much,
    HealthCheck.function_scoped_fixture,
    HealthCheck.large_base_example,
]
settings.register_profile(
    "fuzz-ci", derandomize=True, max_examples=60, deadline=None, suppress_health_check=_SUPPRESS
)
settings.register_profile(
    "fuzz-deep", max_examples=3000, deadline=None, suppress_health_check=_SUPPRESS
)
PROFILE = "deep" if os.environ.get("HYPOTHESIS_PROFILE") == "deep" else "ci"
_BASE = settings.get_profile(f"fuzz-{PROFILE}")
SCALE = 50 if PROFILE == "deep" else 1


def fuzz(max_examples: int | None = None, *, db: bool = False):
    """Settings for one fuzz test. Database tests run fewer examples (each one writes)."""
    n = max_examples or (25 if db else _BASE.max_examples)
    if PROFILE == "deep":
        n = max(n * SCALE // (5 if db else 1), _BASE.max_examples if not db else n)
    return settings(_BASE, max_examples=n)


# --------------------------------------------------------------------------- inputs

# Characters that break parsers: separators and quotes of CSV, NUL and control characters,
# BOM and zero-width characters, full-width digits and letters, half-width kana, dash
# look-alikes, kanji outside CP932, surrogate-free emoji, and a few era letters.
NASTY_CHARS = (
    ",\"'\r\n\t\x00\x1a\x7f\ufeff\u200b\u3000 ;:=-+.#[]{}()&*!|>%@`~\\/"
    "０１２３４５６７８９ＡＢＣ－ー―‐−〜～ｱｶﾞﾝ①②㈱㍻㋿元年月日令和平成昭和大正明治RHSTM"
    "𠮷髙﨑😀é\u0301"
)
nasty_text = st.text(
    alphabet=st.one_of(st.sampled_from(NASTY_CHARS), st.characters(codec="utf-8")),
    max_size=60,
)
any_text = st.text(max_size=200)

ENCODINGS = ("utf-8", "utf-8-sig", "cp932", "utf-16", "shift_jis", "euc_jp", "latin-1")


@st.composite
def encoded(draw, text_strategy=nasty_text):
    """Text encoded the ways files arrive (characters an encoding cannot hold are replaced)."""
    text = draw(text_strategy)
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace")


def any_bytes(max_size: int = 400):
    return st.one_of(st.binary(max_size=max_size), encoded())


def assert_clear(message: str) -> None:
    """A message a person can act on: non-empty, not a bare Python repr or traceback."""
    assert message and message.strip(), "empty error message"
    assert "Traceback" not in message
    assert not re.fullmatch(r"[A-Za-z]+Error.*", message.strip()), message


def has_japanese(text: str) -> bool:
    return bool(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text))


@contextlib.contextmanager
def rolled_back():
    """Run one hypothesis example in a savepoint that is rolled back afterwards, so examples
    of a database test do not see each other's writes."""
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)

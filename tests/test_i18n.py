"""The English catalogue is complete and its placeholders match the Japanese originals."""

import re
from pathlib import Path

import polib
import pytest

PO = Path(__file__).resolve().parent.parent / "sangyo/locale/en/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\{\s*(\w+)\s*\}\}|%[sd]")


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(PO))


def test_every_ui_string_has_an_english_translation(catalogue):
    missing = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    assert not missing, f"untranslated: {missing[:10]} (+{max(0, len(missing) - 10)})"
    assert not fuzzy, f"fuzzy (needs review): {fuzzy[:10]}"


def test_placeholders_survive_translation(catalogue):
    for entry in catalogue:
        if not entry.translated() or entry.msgid_plural:
            continue
        assert sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(
            PLACEHOLDER.findall(entry.msgstr)
        ), entry.msgid


def test_compiled_catalogue_is_up_to_date(catalogue):
    mo = PO.with_suffix(".mo")
    assert mo.exists(), "run `make compile-messages`"
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(mo))}
    stale = [e.msgid for e in catalogue if e.translated() and compiled.get(e.msgid) != e.msgstr]
    assert not stale, (
        f"django.mo is older than django.po: {stale[:5]} — run `make compile-messages`"
    )

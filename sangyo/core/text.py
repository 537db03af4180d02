"""Japanese text normalisation for matching and for storing furigana.

The same name reaches the system in many spellings: ｶﾌﾞｼｷｶﾞｲｼｬ from an old CSV, ＡＢＣ typed
in full-width, サーバ－ with a full-width minus instead of the long-vowel mark, ひらがな in a
search box for a name stored in カタカナ. Matching must treat these as equal, but what is shown
to users must stay as they typed it: so `normalize_for_match` builds comparison keys only,
and is never used to overwrite stored text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from jaconv.conv_table import H2K_TABLE, K2H_TABLE

# ー is not in this set: it only counts as a long-vowel mark when a real kana precedes it.
_KANA = r"\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fd\u30fe\u31f0-\u31ff"
# Dash look-alikes (after NFKC, which already turns ｰ into ー and － into -).
_DASHES = r"\-\u2010-\u2015\u2212\u2500\u2501\u30fc"
_DASH_RUN = re.compile(rf"([{_KANA}]?)([{_DASHES}]+)")
# A dash that _unify_dashes would change: any look-alike but ー, or a ー not preceded by kana
# or by another ー (a run of ー after kana stays as it is). Most text has none, and one
# search is far cheaper than a substitution with a callback for every ー of every データ.
_ODD_DASH = re.compile(rf"[{_DASHES.replace(chr(0x30FC), '')}]|(?<![{_KANA}\u30fc])\u30fc")
# Invisible characters that survive copy-and-paste from PDFs and web pages.
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")


# jaconv's tables without their identity entries (、。・ー map to themselves), and the
# characters they change: str.translate looks up every character of a string in the table,
# so a string without any of them is left alone after one regex search.
_K2H = {k: v for k, v in K2H_TABLE.items() if chr(k) != v}
_H2K = {k: v for k, v in H2K_TABLE.items() if chr(k) != v}
# The same mapping as a table indexed by code point (the whole Basic Multilingual Plane;
# characters beyond it raise IndexError, a LookupError, which str.translate reads as "keep"):
# a third faster than the dict on long texts, as it needs no hashing.
_K2H_BMP = "".join(_K2H.get(i, chr(i)) for i in range(0x10000))
_HAS_KATA = re.compile("[" + "".join(map(chr, sorted(_K2H))) + "]")
_HAS_HIRA = re.compile("[" + "".join(map(chr, sorted(_H2K))) + "]")


def _kata2hira(s: str) -> str:
    """jaconv.kata2hira(s), with the common case (no katakana) free."""
    return s.translate(_K2H_BMP) if _HAS_KATA.search(s) else s


def _hira2kata(s: str) -> str:
    """jaconv.hira2kata(s), with the common case (no hiragana) free."""
    return s.translate(_H2K) if _HAS_HIRA.search(s) else s


def _unify_dashes(s: str) -> str:
    # A dash after kana is a long-vowel mark (サーバー); anywhere else it is a hyphen (TX-1).
    if not _ODD_DASH.search(s):
        return s
    return _DASH_RUN.sub(_dash_repl, s)


def _dash_repl(m: re.Match[str]) -> str:
    kana, dashes = m.groups()
    return kana + ("ー" if kana else "-") * len(dashes)


def _fold_width(s: str) -> str:
    return unicodedata.normalize("NFKC", _INVISIBLE.sub("", s))


def normalize_for_match(s: str) -> str:
    """Comparison key: equal keys mean "the same text as far as a person is concerned".

    1. NFKC: full-width letters and digits → ASCII, half-width katakana → full-width, ㈱ → (株).
    2. casefold: ABC = abc (and ß = ss).
    3. katakana → hiragana (jaconv): カブシキガイシャ = かぶしきがいしゃ.
    4. dashes: after kana every dash look-alike becomes ー, elsewhere -, so サーバ－ = サーバー
       and ＴＸ―１ = tx-1; a stray ー between digits (an IME habit) also becomes -.
    5. whitespace (including U+3000) collapsed to one space and trimmed; invisible characters
       (zero-width space, BOM) dropped.
    """
    s = _fold_width(s)
    s = unicodedata.normalize("NFKC", s.casefold())
    s = _kata2hira(s)
    s = _unify_dashes(s)
    return " ".join(s.split())


# Joins the texts of normalize_many_for_match. NUL is a starter that composes with nothing
# (NFKC never reorders or joins across it), casefold and the kana table leave it alone, and it
# is neither kana nor a dash nor whitespace: every step treats the texts on each side of it
# exactly as it would treat them apart.
_SEP = "\x00"


def normalize_many_for_match(texts: Sequence[str]) -> list[str]:
    """[normalize_for_match(t) for t in texts], computed over all of them at once.

    Each step of normalize_for_match is one call into C whatever the length of the text, so
    for many short texts (a 国税庁 file's 80,000 names and addresses) the per-call overhead is
    most of the cost; here each step runs once over the joined texts instead. A text that
    holds the separator itself is normalised on its own (the result is the same).
    """
    if not texts:
        return []
    joined = _SEP.join(texts)
    if joined.count(_SEP) != len(texts) - 1:
        return [normalize_for_match(t) for t in texts]
    s = unicodedata.normalize("NFKC", _INVISIBLE.sub("", joined))
    s = unicodedata.normalize("NFKC", s.casefold())
    s = _DASH_RUN.sub(_dash_repl, s.translate(_K2H_BMP))
    return [" ".join(part.split()) for part in s.split(_SEP)]


def normalize_kana(s: str) -> str:
    """Furigana for storage: full-width katakana, as in 国税庁 and gBizINFO data.

    Hiragana and half-width katakana become full-width katakana, dashes after kana become ー,
    and whitespace collapses to one full-width space (the usual separator between family and
    given name). Other characters (・, letters) are kept after width folding; this function
    normalises but does not validate.
    """
    s = _hira2kata(_fold_width(s))
    s = _unify_dashes(s)
    return "\u3000".join(s.split())

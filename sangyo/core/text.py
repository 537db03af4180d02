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

import jaconv

# ー is not in this set: it only counts as a long-vowel mark when a real kana precedes it.
_KANA = r"\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fd\u30fe\u31f0-\u31ff"
# Dash look-alikes (after NFKC, which already turns ｰ into ー and － into -).
_DASHES = r"\-\u2010-\u2015\u2212\u2500\u2501\u30fc"
_DASH_RUN = re.compile(rf"([{_KANA}]?)([{_DASHES}]+)")
# Invisible characters that survive copy-and-paste from PDFs and web pages.
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")


def _unify_dashes(s: str) -> str:
    # A dash after kana is a long-vowel mark (サーバー); anywhere else it is a hyphen (TX-1).
    def repl(m: re.Match[str]) -> str:
        kana, dashes = m.groups()
        return kana + ("ー" if kana else "-") * len(dashes)

    return _DASH_RUN.sub(repl, s)


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
    s = jaconv.kata2hira(s)
    s = _unify_dashes(s)
    return " ".join(s.split())


def normalize_kana(s: str) -> str:
    """Furigana for storage: full-width katakana, as in 国税庁 and gBizINFO data.

    Hiragana and half-width katakana become full-width katakana, dashes after kana become ー,
    and whitespace collapses to one full-width space (the usual separator between family and
    given name). Other characters (・, letters) are kept after width folding; this function
    normalises but does not validate.
    """
    s = jaconv.hira2kata(_fold_width(s))
    s = _unify_dashes(s)
    return "\u3000".join(s.split())

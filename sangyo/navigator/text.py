"""Japanese (and English) text for the search index: SudachiPy tokens, normalisation,
query expressions for FTS5 and tsquery, and highlighted snippets.

The tokenizer is loaded once per process (a module-level lazy singleton: loading the
dictionary takes a noticeable fraction of a second; tokenising after that takes microseconds).
`TOKENIZER_LOADS` counts the loads so tests and the benchmark can prove it happens once.

Index words: for Japanese text every content word of split modes A (short units) and C
(long units), so 補助金 is found inside 産業創出支援補助金 (A gives 補助 / 金, C gives 補助金,
and in longer compounds A and C differ the other way round); plus Sudachi's normalised form
(引継ぎ → 引き継ぐ) and, for words written with kanji, their reading in hiragana (so ほじょきん
finds 補助金). Every word goes through `norm`: NFKC (全角/半角), casefold, katakana → hiragana,
and only letters, digits and kana/kanji are kept, so the database's own tokenizer sees exactly
one word between spaces. English text is split into words, with a plural-free variant.
"""

from __future__ import annotations

import html
import re
import threading
import unicodedata

import jaconv

_LOCK = threading.Lock()
_TOKENIZERS: dict | None = None
TOKENIZER_LOADS = 0

# Parts of speech that carry no meaning for search.
_SKIP_POS = {"助詞", "助動詞", "補助記号", "空白", "記号"}
_NON_WORD = re.compile(r"[^\w]", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_KANJI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_KANA_ONLY = re.compile(r"^[\u3041-\u3096\u30a1-\u30fa\u30fc]+$")
_EN_WORD = re.compile(r"[a-z0-9]+")


def tokenizers():
    """The (mode A, mode C) SudachiPy tokenizers, created on first use."""
    global _TOKENIZERS, TOKENIZER_LOADS
    if _TOKENIZERS is None:
        with _LOCK:
            if _TOKENIZERS is None:
                from sudachipy import Dictionary, SplitMode

                dictionary = Dictionary(dict="core")
                _TOKENIZERS = {
                    "A": dictionary.tokenizer(mode=SplitMode.A),
                    "C": dictionary.tokenizer(mode=SplitMode.C),
                }
                TOKENIZER_LOADS += 1
    return _TOKENIZERS


def fold(text: str) -> str:
    """NFKC + casefold + katakana → hiragana: the comparison form of a text."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return jaconv.kata2hira(text)


def norm(word: str) -> str:
    """One index word: folded, with everything but letters, digits and kana/kanji removed."""
    return _NON_WORD.sub("", fold(word)).replace("_", "")


def has_japanese(text: str) -> bool:
    return bool(_CJK.search(text or ""))


def _morphemes(text: str, mode: str):
    return tokenizers()[mode].tokenize(unicodedata.normalize("NFKC", text))


def _word_forms(m, *, reading: bool) -> list[str]:
    if m.part_of_speech()[0] in _SKIP_POS:
        return []
    surface = m.surface()
    forms = [norm(surface)]
    normalized = m.normalized_form()
    if has_japanese(normalized):
        forms.append(norm(normalized))
    if reading and _KANJI.search(surface):
        forms.append(norm(m.reading_form()))
    return [f for f in forms if f]


def en_words(text: str) -> list[str]:
    out = []
    for w in _EN_WORD.findall(fold(text)):
        out.append(w)
        if len(w) > 3 and w.endswith("s"):
            out.append(w[:-1])
    return out


def index_tokens(text: str, lang: str = "ja") -> str:
    """The space-joined index words of `text` (duplicates kept once, order kept)."""
    if not text:
        return ""
    words: list[str] = []
    if lang == "en":
        words = en_words(text)
    else:
        for mode in ("C", "A"):
            for m in _morphemes(text, mode):
                words.extend(_word_forms(m, reading=mode == "C"))
    return " ".join(dict.fromkeys(w for w in words if w))


# -- queries ----------------------------------------------------------------------------------

# A query: AND over terms; a term: OR over alternatives; an alternative: AND over words; a
# word: OR over its forms.
Query = list[list[list[list[str]]]]


def _alternative_words(text: str, lang: str) -> list[list[str]]:
    if lang == "en" and not has_japanese(text):
        words = []
        for w in _EN_WORD.findall(fold(text)):
            forms = [w]
            if len(w) > 3 and w.endswith("s"):
                forms.append(w[:-1])
            words.append(forms)
        return words
    source = text
    if _KANA_ONLY.match(unicodedata.normalize("NFKC", text)):
        # Kana typed in a search box are tokenised as katakana (loan words stay whole), and
        # the whole term is also tried as a reading.
        source = jaconv.hira2kata(unicodedata.normalize("NFKC", text))
    words = [forms for m in _morphemes(source, "C") if (forms := _word_forms(m, reading=False))]
    return words


def parse_query(q: str, lang: str, synonyms: list[list[str]] | None = None) -> Query:
    """Turn the user's query into the nested AND/OR structure, expanding synonyms."""
    groups = synonyms or []
    query: Query = []
    for term in (q or "").split():
        alternatives_text = [term]
        folded = fold(term)
        for group in groups:
            if any(fold(t) == folded for t in group):
                alternatives_text += [t for t in group if fold(t) != folded]
        alternatives = []
        for text in alternatives_text:
            words = _alternative_words(text, lang)
            if _KANA_ONLY.match(unicodedata.normalize("NFKC", text)) and lang != "en":
                whole = norm(text)
                if whole and [whole] not in alternatives:
                    alternatives.append([[whole]])
            if words and words not in alternatives:
                alternatives.append(words)
        if alternatives:
            query.append(alternatives)
    return query


def query_words(query: Query, q: str = "") -> list[str]:
    """The word forms to highlight, longest first. Single characters (the 化 of デジタル化
    expanded from a synonym) are marked only when typed as a term of their own."""
    typed = {norm(t) for t in (q or "").split()}
    words = {f for term in query for alt in term for word in alt for f in word}
    return sorted((w for w in words if len(w) > 1 or w in typed), key=lambda w: -len(w))


def _render(query: Query, quote, and_op: str, or_op: str) -> str:
    def group(items, op):
        items = [i for i in items if i]
        if not items:
            return ""
        return items[0] if len(items) == 1 else "(" + f" {op} ".join(items) + ")"

    return group(
        [
            group(
                [
                    group([group([quote(f) for f in word], or_op) for word in alt], and_op)
                    for alt in term
                ],
                or_op,
            )
            for term in query
        ],
        and_op,
    )


def fts5_expression(query: Query) -> str:
    return _render(query, lambda w: '"' + w.replace('"', '""') + '"', "AND", "OR")


def tsquery_expression(query: Query) -> str:
    # Words hold only letters and digits (see `norm`), so quoting is for safety only.
    return _render(query, lambda w: "'" + w.replace("'", "''").replace("\\", "") + "'", "&", "|")


# -- snippets ---------------------------------------------------------------------------------


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original one."""
    whole = fold(text)
    if len(whole) == len(text):  # the usual case: folding kept every character in place
        return whole, list(range(len(text)))
    out, where = [], []
    for i, ch in enumerate(text):
        f = fold(ch)
        out.append(f)
        where.extend([i] * len(f))
    return "".join(out), where


def snippet(text: str, words: list[str], *, width: int = 90) -> str:
    """An HTML-escaped extract of `text` around the first match, with every match of the
    query's words wrapped in <mark>."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    folded, where = _folded_with_map(text)
    spans: list[tuple[int, int]] = []
    for w in words:
        if not w:
            continue
        start = 0
        while (pos := folded.find(w, start)) != -1:
            a, b = where[pos], where[pos + len(w) - 1] + 1
            if not any(a < y and x < b for x, y in spans):
                spans.append((a, b))
            start = pos + len(w)
    spans.sort()
    first = spans[0][0] if spans else 0
    lo = max(0, first - width // 3)
    hi = min(len(text), lo + width)
    out, cursor = [], lo
    for a, b in spans:
        if a < lo or b > hi:
            continue
        out.append(html.escape(text[cursor:a]))
        out.append("<mark>" + html.escape(text[a:b]) + "</mark>")
        cursor = b
    out.append(html.escape(text[cursor:hi]))
    return ("…" if lo > 0 else "") + "".join(out) + ("…" if hi < len(text) else "")


def normalise_query_text(q: str) -> str:
    """The stored form of a query counted as "no result": folded, spaces collapsed."""
    return " ".join(fold(q).split())[:200]

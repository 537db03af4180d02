"""Japanese text similarity for suggested matches: character bigram TF-IDF and cosine.

Japanese has no spaces between words, so words cannot be split without a dictionary; two
postings about 「精密部品の切削加工」 and 「金属部品を切削」 still share the bigrams 部品 and 切削.
Text is first made comparable with `core.text.normalize_for_match` (NFKC, case folding,
katakana → hiragana, dashes), then cut into runs of letters: an ASCII word ("iot", "cad")
counts as one term, every other run as its overlapping character bigrams.

Each posting stores its term counts (`Posting.vector`, computed when it is saved), so the
index is built from stored numbers without re-reading text. `Index` holds, per kind (need or
seed), an inverted list term → [(document, weight)] with L2-normalised TF-IDF weights; a query
adds up weights over the query's most informative terms only (at most MAX_QUERY_TERMS, and
terms found in more than COMMON_SHARE of the documents are skipped as carrying no signal).

Nothing here imports Django.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sangyo.core.text import normalize_for_match

_RUN = re.compile(r"[a-z0-9]+|[^\W\d_a-z]+", re.UNICODE)
MAX_QUERY_TERMS = 40
COMMON_SHARE = 0.25


def terms(text: str) -> Counter:
    """Term counts of `text`: ASCII words whole, other runs as character bigrams."""
    counts: Counter = Counter()
    for run in _RUN.findall(normalize_for_match(text or "")):
        if run.isascii():
            if len(run) >= 2:
                counts[run] += 1
        elif len(run) == 1:
            counts[run] += 1
        else:
            for i in range(len(run) - 1):
                counts[run[i : i + 2]] += 1
    return counts


def vector_of(*texts: str) -> dict[str, int]:
    """What a posting stores: term counts over its title, body and keywords."""
    total: Counter = Counter()
    for t in texts:
        total.update(terms(t))
    return dict(total)


@dataclass
class Doc:
    pk: int
    meta: tuple  # (category, region, jsic_major, ends_on, business_id)
    terms: dict[str, float] = field(default_factory=dict)  # normalised weights


class Index:
    """An inverted index over one kind of posting."""

    def __init__(self, rows: Iterable[tuple[int, tuple, dict[str, int]]]):
        rows = list(rows)
        self.size = len(rows)
        df: Counter = Counter()
        for _pk, _meta, vec in rows:
            df.update(vec.keys())
        n = self.size
        self.idf = {t: math.log((n + 1) / (d + 1)) + 1.0 for t, d in df.items()}
        self.df = df
        self.docs: list[Doc] = []
        self.postings: dict[str, list[tuple[int, float]]] = {}
        self.position: dict[int, int] = {}  # pk → index in docs of its live version
        self.dead: set[int] = set()  # positions of replaced or removed documents
        for pk, meta, vec in rows:
            self._append(pk, meta, vec)

    def _append(self, pk: int, meta: tuple, vec: dict[str, int]) -> None:
        weights = self._weigh(vec)
        i = len(self.docs)
        self.docs.append(Doc(pk, meta, weights))
        self.position[pk] = i
        for t, w in weights.items():
            self.postings.setdefault(t, []).append((i, w))

    def remove(self, pk: int) -> None:
        i = self.position.pop(pk, None)
        if i is not None:
            self.dead.add(i)

    def upsert(self, pk: int, meta: tuple, vec: dict[str, int]) -> None:
        """Add or replace one document, weighted with the IDF of the last full build (the
        drift is small for a few changes; callers rebuild in full from time to time)."""
        self.remove(pk)
        self._append(pk, meta, vec)

    @property
    def changes(self) -> int:
        return len(self.dead) + len(self.docs) - self.size

    def _weigh(self, vec: dict[str, int]) -> dict[str, float]:
        raw = {
            t: (1.0 + math.log(c)) * self.idf.get(t, math.log(self.size + 1) + 1.0)
            for t, c in vec.items()
            if c > 0
        }
        norm = math.sqrt(sum(w * w for w in raw.values())) or 1.0
        return {t: w / norm for t, w in raw.items()}

    def query(self, vec: dict[str, int], *, limit: int = 200) -> list[tuple[Doc, float, list]]:
        """Documents by cosine similarity to `vec`: (doc, score, shared terms by weight)."""
        if not self.size or not vec:
            return []
        q = self._weigh(vec)
        too_common = max(50, int(self.size * COMMON_SHARE))
        chosen = sorted(
            (t for t in q if t in self.postings and self.df[t] <= too_common),
            key=lambda t: -q[t],
        )[:MAX_QUERY_TERMS]
        scores: dict[int, float] = {}
        get = scores.get
        for t in chosen:
            qw = q[t]
            for i, w in self.postings[t]:
                scores[i] = get(i, 0.0) + qw * w
        # A copy (atomic in CPython): another thread may be applying changes meanwhile.
        for i in self.dead.copy():
            scores.pop(i, None)
        best = sorted(scores.items(), key=lambda kv: -kv[1])[:limit]
        out = []
        for i, s in best:
            doc = self.docs[i]
            shared = sorted(
                (t for t in chosen if t in doc.terms), key=lambda t: -q[t] * doc.terms[t]
            )
            out.append((doc, s, shared[:5]))
        return out

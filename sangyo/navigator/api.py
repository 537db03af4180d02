"""Public search API: `GET /api/v1/search?q=…&lang=ja|en&page=1&per_page=20&kind=…`.

Hits are ranked (best first); each has its kind, title, an HTML snippet (escaped text with
<mark> around the matched words), the URL of the page and, for outside programs and certified
products, its source. Searches that find nothing are counted anonymously."""

from __future__ import annotations

from ninja import Query, Router, Schema

from . import search

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = ""
    lang: str = "ja"
    page: int = 1
    per_page: int = 20
    kind: str = ""


class HitOut(Schema):
    kind: str
    kind_label: str
    title: str
    snippet: str
    url: str
    source: str
    rank: float


class SearchOut(Schema):
    query: str
    lang: str
    total: int
    page: int
    per_page: int
    pages: int
    results: list[HitOut]


@router.get("/search", response=SearchOut, summary="Full-text search (Japanese and English)")
def search_api(request, params: Query[SearchParams]):
    per_page = min(max(1, params.per_page), 100)
    found = search.search(
        params.q,
        lang="en" if params.lang == "en" else "ja",
        page=max(1, params.page),
        per_page=per_page,
        kinds=[params.kind] if params.kind else None,
    )
    return {
        "query": found.query,
        "lang": found.lang,
        "total": found.total,
        "page": found.page,
        "per_page": found.per_page,
        "pages": found.pages,
        "results": [
            {
                "kind": h.kind,
                "kind_label": h.kind_label,
                "title": h.title,
                "snippet": h.snippet,
                "url": h.url,
                "source": h.source,
                "rank": round(h.rank, 6),
            }
            for h in found.hits
        ],
    }

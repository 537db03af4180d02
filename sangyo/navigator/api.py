"""Public search API: `GET /api/v1/search?q=…&lang=ja|en&kind=…&limit=20&offset=0`.

Hits are ranked (best first); each has its kind, title, an HTML snippet (escaped text with
<mark> around the matched words), the URL of the page and, for outside programs and certified
products, its source. Searches that find nothing are counted anonymously."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Query, Router, Schema

from sangyo.api_common import Input, Page, PageParams, paginate, responses

from . import search

router = Router(tags=["search"])


class SearchParams(Input):
    q: str = Field("", max_length=200, description="検索語 / query (日本語・English)")
    lang: Literal["ja", "en"] = Field("ja", description="英語の文書を探すなら en / en for English")
    kind: Literal["", "program", "measure", "event", "product", "outside", "desk"] = Field(
        "", description="種類で絞り込み / only this kind"
    )


class HitOut(Schema):
    kind: str
    kind_label: str
    title: str
    snippet: str = Field(..., description="HTML: escaped text with <mark> around matches")
    url: str
    source: str
    rank: float


class SearchOut(Page):
    query: str
    lang: str
    results: list[HitOut]


@router.get(
    "/search",
    response=responses(SearchOut),
    summary="全文検索 / Full-text search",
    description=(
        "支援制度・施策・イベント・認定品・国や県の制度・相談窓口を日本語（全角半角・かなカナ・"
        "同義語を吸収）または英語で検索し、関連の高い順に返します。\n\n"
        "Searches programs, measures, events, certified products, outside programs and "
        "desks in Japanese (width, kana and synonyms folded) or English, best first."
    ),
)
def search_api(request, params: Query[SearchParams], page: Query[PageParams]):
    found = search.search(
        params.q,
        lang=params.lang,
        page=page.offset // page.limit + 1,
        per_page=page.limit,
        offset=page.offset,
        kinds=[params.kind] if params.kind else None,
    )
    hits = [
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
    ]
    return {
        "query": found.query,
        "lang": found.lang,
        **paginate(request, hits, page, count=found.total),
    }

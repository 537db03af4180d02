"""The search index: which things are searchable (programs of the strategy with their
details, measures, events, certified products, outside programs, consultation desks), how
each becomes one `SearchDocument` per language, the full rebuild, the incremental update
(signals), and the ranked query on SQLite (FTS5, bm25) and PostgreSQL (tsvector, ts_rank).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from . import text
from .models import MissedSearch, SearchDocument, Synonym

KINDS = ("program", "measure", "event", "product", "outside", "desk")
KIND_LABELS = {
    "program": ("市の支援制度", "City program"),
    "measure": ("施策", "Measure"),
    "event": ("イベント", "Event"),
    "product": ("認定品", "Certified product"),
    "outside": ("国・県などの制度", "National / prefectural program"),
    "desk": ("相談窓口", "Consultation desk"),
}


@dataclass
class Doc:
    kind: str
    object_id: str
    lang: str
    title: str
    body: str
    url: str
    source: str = ""


# -- what is indexed ---------------------------------------------------------------------------


def _join(*parts) -> str:
    return "\n".join(p for p in parts if p)


def _pair(kind, pk, title_ja, title_en, body_ja, body_en, url, source="") -> list[Doc]:
    docs = [Doc(kind, str(pk), "ja", title_ja, body_ja, url, source)]
    if title_en or body_en:
        docs.append(Doc(kind, str(pk), "en", title_en or title_ja, body_en, url, source))
    return docs


def program_docs(program) -> list[Doc]:
    from sangyo.applications.models import ProgramDetail

    if not program.measure.strategy.is_current:
        return []
    detail = ProgramDetail.objects.filter(program=program).first()
    url = f"/programs/{program.pk}/" if detail else _measure_url(program.measure)
    measure = program.measure
    if detail is None:
        return _pair(
            "program",
            program.pk,
            f"{program.code} {program.name_ja}",
            f"{program.code} {program.name_en}" if program.name_en else "",
            _join(program.name_ja, f"施策{measure.number} {measure.name_ja}"),
            _join(program.name_en, f"Measure {measure.number} {measure.name_en}"),
            _measure_url(measure),
        )
    return _pair(
        "program",
        program.pk,
        f"{detail.title_ja}（{program.code}）",
        f"{detail.title_en} ({program.code})" if detail.title_en else "",
        _join(
            detail.catch_phrase_ja,
            detail.description_ja,
            detail.target_ja,
            program.name_ja,
            f"施策{measure.number} {measure.name_ja}",
            " ".join(detail.use_purposes or []),
        ),
        _join(
            detail.catch_phrase_en,
            detail.description_en,
            detail.target_en,
            program.name_en,
            f"Measure {measure.number} {measure.name_en}",
        ),
        url,
        detail.institution,
    )


def _measure_url(measure) -> str:
    return f"/strategy/measures/{measure.number}/"


def measure_docs(measure) -> list[Doc]:
    if not measure.strategy.is_current:
        return []
    return _pair(
        "measure",
        measure.pk,
        f"施策{measure.number} {measure.name_ja}",
        f"Measure {measure.number}: {measure.name_en}" if measure.name_en else "",
        measure.description_ja,
        measure.description_en,
        _measure_url(measure),
    )


def event_docs(event) -> list[Doc]:
    if getattr(event, "status", "published") not in ("published", "", None):
        return []
    return _pair(
        "event",
        event.pk,
        event.title_ja,
        event.title_en,
        _join(event.description_ja, event.target_ja, event.place),
        _join(event.description_en, event.target_en),
        f"/events/{event.pk}/",
    )


def product_docs(product) -> list[Doc]:
    if not product.published:
        return []
    from sangyo.applications.catalogue import scheme_name

    business = product.application.business
    return _pair(
        "product",
        product.pk,
        product.name_ja,
        product.name_en,
        _join(product.description_ja, scheme_name(product), business.name),
        _join(product.description_en, business.name_en),
        "/programs/catalogue/",
        scheme_name(product),
    )


def outside_docs(program) -> list[Doc]:
    return [
        Doc(
            "outside",
            str(program.pk),
            "ja",
            program.title,
            _join(
                program.catch_phrase,
                program.detail,
                program.institution_name,
                program.target_area,
                " ".join(program.use_purposes or []),
            ),
            program.detail_url or "/navigator/search/",
            program.source_label,
        )
    ]


def desk_docs(desk) -> list[Doc]:
    if not desk.is_active:
        return []
    program = desk.program
    return _pair(
        "desk",
        desk.pk,
        desk.name_ja,
        desk.name_en,
        _join(program.name_ja, f"施策{program.measure.number} {program.measure.name_ja}"),
        _join(program.name_en, program.measure.name_en),
        "/consult/",
    )


def _all_docs() -> Iterable[Doc]:
    from sangyo.applications.models import CertifiedProduct
    from sangyo.consultations.models import Desk
    from sangyo.events.models import Event
    from sangyo.strategy.models import Measure, Program

    from .models import OutsideProgram

    for m in Measure.objects.filter(strategy__is_current=True).select_related("strategy"):
        yield from measure_docs(m)
    for p in Program.objects.filter(measure__strategy__is_current=True).select_related(
        "measure__strategy"
    ):
        yield from program_docs(p)
    for e in Event.objects.all():
        yield from event_docs(e)
    for c in CertifiedProduct.objects.filter(published=True).select_related(
        "application__business", "application__call__program__detail"
    ):
        yield from product_docs(c)
    for o in OutsideProgram.objects.all():
        yield from outside_docs(o)
    for d in Desk.objects.filter(is_active=True).select_related("program__measure"):
        yield from desk_docs(d)


def _row(doc: Doc) -> SearchDocument:
    return SearchDocument(
        kind=doc.kind,
        object_id=doc.object_id,
        lang=doc.lang,
        title=doc.title[:300],
        body=doc.body,
        title_tokens=text.index_tokens(doc.title, doc.lang),
        tokens=text.index_tokens(doc.body, doc.lang),
        url=doc.url[:500],
        source=doc.source[:200],
    )


@transaction.atomic
def rebuild(docs: Iterable[Doc] | None = None) -> int:
    """Replace the whole index (the `sangyo navigator reindex` command). Returns the count."""
    SearchDocument.objects.all().delete()
    rows = [_row(d) for d in (docs if docs is not None else _all_docs())]
    SearchDocument.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def replace(kind: str, object_id, docs: list[Doc]) -> None:
    """Incremental update: the documents of one object replace its old ones."""
    SearchDocument.objects.filter(kind=kind, object_id=str(object_id)).delete()
    if docs:
        SearchDocument.objects.bulk_create([_row(d) for d in docs])


def remove(kind: str, object_id) -> None:
    SearchDocument.objects.filter(kind=kind, object_id=str(object_id)).delete()


# -- querying ----------------------------------------------------------------------------------


@dataclass
class Hit:
    kind: str
    kind_label: str
    object_id: str
    lang: str
    title: str
    snippet: str
    url: str
    source: str
    rank: float


@dataclass
class Results:
    query: str
    lang: str
    hits: list[Hit]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


SYNONYM_CACHE_KEY = "navigator:synonyms:v1"


def synonym_groups() -> list[list[str]]:
    """The active synonym groups, cached (the cache is cleared when a synonym changes)."""
    from django.core.cache import cache

    groups = cache.get(SYNONYM_CACHE_KEY)
    if groups is None:
        groups = [s.term_list() for s in Synonym.objects.filter(is_active=True)]
        cache.set(SYNONYM_CACHE_KEY, groups, 600)
    return groups


def forget_synonyms(**kwargs) -> None:
    from django.core.cache import cache

    cache.delete(SYNONYM_CACHE_KEY)


COLUMNS = "d.id, d.kind, d.object_id, d.lang, d.title, d.body, d.url, d.source"


def _search_rows(expression: str, lang: str, kinds, limit: int, offset: int):
    """(total, rows) best first; each row is (id, kind, object_id, lang, title, body, url,
    source, rank). One query: the total comes from a window count over the matches."""
    kind_sql, kind_params = "", []
    if kinds:
        kind_sql = " AND d.kind IN (" + ",".join(["%s"] * len(kinds)) + ")"
        kind_params = list(kinds)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner underrates the GIN index for tsquery matches (it prices @@ like a
            # cheap operator and prefers a sequential scan, several times slower even at a
            # few thousand documents), so sequential scans are off for this one statement.
            cursor.execute("SET LOCAL enable_seqscan = off")
            sql = (
                f"SELECT {COLUMNS}, ts_rank(d.tsv, q) AS r, count(*) OVER () "
                "FROM navigator_searchdocument d, to_tsquery('simple', %s) q "
                "WHERE d.tsv @@ q AND d.lang = %s" + kind_sql + " "
                "ORDER BY r DESC, d.id LIMIT %s OFFSET %s"
            )
            cursor.execute(sql, [expression, lang, *kind_params, limit, offset])
            rows = cursor.fetchall()
            cursor.execute("SET LOCAL enable_seqscan = on")
            sign = 1.0
        else:
            # bm25() may not sit beside a window function: rank in a materialised step.
            sql = (
                "WITH m AS MATERIALIZED (SELECT rowid AS id, bm25(navigator_fts, 5.0, 1.0) AS r "
                "FROM navigator_fts WHERE navigator_fts MATCH %s) "
                f"SELECT {COLUMNS}, m.r, count(*) OVER () "
                "FROM m JOIN navigator_searchdocument d ON d.id = m.id "
                "WHERE d.lang = %s" + kind_sql + " "
                "ORDER BY m.r, d.id LIMIT %s OFFSET %s"
            )
            cursor.execute(sql, [expression, lang, *kind_params, limit, offset])
            rows = cursor.fetchall()
            sign = -1.0  # bm25: lower is better
    total = rows[0][-1] if rows else 0
    return total, [(*row[:8], sign * float(row[8])) for row in rows]


MAX_PAGE = 10_000


def search(
    q: str,
    *,
    lang: str = "ja",
    page: int = 1,
    per_page: int = 20,
    kinds: list[str] | None = None,
    count_missing: bool = True,
    offset: int | None = None,
) -> Results:
    """Ranked hits for `q`. Queries written in Japanese always search the Japanese
    documents; others search the documents of `lang`. A search that finds nothing is counted
    (anonymously) when `count_missing`."""
    q = (q or "").strip()[:200]
    lang = "en" if lang == "en" and not text.has_japanese(q) else "ja"
    # A page (or offset) typed into the address bar can be any size; past MAX_PAGE there is
    # nothing to show, and SQLite cannot even take the offset as an integer.
    page = min(max(1, page), MAX_PAGE)
    if offset is not None:
        offset = min(offset, MAX_PAGE * per_page)
    empty = Results(q, lang, [], 0, page, per_page)
    if not q:
        return empty
    parsed = text.parse_query(q, lang, synonym_groups())
    if not parsed:
        if count_missing:
            record_missed(q)
        return empty
    if connection.vendor == "postgresql":
        expression = text.tsquery_expression(parsed)
    else:
        expression = text.fts5_expression(parsed)
    kinds = [k for k in (kinds or []) if k in KINDS]
    with transaction.atomic():
        start = (page - 1) * per_page if offset is None else max(0, offset)
        total, rows = _search_rows(expression, lang, kinds, per_page, start)
        if not rows and page > 1:  # past the last page: the total still matters for paging
            total, _ = _search_rows(expression, lang, kinds, 1, 0)
    if total == 0 and count_missing:
        record_missed(q)
    words = text.query_words(parsed, q)
    hits = []
    for _id, kind, object_id, doc_lang, title, body, url, source, rank in rows:
        label = KIND_LABELS.get(kind, (kind, kind))
        hits.append(
            Hit(
                kind=kind,
                kind_label=label[1] if lang == "en" else label[0],
                object_id=object_id,
                lang=doc_lang,
                title=title,
                snippet=text.snippet(f"{title}　{body}", words),
                url=url,
                source=source,
                rank=rank,
            )
        )
    return Results(q, lang, hits, total, page, per_page)


def record_missed(q: str) -> None:
    from django.db.models import F

    key = text.normalise_query_text(q)
    if not key:
        return
    now = timezone.now()
    updated = MissedSearch.objects.filter(query=key).update(count=F("count") + 1, last_seen=now)
    if not updated:
        try:
            with transaction.atomic():
                MissedSearch.objects.create(query=key, count=1, last_seen=now)
        except Exception:  # a concurrent first miss; count it on the row
            MissedSearch.objects.filter(query=key).update(count=F("count") + 1, last_seen=now)

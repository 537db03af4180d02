"""Full-text search in Japanese and English, on SQLite (FTS5) and PostgreSQL (tsvector): run
this file once with DATABASE_URL pointing at PostgreSQL too."""

import pytest
from django.db import connection

from sangyo.navigator import search, text
from sangyo.navigator.models import MissedSearch, SearchDocument


def _titles(q, **kw):
    return [h.title for h in search.search(q, **kw).hits]


@pytest.mark.django_db
def test_hojokin_finds_the_compound_subsidy(indexed):
    titles = _titles("補助金", per_page=50)
    assert any("産業創出支援補助金" in t for t in titles)
    hit = next(h for h in search.search("補助金", per_page=50).hits if "展示会出展支援" in h.title)
    assert "<mark>補助金</mark>" in hit.snippet
    assert hit.url.startswith("/programs/")


@pytest.mark.django_db
def test_long_compound_query_finds_its_program(indexed):
    assert _titles("産業創出支援補助金")[0].startswith(("産業創出支援補助金", "08-1", "05-1"))


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["コレクション", "ｺﾚｸｼｮﾝ", "これくしょん", "ＣＯＬＬＥＣＴＩＯＮ"])
def test_width_and_kana_variants(indexed, q):
    lang = "en" if q.startswith("Ｃ") else "ja"
    titles = _titles(q, lang=lang)
    assert any("Collection" in t or "コレクション" in t for t in titles), titles


@pytest.mark.django_db
def test_fullwidth_ascii_matches_halfwidth(indexed):
    assert _titles("ＤＸ") == _titles("dx") != []


@pytest.mark.django_db
def test_synonym_kigyo_finds_sogyo(indexed):
    titles = _titles("起業", per_page=50)
    assert any("新規創業促進補助金" in t for t in titles)
    # Without the synonym, 起業 appears nowhere in the programs.
    from sangyo.navigator.models import Synonym

    Synonym.objects.all().delete()
    assert not any("新規創業促進補助金" in t for t in _titles("起業", per_page=50))


@pytest.mark.django_db
def test_english_query_over_english_fields(indexed):
    found = search.search("trade fair", lang="en")
    assert found.lang == "en"
    assert any("trade fair" in h.title.lower() for h in found.hits)
    assert all(h.lang == "en" for h in found.hits)
    assert "<mark>" in found.hits[0].snippet
    # A Japanese query on the English page still searches the Japanese documents.
    assert search.search("補助金", lang="en").lang == "ja"


@pytest.mark.django_db
def test_outside_programs_show_their_source(indexed):
    hit = next(h for h in search.search("海外展開").hits if h.kind == "outside")
    assert hit.source.startswith("jGrants") and "日本商工会議所" in hit.source


@pytest.mark.django_db
def test_no_result_is_counted_anonymously(indexed):
    assert search.search("ｚｚｚ存在しない語ｑｑ").total == 0
    search.search("ZZZ存在しない語QQ")
    row = MissedSearch.objects.get()
    assert row.query == "zzz存在しない語qq" and row.count == 2
    assert {f.name for f in MissedSearch._meta.fields} == {
        "id",
        "query",
        "count",
        "last_seen",
        "is_synthetic",
    }


@pytest.mark.django_db
def test_snippet_escapes_html():
    out = text.snippet("<script>補助金</script>", ["補助金"])
    assert out == "&lt;script&gt;<mark>補助金</mark>&lt;/script&gt;"


def test_tokenizer_is_loaded_once():
    text.index_tokens("補助金")
    loads = text.TOKENIZER_LOADS
    for _ in range(3):
        text.index_tokens("産業創出支援補助金")
    assert text.TOKENIZER_LOADS == loads == 1


def test_mode_a_and_c_tokens():
    tokens = text.index_tokens("産業創出支援補助金").split()
    assert "補助金" in tokens and "補助" in tokens and "産業" in tokens


@pytest.mark.django_db
def test_incremental_update_on_save_and_delete(indexed, django_capture_on_commit_callbacks):
    from sangyo.events.tests.factories import event

    with django_capture_on_commit_callbacks(execute=True):
        e = event(strategy=indexed["strategy"], title_ja="合成データ 量子センサー交流会")
    assert _titles("量子センサー") == ["合成データ 量子センサー交流会"]
    with django_capture_on_commit_callbacks(execute=True):
        e.title_ja = "合成データ 光学センサー交流会"
        e.save()
    assert _titles("量子") == [] and _titles("光学") == ["合成データ 光学センサー交流会"]
    with django_capture_on_commit_callbacks(execute=True):
        e.delete()
    assert not SearchDocument.objects.filter(kind="event", object_id=str(e.pk)).exists()


@pytest.mark.django_db
def test_paging(indexed):
    first = search.search("支援", per_page=5)
    second = search.search("支援", per_page=5, page=2)
    assert first.total > 5 and len(first.hits) == 5
    assert {h.url + h.title for h in first.hits}.isdisjoint({h.url + h.title for h in second.hits})
    ranks = [h.rank for h in first.hits]
    assert ranks == sorted(ranks, reverse=True)


@pytest.mark.django_db
def test_api_json_shape(indexed, client):
    response = client.get("/api/v1/search", {"q": "補助金", "limit": 3})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"query", "lang", "count", "next", "previous", "results"}
    assert data["count"] >= 3 and len(data["results"]) == 3 and data["previous"] is None
    assert "offset=3" in data["next"]
    second = client.get(data["next"]).json()
    assert second["results"] and second["results"][0] != data["results"][0]
    hit = data["results"][0]
    assert set(hit) == {"kind", "kind_label", "title", "snippet", "url", "source", "rank"}
    assert "<mark>" in hit["snippet"]
    en = client.get("/api/v1/search", {"q": "subsidy", "lang": "en"}).json()
    assert en["lang"] == "en" and en["count"] >= 1


@pytest.mark.django_db
def test_search_page(indexed, client):
    html = client.get("/navigator/search/", {"q": "補助金"}).content.decode()
    assert "<mark>補助金</mark>" in html
    html = client.get("/navigator/search/", {"q": "ないないない語"}).content.decode()
    assert 'href="/consult/"' in html


@pytest.mark.django_db
def test_database_index_exists(indexed):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'navigator_doc_tsv_gin'"
            )
            assert "gin" in cursor.fetchone()[0].lower()
        else:
            cursor.execute("SELECT count(*) FROM navigator_fts")
            assert cursor.fetchone()[0] == SearchDocument.objects.count()


@pytest.mark.django_db
def test_certified_products_are_searchable(navigator, make_user):
    from sangyo.applications.models import CertifiedProduct
    from sangyo.applications.tests import factories as f
    from sangyo.registry.tests.factories import business

    call = f.open_call(navigator["details"]["06-1"].program)
    b = business(name="合成データ筑波製麺")
    application = f.application(call, b, f.applicant(make_user, b), status="certified")
    CertifiedProduct.objects.filter(application=application).update(
        name_ja="合成データ筑波うどん", description_ja="つくば産小麦のうどん"
    )
    search.rebuild()
    hit = search.search("うどん").hits[0]
    assert hit.kind == "product" and hit.title == "合成データ筑波うどん"
    assert hit.url == "/programs/catalogue/" and hit.source


def test_single_characters_from_synonyms_are_not_highlighted():
    parsed = text.parse_query("DX", "ja", [["DX", "デジタル化"]])
    words = text.query_words(parsed, "DX")
    assert "dx" in words and "でじたる" in words and "化" not in words
    assert "金" in text.query_words(text.parse_query("金", "ja"), "金")

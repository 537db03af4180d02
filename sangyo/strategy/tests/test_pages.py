"""Public pages of the strategy: titles, content, 404s, language, query counts."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sangyo.strategy.schema import StrategyDoc
from sangyo.strategy.services import strategy_load

pytestmark = pytest.mark.django_db

VISION_NAMES = {
    "I": "安定して事業を継続・発展できるまち",
    "II": "新たにチャレンジできるまち",
    "III": "新たなビジネスリーダーが生まれるまち",
    "IV": "人が集まり・定着するまち",
}
NUMBERS = [f"{n:02d}" for n in range(1, 18)]


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return html.unescape(response.content.decode())


def title_of(text: str) -> str:
    match = re.search(r"<title>(.*?)</title>", text, re.S)
    assert match, "page has no <title>"
    return " ".join(match.group(1).split())


@pytest.mark.parametrize(
    ("url", "subject"),
    [
        ("/", "第２次つくば市産業戦略"),
        ("/strategy/", "施策体系"),
        ("/strategy/ordinance/", "つくば市中小企業・小規模企業振興基本条例"),
        ("/strategy/situation/", "つくば市の現況"),
        ("/strategies/", "戦略の一覧"),
        ("/strategies/tsukuba-2025/", "施策体系"),
        ("/strategies/tsukuba-2025/measures/05/", "流通媒体・経路拡充に向けた取り組み支援"),
        ("/strategies/tsukuba-2025/visions/II/", "新たにチャレンジできるまち"),
    ],
)
def test_public_page_has_a_title_naming_its_subject(client, tsukuba, url, subject):
    title = title_of(page(client, url))
    assert subject in title
    assert "Sangyo" in title


@pytest.mark.parametrize("code", list(VISION_NAMES))
def test_vision_page(client, tsukuba, code):
    text = page(client, f"/strategy/visions/{code}/")
    assert VISION_NAMES[code] in title_of(text)
    kpi = tsukuba.visions.get(code=code).kpis.get()
    assert kpi.name_ja in text
    assert kpi.printed_baseline in text and kpi.printed_target in text


@pytest.mark.parametrize("number", NUMBERS)
def test_measure_page(client, tsukuba, tsukuba_doc, number):
    doc_measure = next(m for m in tsukuba_doc.measures if m.number == number)
    text = page(client, f"/strategy/measures/{number}/")
    title = title_of(text)
    assert doc_measure.name.ja in title
    assert number in title
    for program in doc_measure.programs:
        assert program.name.ja in text
    vision_code = tsukuba_doc.sub_theme_index()[doc_measure.sub_theme][0].vision
    assert f'href="/strategy/visions/{vision_code}/"' in text
    assert VISION_NAMES[vision_code] in text


def test_measure_page_links_its_neighbours(client, tsukuba):
    text = page(client, "/strategy/measures/01/")
    assert 'href="/strategy/measures/02/"' in text
    assert 'rel="prev"' not in text
    text = page(client, "/strategy/measures/17/")
    assert 'href="/strategy/measures/16/"' in text
    assert 'rel="next"' not in text


def test_home_shows_slogan_and_the_four_kpis(client, tsukuba):
    text = page(client, "/")
    assert "世界の未来をつくる 産業創造都市つくば" in text
    assert "科学×技術×人材のつながりを産業競争力に" in text
    for figure in [
        "14,383億円",
        "16,234億円（2029年度）",
        "20件／年",
        "24件／年",
        "79人／年",
        "143,306人",
        "153,318人（2029年度）",
    ]:
        assert figure in text, figure
    for name in VISION_NAMES.values():
        assert name in text


def test_tree_lists_every_measure_and_program(client, tsukuba, tsukuba_doc):
    text = page(client, "/strategy/")
    for m in tsukuba_doc.measures:
        assert m.name.ja in text, m.number
        assert f'href="/strategy/measures/{m.number}/"' in text
        for p in m.programs:
            assert p.name.ja in text, p.code
    # In the order of the strategy: measure 01 before 17.
    assert text.index(tsukuba_doc.measures[0].name.ja) < text.index(
        tsukuba_doc.measures[-1].name.ja
    )


def test_ordinance_page(client, tsukuba, tsukuba_doc):
    text = page(client, "/strategy/ordinance/")
    for p in tsukuba_doc.ordinance.principles:
        assert p.name.ja in text
    for policy in tsukuba_doc.ordinance.basic_policies:
        assert policy.ja in text


def test_strategy_list_links_each_strategy(client, tsukuba):
    text = page(client, "/strategies/")
    assert "第２次つくば市産業戦略" in text
    assert 'href="/strategy/"' in text  # the current strategy is linked at /strategy/


@pytest.mark.parametrize(
    "url",
    [
        "/strategy/measures/99/",
        "/strategy/measures/1/",
        "/strategy/visions/V/",
        "/strategy/visions/i/",
        "/strategies/no-such-strategy/",
        "/strategies/no-such-strategy/measures/01/",
    ],
)
def test_unknown_pages_answer_404(client, tsukuba, url):
    assert client.get(url).status_code == 404


def test_without_a_strategy_the_pages_answer_404(client, db):
    assert client.get("/").status_code == 404
    assert client.get("/strategy/").status_code == 404
    assert client.get("/strategies/").status_code == 200  # says none is loaded yet


def test_default_language_is_japanese(client, tsukuba):
    assert '<html lang="ja">' in page(client, "/")


def test_english(client, tsukuba):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    text = page(client, "/")
    assert '<html lang="en">' in text
    assert tsukuba.slogan_en in text
    assert "Tsukuba, an industry-creating city that builds the future of the world" in text
    assert "世界の未来をつくる" not in text
    assert "14,383" in text and "16,234" in text  # figures in English formatting
    text = page(client, "/strategy/measures/05/")
    assert "Support for expanding distribution media and channels" in title_of(text)


def test_a_non_current_strategy_is_served_under_its_code(client, tsukuba, tsukuba_doc):
    data = tsukuba_doc.model_dump()
    data["code"] = "tsukuba-2020"
    data["title"]["ja"] = "第１次つくば市産業戦略（試験用）"
    strategy_load(doc=StrategyDoc.model_validate(data), actor="test")

    text = page(client, "/strategies/tsukuba-2020/")
    assert "第１次つくば市産業戦略（試験用）" in title_of(text)
    # Links stay within that strategy.
    assert 'href="/strategies/tsukuba-2020/measures/01/"' in text
    assert 'href="/strategy/measures/01/"' not in text.split("<main", 1)[1]
    # The current strategy is unchanged.
    assert "第１次" not in page(client, "/")


# --- query counts ----------------------------------------------------------------------


def test_tree_page_runs_a_bounded_number_of_queries(client, tsukuba, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        client.get("/strategy/")


def test_home_page_runs_a_bounded_number_of_queries(client, tsukuba, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        client.get("/")


def test_measure_page_runs_a_bounded_number_of_queries(
    client, tsukuba, django_assert_max_num_queries
):
    # One query for the page itself and one for each panel the apps register (support
    # counts, indicators, evaluation sheets …), whatever the data size.
    with django_assert_max_num_queries(8):
        client.get("/strategy/measures/05/")


def _doubled(doc: StrategyDoc) -> StrategyDoc:
    """The same strategy with 17 more measures (18–34), each with two programs."""
    data = doc.model_dump()
    sub_themes = [st["code"] for t in data["themes"] for st in t["sub_themes"]]
    for i in range(17):
        number = f"{18 + i:02d}"
        data["measures"].append(
            {
                "number": number,
                "sub_theme": sub_themes[i % len(sub_themes)],
                "name": {"ja": f"追加の施策{number}", "en": f"Extra measure {number}"},
                "description": {"ja": "説明", "en": "Description"},
                "programs": [
                    {"code": f"{number}-{j}", "name": {"ja": f"追加の事業{number}-{j}", "en": "x"}}
                    for j in (1, 2)
                ],
            }
        )
    return StrategyDoc.model_validate(data)


@pytest.mark.parametrize("url", ["/strategy/", "/", "/strategy/visions/I/"])
def test_query_count_does_not_grow_with_the_strategy(client, tsukuba, tsukuba_doc, url):
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200

    strategy_load(doc=_doubled(tsukuba_doc), actor="test")
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    if url == "/strategy/":
        assert "追加の施策34" in html.unescape(response.content.decode())
    assert len(large) == len(small)

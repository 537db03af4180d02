"""The Tsukuba strategy file against the official summary (概要版, 令和7年3月)."""

import re
from decimal import Decimal

import pytest

from conftest import SEED_FILE

VISIONS = [
    ("I", "Ⅰ", "安定して事業を継続・発展できるまち"),
    ("II", "Ⅱ", "新たにチャレンジできるまち"),
    ("III", "Ⅲ", "新たなビジネスリーダーが生まれるまち"),
    ("IV", "Ⅳ", "人が集まり・定着するまち"),
]

# (vision, name, baseline, target, unit, direction)
KPIS = [
    ("I", "市内総生産", Decimal("14383"), Decimal("16234"), "億円", "increase"),
    ("II", "つくば市認定制度への申請件数", Decimal("20"), Decimal("24"), "件／年", "increase"),
    ("III", "市内における新規創業者数", Decimal("79"), Decimal("79"), "人／年", "maintain"),
    ("IV", "市内における就業者数", Decimal("143306"), Decimal("153318"), "人", "increase"),
]

MEASURES = {
    "01": "専門家による伴走支援",
    "02": "経営安定化へ向けた資金調達支援",
    "03": "業務効率化・先進技術導入支援",
    "04": "事業承継支援",
    "05": "流通媒体・経路拡充に向けた取り組み支援",
    "06": "つくばブランド創出支援",
    "07": "専門家による新事業創出支援",
    "08": "新事業創出へ向けた資金調達支援",
    "09": "企業間連携の支援",
    "10": "専門家による新規事業者創出支援",
    "11": "新規事業者創出へ向けた資金調達支援",
    "12": "創業拠点の整備",
    "13": "新産業創出に向けた戦略的環境整備",
    "14": "就労支援",
    "15": "多様な人材の受入促進支援",
    "16": "人材育成支援",
    "17": "労働環境整備支援",
}


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.fixture(scope="module")
def seed_text():
    if not SEED_FILE.exists():
        pytest.skip(
            f"official summary text not found at {SEED_FILE} (CI has shared/ beside the repo)"
        )
    return _squash(SEED_FILE.read_text(encoding="utf-8"))


def test_header(tsukuba_doc):
    assert tsukuba_doc.code == "tsukuba-2025"
    assert tsukuba_doc.municipality.code == "082201"  # 08220 normalised with its check digit
    assert tsukuba_doc.municipality.name.ja == "つくば市"
    assert tsukuba_doc.municipality.prefecture.ja == "茨城県"
    assert tsukuba_doc.title.ja == "第２次つくば市産業戦略"
    assert (tsukuba_doc.period.start_fy, tsukuba_doc.period.end_fy) == (2025, 2029)
    assert tsukuba_doc.adopted == "2025-03"
    assert tsukuba_doc.slogan.ja == "世界の未来をつくる 産業創造都市つくば"
    assert tsukuba_doc.sub_slogan.ja == "科学×技術×人材のつながりを産業競争力に"


def test_four_visions_with_exact_names(tsukuba_doc):
    assert [(v.code, v.label, v.name.ja) for v in tsukuba_doc.visions] == VISIONS


def test_four_kpis_with_exact_figures(tsukuba_doc):
    got = [
        (v.code, k.name.ja, k.baseline.value, k.target.value, k.unit.ja, k.direction)
        for v in tsukuba_doc.visions
        for k in v.kpis
    ]
    assert got == KPIS
    for v in tsukuba_doc.visions:
        for k in v.kpis:
            assert k.target.fiscal_year == 2029, k.code
            assert k.baseline.fiscal_year == "not_stated", k.code


def test_kpi_printed_figures(tsukuba_doc):
    printed = [(k.printed.baseline, k.printed.target) for v in tsukuba_doc.visions for k in v.kpis]
    assert printed == [
        ("14,383億円", "16,234億円（2029年度）"),
        ("20件／年", "24件／年"),
        ("79人／年", "79人／年"),
        ("143,306人", "153,318人（2029年度）"),
    ]


def test_seventeen_measures_numbered_01_to_17(tsukuba_doc):
    assert [m.number for m in tsukuba_doc.measures] == [f"{n:02d}" for n in range(1, 18)]
    assert {m.number: m.name.ja for m in tsukuba_doc.measures} == MEASURES


def test_every_measure_has_programs_numbered_after_it(tsukuba_doc):
    for m in tsukuba_doc.measures:
        assert len(m.programs) >= 1, m.number
        assert [p.code for p in m.programs] == [
            f"{m.number}-{i}" for i in range(1, len(m.programs) + 1)
        ]
    assert sum(len(m.programs) for m in tsukuba_doc.measures) == 31


def test_themes_and_sub_themes(tsukuba_doc):
    assert [(t.vision, t.name.ja, len(t.sub_themes)) for t in tsukuba_doc.themes] == [
        ("I", "既存事業者の継続・発展", 2),
        ("II", "新事業創出", 2),
        ("III", "新規事業者創出", 2),
        ("IV", "人材確保・維持／育成", 2),
    ]
    index = tsukuba_doc.sub_theme_index()
    # Each measure sits under a sub-theme of the theme of the vision it belongs to.
    vision_of = {m.number: index[m.sub_theme][0].vision for m in tsukuba_doc.measures}
    assert vision_of == {
        **dict.fromkeys(["01", "02", "03", "04", "05", "06"], "I"),
        **dict.fromkeys(["07", "08", "09"], "II"),
        **dict.fromkeys(["10", "11", "12", "13"], "III"),
        **dict.fromkeys(["14", "15", "16", "17"], "IV"),
    }


def test_ordinance(tsukuba_doc):
    o = tsukuba_doc.ordinance
    assert o is not None
    assert o.title.ja == "つくば市中小企業・小規模企業振興基本条例"
    assert o.in_force == "2025-03"
    assert [p.number for p in o.principles] == [1, 2, 3, 4]
    assert len(o.basic_policies) == 9


def test_names_appear_in_the_official_summary(tsukuba_doc, seed_text):
    missing = [
        (m.number, name)
        for m in tsukuba_doc.measures
        for name in [m.name.ja, *(p.name.ja for p in m.programs)]
        if _squash(name) not in seed_text
    ]
    assert missing == []


def test_visions_kpis_and_ordinance_appear_in_the_official_summary(tsukuba_doc, seed_text):
    texts = [tsukuba_doc.title.ja, tsukuba_doc.slogan.ja, tsukuba_doc.sub_slogan.ja]
    for v in tsukuba_doc.visions:
        texts += [v.name.ja, v.target_state.ja]
        for k in v.kpis:
            texts += [k.name.ja, k.printed.baseline, k.printed.target]
    o = tsukuba_doc.ordinance
    texts += [o.title.ja, *(p.name.ja for p in o.principles), *(p.ja for p in o.basic_policies)]
    assert [t for t in texts if _squash(t) not in seed_text] == []
